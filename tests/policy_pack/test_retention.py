"""cloudwatch-log-group-retain-cloudtrail-logs (Security Hub CloudWatch.16): the trail's log group keeps
events at least minimumRetentionDays (365 by default); 0 or unset means never expire, which passes."""

from __future__ import annotations

from typing import Any

import pytest
from cloudtrail_stack import compliant_stack, replace
from policy_sdk_inputs import UNKNOWN_STRING, Reports, StackResource, analyze_stack_through_sdk, stack_args, urn_of

from compliant_cloudtrail.policy_pack.policies.retention import RETAIN_CLOUDTRAIL_LOGS, validate_retention

GROUP_URN = urn_of("aws:cloudwatch/logGroup:LogGroup", "audit-logs")


def run(resources: list[StackResource], config: dict[str, Any] | None = None) -> Reports:
    reports = Reports()
    validate_retention(stack_args(resources, config), reports)
    return reports


@pytest.mark.parametrize("days", [365, 400, 3653, 0, None])
def test_retention_of_a_year_or_more_or_never_expiring_passes(days: int | None) -> None:
    stack = replace(compliant_stack(), "audit-logs", retentionInDays=days)
    assert run(stack).calls == [], f"{GROUP_URN} with retentionInDays={days}"


@pytest.mark.parametrize("days", [1, 30, 364])
def test_retention_below_a_year_is_reported_on_the_log_group(days: int) -> None:
    reports = run(replace(compliant_stack(), "audit-logs", retentionInDays=days))
    assert len(reports.calls) == 1, f"{GROUP_URN} with retentionInDays={days}: {reports.calls}"
    message, urn = reports.calls[0]
    assert urn == GROUP_URN
    assert f"keeps events {days} days" in message and "at least 365 days" in message, message
    assert 'CloudTrail trail "audit-trail"' in message, message


def test_minimum_is_configurable() -> None:
    stack = replace(compliant_stack(), "audit-logs", retentionInDays=90)
    assert run(stack, {"minimumRetentionDays": 90}).calls == []
    assert len(run(stack, {"minimumRetentionDays": 91}).calls) == 1


def test_minimum_arrives_as_a_float_through_the_sdk_config() -> None:
    stack = replace(compliant_stack(), "audit-logs", retentionInDays=90)
    assert analyze_stack_through_sdk(RETAIN_CLOUDTRAIL_LOGS, stack, {"minimumRetentionDays": 90}) == []
    assert len(analyze_stack_through_sdk(RETAIN_CLOUDTRAIL_LOGS, stack, {"minimumRetentionDays": 120})) == 1


def test_delivery_class_log_group_is_reported() -> None:
    reports = run(replace(compliant_stack(), "audit-logs", logGroupClass="DELIVERY"))
    assert len(reports.calls) == 1 and "DELIVERY" in reports.messages[0], reports.calls


def test_unknown_retention_is_silent_through_the_sdk() -> None:
    stack = replace(compliant_stack(), "audit-logs", retentionInDays=UNKNOWN_STRING)
    assert analyze_stack_through_sdk(RETAIN_CLOUDTRAIL_LOGS, stack) == []


def test_log_groups_that_no_trail_uses_are_not_checked() -> None:
    stack = [
        *compliant_stack(),
        StackResource("aws:cloudwatch/logGroup:LogGroup", "app-logs", {"name": "app", "retentionInDays": 7}),
    ]
    assert run(stack).calls == []
