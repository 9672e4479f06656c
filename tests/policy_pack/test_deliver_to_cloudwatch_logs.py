"""cloudtrail-trail-deliver-to-cloudwatch-logs (Security Hub CloudTrail.5): one compliant baseline per trail
type, each negative case changing one field. Expected forms come from the CloudTrail API documentation:
log group ``arn:<partition>:logs:<region>:<account>:log-group:<name>:*`` and an IAM role ARN."""

from __future__ import annotations

from typing import Any

import pytest
from policy_sdk_inputs import (
    UNKNOWN_STRING,
    Reports,
    analyze_through_sdk,
    resource_args,
    secret,
)

from compliant_cloudtrail.policy_pack.policies.trail_policies import (
    DELIVER_TO_CLOUDWATCH_LOGS,
    validate_delivers_to_cloudwatch_logs,
)

GROUP = "arn:aws:logs:us-east-1:123456789012:log-group:/aws/cloudtrail/audit:*"
ROLE = "arn:aws:iam::123456789012:role/cloudtrail-to-cloudwatch"

AWS = "aws:cloudtrail/trail:Trail"
NATIVE = "aws-native:cloudtrail:Trail"
GROUP_FIELD = {AWS: "cloudWatchLogsGroupArn", NATIVE: "cloudWatchLogsLogGroupArn"}


def baseline(trail_type: str) -> dict[str, Any]:
    return {
        "s3BucketName": "audit-logs-123456789012",
        GROUP_FIELD[trail_type]: GROUP,
        "cloudWatchLogsRoleArn": ROLE,
        "isMultiRegionTrail": True,
        "enableLogFileValidation": True,
    }


def run(trail_type: str, props: dict[str, Any], config: dict[str, Any] | None = None) -> Reports:
    reports = Reports()
    validate_delivers_to_cloudwatch_logs(resource_args(trail_type, props, config=config), reports)
    return reports


both_types = pytest.mark.parametrize("trail_type", [AWS, NATIVE])


@both_types
def test_compliant_baseline_passes(trail_type: str) -> None:
    reports = run(trail_type, baseline(trail_type))
    assert reports.calls == [], f"{trail_type} audit-trail baseline: {reports.text()}"


@both_types
@pytest.mark.parametrize(
    ("value", "kind"),
    [
        (None, "not set"),
        ("", "an empty string"),
        (42, "a number"),
        ([GROUP], "a list"),
        ({"arn": GROUP}, "an object"),
        (True, "a boolean"),
    ],
)
def test_log_group_arn_missing_empty_or_not_a_string_is_reported(trail_type: str, value: Any, kind: str) -> None:
    props = baseline(trail_type)
    if value is None:
        del props[GROUP_FIELD[trail_type]]
    else:
        props[GROUP_FIELD[trail_type]] = value
    reports = run(trail_type, props)
    assert len(reports.calls) == 1, f"{trail_type} audit-trail with log group {value!r}: {reports.calls}"
    message = reports.messages[0]
    assert f"{GROUP_FIELD[trail_type]} is {kind}" in message, message
    assert 'CloudTrail trail "audit-trail"' in message, message
    assert "log-group:<name>:*" in message, message
    assert "compliant_cloudtrail.CompliantTrail" in message, message


@both_types
@pytest.mark.parametrize(
    ("value", "says"),
    [
        ("/aws/cloudtrail/audit", 'starts with "arn:"'),
        ("arn:aws:logs:us-east-1", "not a complete ARN"),
        ("arn:aws:s3:::audit-logs-123456789012", 'service "s3"'),
        ("arn:aws:logs:us-east-1:1234:log-group:/aws/cloudtrail/audit:*", "12-digit account"),
        ("arn:aws:logs:useast1:123456789012:log-group:/aws/cloudtrail/audit:*", "region"),
        ("arn:aws:logs:us-east-1:123456789012:destination:audit", 'a "destination", not at a log group'),
        ("arn:aws:logs:us-east-1:123456789012:log-group:audit logs:*", "log group name"),
        ("arn:aws:logs:us-east-1:123456789012:log-group:/aws/cloudtrail/audit", 'does not end in ":*"'),
        ("arn:aws:logs:us-east-1:123456789012:log-group:/aws/cloudtrail/audit:log-stream:x", "instead of"),
        ("arn:azure:logs:us-east-1:123456789012:log-group:/aws/cloudtrail/audit:*", "partition"),
    ],
)
def test_malformed_log_group_arn_names_the_failing_part(trail_type: str, value: str, says: str) -> None:
    props = baseline(trail_type) | {GROUP_FIELD[trail_type]: value}
    reports = run(trail_type, props)
    assert len(reports.calls) == 1, f"{trail_type} audit-trail with log group {value!r}: {reports.calls}"
    assert says in reports.messages[0], reports.messages[0]
    assert value in reports.messages[0], f"the offending value is quoted: {reports.messages[0]}"


@pytest.mark.parametrize(
    "value",
    [
        "arn:aws-cn:logs:cn-north-1:123456789012:log-group:audit:*",
        "arn:aws-us-gov:logs:us-gov-west-1:123456789012:log-group:a.b-c_d/e#f:*",
        "arn:aws:logs:eu-central-1:123456789012:log-group:" + "n" * 512 + ":*",
    ],
)
def test_other_partitions_and_name_characters_are_accepted(value: str) -> None:
    role = "arn:" + value.split(":")[1] + ":iam::123456789012:role/service/cloudtrail"
    reports = run(AWS, baseline(AWS) | {"cloudWatchLogsGroupArn": value, "cloudWatchLogsRoleArn": role})
    assert reports.calls == [], f"audit-trail with {value[:60]}: {reports.text()}"


def test_log_group_name_longer_than_512_characters_is_reported() -> None:
    value = "arn:aws:logs:eu-central-1:123456789012:log-group:" + "n" * 513 + ":*"
    reports = run(AWS, baseline(AWS) | {"cloudWatchLogsGroupArn": value})
    assert len(reports.calls) == 1, "audit-trail with a 513-character log group name"


@both_types
@pytest.mark.parametrize(
    ("value", "says"),
    [
        (None, "cloudWatchLogsRoleArn is not set"),
        ("", "cloudWatchLogsRoleArn is an empty string"),
        (7, "cloudWatchLogsRoleArn is a number"),
        ("arn:aws:iam::123456789012:user/cloudtrail", "IAM user ARN, not an IAM role ARN"),
        ("arn:aws:sts::123456789012:assumed-role/cloudtrail/session", "STS session ARN"),
        ("arn:aws:iam:us-east-1:123456789012:role/cloudtrail", "IAM ARNs have none"),
        ("arn:aws:logs:us-east-1:123456789012:log-group:x:*", "not an IAM role ARN"),
        ("cloudtrail-to-cloudwatch", "is not an ARN"),
    ],
)
def test_role_missing_or_not_an_iam_role_arn_is_reported(trail_type: str, value: Any, says: str) -> None:
    props = baseline(trail_type)
    if value is None:
        del props["cloudWatchLogsRoleArn"]
    else:
        props["cloudWatchLogsRoleArn"] = value
    reports = run(trail_type, props)
    assert len(reports.calls) == 1, f"{trail_type} audit-trail with role {value!r}: {reports.calls}"
    assert says in reports.messages[0], reports.messages[0]


def test_partition_mismatch_between_group_and_role_is_reported() -> None:
    role = "arn:aws-cn:iam::123456789012:role/cloudtrail"
    reports = run(AWS, baseline(AWS) | {"cloudWatchLogsRoleArn": role})
    assert len(reports.calls) == 1 and "partition" in reports.messages[0], reports.calls


@both_types
def test_unknown_log_group_arn_yields_no_violation_and_no_generic_advisory(trail_type: str) -> None:
    props = baseline(trail_type) | {GROUP_FIELD[trail_type]: UNKNOWN_STRING}
    diagnostics = analyze_through_sdk(DELIVER_TO_CLOUDWATCH_LOGS, trail_type, props)
    assert diagnostics == [], f"{trail_type} audit-trail in preview: {[d.message for d in diagnostics]}"


@both_types
def test_unknown_log_group_arn_still_reports_a_known_bad_role(trail_type: str) -> None:
    props = baseline(trail_type) | {
        GROUP_FIELD[trail_type]: UNKNOWN_STRING,
        "cloudWatchLogsRoleArn": "arn:aws:iam::123456789012:user/cloudtrail",
    }
    diagnostics = analyze_through_sdk(DELIVER_TO_CLOUDWATCH_LOGS, trail_type, props)
    messages = [d.message for d in diagnostics]
    assert len(messages) == 1, f"{trail_type} audit-trail: {messages}"
    assert "not an IAM role ARN" in messages[0] and "can't run policy" not in messages[0], messages[0]
    assert GROUP_FIELD[trail_type] + " " not in messages[0].split("\n", 2)[2].split("Fix:")[0], messages[0]


def test_unknown_role_arn_yields_nothing() -> None:
    props = baseline(AWS) | {"cloudWatchLogsRoleArn": UNKNOWN_STRING}
    diagnostics = analyze_through_sdk(DELIVER_TO_CLOUDWATCH_LOGS, AWS, props)
    assert diagnostics == [], [d.message for d in diagnostics]


def test_sdk_reports_a_missing_log_group_as_mandatory() -> None:
    props = baseline(AWS)
    del props["cloudWatchLogsGroupArn"]
    diagnostics = analyze_through_sdk(DELIVER_TO_CLOUDWATCH_LOGS, AWS, props)
    assert len(diagnostics) == 1, [d.message for d in diagnostics]
    assert diagnostics[0].enforcementLevel == 1, "mandatory is proto enum value 1"
    assert diagnostics[0].policyName == "cloudtrail-trail-deliver-to-cloudwatch-logs"


@both_types
def test_secret_values_are_checked_like_any_other(trail_type: str) -> None:
    good = baseline(trail_type) | {GROUP_FIELD[trail_type]: secret(GROUP), "cloudWatchLogsRoleArn": secret(ROLE)}
    assert run(trail_type, good).calls == [], f"{trail_type} audit-trail with secret but valid ARNs"
    bad = baseline(trail_type) | {GROUP_FIELD[trail_type]: secret(GROUP.removesuffix(":*"))}
    reports = run(trail_type, bad)
    assert len(reports.calls) == 1 and 'does not end in ":*"' in reports.messages[0], reports.calls


def test_secret_unknown_value_is_treated_as_unknown() -> None:
    props = baseline(AWS) | {"cloudWatchLogsGroupArn": secret(UNKNOWN_STRING)}
    assert analyze_through_sdk(DELIVER_TO_CLOUDWATCH_LOGS, AWS, props) == []


def test_quote_values_false_keeps_the_value_out_of_the_message() -> None:
    value = "arn:aws:logs:us-east-1:123456789012:log-group:/private/name"
    reports = run(AWS, baseline(AWS) | {"cloudWatchLogsGroupArn": value}, config={"quoteValues": False})
    assert len(reports.calls) == 1, reports.calls
    assert "/private/name" not in reports.messages[0], reports.messages[0]


def test_long_values_are_abridged() -> None:
    value = "arn:aws:s3:::" + "x" * 5000
    reports = run(AWS, baseline(AWS) | {"cloudWatchLogsGroupArn": value})
    assert len(reports.calls) == 1
    assert len(reports.messages[0]) < 1200, f"message of {len(reports.messages[0])} characters"
    assert "x" * 200 not in reports.messages[0]


def test_other_resource_types_are_ignored() -> None:
    reports = run("aws:cloudwatch/logGroup:LogGroup", {"name": "audit"})
    assert reports.calls == []


def test_message_names_the_trail_and_lists_each_problem_on_its_own_line() -> None:
    props = {k: v for k, v in baseline(AWS).items() if k not in ("cloudWatchLogsGroupArn", "cloudWatchLogsRoleArn")}
    reports = run(AWS, props)
    [message] = reports.messages
    assert message.startswith('CloudTrail trail "audit-trail" must deliver'), message
    bullets = [line for line in message.splitlines() if line.startswith("  - ")]
    assert len(bullets) == 2, message
    assert "cloudWatchLogsGroupArn" in bullets[0] and "cloudWatchLogsRoleArn" in bullets[1], message
