"""The stack policies do work proportional to the stack, not to its square.

A landing zone holds thousands of resources; a validator that scans the stack once per trail made
AnalyzeStack quadratic (measured in benchmarks/). Time is not asserted here: the tests count the Python lines
the validators execute, which is deterministic, on stacks of N and 2N independent trails.
"""

from __future__ import annotations

import sys
from collections.abc import Callable
from types import FrameType
from typing import Any

import pytest
from cloudtrail_stack import ACCOUNT, REGION, compliant_stack, delivery_policy
from policy_sdk_inputs import Reports, StackResource, stack_args

from compliant_cloudtrail.policy_pack.policies.retention import validate_retention
from compliant_cloudtrail.policy_pack.policies.stack_coverage import validate_alarm_on_cis_events

# Linear work doubles with the stack; a per-trail scan of the stack (seen: 3.1x) exceeds this at these sizes.
LINEAR_BOUND = 2.3
SMALL, LARGE = 12, 24


def _tenant(index: int) -> list[StackResource]:
    """The compliant stack's trail, log group, role, role policy, filters and alarms, renamed for tenant ``index``."""
    group_name = f"/aws/cloudtrail/audit-{index}"
    group_arn = f"arn:aws:logs:{REGION}:{ACCOUNT}:log-group:{group_name}"
    role_name = f"audit-delivery-{index}"
    role_arn = f"arn:aws:iam::{ACCOUNT}:role/{role_name}"
    namespace = f"CISBenchmark{index}"
    tenant = []
    for r in compliant_stack():
        props: dict[str, Any] = dict(r.props)
        if "logGroupName" in props:
            props["logGroupName"] = group_name
        if "metricTransformation" in props:
            props["metricTransformation"] = {**props["metricTransformation"], "namespace": namespace}
        if "namespace" in props:
            props["namespace"] = namespace
        if r.type.endswith("logGroup:LogGroup"):
            props.update(name=group_name, arn=group_arn)
        if r.type.endswith("role:Role"):
            props.update(name=role_name, arn=role_arn)
        if r.type.endswith("rolePolicy:RolePolicy"):
            props.update(role=role_name, policy=delivery_policy(f"{group_arn}:log-stream:*"))
        if r.type.endswith("trail:Trail"):
            props.update(name=f"audit-{index}", cloudWatchLogsGroupArn=f"{group_arn}:*", cloudWatchLogsRoleArn=role_arn)
        tenant.append(StackResource(r.type, f"{r.name}-{index}", props))
    return tenant


def _lines_executed(validate: Callable[[Any, Reports], None], tenants: int) -> tuple[int, Reports]:
    resources = [r for index in range(tenants) for r in _tenant(index)]
    args = stack_args(resources)
    reports = Reports()
    lines = 0

    def trace(frame: FrameType, event: str, arg: Any) -> Any:
        nonlocal lines
        if event == "line":
            lines += 1
        return trace

    sys.settrace(trace)
    try:
        validate(args, reports)
    finally:
        sys.settrace(None)
    return lines, reports


@pytest.mark.parametrize("validate", [validate_alarm_on_cis_events, validate_retention])
def test_stack_validation_work_grows_linearly_with_the_stack(validate: Callable[[Any, Reports], None]) -> None:
    _lines_executed(validate, 1)  # loads the probe events and fills the pattern cache: one-off work
    small, small_reports = _lines_executed(validate, SMALL)
    large, large_reports = _lines_executed(validate, LARGE)
    # Every tenant is compliant: the work measured is the checking, not the reporting.
    assert small_reports.calls == [] and large_reports.calls == []
    assert large / small <= LINEAR_BOUND, f"{small} lines for {SMALL} trails, {large} for {LARGE}"
