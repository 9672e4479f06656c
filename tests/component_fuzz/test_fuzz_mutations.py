"""Property 3: valid arguments with one argument breaking one documented rule are refused, naming it."""

from __future__ import annotations

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st

from compliant_cloudtrail.component import InvalidArgumentError
from compliant_cloudtrail.component.validation import validate_args

from .clear_errors import assert_clear
from .mutations import MUTATIONS, Mutation
from .valid_args import mutation_bases


@pytest.mark.parametrize("mutation", MUTATIONS, ids=[m.id for m in MUTATIONS])
@settings(deadline=None, max_examples=10, suppress_health_check=[HealthCheck.too_slow],
          phases=[phase for phase in Phase if phase is not Phase.explain])
@given(data=st.data())
def test_breaking_one_rule_is_refused_naming_that_argument(mutation: Mutation, data: st.DataObject) -> None:
    component, valid = data.draw(mutation_bases(), label="valid component and args")
    args = mutation.apply(valid, data.draw(mutation.values, label="bad value"))
    with pytest.raises(InvalidArgumentError) as raised:
        validate_args(component, args)
    assert raised.value.argument == mutation.argument, str(raised.value)
    assert_clear(raised.value, component, args)


def test_mutation_ids_are_unique() -> None:
    # Two families under one id would hide each other in the report.
    ids = [m.id for m in MUTATIONS]
    assert len(ids) == len(set(ids))
