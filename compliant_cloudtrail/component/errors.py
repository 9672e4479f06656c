"""The one error a bad CompliantTrail argument raises, with the argument, the value and what is allowed.

Every check (``validation``, ``naming``, ``lifecycle_rules`` through validation, the preview look-ups in
``aws_context`` and ``organization``) raises it, so ``pulumi preview`` stops with one readable line.
"""

from __future__ import annotations

import pulumi


class InvalidArgumentError(ValueError):
    """A CompliantTrail argument AWS (or this component) would reject."""

    def __init__(self, component: str, argument: str, value: object, allowed: str) -> None:
        self.component = component
        self.argument = argument
        self.value = value
        self.allowed = allowed
        super().__init__(
            f"CompliantTrail {show(component)}: argument {show(argument)} is {show(value)}; {_one_line(allowed)}"
        )


def show(value: object) -> str:
    """A value as an error message quotes it: one line of at most 120 characters, an Output said in words."""
    if isinstance(value, pulumi.Output):
        return "an Output (its value is unknown until the resource it comes from exists)"
    try:
        text = repr(value)
    except Exception:  # ints over 4300 digits, nesting past the recursion limit, a __repr__ that raises
        text = f"<{type(value).__name__} that cannot be shown>"
    return text if len(text) <= 120 else text[:117] + "..."


def _one_line(text: str) -> str:
    """Parser messages quote the pattern around the error, line breaks included."""
    return "".join(c if c.isprintable() else repr(c)[1:-1] for c in text)
