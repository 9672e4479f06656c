"""Opt-in ``remediate`` for log file validation (Security Hub CloudTrail.4) and multi-region with global service
events (Security Hub CloudTrail.1), through the ``Remediate`` RPC of the running pack.

pulumi-policy 1.21 (``policy.py``, ``Remediate``) calls a policy's remediation only when its configured level is
``remediate`` and sends back the whole property bag it returned; the engine then analyses those properties.
Turning on these settings is an in-place UpdateTrail: ``name`` is the trail's only ForceNew attribute
(terraform-provider-aws ``internal/service/cloudtrail/trail.go``). Multi-region without global service events
is refused with InvalidParameterCombinationException (CloudTrail API Reference, UpdateTrail).
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from pulumi_policy.deserialize import SPECIAL_SECRET_SIG, SPECIAL_SIG_KEY
from pulumi_policy.proxy import UNKNOWN_BOOLEAN_VALUE

from .conftest import RemediatingPack

AWS = "aws:cloudtrail/trail:Trail"
NATIVE = "aws-native:cloudtrail:Trail"
VALIDATION = "cloudtrail-trail-enable-log-file-validation"
MULTI_REGION = "cloudtrail-trail-enable-multi-region"
BOTH_REMEDIATE = {VALIDATION: "remediate", MULTI_REGION: "remediate"}
KEY = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"

COMPLIANT: dict[str, Any] = {
    "name": "audit",
    "s3BucketName": "audit-logs-123456789012",
    "isMultiRegionTrail": True,
    "includeGlobalServiceEvents": True,
    "enableLogFileValidation": True,
    "kmsKeyId": KEY,
    "cloudWatchLogsGroupArn": "arn:aws:logs:us-east-1:123456789012:log-group:/aws/cloudtrail/audit:*",
    "cloudWatchLogsRoleArn": "arn:aws:iam::123456789012:role/audit-delivery",
}


def trail(changes: dict[str, Any], trail_type: str = AWS, **extra: Any) -> dict[str, Any]:
    props = {k: v for k, v in {**COMPLIANT, **changes}.items() if v is not None}
    return {"type": trail_type, "name": "audit", "urn": f"urn:pulumi:dev::p::{trail_type}::audit", "properties": props,
            **extra}


def fixed_by(pack: RemediatingPack, resource: dict[str, Any]) -> dict[str, dict[str, Any]]:
    """policy name -> the properties it returned; a remediation that only warns fails the test."""
    out = {}
    for r in pack.remediate(resource):
        assert r.diagnostic == "", f"{resource['urn']}: {r.policy_name}: {r.diagnostic}"
        out[r.policy_name] = r.properties
    return out


def changed(before: dict[str, Any], after: dict[str, Any]) -> dict[str, Any]:
    assert set(before) <= set(after), f"remediation dropped {set(before) - set(after)}"
    return {k: v for k, v in after.items() if before.get(k, "<absent>") != v}


# --- off by default --------------------------------------------------------------------------------------


def test_default_levels_never_remediate(pack: RemediatingPack) -> None:
    pack.configure({})
    bare = trail({"isMultiRegionTrail": None, "includeGlobalServiceEvents": False, "enableLogFileValidation": None})
    assert pack.remediate(bare) == []


def test_only_the_policies_set_to_remediate_remediate(pack: RemediatingPack) -> None:
    pack.configure({VALIDATION: "remediate"})
    bare = trail({"isMultiRegionTrail": False, "enableLogFileValidation": False})
    assert set(fixed_by(pack, bare)) == {VALIDATION}


# --- the fixes --------------------------------------------------------------------------------------------


@pytest.mark.parametrize("trail_type", [AWS, NATIVE])
@pytest.mark.parametrize("value", [False, None], ids=["false", "absent (defaults to false)"])
def test_log_file_validation_is_turned_on(pack: RemediatingPack, trail_type: str, value: Any) -> None:
    pack.configure(BOTH_REMEDIATE)
    resource = trail({"enableLogFileValidation": value}, trail_type)
    fixed = fixed_by(pack, resource)
    assert set(fixed) == {VALIDATION}, fixed
    assert changed(resource["properties"], fixed[VALIDATION]) == {"enableLogFileValidation": True}


@pytest.mark.parametrize("trail_type", [AWS, NATIVE])
@pytest.mark.parametrize(
    ("flags", "expected"),
    [
        ({"isMultiRegionTrail": False}, {"isMultiRegionTrail": True}),
        ({"isMultiRegionTrail": None}, {"isMultiRegionTrail": True}),
        # absent means true (pulumi-aws cloudtrail.Trail docs), so only the explicit false is changed
        ({"isMultiRegionTrail": None, "includeGlobalServiceEvents": None}, {"isMultiRegionTrail": True}),
        (
            {"isMultiRegionTrail": False, "includeGlobalServiceEvents": False},
            {"isMultiRegionTrail": True, "includeGlobalServiceEvents": True},
        ),
        ({"includeGlobalServiceEvents": False}, {"includeGlobalServiceEvents": True}),
    ],
    ids=repr,
)
def test_multi_region_and_global_events_are_turned_on_together(
    pack: RemediatingPack, trail_type: str, flags: dict[str, Any], expected: dict[str, Any]
) -> None:
    pack.configure(BOTH_REMEDIATE)
    resource = trail(flags, trail_type)
    fixed = fixed_by(pack, resource)
    assert set(fixed) == {MULTI_REGION}, fixed
    assert changed(resource["properties"], fixed[MULTI_REGION]) == expected


def test_both_fixes_apply_in_turn_to_one_bag(pack: RemediatingPack) -> None:
    pack.configure(BOTH_REMEDIATE)
    resource = trail({"isMultiRegionTrail": False, "enableLogFileValidation": False})
    fixed = fixed_by(pack, resource)
    last = fixed[VALIDATION]  # policies run in pack order; each sees the bag its predecessor returned
    assert changed(resource["properties"], last) == {"isMultiRegionTrail": True, "enableLogFileValidation": True}


def test_other_properties_keep_their_secrecy(pack: RemediatingPack) -> None:
    pack.configure(BOTH_REMEDIATE)
    secret_key = {SPECIAL_SIG_KEY: SPECIAL_SECRET_SIG, "value": KEY}
    resource = trail({"kmsKeyId": secret_key, "enableLogFileValidation": False})
    fixed = fixed_by(pack, resource)[VALIDATION]
    assert fixed["kmsKeyId"] == secret_key, json.dumps(fixed["kmsKeyId"])


def test_the_fixed_properties_pass_analysis(pack: RemediatingPack) -> None:
    pack.configure(BOTH_REMEDIATE)
    bare = {"isMultiRegionTrail": False, "includeGlobalServiceEvents": False, "enableLogFileValidation": None}
    resource = trail(bare)
    before = {d.policy_name for d in pack.client.analyze(resource).diagnostics}
    assert {VALIDATION, MULTI_REGION} <= before, before
    fixed = fixed_by(pack, resource)[VALIDATION]
    after = pack.client.analyze({**resource, "properties": fixed})
    assert [d for d in after.diagnostics if d.policy_name in (VALIDATION, MULTI_REGION)] == []


# --- nothing changes --------------------------------------------------------------------------------------


@pytest.mark.parametrize("trail_type", [AWS, NATIVE])
def test_a_compliant_trail_is_left_alone(pack: RemediatingPack, trail_type: str) -> None:
    pack.configure(BOTH_REMEDIATE)
    assert pack.remediate(trail({}, trail_type)) == []


@pytest.mark.parametrize(
    ("unknown", "still_reported"),
    [
        ({"enableLogFileValidation": UNKNOWN_BOOLEAN_VALUE}, set()),
        ({"isMultiRegionTrail": UNKNOWN_BOOLEAN_VALUE}, set()),
        # Half known: setting one flag while the other may turn out false risks InvalidParameterCombination,
        # so neither is set, and the known false is reported (at level remediate, as mandatory).
        ({"isMultiRegionTrail": UNKNOWN_BOOLEAN_VALUE, "includeGlobalServiceEvents": False}, {MULTI_REGION}),
        ({"isMultiRegionTrail": False, "includeGlobalServiceEvents": UNKNOWN_BOOLEAN_VALUE}, {MULTI_REGION}),
    ],
    ids=repr,
)
def test_values_unknown_at_preview_are_not_fixed_blindly(
    pack: RemediatingPack, unknown: dict[str, Any], still_reported: set[str]
) -> None:
    pack.configure(BOTH_REMEDIATE)
    resource = trail(unknown)
    assert pack.remediate(resource) == []
    # An unknown alone is no violation: the check runs again when the value is known.
    reported = {d.policy_name: d.enforcement_level for d in pack.client.analyze(resource).diagnostics}
    assert reported == {name: "mandatory" for name in still_reported}


def test_a_value_that_is_not_a_boolean_is_reported_not_guessed(pack: RemediatingPack) -> None:
    pack.configure(BOTH_REMEDIATE)
    resource = trail({"enableLogFileValidation": "true", "isMultiRegionTrail": 1})
    assert pack.remediate(resource) == []
    # pulumi-policy reports what a remediation left at level remediate as mandatory.
    reported = {d.policy_name: d.enforcement_level for d in pack.client.analyze(resource).diagnostics}
    assert reported == {VALIDATION: "mandatory", MULTI_REGION: "mandatory"}


def test_exempt_trails_are_left_alone(pack: RemediatingPack) -> None:
    exempt = {"enforcementLevel": "remediate", "exemptTrailNames": ["audit"]}
    pack.configure({VALIDATION: exempt, MULTI_REGION: exempt})
    assert pack.remediate(trail({"isMultiRegionTrail": False, "enableLogFileValidation": False})) == []


# --- organization trails seen from a member account: not ours to change ----------------------------------

MANAGEMENT, MEMBER = "111111111111", "222222222222"


def member_provider(allowed: list[str]) -> dict[str, Any]:
    return {
        "type": "pulumi:providers:aws",
        "urn": "urn:pulumi:dev::p::pulumi:providers:aws::default",
        "name": "default",
        "properties": {"allowedAccountIds": json.dumps(allowed)},
    }


@pytest.mark.parametrize(("allowed", "fixed"), [([MEMBER], False), ([MANAGEMENT], True)], ids=["member", "own"])
def test_a_member_view_of_an_organization_trail_is_not_remediated(
    pack: RemediatingPack, allowed: list[str], fixed: bool
) -> None:
    pack.configure(BOTH_REMEDIATE)
    org = {
        "isOrganizationTrail": True,
        "arn": f"arn:aws:cloudtrail:us-east-1:{MANAGEMENT}:trail/org",
        "enableLogFileValidation": False,
    }
    resource = trail(org, provider=member_provider(allowed))
    assert (set(fixed_by(pack, resource)) == {VALIDATION}) is fixed
