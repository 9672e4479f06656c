"""The policy pack's contents, kept importable so tests see exactly what ``__main__`` serves."""

from __future__ import annotations

from pulumi_policy import Policy

from .retention import RETAIN_CLOUDTRAIL_LOGS
from .stack_coverage import ALARM_ON_CIS_EVENTS
from .trail_policies import TRAIL_POLICIES

PACK_NAME = "compliant-cloudtrail"
PACK_DESCRIPTION = (
    "Every CloudTrail trail delivers to CloudWatch Logs, and its security events raise alarms "
    "(AWS Security Hub CloudTrail.1, .2, .4, .5, CloudWatch.1-.14, .16; CIS AWS Foundations v1.4.0 3.4, 4.1-4.15)."
)


def policies() -> list[Policy]:
    return [*TRAIL_POLICIES, RETAIN_CLOUDTRAIL_LOGS, ALARM_ON_CIS_EVENTS]
