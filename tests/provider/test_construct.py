"""Construct over gRPC, with inputs as a TypeScript or YAML program sends them: camelCase names, and every
number a float (protobuf ``Struct`` holds numbers as doubles), in an update and in a preview."""

from __future__ import annotations

from typing import Any

import grpc
import pytest
from google.protobuf import json_format
from pulumi.runtime.proto import errors_pb2, status_pb2

from compliant_cloudtrail.check.mock_runtime import UNKNOWN

from .fake_engine import FakeMonitor, monitor_serving
from .provider_process import TYPE_TOKEN, RunningProvider

TRAIL = "aws:cloudtrail/trail:Trail"
LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup"
LOCK = "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration"

FROM_TYPESCRIPT: dict[str, Any] = {
    "retentionInDays": 731.0,
    "alarmEmails": ["secops@example.com"],
    "objectLock": {"mode": "GOVERNANCE", "days": 365.0},
    "customFilters": [{"name": "AccessKeyCreated", "pattern": '{ $.eventName = "CreateAccessKey" }'}],
    "advancedEventSelectors": [{"name": "S3 object writes", "fieldSelectors": [
        {"field": "eventCategory", "equals": ["Data"]}, {"field": "resources.type", "equals": ["AWS::S3::Object"]},
        {"field": "readOnly", "equals": ["false"]}]}],
    "tags": {"owner": "security"},
}


def construct(provider: RunningProvider, inputs: dict[str, Any], *, preview: bool) -> tuple[Any, FakeMonitor]:
    monitor = FakeMonitor(preview=preview)
    with monitor_serving(monitor) as address:
        response = provider.construct(inputs, monitor_address=address, preview=preview)
    return response, monitor


def refusal(provider: RunningProvider, inputs: dict[str, Any]) -> grpc.RpcError:
    monitor = FakeMonitor(preview=True)
    with monitor_serving(monitor) as address, pytest.raises(grpc.RpcError) as raised:
        provider.construct(inputs, monitor_address=address, preview=True)
    assert not [r for r in monitor.registrations if r.custom], "a refused component must register no resource"
    return raised.value


def property_errors(error: grpc.RpcError) -> dict[str, str]:
    """The per-property reasons the CLI prints for an INVALID_ARGUMENT (InputPropertiesError status details)."""
    status = status_pb2.Status()
    for key, value in error.trailing_metadata() or ():
        if key == "grpc-status-details-bin":
            status.ParseFromString(value)
    reasons: dict[str, str] = {}
    for detail in status.details:
        errors = errors_pb2.InputPropertiesError()
        if detail.Unpack(errors):
            reasons.update({e.property_path: e.reason for e in errors.errors})
    return reasons


@pytest.mark.parametrize("preview", [False, True], ids=["update", "preview"])
def test_a_typescript_declaration_builds_the_trail_with_its_integers(provider: RunningProvider,
                                                                     preview: bool) -> None:
    response, monitor = construct(provider, FROM_TYPESCRIPT, preview=preview)
    component = monitor.one(TYPE_TOKEN)
    assert response.urn == component.urn
    trail = monitor.one(TRAIL)
    assert trail.parent == component.urn
    assert monitor.one(LOG_GROUP).inputs["retentionInDays"] == 731
    assert monitor.one(LOCK).inputs["rule"]["defaultRetention"] == {"mode": "GOVERNANCE", "days": 365}
    selectors = trail.inputs["advancedEventSelectors"]
    assert selectors[1]["fieldSelectors"][1] == {"field": "resources.type", "equals": ["AWS::S3::Object"]}
    assert any(r.inputs.get("pattern") == '{ $.eventName = "CreateAccessKey" }'
               for r in monitor.registrations if r.type == "aws:cloudwatch/logMetricFilter:LogMetricFilter")


def test_the_trail_gets_the_log_group_arn_with_the_stream_wildcard(provider: RunningProvider) -> None:
    # CloudTrail User Guide, "Sending events to CloudWatch Logs": CloudWatchLogsLogGroupArn is the log group's
    # ARN followed by ':*'. pulumi-aws's LogGroup.arn leaves the ':*' out (the component's logGroupArn too).
    response, monitor = construct(provider, FROM_TYPESCRIPT, preview=False)
    state = json_format.MessageToDict(response.state)
    log_group_arn = state["logGroupArn"]
    assert log_group_arn.startswith("arn:aws:logs:") and not log_group_arn.endswith(":*")
    assert monitor.one(TRAIL).inputs["cloudWatchLogsGroupArn"] == log_group_arn + ":*"
    assert state["trailArn"].startswith("arn:aws:cloudtrail:")


def test_in_a_preview_the_log_group_arn_is_unknown_not_wrong(provider: RunningProvider) -> None:
    _, monitor = construct(provider, FROM_TYPESCRIPT, preview=True)
    assert monitor.one(TRAIL).inputs["cloudWatchLogsGroupArn"] == UNKNOWN


def test_an_integer_with_a_fraction_is_refused_naming_the_argument(provider: RunningProvider) -> None:
    error = refusal(provider, {"retentionInDays": 731.5})
    assert "argument 'retention_in_days' is 731.5; expected int" in (error.details() or "")


def test_a_whole_number_cloudwatch_logs_does_not_accept_is_refused_naming_it(provider: RunningProvider) -> None:
    # CloudWatch Logs API reference, PutRetentionPolicy: retentionInDays is one of a fixed list; 366 is not in it.
    error = refusal(provider, {"retentionInDays": 366.0})
    assert "argument 'retention_in_days' is 366; allowed: one of" in (error.details() or "")


def test_a_management_selector_in_typescript_spelling_is_refused(provider: RunningProvider) -> None:
    # A selector on eventCategory = Management would narrow management events (CIS 4.7, Security Hub
    # CloudTrail.1); typed selectors reach the component with its own field names, so the check applies.
    error = refusal(provider, {"advancedEventSelectors": [
        {"name": "only writes", "fieldSelectors": [{"field": "eventCategory", "equals": ["Management"]}]}]})
    assert "argument 'advanced_event_selectors'" in (error.details() or "")
    assert "management events are always logged" in (error.details() or "")


def test_an_object_lock_mode_s3_does_not_have_is_refused_naming_its_path(provider: RunningProvider) -> None:
    error = refusal(provider, {"objectLock": {"mode": "STRICT", "days": 30.0}})
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert "STRICT" in property_errors(error)["objectLock.mode"]


def test_a_custom_filter_without_a_pattern_is_refused_naming_its_path(provider: RunningProvider) -> None:
    error = refusal(provider, {"customFilters": [{"name": "AccessKeyCreated"}]})
    assert error.code() == grpc.StatusCode.INVALID_ARGUMENT
    assert "customFilters[0].pattern" in property_errors(error)


def test_alarm_tuning_and_log_transitions_in_typescript_spelling_reach_the_resources(provider: RunningProvider) -> None:
    """Issue "what users ask for": a TypeScript program tuning the noisy 4.1 alarm gets exactly those values on
    its 4.1 alarm, and the CIS recipe everywhere else."""
    inputs = {"alarmSettings": {"4.1": {"threshold": 5.0, "period": 900.0, "evaluationPeriods": 2.0,
                                        "datapointsToAlarm": 1.0, "treatMissingData": "ignore"}},
              "logTransitions": [{"days": 90.0, "storageClass": "GLACIER"}]}
    _, monitor = construct(provider, inputs, preview=True)
    alarms = [r for r in monitor.registrations if r.type == "aws:cloudwatch/metricAlarm:MetricAlarm"]
    tuned = [a for a in alarms if a.inputs["alarmDescription"].startswith("CIS 4.1 ")]
    assert tuned and all((a.inputs["threshold"], a.inputs["period"], a.inputs["evaluationPeriods"],
                          a.inputs["datapointsToAlarm"], a.inputs["treatMissingData"]) == (5, 900, 2, 1, "ignore")
                         for a in tuned)
    assert all((a.inputs["threshold"], a.inputs["period"], a.inputs["evaluationPeriods"]) == (1, 300, 1)
               for a in alarms if a not in tuned)
    lifecycle = monitor.one("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration")
    assert lifecycle.inputs["rules"][0]["transitions"] == [{"days": 90, "storageClass": "GLACIER"}]
