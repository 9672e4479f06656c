"""The member-account rule on ``pulumi stack export`` files, read by ``compliant_cloudtrail.check.state`` (used
read-only) and sent to the running pack the way ``AnalyzeSnapshot`` sends them: each resource's inputs, with
its provider's inputs. A member account's export holds the organization trail without CloudWatch Logs fields:
those live in the management account (CloudTrail User Guide, "Creating a trail for an organization")."""

from __future__ import annotations

import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from compliant_cloudtrail.check.analyzer_client import AnalyzerClient, AnalyzeResult
from compliant_cloudtrail.check.state import parse_state

PACK_DIR = Path(__file__).resolve().parents[2] / "compliant_cloudtrail" / "policy_pack"
DELIVERY = "cloudtrail-trail-deliver-to-cloudwatch-logs"
NOTE = "cloudtrail-trail-note-organization-member-view"
MANAGEMENT, MEMBER = "111111111111", "222222222222"
PREFIX = "urn:pulumi:member::audit::"
PROVIDER_URN = f"{PREFIX}pulumi:providers:aws::default_7_51_1"
TRAIL_URN = f"{PREFIX}aws:cloudtrail/trail:Trail::org-trail"


def member_export(allowed: list[str] | None, trail_inputs_carry_arn: bool = True) -> dict[str, Any]:
    """A hand-written v3 export: the stack, its default AWS provider, the organization trail it sees."""
    provider_inputs: dict[str, Any] = {"region": "us-east-1", "version": "7.51.1"}
    if allowed is not None:
        provider_inputs["allowedAccountIds"] = json.dumps(allowed)  # how the CLI stores list config
    arn = f"arn:aws:cloudtrail:us-east-1:{MANAGEMENT}:trail/org-trail"
    outputs = {
        "name": "org-trail",
        "s3BucketName": "org-audit-logs",
        "isOrganizationTrail": True,
        "isMultiRegionTrail": True,
        "includeGlobalServiceEvents": True,
        "enableLogFileValidation": True,
        "arn": arn,
        "homeRegion": "us-east-1",
    }
    # A discovered resource keeps every property it was read with; `pulumi import` keeps only the inputs
    # of the schema, which has no `arn` (pulumi-aws cloudtrail.Trail: an output).
    outputs_only = () if trail_inputs_carry_arn else ("arn", "homeRegion")
    inputs = {k: v for k, v in outputs.items() if k not in outputs_only}
    return {
        "version": 3,
        "deployment": {
            "manifest": {"time": "2025-01-01T00:00:00Z", "magic": "", "version": "v3.200.0"},
            "resources": [
                {"urn": f"{PREFIX}pulumi:pulumi:Stack::audit-member", "custom": False, "type": "pulumi:pulumi:Stack"},
                {
                    "urn": PROVIDER_URN,
                    "custom": True,
                    "id": "provider-id",
                    "type": "pulumi:providers:aws",
                    "inputs": provider_inputs,
                    "outputs": provider_inputs,
                },
                {
                    "urn": TRAIL_URN,
                    "custom": True,
                    "id": arn,
                    "type": "aws:cloudtrail/trail:Trail",
                    "inputs": inputs,
                    "outputs": outputs,
                    "provider": f"{PROVIDER_URN}::provider-id",
                },
            ],
        },
    }


@pytest.fixture(scope="module")
def pack() -> Iterator[AnalyzerClient]:
    with AnalyzerClient(PACK_DIR, project="audit", stack="member") as running:
        yield running


def judge(pack: AnalyzerClient, export: dict[str, Any]) -> AnalyzeResult:
    state = parse_state(export, Path("member.json"))
    result = AnalyzeResult()
    for resource in state.analyze_resources():
        result = result + pack.analyze(resource)
    return result


def test_member_accounts_export_gets_a_note_not_a_violation(pack: AnalyzerClient) -> None:
    result = judge(pack, member_export(allowed=[MEMBER]))
    assert result.mandatory == [], [d.message for d in result.mandatory]
    [note] = [d for d in result.diagnostics if d.policy_name == NOTE]
    assert note.enforcement_level == "advisory" and note.urn == TRAIL_URN
    assert MANAGEMENT in note.message, note.message


def test_the_management_accounts_own_export_stays_a_violation(pack: AnalyzerClient) -> None:
    result = judge(pack, member_export(allowed=[MANAGEMENT]))
    assert [(d.policy_name, d.urn) for d in result.mandatory] == [(DELIVERY, TRAIL_URN)]
    assert not [d for d in result.diagnostics if d.policy_name == NOTE]


def test_an_export_whose_provider_names_no_account_stays_a_violation_with_a_hint(pack: AnalyzerClient) -> None:
    result = judge(pack, member_export(allowed=None))
    [violation] = result.mandatory
    assert violation.policy_name == DELIVERY and "allowedAccountIds" in violation.message, violation.message


def test_an_imported_trail_whose_inputs_lack_its_arn_stays_a_violation(pack: AnalyzerClient) -> None:
    """Analyze sees inputs; without the ARN the owner is unknown, so the conservative answer stands."""
    result = judge(pack, member_export(allowed=[MEMBER], trail_inputs_carry_arn=False))
    assert [d.policy_name for d in result.mandatory] == [DELIVERY]
