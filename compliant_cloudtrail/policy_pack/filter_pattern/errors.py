"""The one exception the engine raises for a pattern it cannot accept."""

from __future__ import annotations

_CONTEXT = 16


class FilterPatternError(ValueError):
    """A filter pattern is malformed, too long, or uses a form this engine does not support.

    ``message`` says what was expected; ``position`` is the 0-based offset in the pattern text
    where it was expected, or None when the problem is the pattern as a whole.
    """

    def __init__(self, message: str, position: int | None = None, text: str = "") -> None:
        self.message = message
        self.position = position
        self.text = text
        super().__init__(self._render())

    def _render(self) -> str:
        if self.position is None:
            return self.message
        before = self.text[max(0, self.position - _CONTEXT) : self.position]
        after = self.text[self.position : self.position + _CONTEXT]
        lead = "..." if self.position > _CONTEXT else ""
        tail = "..." if self.position + _CONTEXT < len(self.text) else ""
        where = f'after "{lead}{before}"' if before else "at the start"
        found = f'before "{after}{tail}"' if after else "at the end of the pattern"
        return f"{self.message} at position {self.position}: {where}, {found}"
