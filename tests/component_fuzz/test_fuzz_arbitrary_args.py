"""Property 1: whatever the args are, validate_args returns TrailSettings or raises its own clear error."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from compliant_cloudtrail.component import InvalidArgumentError

from .arbitrary import CONTEXTS, KNOWN_ARGUMENTS, SHAPES, argument_values, hashables, values
from .clear_errors import validate_or_refuse

FUZZ = settings(deadline=None, max_examples=60,
                suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large])


def test_every_argument_has_a_fuzz_shape() -> None:
    # A new argument must get a shaped strategy, or its deep checks would go unfuzzed.
    assert set(SHAPES) == set(KNOWN_ARGUMENTS)


@pytest.mark.parametrize("argument", KNOWN_ARGUMENTS)
@FUZZ
@given(data=st.data())
def test_any_value_of_one_argument_gives_settings_or_a_clear_error(argument: str, data: st.DataObject) -> None:
    context = data.draw(st.sampled_from([c for c in CONTEXTS if argument not in c]), label="context")
    validate_or_refuse("audit", {**context, argument: data.draw(argument_values(argument), label=argument)})


@FUZZ
@given(args=st.fixed_dictionaries({}, optional={argument: argument_values(argument) for argument in KNOWN_ARGUMENTS}))
def test_any_values_of_many_arguments_give_settings_or_a_clear_error(args: dict[str, Any]) -> None:
    validate_or_refuse("audit", args)


@FUZZ
@given(args=st.dictionaries(hashables, values, max_size=4))
def test_any_keys_give_settings_or_a_clear_error(args: dict[Any, Any]) -> None:
    outcome = validate_or_refuse("audit", args)
    unknown = [key for key in args if key not in KNOWN_ARGUMENTS]
    if unknown:
        assert isinstance(outcome, InvalidArgumentError), f"unknown arguments {unknown!r} were accepted"


@FUZZ
@given(args=st.one_of(values, st.lists(st.tuples(st.sampled_from(KNOWN_ARGUMENTS), values), max_size=3)).filter(
    lambda args: not isinstance(args, Mapping) and args is not None))
def test_args_that_are_not_a_mapping_are_refused_as_args(args: Any) -> None:
    outcome = validate_or_refuse("audit", args)
    assert isinstance(outcome, InvalidArgumentError) and outcome.argument == "args"
