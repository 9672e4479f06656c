"""Property 5: the real component, run under the project's mock runtime, with fuzzed arguments."""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import HealthCheck, Phase, given, settings
from hypothesis import strategies as st
from pulumi.runtime import MockCallArgs

from compliant_cloudtrail.check.mock_runtime import AwsMocks, mocked_stack
from compliant_cloudtrail.component import CompliantTrail, InvalidArgumentError

from .mutations import MUTATIONS
from .valid_args import ValidCase, mutation_bases, valid_cases

AWS: dict[str, Any] = {"account_id": "111122223333", "region": "eu-west-1", "partition": "aws",
                       "organization_id": "o-a1b2c3d4e5"}


class DelegatedAdministratorMocks(AwsMocks):
    """The deploying account is a registered CloudTrail delegated administrator: a drawn
    organization_management_account_id other than it makes the component ask (organization.py)."""

    def call(self, args: MockCallArgs) -> tuple[dict, list[tuple[str, str]]]:
        if args.token == "aws:organizations/getDelegatedAdministrators:getDelegatedAdministrators":
            return {"id": "x", "delegatedAdministrators": [{"id": self.account_id}]}, []
        return super().call(args)


SLOW = settings(deadline=None, max_examples=12, suppress_health_check=[HealthCheck.too_slow],
                phases=[phase for phase in Phase if phase is not Phase.explain])


@SLOW
@given(data=st.data())
def test_bad_arguments_stop_the_program_before_anything_is_registered(data: st.DataObject) -> None:
    mutation = data.draw(st.sampled_from(MUTATIONS), label="mutation")
    # Outputs are left out: they would be created outside the mocked run that awaits them.
    component, valid = data.draw(mutation_bases(outputs=False), label="valid component and args")
    args = mutation.apply(valid, data.draw(mutation.values, label="bad value"))
    with mocked_stack(**AWS) as monitor, pytest.raises(InvalidArgumentError) as raised:
        CompliantTrail(component, args)  # type: ignore[arg-type]
    assert raised.value.argument == mutation.argument, str(raised.value)
    assert [r.type for r in monitor.resources if not r.is_stack] == []


@settings(SLOW, max_examples=4)
@given(case=valid_cases(outputs=False))
def test_valid_arguments_build_the_trail_they_name(case: ValidCase) -> None:
    # A brought key or topic must be in the trail's region (checked at construction, with the provider's region):
    # the drawn ARNs get the mocked region.
    args = {key: _in_region(value, AWS["region"]) if key in ("kms_key_arn", "existing_alarm_topic_arn") else value
            for key, value in case.args.items()}
    with mocked_stack(mocks=DelegatedAdministratorMocks(**AWS)) as monitor:
        CompliantTrail(case.component, args)  # type: ignore[arg-type]
    trails = monitor.by_type("aws:cloudtrail/trail:Trail")
    assert [trail.inputs["name"] for trail in trails] == [case.expected["trail_name"]]


def _in_region(arn: Any, region: str) -> Any:
    if not isinstance(arn, str):
        return arn
    parts = arn.split(":")
    return ":".join([*parts[:3], region, *parts[4:]])
