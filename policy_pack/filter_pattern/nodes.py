"""The parsed form of a JSON filter pattern: a small immutable tree, compiled once by ``evaluate``."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Literal

# A selector step is a property name (``.name``) or an array index (``[0]``).
Step = str | int

Operator = Literal["=", "!=", "<", ">", "<=", ">="]
Check = Literal["IS NULL", "IS TRUE", "IS FALSE", "NOT EXISTS"]


@dataclass(frozen=True)
class Selector:
    steps: tuple[Step, ...]
    text: str


@dataclass(frozen=True)
class TextValue:
    """A quoted or unquoted string compared with ``=`` / ``!=``; ``*`` is a wildcard unless escaped."""

    pattern: tuple[str | None, ...]  # literal runs, with None standing for one wildcard ``*``
    text: str


@dataclass(frozen=True)
class NumberValue:
    """An unquoted number; it can also equal a JSON string spelling the same text."""

    number: int | float
    text: str


@dataclass(frozen=True)
class RegexValue:
    regex: str


Value = TextValue | NumberValue | RegexValue


@dataclass(frozen=True)
class Comparison:
    selector: Selector
    operator: Operator
    value: Value


@dataclass(frozen=True)
class Test:
    selector: Selector
    check: Check


@dataclass(frozen=True)
class And:
    parts: tuple[Node, ...]


@dataclass(frozen=True)
class Or:
    parts: tuple[Node, ...]


Node = Comparison | Test | And | Or
