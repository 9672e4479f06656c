def trail_name(team: str) -> str:
    if not team:
        raise ValueError("team must not be empty")
    return f"{team}-trail"
