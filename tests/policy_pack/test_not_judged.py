"""Unknown mandatory values: passed in a preview, NOT JUDGED in an update (issue 16 item 3, review L8).

The Pulumi CLI starts the pack with PULUMI_DRY_RUN "true" for a preview and "false" for an update (pulumi
``pkg/resource/plugin/analyzer_plugin.go``, ``constructEnv``). In an update every input is known when the engine
analyses a resource, so an unknown log group or role ARN there was not seen: the mandatory policy must say
"NOT JUDGED: <why>" through ``not_applicable`` (pulumi-policy ``ResourceValidationArgs.not_applicable``), never
pass it. A definite violation is still reported.
"""

from __future__ import annotations

import pytest
from policy_sdk_inputs import UNKNOWN_STRING, Verdict, secret, verdict_through_sdk

from compliant_cloudtrail.policy_pack.policies.trail_policies import DELIVER_TO_CLOUDWATCH_LOGS

GROUP = "arn:aws:logs:us-east-1:123456789012:log-group:/aws/cloudtrail/audit:*"
ROLE = "arn:aws:iam::123456789012:role/cloudtrail-to-cloudwatch"
AWS = "aws:cloudtrail/trail:Trail"
NATIVE = "aws-native:cloudtrail:Trail"
GROUP_FIELD = {AWS: "cloudWatchLogsGroupArn", NATIVE: "cloudWatchLogsLogGroupArn"}

both_types = pytest.mark.parametrize("trail_type", [AWS, NATIVE])


def trail(trail_type: str, **changes: object) -> dict[str, object]:
    return {"s3BucketName": "audit-logs", GROUP_FIELD[trail_type]: GROUP, "cloudWatchLogsRoleArn": ROLE, **changes}


def in_mode(monkeypatch: pytest.MonkeyPatch, dry_run: str | None) -> None:
    if dry_run is None:
        monkeypatch.delenv("PULUMI_DRY_RUN", raising=False)
    else:
        monkeypatch.setenv("PULUMI_DRY_RUN", dry_run)


@both_types
@pytest.mark.parametrize("field", ["group", "role"])
@pytest.mark.parametrize("dry_run", ["false", None], ids=["update", "no PULUMI_DRY_RUN"])
def test_an_unknown_delivery_arn_in_an_update_is_not_judged(
    monkeypatch: pytest.MonkeyPatch, trail_type: str, field: str, dry_run: str | None
) -> None:
    in_mode(monkeypatch, dry_run)
    key = GROUP_FIELD[trail_type] if field == "group" else "cloudWatchLogsRoleArn"
    verdict = verdict_through_sdk(DELIVER_TO_CLOUDWATCH_LOGS, trail_type, trail(trail_type, **{key: UNKNOWN_STRING}))
    assert verdict.messages == [], verdict
    [reason] = verdict.not_applicable
    assert reason.startswith("NOT JUDGED: "), reason
    assert 'CloudTrail trail "audit-trail"' in reason and key in reason and "outside a preview" in reason, reason


@both_types
def test_an_unknown_delivery_arn_in_a_preview_passes_as_the_cli_does(
    monkeypatch: pytest.MonkeyPatch, trail_type: str
) -> None:
    in_mode(monkeypatch, "true")
    props = trail(trail_type, **{GROUP_FIELD[trail_type]: UNKNOWN_STRING, "cloudWatchLogsRoleArn": UNKNOWN_STRING})
    assert verdict_through_sdk(DELIVER_TO_CLOUDWATCH_LOGS, trail_type, props) == Verdict([], [])


def test_a_secret_unknown_is_unknown_too(monkeypatch: pytest.MonkeyPatch) -> None:
    in_mode(monkeypatch, "false")
    verdict = verdict_through_sdk(
        DELIVER_TO_CLOUDWATCH_LOGS, AWS, trail(AWS, cloudWatchLogsGroupArn=secret(UNKNOWN_STRING))
    )
    assert verdict.messages == [] and len(verdict.not_applicable) == 1, verdict


def test_known_values_in_an_update_are_judged_not_set_aside(monkeypatch: pytest.MonkeyPatch) -> None:
    in_mode(monkeypatch, "false")
    assert verdict_through_sdk(DELIVER_TO_CLOUDWATCH_LOGS, AWS, trail(AWS)) == Verdict([], [])
    missing = {k: v for k, v in trail(AWS).items() if k != "cloudWatchLogsRoleArn"}
    verdict = verdict_through_sdk(DELIVER_TO_CLOUDWATCH_LOGS, AWS, missing)
    assert len(verdict.messages) == 1 and verdict.not_applicable == [], verdict


def test_a_known_bad_value_beside_an_unknown_one_is_a_violation_that_names_the_unseen_one(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    in_mode(monkeypatch, "false")
    props = trail(AWS, cloudWatchLogsGroupArn=UNKNOWN_STRING, cloudWatchLogsRoleArn="arn:aws:iam::123456789012:user/x")
    verdict = verdict_through_sdk(DELIVER_TO_CLOUDWATCH_LOGS, AWS, props)
    assert verdict.not_applicable == [], verdict
    [message] = verdict.messages
    assert "not an IAM role ARN" in message and "Also not judged" in message and "cloudWatchLogsGroupArn" in message
