"""Deployed stacks judged from their exports by the real pack, over its gRPC protocol.

Requirement behind every trail here: Security Hub CloudTrail.5 / CIS 3.4 ("CloudTrail trails should be
integrated with Amazon CloudWatch Logs"): CloudWatchLogsLogGroupArn and CloudWatchLogsRoleArn set (CloudTrail
API Reference, CreateTrail). Organization trails deliver the same way (CloudTrail User Guide, "Creating a
trail for an organization").
"""

from __future__ import annotations

import copy
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from compliant_cloudtrail.check.analyzer_client import AnalyzerClient, AnalyzeResult
from compliant_cloudtrail.check.state import parse_state
from compliant_cloudtrail.policy_pack import PACK_DIR

from .exports import (
    AWS_TRAIL,
    DELIVERY,
    EXAMPLE_STACK,
    LOG_GROUP,
    NATIVE_TRAIL,
    ROLE,
    ciphertext,
    export,
    log_group_arn,
    plaintext,
    provider,
    resource,
    role_arn,
    stack_resource,
    urn,
)


@pytest.fixture(scope="module")
def pack() -> Iterator[AnalyzerClient]:
    with AnalyzerClient(PACK_DIR, project="audit", stack="prod") as client:
        client.get_analyzer_info()
        client.configure({})
        yield client


def judge(pack: AnalyzerClient, data: dict[str, Any]) -> AnalyzeResult:
    state = parse_state(data, Path("export.json"))
    return pack.analyze_each(state.analyze_resources()) + pack.analyze_stack(state.stack_resources())


def delivery_urns(result: AnalyzeResult) -> list[str]:
    return sorted({d.urn for d in result.mandatory if d.policy_name == DELIVERY})


def stack_with(trail: dict[str, Any], *more: dict[str, Any]) -> dict[str, Any]:
    """The stack, the aws provider, a log group and role the trail can point at, ``more`` (its parent or provider:
    the CLI's integrity check wants them before it), the trail."""
    prov = provider()
    group = resource(LOG_GROUP, "trail-logs", {"name": "trail-logs", "retentionInDays": 365}, prov=prov)
    group["outputs"]["arn"] = log_group_arn("trail-logs")
    role = resource(ROLE, "trail-role", {"name": "trail-role"}, prov=prov)
    role["outputs"]["arn"] = role_arn("trail-role")
    trail.setdefault("provider", f"{prov['urn']}::{prov['id']}")
    return export([stack_resource(), prov, group, role, *more, trail])


def aws_trail(name: str = "audit", **props: Any) -> dict[str, Any]:
    wired = {
        "name": name,
        "s3BucketName": "audit-logs",
        "isMultiRegionTrail": True,
        "enableLogFileValidation": True,
        "cloudWatchLogsGroupArn": log_group_arn("trail-logs") + ":*",
        "cloudWatchLogsRoleArn": role_arn("trail-role"),
    }
    inputs = {k: v for k, v in {**wired, **props}.items() if v is not None}
    return resource(AWS_TRAIL, name, inputs)


# --- our own example stack ------------------------------------------------------------------------------------
def test_the_example_stack_export_passes(pack: AnalyzerClient) -> None:
    result = judge(pack, json.loads(EXAMPLE_STACK.read_text()))
    assert result.diagnostics == [], [d.message for d in result.diagnostics]


def test_the_example_stack_without_its_log_group_fails_on_its_trail(pack: AnalyzerClient) -> None:
    data = json.loads(EXAMPLE_STACK.read_text())
    (trail,) = [r for r in data["deployment"]["resources"] if r["type"] == AWS_TRAIL]
    for bag in ("inputs", "outputs"):
        del trail[bag]["cloudWatchLogsGroupArn"]
    assert delivery_urns(judge(pack, data)) == [trail["urn"]]


# --- hand-written exports -------------------------------------------------------------------------------------
def test_a_wired_trail_passes_and_the_same_trail_without_cloudwatch_logs_fails(pack: AnalyzerClient) -> None:
    assert delivery_urns(judge(pack, stack_with(aws_trail()))) == []
    bare = aws_trail(cloudWatchLogsGroupArn=None, cloudWatchLogsRoleArn=None)
    assert delivery_urns(judge(pack, stack_with(bare))) == [bare["urn"]]


def test_an_organization_trail_that_delivers_passes(pack: AnalyzerClient) -> None:
    org = aws_trail("org", isOrganizationTrail=True)
    assert delivery_urns(judge(pack, stack_with(org))) == []
    assert delivery_urns(
        judge(pack, stack_with(aws_trail("org", isOrganizationTrail=True, cloudWatchLogsGroupArn=None)))
    ) == [org["urn"]]


def test_a_secret_log_group_arn_is_judged_by_its_value(pack: AnalyzerClient) -> None:
    secret = aws_trail(cloudWatchLogsGroupArn=plaintext(log_group_arn("trail-logs") + ":*"))
    assert delivery_urns(judge(pack, stack_with(secret))) == []
    # The pack does see inside: a secret that is not a log group ARN still fails.
    wrong = aws_trail(cloudWatchLogsGroupArn=plaintext(role_arn("not-a-log-group")))
    assert delivery_urns(judge(pack, stack_with(wrong))) == [wrong["urn"]]


def test_an_encrypted_log_group_arn_is_unknown_not_a_violation(pack: AnalyzerClient) -> None:
    hidden = aws_trail(cloudWatchLogsGroupArn=ciphertext())
    hidden["outputs"]["cloudWatchLogsGroupArn"] = ciphertext()
    assert delivery_urns(judge(pack, stack_with(hidden))) == []
    assert parse_state(stack_with(hidden), Path("e.json")).unreadable_secrets == 2


def test_an_aws_native_trail_is_judged_by_its_own_property_names(pack: AnalyzerClient) -> None:
    inputs = {
        "trailName": "native",
        "s3BucketName": "audit-logs",
        "isLogging": True,
        "cloudWatchLogsLogGroupArn": log_group_arn("trail-logs") + ":*",
        "cloudWatchLogsRoleArn": role_arn("trail-role"),
    }
    native_prov = provider("aws-native", "1_30_0", {"region": "eu-west-1"})
    good = resource(NATIVE_TRAIL, "native", inputs, prov=native_prov)
    assert delivery_urns(judge(pack, stack_with(good, native_prov))) == []
    bad = copy.deepcopy(good)
    for bag in ("inputs", "outputs"):
        bad[bag]["cloudWatchLogsGroupArn"] = bad[bag].pop("cloudWatchLogsLogGroupArn")  # aws-classic's name
    assert delivery_urns(judge(pack, stack_with(bad, native_prov))) == [bad["urn"]]


def test_a_typescript_component_trail_is_reported_under_its_nested_urn(pack: AnalyzerClient) -> None:
    parents = ["awsx:cloudtrail:Trail"]
    component = {
        "urn": urn("awsx:cloudtrail:Trail", "audit"),
        "custom": False,
        "type": "awsx:cloudtrail:Trail",
        "parent": urn("pulumi:pulumi:Stack", "audit-prod"),
        "outputs": {},
    }
    bare = aws_trail("audit", cloudWatchLogsGroupArn=None, cloudWatchLogsRoleArn=None)
    bare["urn"] = urn(AWS_TRAIL, "audit", parents)
    bare["parent"] = component["urn"]
    assert delivery_urns(judge(pack, stack_with(bare, component))) == [
        "urn:pulumi:prod::audit::awsx:cloudtrail:Trail$aws:cloudtrail/trail:Trail::audit"
    ]
