"""The smallest property bags the fuzz found wrong answers for, pinned so that each stays a named regression
test whatever Hypothesis happens to draw (the fuzz tests find them too, with more noise around them)."""

from __future__ import annotations

from typing import Any

import pytest

from compliant_cloudtrail.check.analyzer_client import AnalyzerClient

from .pack_calls import AWS_TRAIL, DELIVERY, analyze, analyze_stack, of_policy, resource
from .stack_bags import (
    AWS_FILTER,
    AWS_LOG_GROUP,
    AWS_POLICY,
    AWS_ROLE,
    AWS_ROLE_POLICY,
    GROUP_ARN,
    GROUP_NAME,
    POLICY_ATTACHMENT,
    ROLE_ARN,
    ROLE_NAME,
    ROLE_POLICY_ATTACHMENT,
)

GOOD = {"cloudWatchLogsGroupArn": f"{GROUP_ARN}:*", "cloudWatchLogsRoleArn": ROLE_ARN}


# --- verdicts -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "log_group_arn",
    [
        # Arabic-Indic digits: Python's \d matches them; AWS account ids and regions are ASCII digits.
        "arn:aws:logs:us-east-1:\u0661\u0662\u0663\u0664\u0665\u0666\u0667\u0668\u0669\u0660\u0661\u0662"
        ":log-group:audit:*",
        "arn:aws:logs:us-east-\u0661:123456789012:log-group:audit:*",
    ],
    ids=["account", "region"],
)
def test_non_ascii_digits_are_not_an_account_or_region(update_pack: AnalyzerClient, log_group_arn: str) -> None:
    props = {**GOOD, "cloudWatchLogsGroupArn": log_group_arn}
    assert len(of_policy(analyze(update_pack, resource(AWS_TRAIL, "audit", props)), DELIVERY)) == 1


def test_a_role_path_longer_than_iam_allows_is_not_a_role(update_pack: AnalyzerClient) -> None:
    # IAM paths are 1 to 512 characters; this one has 513.
    props = {**GOOD, "cloudWatchLogsRoleArn": "arn:aws:iam::123456789012:role/" + "p/" * 256 + "deliver"}
    assert len(of_policy(analyze(update_pack, resource(AWS_TRAIL, "audit", props)), DELIVERY)) == 1


# --- messages -------------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    "props",
    [
        {**GOOD, "cloudWatchLogsGroupArn": "arn:aws:logs:us-east-1:123456789012:log-group:audit:s3cret"},
        {**GOOD, "cloudWatchLogsRoleArn": "arn:aws:iam::s3cret:role/deliver"},
    ],
    ids=["log group suffix", "role account"],
)
def test_quote_values_false_shows_no_part_of_the_value(unquoting_pack: AnalyzerClient, props: dict[str, Any]) -> None:
    [violation] = of_policy(analyze(unquoting_pack, resource(AWS_TRAIL, "audit", props)), DELIVERY)
    assert "s3cret" not in violation.message, violation.message


def test_a_huge_region_does_not_flood_the_message(update_pack: AnalyzerClient) -> None:
    props = {**GOOD, "cloudWatchLogsGroupArn": "arn:aws:logs:" + "x" * 100_000 + ":123456789012:log-group:a:*"}
    [violation] = of_policy(analyze(update_pack, resource(AWS_TRAIL, "audit", props)), DELIVERY)
    assert len(violation.message) < 3_000


# --- calls that fail --------------------------------------------------------------------------------------


def test_an_object_as_advanced_selector_field_is_answered(update_pack: AnalyzerClient) -> None:
    props = {**GOOD, "advancedEventSelectors": [{"fieldSelectors": [{"field": {}}]}]}
    analyze(update_pack, resource(AWS_TRAIL, "audit", props))


def _wired_stack(*extra: dict[str, Any], role: dict[str, Any] | None = None) -> list[dict[str, Any]]:
    return [
        resource(AWS_TRAIL, "audit", GOOD),
        resource(AWS_LOG_GROUP, "logs", {"name": GROUP_NAME, "arn": GROUP_ARN}),
        resource(AWS_ROLE, "delivery", role or {"name": ROLE_NAME, "arn": ROLE_ARN}),
        *extra,
    ]


STACKS_THAT_FAIL = {
    "role policy whose role is an object": _wired_stack(resource(AWS_ROLE_POLICY, "p", {"role": {}, "policy": "{}"})),
    "attachment whose role is an object": _wired_stack(
        resource(ROLE_POLICY_ATTACHMENT, "a", {"role": {}, "policyArn": "x"})
    ),
    "policy attachment whose roles hold an object": _wired_stack(
        resource(POLICY_ATTACHMENT, "a", {"roles": [{}], "policyArn": "x"})
    ),
    "policy whose arn is an object": _wired_stack(resource(AWS_POLICY, "p", {"arn": {}, "policy": "{}"})),
    "managed policy arn that is a list": _wired_stack(
        role={"name": ROLE_NAME, "arn": ROLE_ARN, "managedPolicyArns": [[]]}
    ),
    "policy document nested 1000 deep": _wired_stack(
        resource(AWS_ROLE_POLICY, "p", {"role": ROLE_NAME, "policy": "[" * 1000})
    ),
    "filter pattern nested 400 deep": _wired_stack(
        resource(
            AWS_FILTER, "f", {"logGroupName": GROUP_NAME, "pattern": "{ " + "(" * 400 + " $.a = 1 " + ")" * 400 + " }"}
        )
    ),
}


@pytest.mark.parametrize("stack", list(STACKS_THAT_FAIL.values()), ids=list(STACKS_THAT_FAIL))
def test_stack_is_answered(update_pack: AnalyzerClient, stack: list[dict[str, Any]]) -> None:
    analyze_stack(update_pack, stack)
