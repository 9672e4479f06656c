"""The new trail forms and NOT JUDGED through the pack's real gRPC Analyzer, started as the CLI starts it
(``python -m pulumi.policy``, PULUMI_DRY_RUN set as pulumi ``analyzer_plugin.go`` ``constructEnv`` sets it) and
driven as cloudtrail-check drives it (``AnalyzerClient``). ``not_applicable`` entries are what the offline
check turns into NOT JUDGED; their reasons start with exactly "NOT JUDGED: "."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from compliant_cloudtrail.check.analyzer_client import AnalyzerClient, AnalyzeResult

PACK_DIR = Path(__file__).resolve().parents[2] / "compliant_cloudtrail" / "policy_pack"
DELIVERY = "cloudtrail-trail-deliver-to-cloudwatch-logs"
UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"  # the engine's unknown sentinel on the wire
GROUP = "arn:aws:logs:us-east-1:123456789012:log-group:/aws/cloudtrail/audit:*"
ROLE = "arn:aws:iam::123456789012:role/cloudtrail-to-cloudwatch"

YAML_BODY = """\
Resources:
  Logs: {Type: AWS::Logs::LogGroup}
  OrgTrail:
    Type: AWS::CloudTrail::Trail
    Properties:
      S3BucketName: !Ref Bucket
      IsLogging: true
%s
"""


@pytest.fixture(scope="module")
def packs() -> Iterator[dict[str, AnalyzerClient]]:
    with (
        AnalyzerClient(PACK_DIR, project="forms", stack="dev", dry_run=False) as update,
        AnalyzerClient(PACK_DIR, project="forms", stack="dev", dry_run=True) as preview,
    ):
        yield {"update": update, "preview": preview}


def analyze(pack: AnalyzerClient, type_: str, name: str, props: dict[str, Any]) -> AnalyzeResult:
    urn = f"urn:pulumi:dev::forms::{type_}::{name}"
    return pack.analyze({"type": type_, "name": name, "urn": urn, "properties": props})


def delivery(result: AnalyzeResult) -> tuple[list[str], list[str]]:
    violations = [d.message for d in result.diagnostics if d.policy_name == DELIVERY and d.mandatory]
    reasons = [n.reason for n in result.not_applicable if n.policy_name == DELIVERY]
    return violations, reasons


@pytest.mark.parametrize("mode", ["update", "preview"])
def test_a_yaml_template_trail_without_delivery_is_a_mandatory_violation(
    packs: dict[str, AnalyzerClient], mode: str
) -> None:
    body = YAML_BODY % "      CloudWatchLogsRoleArn: !GetAtt Role.Arn"
    violations, reasons = delivery(
        analyze(packs[mode], "aws:cloudformation/stack:Stack", "org", {"templateBody": body})
    )
    assert reasons == [] and len(violations) == 1, (violations, reasons)
    assert 'CloudTrail trail "OrgTrail" in the template of CloudFormation stack "org"' in violations[0], violations[0]


def test_a_yaml_template_trail_with_intrinsic_delivery_passes(packs: dict[str, AnalyzerClient]) -> None:
    body = (
        YAML_BODY % "      CloudWatchLogsLogGroupArn: !GetAtt Logs.Arn\n      CloudWatchLogsRoleArn: !GetAtt Role.Arn"
    )
    result = analyze(packs["update"], "aws:cloudformation/stack:Stack", "org", {"templateBody": body})
    assert delivery(result) == ([], []), result


def test_a_cloud_control_trail_is_judged(packs: dict[str, AnalyzerClient]) -> None:
    state = {"S3BucketName": "b", "IsLogging": True, "CloudWatchLogsLogGroupArn": GROUP}
    props = {"typeName": "AWS::CloudTrail::Trail", "desiredState": json.dumps(state)}
    violations, _ = delivery(analyze(packs["update"], "aws:cloudcontrol/resource:Resource", "cc", props))
    assert len(violations) == 1 and "CloudWatchLogsRoleArn is not set" in violations[0], violations


def test_a_template_in_s3_is_not_judged_in_either_mode(packs: dict[str, AnalyzerClient]) -> None:
    for mode, pack in packs.items():
        props = {"templateUrl": "https://s3.amazonaws.com/org/trail.yaml"}
        violations, reasons = delivery(analyze(pack, "aws:cloudformation/stack:Stack", "org", props))
        assert violations == [] and len(reasons) == 1, (mode, violations, reasons)
        assert reasons[0].startswith("NOT JUDGED: ") and "templateUrl" in reasons[0], reasons[0]


def test_an_unknown_role_is_not_judged_in_an_update_and_waits_in_a_preview(packs: dict[str, AnalyzerClient]) -> None:
    props = {"s3BucketName": "b", "cloudWatchLogsGroupArn": GROUP, "cloudWatchLogsRoleArn": UNKNOWN}
    violations, reasons = delivery(analyze(packs["update"], "aws:cloudtrail/trail:Trail", "audit", props))
    assert violations == [] and len(reasons) == 1 and reasons[0].startswith("NOT JUDGED: "), reasons
    assert "cloudWatchLogsRoleArn" in reasons[0], reasons[0]
    assert delivery(analyze(packs["preview"], "aws:cloudtrail/trail:Trail", "audit", props)) == ([], [])


def test_the_known_compliant_trail_is_judged_with_nothing_set_aside(packs: dict[str, AnalyzerClient]) -> None:
    props = {"s3BucketName": "b", "cloudWatchLogsGroupArn": GROUP, "cloudWatchLogsRoleArn": ROLE}
    assert delivery(analyze(packs["update"], "aws:cloudtrail/trail:Trail", "audit", props)) == ([], [])
