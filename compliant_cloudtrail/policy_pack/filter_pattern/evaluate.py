"""Compiles a parsed JSON pattern into nested closures, so an event costs no parsing or regex compiling."""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from typing import Any

from .nodes import And, Comparison, Node, NumberValue, Or, RegexValue, Step, Test, TextValue
from .wildcard import Wildcard, matches

Predicate = Callable[[Any], bool]
Scalar = Callable[[Any], bool]


class _Missing:
    """Marks a selector that resolves to nothing, which is not the same as JSON null."""

    __slots__ = ()


MISSING: Any = _Missing()


def compile_node(node: Node) -> Predicate:
    if isinstance(node, Or):
        return _compile_or(node)
    if isinstance(node, And):
        parts = tuple(compile_node(part) for part in node.parts)
        return lambda doc: all(part(doc) for part in parts)
    resolve = resolver(node.selector.steps)
    test = _scalar_test(node)
    return lambda doc: test(resolve(doc))


def resolver(steps: tuple[Step, ...]) -> Callable[[Any], Any]:
    def resolve(doc: Any) -> Any:
        for step in steps:
            if isinstance(step, str):
                if type(doc) is not dict:
                    return MISSING
                doc = doc.get(step, MISSING)
                if doc is MISSING:
                    return MISSING
            elif type(doc) is list and step < len(doc):
                doc = doc[step]
            else:
                return MISSING
        return doc

    return resolve


def _compile_or(node: Or) -> Predicate:
    """Folds ``$.x = A || $.x = B || ...`` (the shape of most CIS filters) into one set lookup."""
    literal_sets: dict[tuple[Step, ...], set[str]] = {}
    others: list[Node] = []
    for part in node.parts:
        if _is_plain_equality(part):
            assert isinstance(part, Comparison) and isinstance(part.value, TextValue)
            literal = "".join(p for p in part.value.pattern if p is not None)
            literal_sets.setdefault(part.selector.steps, set()).add(literal)
        else:
            others.append(part)
    compiled: list[Predicate] = [_member_of(steps, frozenset(values)) for steps, values in literal_sets.items()]
    compiled.extend(compile_node(part) for part in others)
    parts = tuple(compiled)
    return lambda doc: any(part(doc) for part in parts)


def _is_plain_equality(node: Node) -> bool:
    return (
        isinstance(node, Comparison)
        and node.operator == "="
        and isinstance(node.value, TextValue)
        and None not in node.value.pattern
    )


def _member_of(steps: tuple[Step, ...], values: frozenset[str]) -> Predicate:
    resolve = resolver(steps)

    def member(doc: Any) -> bool:
        text = _text_of(resolve(doc))
        return text is not None and text in values

    return member


def _text_of(value: Any) -> str | None:
    """The text a string comparison sees: strings as they are, numbers as JSON writes them.

    null, booleans, objects, arrays and absent properties have no text, so every string
    comparison on them is false, ``!=`` included.
    """
    if type(value) is str:
        return value
    if type(value) in (int, float):
        return json.dumps(value)
    return None


def _scalar_test(node: Comparison | Test) -> Scalar:
    if isinstance(node, Test):
        return _CHECKS[node.check]
    value, operator = node.value, node.operator
    if isinstance(value, NumberValue):
        return _number_test(operator, value)
    if isinstance(value, RegexValue):
        search = re.compile(value.regex).search
        return _text_test(operator, lambda text: search(text) is not None)
    return _text_test(operator, glob_matcher(value.pattern))


def _text_test(operator: str, matches: Callable[[str], bool]) -> Scalar:
    def equal(value: Any) -> bool:
        text = _text_of(value)
        return text is not None and matches(text)

    def not_equal(value: Any) -> bool:
        text = _text_of(value)
        return text is not None and not matches(text)

    return equal if operator == "=" else not_equal


_RELATIONS: dict[str, Callable[[float, float], bool]] = {
    "=": lambda a, b: a == b,
    "!=": lambda a, b: a != b,
    "<": lambda a, b: a < b,
    ">": lambda a, b: a > b,
    "<=": lambda a, b: a <= b,
    ">=": lambda a, b: a >= b,
}


def _number_test(operator: str, value: NumberValue) -> Scalar:
    relation = _RELATIONS[operator]
    number, text = value.number, value.text

    def test(actual: Any) -> bool:
        kind = type(actual)
        if kind is int or kind is float:  # bool is excluded on purpose: JSON true is not 1
            return relation(actual, number)
        if kind is str and operator in ("=", "!="):
            # A JSON string spelling the number, e.g. recipientAccountId "123456789012".
            return (actual == text) == (operator == "=")
        return False

    return test


def glob_matcher(pattern: tuple[str | None, ...]) -> Callable[[str], bool]:
    """Whole-value match where each None in ``pattern`` is any run of characters."""
    if None not in pattern:
        literal = "".join(p for p in pattern if p is not None)
        return lambda text: text == literal
    if pattern == (None,):
        return lambda text: True
    if len(pattern) == 2 and pattern[0] is None and pattern[1] is not None:
        suffix = pattern[1]
        return lambda text: text.endswith(suffix)
    if len(pattern) == 2 and pattern[1] is None and pattern[0] is not None:
        prefix = pattern[0]
        return lambda text: text.startswith(prefix)
    # Not a regex: ".*" runs backtrack exponentially on patterns with many wildcards.
    parts = tuple(Wildcard.ANY_RUN if part is None else part for part in pattern)
    return lambda text: matches(parts, text)


_CHECKS: dict[str, Scalar] = {
    "IS NULL": lambda value: value is None,
    "IS TRUE": lambda value: value is True,
    "IS FALSE": lambda value: value is False,
    "NOT EXISTS": lambda value: value is MISSING,
}
