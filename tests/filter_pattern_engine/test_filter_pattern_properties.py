"""Property tests: no input makes the engine raise anything but FilterPatternError, and on generated
(pattern, event) pairs it agrees with a small reference evaluator written separately below.

The reference works on the generated tree directly (no parsing, no regex), so a disagreement means
the parser, the precedence rules or the compiled evaluation is wrong.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from hypothesis import given, settings
from hypothesis import strategies as st

from compliant_cloudtrail.policy_pack.filter_pattern import FilterPatternError, parse

SETTINGS = settings(max_examples=300, deadline=None)

# ---- the generated tree -------------------------------------------------------------------------

Path = tuple[str | int, ...]


@dataclass(frozen=True)
class TextCondition:
    path: Path
    negate: bool
    pattern: tuple[str | None, ...]  # None is a wildcard


@dataclass(frozen=True)
class NumberCondition:
    path: Path
    operator: str
    literal: str


@dataclass(frozen=True)
class CheckCondition:
    path: Path
    check: str


@dataclass(frozen=True)
class AllOf:
    parts: tuple[Any, ...]


@dataclass(frozen=True)
class AnyOf:
    parts: tuple[Any, ...]


KEYS = ["a", "b", "c"]
paths = st.lists(st.one_of(st.sampled_from(KEYS), st.integers(0, 2)), min_size=0, max_size=2).map(
    lambda rest: tuple(["a", *rest]) if not rest or isinstance(rest[0], int) else ("b", *rest)
)
text_patterns = st.lists(
    st.one_of(st.none(), st.sampled_from(["a", "b", "1", "a b", "x.y", "-"])), max_size=3
).map(tuple)
number_literals = st.sampled_from(["0", "1", "-1", "+3", "2.5", "-2.5", "1e1", "10E-1", ".5"])
conditions = st.one_of(
    st.builds(TextCondition, paths, st.booleans(), text_patterns),
    st.builds(NumberCondition, paths, st.sampled_from(["=", "!=", "<", ">", "<=", ">="]), number_literals),
    st.builds(CheckCondition, paths, st.sampled_from(["IS NULL", "IS TRUE", "IS FALSE", "NOT EXISTS"])),
)
trees = st.recursive(
    conditions,
    lambda inner: st.one_of(
        st.lists(inner, min_size=2, max_size=3).map(lambda parts: AllOf(tuple(parts))),
        st.lists(inner, min_size=2, max_size=3).map(lambda parts: AnyOf(tuple(parts))),
    ),
    max_leaves=6,
)

scalars = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(-3, 12),
    st.sampled_from([2.5, -2.5, 0.5, 10.0]),
    st.sampled_from(["a", "b", "1", "a b", "x.y", "ab", "ba", "-", "", "aa b"]),
)
json_values = st.recursive(
    scalars,
    lambda inner: st.one_of(
        st.lists(inner, max_size=3), st.dictionaries(st.sampled_from(KEYS), inner, max_size=3)
    ),
    max_leaves=8,
)
# "a" is always there so that most generated selectors reach a value and verdicts are mixed.
events = st.fixed_dictionaries({"a": json_values}, optional={"b": json_values, "c": json_values})

# ---- rendering the tree as pattern text -----------------------------------------------------------

_LOOKS_NUMERIC = re.compile(r"[+-]?(\d+(\.\d*)?|\.\d+)([eE][+-]?\d+)?")


def render_path(path: Path) -> str:
    return "$" + "".join(f"[{step}]" if isinstance(step, int) else f".{step}" for step in path)


def render_text(pattern: tuple[str | None, ...], bare: bool) -> str:
    raw = "".join("*" if part is None else part for part in pattern)
    unquotable = raw and re.fullmatch(r"[A-Za-z0-9_.*+\-]+", raw) and not _LOOKS_NUMERIC.fullmatch(raw)
    if bare and unquotable:
        return raw
    return '"' + raw + '"'


def render(node: Any, bare: bool, in_and: bool = False) -> str:
    if isinstance(node, TextCondition):
        return f"{render_path(node.path)} {'!=' if node.negate else '='} {render_text(node.pattern, bare)}"
    if isinstance(node, NumberCondition):
        return f"{render_path(node.path)} {node.operator} {node.literal}"
    if isinstance(node, CheckCondition):
        return f"{render_path(node.path)} {node.check}"
    if isinstance(node, AllOf):
        return " && ".join(render(part, bare, in_and=True) for part in node.parts)
    # An OR inside an AND needs parentheses; elsewhere precedence alone must give the right tree.
    joined = " || ".join(render(part, bare) for part in node.parts)
    return f"({joined})" if in_and else joined


# ---- the reference evaluator ---------------------------------------------------------------------

ABSENT = object()


def lookup(event: Any, path: Path) -> Any:
    node = event
    for step in path:
        if isinstance(step, int):
            if not isinstance(node, list) or step >= len(node):
                return ABSENT
        elif not isinstance(node, dict) or step not in node:
            return ABSENT
        node = node[step]
    return node


def is_number(value: Any) -> bool:
    return isinstance(value, (int, float)) and not isinstance(value, bool)


def wildcard_match(pattern: tuple[str | None, ...], text: str) -> bool:
    if not pattern:
        return text == ""
    head, rest = pattern[0], pattern[1:]
    if head is None:
        return any(wildcard_match(rest, text[cut:]) for cut in range(len(text) + 1))
    return text.startswith(head) and wildcard_match(rest, text[len(head) :])


def reference(node: Any, event: Any) -> bool:
    if isinstance(node, AllOf):
        return all(reference(part, event) for part in node.parts)
    if isinstance(node, AnyOf):
        return any(reference(part, event) for part in node.parts)
    value = lookup(event, node.path)
    if isinstance(node, CheckCondition):
        return {
            "IS NULL": value is None,
            "IS TRUE": value is True,
            "IS FALSE": value is False,
            "NOT EXISTS": value is ABSENT,
        }[node.check]
    if isinstance(node, TextCondition):
        if isinstance(value, str):
            text = value
        elif is_number(value):
            text = json.dumps(value)
        else:
            return False
        return wildcard_match(node.pattern, text) != node.negate
    number = float(node.literal)
    if is_number(value):
        return {
            "=": value == number,
            "!=": value != number,
            "<": value < number,
            ">": value > number,
            "<=": value <= number,
            ">=": value >= number,
        }[node.operator]
    if isinstance(value, str) and node.operator in ("=", "!="):
        return (value == node.literal) == (node.operator == "=")
    return False


# ---- the properties ----------------------------------------------------------------------------

plain_equalities = st.builds(
    TextCondition, paths, st.just(False), st.sampled_from(["a", "b", "1", "ab"]).map(lambda text: (text,))
)


@SETTINGS
@given(st.lists(plain_equalities, min_size=2, max_size=6), events)
def test_long_ors_of_equalities_agree_with_the_reference(
    parts: list[TextCondition], event: dict[str, Any]
) -> None:
    # Catalog filters are mostly this shape, which the engine folds into set lookups.
    tree = AnyOf(tuple(parts))
    text = "{ " + render(tree, bare=True) + " }"
    assert parse(text).matches(event) is reference(tree, event), text


PATTERN_ALPHABET = st.sampled_from(list('{}()$.[]0123456789ab =!<>&|"%*-?\\ \tINSULTREXF'))


@SETTINGS
@given(st.one_of(st.text(PATTERN_ALPHABET, max_size=40), st.text(max_size=40)), events)
def test_any_text_either_parses_or_raises_filter_pattern_error(text: str, event: dict[str, Any]) -> None:
    try:
        pattern = parse(text)
    except FilterPatternError as error:
        assert error.position is None or 0 <= error.position <= len(text)
        assert str(error).startswith("expected")
        return
    assert isinstance(pattern.matches(event), bool)
    assert isinstance(pattern.matches(json.dumps(event)), bool)


@SETTINGS
@given(trees, events, st.booleans())
def test_engine_agrees_with_the_reference_evaluator(tree: Any, event: dict[str, Any], bare: bool) -> None:
    text = "{ " + render(tree, bare) + " }"
    assert parse(text).matches(event) is reference(tree, event), text


@SETTINGS
@given(trees, events)
def test_a_json_line_and_its_parsed_object_get_the_same_verdict(tree: Any, event: dict[str, Any]) -> None:
    pattern = parse("{ " + render(tree, bare=False) + " }")
    assert pattern.matches(json.dumps(event)) is pattern.matches(event)


@SETTINGS
@given(
    st.lists(st.sampled_from(["ERROR", "WARN", "a_1", '"x y"', '"[ERROR]"']), max_size=4),
    st.lists(st.sampled_from(["ERROR", "WARN", "x y", "[ERROR]", "a_1", "zzz"]), max_size=5),
)
def test_plain_terms_match_exactly_when_every_term_appears(terms: list[str], words: list[str]) -> None:
    line = " ".join(words)
    expected = all(term.strip('"') in line for term in terms)
    assert parse(" ".join(terms)).matches(line) is expected
