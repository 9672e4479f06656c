"""Integers from other languages arrive as floats (every number in a protobuf Struct is a double, and pulumi
3.272's ComponentProvider overwrites its own int() conversion): whole ones are ints, others are refused."""

from __future__ import annotations

import math

import pytest

from compliant_cloudtrail.component import InvalidArgumentError
from compliant_cloudtrail.component.validation import validate_args


@pytest.mark.parametrize(("argument", "value"), [
    ("retention_in_days", 731.0),
    ("noncurrent_version_expiration_days", 90.0),
    ("log_expiration_days", 3653.0),
])
def test_a_whole_float_is_kept_as_an_int(argument: str, value: float) -> None:
    kept = getattr(validate_args("audit", {argument: value}), argument)
    assert kept == value and type(kept) is int


def test_whole_float_object_lock_days_are_kept_as_an_int() -> None:
    lock = validate_args("audit", {"object_lock": {"mode": "COMPLIANCE", "days": 30.0}}).object_lock
    assert lock is not None and lock.days == 30 and type(lock.days) is int


@pytest.mark.parametrize("value", [731.5, 0.1, math.nan, math.inf, -math.inf])
@pytest.mark.parametrize("argument", ["retention_in_days", "noncurrent_version_expiration_days",
                                      "log_expiration_days"])
def test_a_float_that_is_not_whole_is_refused_naming_the_argument(argument: str, value: float) -> None:
    with pytest.raises(InvalidArgumentError) as raised:
        validate_args("audit", {argument: value})
    assert raised.value.argument == argument
    assert "expected int" in str(raised.value)


@pytest.mark.parametrize("days", [30.5, math.nan, math.inf])
def test_object_lock_days_that_are_not_whole_are_refused(days: float) -> None:
    with pytest.raises(InvalidArgumentError) as raised:
        validate_args("audit", {"object_lock": {"mode": "COMPLIANCE", "days": days}})
    assert raised.value.argument == "object_lock.days"
