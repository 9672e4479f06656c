"""The parsed form of a JSON filter pattern: a small immutable tree, compiled once by ``evaluate``."""

from __future__ import annotations

from typing import Literal, NamedTuple

# NamedTuple rather than dataclasses: importing dataclasses pulls in inspect (about 7 ms) and this
# package must load fast inside the policy pack. Nodes are told apart by isinstance, never by ==,
# since two NamedTuples with equal fields compare equal whatever their class.

# A selector step is a property name (``.name``) or an array index (``[0]``).
Step = str | int

Operator = Literal["=", "!=", "<", ">", "<=", ">="]
Check = Literal["IS NULL", "IS TRUE", "IS FALSE", "NOT EXISTS"]


class Selector(NamedTuple):
    steps: tuple[Step, ...]
    text: str


class TextValue(NamedTuple):
    """A quoted or unquoted string compared with ``=`` / ``!=``; ``*`` is a wildcard unless escaped."""

    pattern: tuple[str | None, ...]  # literal runs, with None standing for one wildcard ``*``
    text: str


class NumberValue(NamedTuple):
    """An unquoted number; it can also equal a JSON string spelling the same text."""

    number: int | float
    text: str


class RegexValue(NamedTuple):
    regex: str


Value = TextValue | NumberValue | RegexValue


class Comparison(NamedTuple):
    selector: Selector
    operator: Operator
    value: Value


class Test(NamedTuple):
    selector: Selector
    check: Check


class And(NamedTuple):
    parts: tuple[Node, ...]


class Or(NamedTuple):
    parts: tuple[Node, ...]


Node = Comparison | Test | And | Or
