"""This program's own package. The checker once had a top-level package of the same name that shadowed it."""


def trail_name(team: str, suffix: str) -> str:
    return f"{team}-audit-{suffix}"
