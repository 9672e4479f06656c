"""The stack policies (retention, CIS alarm coverage) answer every stack, and retention's verdict follows its label."""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from compliant_cloudtrail.check.analyzer_client import AnalyzerClient

from . import noise
from .fuzz_settings import fuzz
from .pack_calls import AWS_TRAIL, RETENTION, analyze_stack, of_policy, resource
from .stack_bags import (
    AROUND_A_TRAIL,
    AWS_LOG_GROUP,
    AWS_ROLE,
    GROUP_ARN,
    GROUP_NAME,
    NATIVE_LOG_GROUP,
    ROLE_ARN,
    ROLE_NAME,
    stacks,
)
from .wire import UNKNOWN_STRING, secret

FUZZ = fuzz(40)


@FUZZ
@given(stack=stacks(), mode=st.sampled_from(["update", "preview"]))
def test_any_stack_is_answered(packs: dict[str, AnalyzerClient], stack: list[dict[str, Any]], mode: str) -> None:
    analyze_stack(packs[mode], stack)


@FUZZ
@given(stack=stacks(AROUND_A_TRAIL, wired_backbone=True), mode=st.sampled_from(["update", "preview"]))
def test_anything_around_a_wired_trail_is_answered(
    packs: dict[str, AnalyzerClient], stack: list[dict[str, Any]], mode: str
) -> None:
    """A trail, its log group and role exactly wired: every filter, alarm, grant and document drawn is judged."""
    analyze_stack(packs[mode], stack)


# --- retention ------------------------------------------------------------------------------------------

# Retention values CloudWatch Logs accepts (PutRetentionPolicy), split at the pack's default minimum of 365.
ACCEPTED_DAYS = (
    1,
    3,
    5,
    7,
    14,
    30,
    60,
    90,
    120,
    150,
    180,
    365,
    400,
    545,
    731,
    1096,
    1827,
    2192,
    2557,
    2922,
    3288,
    3653,
)
MINIMUM_DAYS = 365


@dataclass(frozen=True)
class RetentionCase:
    family: str
    violation: bool
    fields: dict[str, Any]


def _case(family: str, violation: bool) -> Any:
    return lambda fields: RetentionCase(family, violation, fields)


def retention_cases() -> st.SearchStrategy[RetentionCase]:
    """The documented contract (pack README): at least N days (365 by default); 0 or unset never expires and
    passes; the DELIVERY class keeps events 2 days whatever retentionInDays says; unknown is checked later."""

    def as_sent(days: list[int]) -> st.SearchStrategy[int | float]:
        # Numbers cross gRPC as doubles; a program may also have written 365.0.
        return st.sampled_from(days).flatmap(lambda d: st.sampled_from([d, float(d)]))

    long_enough = as_sent([0] + [d for d in ACCEPTED_DAYS if d >= MINIMUM_DAYS])
    too_short = as_sent([d for d in ACCEPTED_DAYS if d < MINIMUM_DAYS])
    keeping = st.one_of(
        long_enough.map(lambda d: {"retentionInDays": d}),
        st.sampled_from([{}, {"retentionInDays": None}]),
        st.just({"retentionInDays": UNKNOWN_STRING}),
    )
    standard_class = st.sampled_from([{}, {"logGroupClass": "STANDARD"}, {"logGroupClass": "INFREQUENT_ACCESS"}])
    return st.one_of(
        st.builds(lambda a, b: {**a, **b}, keeping, standard_class).map(_case("keeps long enough", False)),
        st.builds(
            lambda d, c: {"retentionInDays": d, **c},
            too_short,
            standard_class,
        ).map(_case("expires too soon", True)),
        st.builds(lambda a: {**a, "logGroupClass": "DELIVERY"}, keeping).map(_case("DELIVERY class", True)),
    )


def _secret_values(fields: dict[str, Any], wrap: bool) -> dict[str, Any]:
    return {k: secret(v) for k, v in fields.items()} if wrap else fields


@FUZZ
@given(
    case=retention_cases(),
    wrap=st.booleans(),
    group_noise=noise.bag(exclude=frozenset({"name", "arn", "retentionInDays", "logGroupClass"})),
    others=stacks(tuple(t for t in AROUND_A_TRAIL if t not in (AWS_LOG_GROUP, NATIVE_LOG_GROUP))),
    mode=st.sampled_from(["update", "preview"]),
)
def test_retention_verdict_follows_the_label(
    packs: dict[str, AnalyzerClient],
    case: RetentionCase,
    wrap: bool,
    group_noise: dict[str, Any],
    others: list[dict[str, Any]],
    mode: str,
) -> None:
    group = resource(
        AWS_LOG_GROUP,
        "trail-logs",
        {**group_noise, "name": GROUP_NAME, "arn": GROUP_ARN, **_secret_values(case.fields, wrap)},
    )
    trail = resource(
        AWS_TRAIL, "audit", {"cloudWatchLogsGroupArn": f"{GROUP_ARN}:*", "cloudWatchLogsRoleArn": ROLE_ARN}
    )
    role = resource(AWS_ROLE, "delivery", {"name": ROLE_NAME, "arn": ROLE_ARN})
    # ``others`` starts with a drawn backbone of its own: a second trail or log group would blur the label.
    extra = [r for r in others if r["type"] not in (AWS_TRAIL, AWS_LOG_GROUP)]
    found = of_policy(analyze_stack(packs[mode], [group, trail, role, *extra]), RETENTION)
    if case.violation:
        assert [d.urn for d in found] == [group["urn"]], f"{case} not reported: {found}"
    else:
        assert found == [], f"{case} reported: {found[0].message}"
