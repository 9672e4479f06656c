"""Trails declared inside CloudFormation templates and Cloud Control resources (issue 16 item 4, review L6).

Property names from the AWS CloudFormation User Guide page "AWS::CloudTrail::Trail" (``CloudWatchLogsLogGroupArn``,
``CloudWatchLogsRoleArn``, ``IsMultiRegionTrail``, ``KMSKeyId``); intrinsic functions and their YAML short forms
from its "Intrinsic function reference". Stack types from pulumi-aws (``cloudformation.Stack``/``StackSet``:
``templateBody``/``templateUrl`` strings) and aws-native (``cloudformation.Stack``: ``templateBody`` any object);
Cloud Control from pulumi-aws ``cloudcontrol.Resource`` (``typeName``, ``desiredState`` JSON). One compliant
baseline per form; each negative case changes one thing of it.
"""

from __future__ import annotations

import json
import time
from typing import Any

import pytest
from policy_sdk_inputs import UNKNOWN_STRING, Verdict, verdict_through_sdk

from compliant_cloudtrail.policy_pack.policies.trail_policies import (
    DELIVER_TO_CLOUDWATCH_LOGS,
    ENABLE_KMS_ENCRYPTION,
    ENABLE_MULTI_REGION,
)

GROUP = "arn:aws:logs:us-east-1:123456789012:log-group:/aws/cloudtrail/org:*"
ROLE = "arn:aws:iam::123456789012:role/cloudtrail-to-cloudwatch"
STACK_TYPES = [
    "aws:cloudformation/stack:Stack",
    "aws:cloudformation/stackSet:StackSet",
    "aws-native:cloudformation:Stack",
    "aws-native:cloudformation:StackSet",
]
CLOUD_CONTROL = "aws:cloudcontrol/resource:Resource"
NOT_JUDGED = "NOT JUDGED: "


@pytest.fixture(autouse=True)
def update_mode(monkeypatch: pytest.MonkeyPatch) -> None:
    """``pulumi up``: the Pulumi CLI starts the pack with PULUMI_DRY_RUN=false (analyzer_plugin.go constructEnv)."""
    monkeypatch.setenv("PULUMI_DRY_RUN", "false")


def trail_properties(**changes: Any) -> dict[str, Any]:
    props: dict[str, Any] = {
        "S3BucketName": "org-audit-logs",
        "IsLogging": True,
        "CloudWatchLogsLogGroupArn": GROUP,
        "CloudWatchLogsRoleArn": ROLE,
        "IsMultiRegionTrail": True,
        "EnableLogFileValidation": True,
    }
    for key, value in changes.items():
        if value is None:
            props.pop(key, None)
        else:
            props[key] = value
    return props


def template(properties: dict[str, Any], logical_id: str = "AuditTrail") -> dict[str, Any]:
    return {
        "AWSTemplateFormatVersion": "2010-09-09",
        "Resources": {
            "AuditBucket": {"Type": "AWS::S3::Bucket"},
            logical_id: {"Type": "AWS::CloudTrail::Trail", "Properties": properties},
        },
    }


def stack(stack_type: str, body: Any, mode: str = "update", **config: Any) -> Verdict:
    return verdict_through_sdk(
        DELIVER_TO_CLOUDWATCH_LOGS, stack_type, {"templateBody": body}, name="org-stack", config=config or None
    )


stack_types = pytest.mark.parametrize("stack_type", STACK_TYPES)


# --- JSON templates -------------------------------------------------------------------------------------------


@stack_types
def test_a_template_trail_with_both_arns_passes(stack_type: str) -> None:
    verdict = stack(stack_type, json.dumps(template(trail_properties())))
    assert verdict == Verdict([], []), f"{stack_type} org-stack: {verdict}"


@stack_types
@pytest.mark.parametrize("missing", ["CloudWatchLogsLogGroupArn", "CloudWatchLogsRoleArn"])
def test_a_template_trail_missing_a_delivery_property_fails_naming_its_id(stack_type: str, missing: str) -> None:
    verdict = stack(stack_type, json.dumps(template(trail_properties(**{missing: None}))))
    assert len(verdict.messages) == 1, f"{stack_type} without {missing}: {verdict}"
    message = verdict.messages[0]
    assert '\nCloudTrail trail "AuditTrail" in the template of CloudFormation' in message, message
    assert '"org-stack"' in message and f"{missing} is not set" in message, message


def test_a_template_trail_with_a_log_group_arn_lacking_the_stream_wildcard_fails() -> None:
    body = json.dumps(template(trail_properties(CloudWatchLogsLogGroupArn=GROUP.removesuffix(":*"))))
    verdict = stack(STACK_TYPES[0], body)
    assert len(verdict.messages) == 1 and 'does not end in ":*"' in verdict.messages[0], verdict


def test_an_aws_native_stack_takes_its_template_as_an_object() -> None:
    good = stack("aws-native:cloudformation:Stack", template(trail_properties()))
    bad = stack("aws-native:cloudformation:Stack", template(trail_properties(CloudWatchLogsRoleArn=None)))
    assert good == Verdict([], []), good
    assert len(bad.messages) == 1 and "CloudWatchLogsRoleArn is not set" in bad.messages[0], bad


def test_each_failing_trail_of_a_template_is_its_own_violation() -> None:
    body = template(trail_properties())
    body["Resources"]["SecondTrail"] = {"Type": "AWS::CloudTrail::Trail", "Properties": {"S3BucketName": "b"}}
    body["Resources"]["ThirdTrail"] = {"Type": "AWS::CloudTrail::Trail"}
    verdict = stack(STACK_TYPES[0], json.dumps(body))
    named = sorted(m.split('"')[1] for m in verdict.messages)
    assert named == ["SecondTrail", "ThirdTrail"], verdict


def test_a_template_without_trails_is_not_judged_at_all() -> None:
    body = {"Resources": {"Bucket": {"Type": "AWS::S3::Bucket", "Properties": {"BucketName": "x"}}}}
    assert stack(STACK_TYPES[0], json.dumps(body)) == Verdict([], [])


# --- YAML templates and intrinsic functions ------------------------------------------------------------------

YAML_TEMPLATE = """\
AWSTemplateFormatVersion: '2010-09-09'
Parameters:
  DeliveryRoleArn: {Type: String}
Resources:
  Logs:
    Type: AWS::Logs::LogGroup
  AuditTrail:
    Type: AWS::CloudTrail::Trail
    Properties:
      S3BucketName: !Ref Bucket
      IsLogging: true
      IsMultiRegionTrail: "true"
%s
"""


@pytest.mark.parametrize(
    "delivery",
    [
        "      CloudWatchLogsLogGroupArn: !GetAtt Logs.Arn\n      CloudWatchLogsRoleArn: !Ref DeliveryRoleArn",
        "      CloudWatchLogsLogGroupArn: !GetAtt [Logs, Arn]\n"
        "      CloudWatchLogsRoleArn: !Sub 'arn:${AWS::Partition}:iam::${AWS::AccountId}:role/x'",
        "      CloudWatchLogsLogGroupArn: !ImportValue org-log-group-arn\n"
        "      CloudWatchLogsRoleArn: !Join ['', ['arn:aws:iam::', !Ref 'AWS::AccountId', ':role/x']]",
        "      CloudWatchLogsLogGroupArn:\n        Fn::GetAtt: [Logs, Arn]\n      CloudWatchLogsRoleArn:\n"
        "        Ref: DeliveryRoleArn",
        f"      CloudWatchLogsLogGroupArn: '{GROUP}'\n      CloudWatchLogsRoleArn: {ROLE}",
    ],
    ids=["GetAtt and Ref", "GetAtt list and Sub", "ImportValue and nested Join", "long forms", "literals"],
)
def test_yaml_short_and_long_form_intrinsics_count_as_set(delivery: str) -> None:
    verdict = stack(STACK_TYPES[0], YAML_TEMPLATE % delivery)
    assert verdict == Verdict([], []), f"{delivery!r}: {verdict}"


def test_yaml_template_missing_the_role_fails() -> None:
    verdict = stack(STACK_TYPES[0], YAML_TEMPLATE % "      CloudWatchLogsLogGroupArn: !GetAtt Logs.Arn")
    assert len(verdict.messages) == 1 and "CloudWatchLogsRoleArn is not set" in verdict.messages[0], verdict


def test_ref_aws_novalue_removes_the_property() -> None:
    delivery = "      CloudWatchLogsLogGroupArn: !Ref AWS::NoValue\n      CloudWatchLogsRoleArn: !Ref DeliveryRoleArn"
    verdict = stack(STACK_TYPES[0], YAML_TEMPLATE % delivery)
    assert len(verdict.messages) == 1 and "CloudWatchLogsLogGroupArn is not set" in verdict.messages[0], verdict


def test_a_property_a_condition_may_remove_is_not_judged() -> None:
    delivery = (
        "      CloudWatchLogsLogGroupArn: !If [WithLogs, !GetAtt Logs.Arn, !Ref 'AWS::NoValue']\n"
        "      CloudWatchLogsRoleArn: !Ref DeliveryRoleArn"
    )
    verdict = stack(STACK_TYPES[0], YAML_TEMPLATE % delivery)
    assert verdict.messages == [], verdict
    [reason] = verdict.not_applicable
    assert reason.startswith(NOT_JUDGED) and "AuditTrail" in reason and "CloudWatchLogsLogGroupArn" in reason, reason


# --- templates the pack cannot read: NOT JUDGED, never a pass -------------------------------------------------

ALIAS_BOMB = "a: &a ['x','x','x','x','x','x','x','x','x']\n" + "".join(
    f"{chr(98 + i)}: &{chr(98 + i)} [{','.join(['*' + chr(97 + i)] * 9)}]\n" for i in range(12)
)

# Fewer aliases than the limit, inside the trail's properties, standing for 9**9 values once expanded.
WIDE_PROPERTIES = (
    "Resources:\n  AuditTrail:\n    Type: AWS::CloudTrail::Trail\n    Properties:\n"
    "      L0: &l0 [x, x, x, x, x, x, x, x, x]\n"
    + "".join(f"      L{i}: &l{i} [{', '.join(['*l' + str(i - 1)] * 9)}]\n" for i in range(1, 9))
)


@pytest.mark.parametrize(
    ("props", "says"),
    [
        ({"templateUrl": "https://s3.amazonaws.com/org/trail.yaml"}, "templateUrl"),
        ({"templateBody": "Resources: [unclosed"}, "neither JSON nor YAML"),
        ({"templateBody": '{"Resources": {"T": '}, "neither JSON nor YAML"),
        ({"templateBody": ALIAS_BOMB}, "aliases"),
        ({"templateBody": WIDE_PROPERTIES}, "more than 200000 values"),
        ({"templateBody": "[" * 50_000 + "]" * 50_000}, "nested too deeply"),
        ({"templateBody": "Resources: !!python/object/apply:os.system ['true']"}, "neither JSON nor YAML"),
        ({"templateBody": "x" * 1_100_000}, "1 MB"),
        ({"templateBody": "Resources: {}\n".ljust(10) + "- list"}, "neither JSON nor YAML"),
        ({"templateBody": "just text"}, "not a template"),
        (
            {"templateBody": json.dumps({"Resources": {"Child": {"Type": "AWS::CloudFormation::Stack"}}})},
            "nests the stacks Child",
        ),
        ({"templateBody": UNKNOWN_STRING}, "not known yet"),
    ],
    ids=[
        "templateUrl",
        "broken YAML",
        "broken JSON",
        "alias bomb",
        "aliases expanding in a trail",
        "deep nesting",
        "python tag",
        "over 1 MB",
        "mixed",
        "scalar",
        "nested stack",
        "unknown body in an update",
    ],
)
def test_a_template_the_pack_cannot_read_is_not_judged(props: dict[str, Any], says: str) -> None:
    started = time.process_time()
    verdict = verdict_through_sdk(DELIVER_TO_CLOUDWATCH_LOGS, STACK_TYPES[0], props, name="org-stack")
    assert time.process_time() - started < 30, "reading a hostile template must stay bounded"
    assert verdict.messages == [], verdict
    [reason] = verdict.not_applicable
    assert reason.startswith(NOT_JUDGED), reason
    assert '"org-stack" (aws:cloudformation/stack:Stack)' in reason and says in reason, reason


def test_an_unknown_template_body_in_a_preview_waits_for_the_update(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PULUMI_DRY_RUN", "true")
    verdict = verdict_through_sdk(DELIVER_TO_CLOUDWATCH_LOGS, STACK_TYPES[0], {"templateBody": UNKNOWN_STRING})
    assert verdict == Verdict([], []), verdict


def test_a_templateurl_is_not_judged_in_a_preview_either(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PULUMI_DRY_RUN", "true")
    verdict = verdict_through_sdk(DELIVER_TO_CLOUDWATCH_LOGS, STACK_TYPES[0], {"templateUrl": "https://s3/x"})
    assert len(verdict.not_applicable) == 1 and verdict.not_applicable[0].startswith(NOT_JUDGED), verdict


def test_a_definite_failure_wins_and_still_lists_what_was_not_judged() -> None:
    body = template(trail_properties(CloudWatchLogsRoleArn=None))
    body["Resources"]["Child"] = {"Type": "AWS::CloudFormation::Stack", "Properties": {"TemplateURL": "https://x"}}
    verdict = stack(STACK_TYPES[0], json.dumps(body))
    assert verdict.not_applicable == [], verdict
    [message] = verdict.messages
    assert "CloudWatchLogsRoleArn is not set" in message and "Also not judged" in message and "Child" in message


# --- companions on template trails ----------------------------------------------------------------------------


def test_companions_judge_template_trails_too() -> None:
    single_region = json.dumps(template(trail_properties(IsMultiRegionTrail=False)))
    verdict = verdict_through_sdk(ENABLE_MULTI_REGION, STACK_TYPES[0], {"templateBody": single_region}, "org-stack")
    assert len(verdict.messages) == 1 and "IsMultiRegionTrail is false" in verdict.messages[0], verdict
    passing = json.dumps(template(trail_properties(IsMultiRegionTrail="true")))
    assert verdict_through_sdk(ENABLE_MULTI_REGION, STACK_TYPES[0], {"templateBody": passing}).messages == []


def test_an_intrinsic_kms_key_is_not_a_companion_violation() -> None:
    body = YAML_TEMPLATE % "      KMSKeyId: !GetAtt Key.Arn"
    assert verdict_through_sdk(ENABLE_KMS_ENCRYPTION, STACK_TYPES[0], {"templateBody": body}).messages == []
    no_key = YAML_TEMPLATE % "      CloudWatchLogsRoleArn: x"
    [message] = verdict_through_sdk(ENABLE_KMS_ENCRYPTION, STACK_TYPES[0], {"templateBody": no_key}).messages
    assert "KMSKeyId is not set" in message, message


# --- Cloud Control ---------------------------------------------------------------------------------------------


def cloud_control(state: Any, type_name: Any = "AWS::CloudTrail::Trail") -> Verdict:
    props = {"typeName": type_name, "desiredState": state if isinstance(state, str) else json.dumps(state)}
    return verdict_through_sdk(DELIVER_TO_CLOUDWATCH_LOGS, CLOUD_CONTROL, props, name="cc-trail")


def test_a_cloud_control_trail_with_both_arns_passes() -> None:
    assert cloud_control(trail_properties()) == Verdict([], [])


@pytest.mark.parametrize("missing", ["CloudWatchLogsLogGroupArn", "CloudWatchLogsRoleArn"])
def test_a_cloud_control_trail_missing_a_delivery_property_fails(missing: str) -> None:
    verdict = cloud_control(trail_properties(**{missing: None}))
    assert len(verdict.messages) == 1, verdict
    message = verdict.messages[0]
    assert '\nCloudTrail trail "cc-trail"' in message and f"{missing} is not set" in message, message


def test_an_intrinsic_in_desired_state_is_an_object_not_a_deploy_time_value() -> None:
    # Cloud Control takes desiredState as plain JSON; nothing resolves CloudFormation functions there.
    verdict = cloud_control(trail_properties(CloudWatchLogsLogGroupArn={"Fn::GetAtt": ["Logs", "Arn"]}))
    assert len(verdict.messages) == 1 and "CloudWatchLogsLogGroupArn is an object" in verdict.messages[0], verdict


def test_other_cloud_control_types_are_not_trails() -> None:
    assert cloud_control({"BucketName": "x"}, type_name="AWS::S3::Bucket") == Verdict([], [])


@pytest.mark.parametrize(
    ("state", "type_name", "says"),
    [
        (UNKNOWN_STRING, "AWS::CloudTrail::Trail", "desiredState is not known"),
        ("{not json", "AWS::CloudTrail::Trail", "not valid JSON"),
        ({"x": 1}, UNKNOWN_STRING, "typeName is not known"),
    ],
)
def test_a_cloud_control_resource_the_pack_cannot_read_is_not_judged(state: Any, type_name: str, says: str) -> None:
    verdict = cloud_control(state, type_name)
    assert verdict.messages == [], verdict
    [reason] = verdict.not_applicable
    assert reason.startswith(NOT_JUDGED) and says in reason, reason
