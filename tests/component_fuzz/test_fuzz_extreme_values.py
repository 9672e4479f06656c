"""Inputs random generation rarely reaches: values too big to fuzz cheaply or that Python itself cannot
print (placed in every argument in turn), and patterns and keys that trip Python underneath the validator.

Deterministic on purpose: each run lists every argument such a value breaks, not only the first.
"""

from __future__ import annotations

from collections.abc import Hashable
from typing import Any

import pytest

from .arbitrary import KNOWN_ARGUMENTS
from .clear_errors import validate_or_refuse

MEGABYTE = 1_000_000


class ReprRaises:
    def __repr__(self) -> str:
        raise RuntimeError("this object cannot be printed")


def _nested_list(depth: int) -> list[Any]:
    nested: list[Any] = []
    for _ in range(depth):
        nested = [nested]
    return nested


HUGE_STRINGS: dict[str, str] = {
    "1 MB of one letter": "x" * MEGABYTE,
    "1 MB of lines": "line\n" * (MEGABYTE // 5),
    "1 MB of opening parentheses": "{ " + "(" * MEGABYTE,
}
# Python's own repr() fails on these: int-to-str is capped at 4300 digits since 3.11, deep nesting
# exhausts the recursion limit, and a user's __repr__ may raise.
UNPRINTABLE: dict[str, Any] = {
    "int of 5001 digits": 10**5000,
    "negative int of 5001 digits": -(10**5000),
    "list nested 100000 deep": _nested_list(100_000),
    "object whose repr raises": ReprRaises(),
}


def _assert_all_clear(component: str, argument_sets: dict[str, Any]) -> None:
    failures = []
    for where, args in argument_sets.items():
        try:
            validate_or_refuse(component, args)
        except Exception as error:  # collected, so one run lists every argument it breaks
            failures.append(f"{where}: {type(error).__name__}: {str(error)[:200]}")
    if failures:
        pytest.fail(f"{len(failures)} of {len(argument_sets)} placements fail:\n" + "\n".join(failures))


def _in_every_position(value: Any) -> dict[str, Any]:
    """The value as each argument, inside each list argument, as each custom filter field, and as a key."""
    sets: dict[str, Any] = {argument: {argument: value} for argument in KNOWN_ARGUMENTS}
    for argument in ("alarm_emails", "insight_types", "cis_profiles", "disabled_cis_items", "custom_filters",
                     "alarm_subscriptions", "advanced_event_selectors"):
        sets[f"{argument}[0]"] = {argument: [value]}
    for key in ("name", "pattern", "description"):
        sets[f"custom_filters[0].{key}"] = {"custom_filters": [{"name": "custom-x", "pattern": "ERROR", key: value}]}
    sets["alarm_subscriptions[0].endpoint"] = {"alarm_subscriptions": [{"protocol": "email", "endpoint": value}]}
    sets["object_lock.days"] = {"object_lock": {"mode": "GOVERNANCE", "days": value}}
    if isinstance(value, Hashable):
        sets["an unknown argument's name"] = {value: 1}
        sets["a custom filter's unknown key"] = {"custom_filters": [{"name": "custom-x", "pattern": "ERROR",
                                                                     value: 1}]}
    return sets


@pytest.mark.parametrize("label", HUGE_STRINGS)
def test_megabyte_strings_give_settings_or_a_short_one_line_error(label: str) -> None:
    _assert_all_clear("audit", _in_every_position(HUGE_STRINGS[label]))


@pytest.mark.parametrize("label", HUGE_STRINGS)
def test_a_megabyte_component_name_gives_a_short_one_line_error(label: str) -> None:
    _assert_all_clear(HUGE_STRINGS[label], {"no arguments": {}, "everything named": {
        "trail_name": "audit", "bucket_name": "audit-logs"}})


@pytest.mark.parametrize("label", UNPRINTABLE)
def test_values_repr_cannot_print_give_settings_or_a_clear_error(label: str) -> None:
    _assert_all_clear("audit", _in_every_position(UNPRINTABLE[label]))


# Custom filter patterns within AWS's 1024 characters that the filter-pattern engine hands on to Python:
# nesting deeper than the recursion limit allows, and a repetition count `re` refuses with OverflowError.
ENGINE_EDGE_PATTERNS: dict[str, str] = {
    "500 nested parentheses": "{" + "(" * 500 + "$.a=1" + ")" * 500 + "}",
    "term regex repeated 2**32 times": "%a{4294967296}%",
    "JSON regex repeated 2**32 times": "{ $.eventName = %a{4294967296}% }",
}


@pytest.mark.parametrize("label", ENGINE_EDGE_PATTERNS)
def test_patterns_python_chokes_on_give_settings_or_a_clear_error(label: str) -> None:
    validate_or_refuse("audit", {"custom_filters": [{"name": "custom-x", "pattern": ENGINE_EDGE_PATTERNS[label]}]})


def test_a_custom_filter_with_unknown_keys_of_mixed_types_gives_a_clear_error() -> None:
    # Random dicts rarely hold two unknown keys whose types cannot be ordered, so this one is spelled out.
    validate_or_refuse("audit", {"custom_filters": [{"name": "custom-x", "pattern": "ERROR", 1: "a", "b": 2}]})
