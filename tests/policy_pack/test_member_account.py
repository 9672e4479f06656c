"""Organization trails seen from a member account (CloudTrail User Guide, "Creating a trail for an organization":
member accounts see the trail but cannot change it; its log group lives in the management account).

The delivery policy leaves such a trail alone and the note policy says why, but only when the pack can show
both accounts: the owner from the trail's own ARN, the stack's from the AWS provider's account guards
(pulumi-aws Provider ``allowedAccountIds``, ``forbiddenAccountIds``, ``assumeRoles``). Every test that shows
the rule applying has a twin in which the trail belongs to the stack's own account and stays a violation.
"""

from __future__ import annotations

import json
from typing import Any

import pytest
from policy_sdk_inputs import UNKNOWN_BOOL, UNKNOWN_STRING, Reports, provider, resource_args
from pulumi_policy import PolicyProviderResource

from compliant_cloudtrail.policy_pack.policies.member_view_note import validate_member_view_note
from compliant_cloudtrail.policy_pack.policies.trail_policies import validate_delivers_to_cloudwatch_logs

AWS = "aws:cloudtrail/trail:Trail"
NATIVE = "aws-native:cloudtrail:Trail"
MANAGEMENT = "111111111111"
MEMBER = "222222222222"
TRAIL_ARN = f"arn:aws:cloudtrail:us-east-1:{MANAGEMENT}:trail/org-trail"

# What a member account's export holds for the organization trail: no CloudWatch Logs fields of its own.
MEMBER_VIEW: dict[str, Any] = {
    "name": "org-trail",
    "s3BucketName": "org-audit-logs",
    "isOrganizationTrail": True,
    "isMultiRegionTrail": True,
    "arn": TRAIL_ARN,
}


def guarded(**config: Any) -> PolicyProviderResource:
    """An AWS provider as pulumi-aws's Provider sends its config: non-string values JSON-encoded (to_json)."""
    return provider({k: (v if isinstance(v, str) else json.dumps(v)) for k, v in config.items()})


def judge(
    props: dict[str, Any], prov: PolicyProviderResource | None, trail_type: str = AWS
) -> tuple[Reports, Reports]:
    delivery, note = Reports(), Reports()
    validate_delivers_to_cloudwatch_logs(resource_args(trail_type, props, provider=prov), delivery)
    validate_member_view_note(resource_args(trail_type, props, provider=prov), note)
    return delivery, note


def assert_member_view(delivery: Reports, note: Reports) -> None:
    assert delivery.calls == [], delivery.text()
    assert len(note.calls) == 1, note.calls
    assert MANAGEMENT in note.messages[0] and "management account" in note.messages[0], note.messages[0]


def assert_judged_here(delivery: Reports, note: Reports) -> None:
    assert len(delivery.calls) == 1, "the trail must stay under the mandatory policy"
    assert "cloudWatchLogs" in delivery.messages[0], delivery.messages[0]
    assert note.calls == [], note.text()


# --- the accounts differ: the rule applies; the same setting with the accounts equal: it does not ------------

PROOFS: dict[str, tuple[dict[str, Any], dict[str, Any]]] = {
    # name: (provider config proving the stack is elsewhere, the same kind of config naming the owner)
    "allowedAccountIds": ({"allowedAccountIds": [MEMBER]}, {"allowedAccountIds": [MEMBER, MANAGEMENT]}),
    "forbiddenAccountIds": ({"forbiddenAccountIds": [MANAGEMENT]}, {"forbiddenAccountIds": [MEMBER]}),
    "assumeRoles": (
        {"assumeRoles": [{"roleArn": f"arn:aws:iam::{MEMBER}:role/deployer"}]},
        {"assumeRoles": [{"roleArn": f"arn:aws:iam::{MANAGEMENT}:role/deployer"}]},
    ),
    # A chain ends in the account the provider finally works in.
    "assumeRoles chain": (
        {"assumeRoles": [{"roleArn": f"arn:aws:iam::{a}:role/hop"} for a in (MANAGEMENT, MEMBER)]},
        {"assumeRoles": [{"roleArn": f"arn:aws:iam::{a}:role/hop"} for a in (MEMBER, MANAGEMENT)]},
    ),
    "assumeRole (older providers)": (
        {"assumeRole": {"roleArn": f"arn:aws:iam::{MEMBER}:role/deployer"}},
        {"assumeRole": {"roleArn": f"arn:aws:iam::{MANAGEMENT}:role/deployer"}},
    ),
}


@pytest.mark.parametrize("trail_type", [AWS, NATIVE])
@pytest.mark.parametrize("proof", sorted(PROOFS))
def test_organization_trail_of_another_account_is_noted_not_violated(proof: str, trail_type: str) -> None:
    elsewhere, _ = PROOFS[proof]
    assert_member_view(*judge(MEMBER_VIEW, guarded(**elsewhere), trail_type))


@pytest.mark.parametrize("trail_type", [AWS, NATIVE])
@pytest.mark.parametrize("proof", sorted(PROOFS))
def test_organization_trail_of_the_stacks_own_account_stays_mandatory(proof: str, trail_type: str) -> None:
    _, same = PROOFS[proof]
    assert_judged_here(*judge(MEMBER_VIEW, guarded(**same), trail_type))


def test_provider_config_given_as_plain_lists_is_read_too() -> None:
    assert_member_view(*judge(MEMBER_VIEW, provider({"allowedAccountIds": [MEMBER]})))
    assert_judged_here(*judge(MEMBER_VIEW, provider({"allowedAccountIds": [MANAGEMENT]})))


def test_an_assumed_role_in_the_owners_account_wins_over_other_guards() -> None:
    # The provider works as the role's account; a stale allow-list naming another account proves nothing.
    prov = guarded(assumeRoles=[{"roleArn": f"arn:aws:iam::{MANAGEMENT}:role/d"}], allowedAccountIds=[MEMBER])
    assert_judged_here(*judge(MEMBER_VIEW, prov))


# --- anything unknown, absent or malformed keeps the mandatory policy ---------------------------------------

ELSEWHERE = {"allowedAccountIds": [MEMBER]}


@pytest.mark.parametrize(
    "change",
    [
        {"isOrganizationTrail": False},
        {"isOrganizationTrail": None},
        {"isOrganizationTrail": UNKNOWN_BOOL},
        {"isOrganizationTrail": "true"},
        {"arn": None},
        {"arn": UNKNOWN_STRING},
        {"arn": f"arn:aws:logs:us-east-1:{MANAGEMENT}:log-group:x"},
        {"arn": "org-trail"},
        {"arn": f"arn:aws:cloudtrail:us-east-1:{MANAGEMENT}:eventdatastore/x"},
    ],
    ids=repr,
)
def test_without_a_known_organization_trail_arn_the_rule_never_applies(change: dict[str, Any]) -> None:
    props = {k: v for k, v in {**MEMBER_VIEW, **change}.items() if v is not None}
    assert_judged_here(*judge(props, guarded(**ELSEWHERE)))


@pytest.mark.parametrize(
    "prov",
    [
        None,
        provider({"region": "us-east-1"}),
        provider({"allowedAccountIds": json.dumps([MEMBER])}, provider_type="pulumi:providers:random"),
        provider({"allowedAccountIds": UNKNOWN_STRING}),
        provider({"allowedAccountIds": json.dumps([MEMBER, "not-an-account"])}),
        provider({"allowedAccountIds": "[not json"}),
        provider({"allowedAccountIds": "[]"}),
        provider({"assumeRoles": json.dumps([{"roleArn": "arn:aws:sts::222222222222:assumed-role/x/y"}])}),
        provider({"assumeRoles": json.dumps([{"roleArn": UNKNOWN_STRING}])}),
    ],
    ids=["no provider", "no guard", "not aws", "unknown", "bad entry", "bad json", "empty", "sts arn", "unknown arn"],
)
def test_without_proof_of_another_stack_account_the_rule_never_applies(prov: PolicyProviderResource | None) -> None:
    assert_judged_here(*judge(MEMBER_VIEW, prov))


def test_without_proof_the_violation_says_how_to_let_the_pack_tell() -> None:
    delivery, _ = judge(MEMBER_VIEW, provider({"region": "us-east-1"}))
    assert "allowedAccountIds" in delivery.messages[0] and MANAGEMENT in delivery.messages[0], delivery.messages[0]
    # A guard that names the owner is an answer, not a gap: no hint then.
    delivery, _ = judge(MEMBER_VIEW, guarded(allowedAccountIds=[MANAGEMENT]))
    assert "allowedAccountIds" not in delivery.messages[0], delivery.messages[0]


def test_a_member_view_with_delivery_fields_is_noted_and_not_judged() -> None:
    """Even malformed delivery fields of a member view are the management account's to fix."""
    props = {**MEMBER_VIEW, "cloudWatchLogsGroupArn": "arn:aws:logs:us-east-1:111111111111:log-group:x"}
    assert_member_view(*judge(props, guarded(**ELSEWHERE)))
    assert_judged_here(*judge(props, guarded(allowedAccountIds=[MANAGEMENT])))


def test_note_is_silent_for_other_resource_types() -> None:
    note = Reports()
    args = resource_args("aws:s3/bucket:Bucket", MEMBER_VIEW, provider=guarded(**ELSEWHERE))
    validate_member_view_note(args, note)
    assert note.calls == []


# --- issue 16 / AWS review N-M2: a trail the stack manages is always judged --------------------------------

DELEGATED_ADMIN = "333333333333"


@pytest.mark.parametrize("trail_type", [AWS, NATIVE])
def test_a_delegated_administrators_own_organization_trail_is_judged(trail_type: str) -> None:
    """CloudTrail User Guide: "The management account remains the owner of any CloudTrail organization resources
    the delegated administrator creates". The administrator's stack creates the trail (no ``arn`` among its
    inputs), its provider works in the administrator's account: nothing may waive it."""
    props = {k: v for k, v in MEMBER_VIEW.items() if k != "arn"}
    prov = guarded(assumeRoles=[{"roleArn": f"arn:aws:iam::{DELEGATED_ADMIN}:role/deployer"}])
    assert_judged_here(*judge(props, prov, trail_type))
    prov = guarded(allowedAccountIds=[DELEGATED_ADMIN])
    assert_judged_here(*judge(props, prov, trail_type))


def test_the_note_sends_the_reader_to_the_stack_that_creates_the_trail() -> None:
    _, note = judge(MEMBER_VIEW, guarded(**ELSEWHERE))
    [message] = note.messages
    assert "run this pack on the stack of account" not in message, message
    assert "stack that creates it" in message and "delegated administrator" in message, message
    assert "reads" in message, message


def test_the_violation_hint_does_not_promise_a_judgement_elsewhere() -> None:
    delivery, _ = judge(MEMBER_VIEW, provider({"region": "us-east-1"}))
    [message] = delivery.messages
    assert "is judged there" not in message and "stack that creates it" in message, message
