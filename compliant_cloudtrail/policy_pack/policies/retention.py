"""Stack policy: the log group a trail delivers to keeps events at least N days (Security Hub CloudWatch.16).

Stack-level because the rule is about the trail's group, and only the stack links the two. A retention
of 0 or none means "never expire", which is compliant (AWS Config cw-loggroup-retention-period-check).
"""

from __future__ import annotations

from pulumi_policy import (
    EnforcementLevel,
    PolicyConfigSchema,
    ReportViolation,
    Severity,
    StackValidationArgs,
    StackValidationPolicy,
)

from . import metadata
from .properties import MISSING, UNKNOWN, as_whole_number, describe
from .stack_model import LogGroup, find_log_group, log_groups, trails

DEFAULT_MINIMUM_DAYS = 365
# Log groups of the DELIVERY class keep events for 2 days whatever retentionInDays says (pulumi-aws docs).
DELIVERY_CLASS_DAYS = 2


def _minimum(config_value: object) -> int:
    days = as_whole_number(config_value)
    return days if days is not None and days >= 1 else DEFAULT_MINIMUM_DAYS


def _retention_problem(group: LogGroup, minimum: int) -> str | None:
    if group.log_group_class == "DELIVERY":
        return (
            f"is of the DELIVERY class, which keeps events {DELIVERY_CLASS_DAYS} days; use the STANDARD "
            "or INFREQUENT_ACCESS class"
        )
    value = group.retention_days
    if value is UNKNOWN or value is MISSING:
        return None
    days = as_whole_number(value)
    if days is None:
        return f"has retentionInDays that is {describe(value)}, not a number of days"
    if days == 0 or days >= minimum:
        return None
    return f"keeps events {days} days; it must keep them at least {minimum} days (or never expire)"


def validate_retention(args: StackValidationArgs, report_violation: ReportViolation) -> None:
    minimum = _minimum(args.get_config().get("minimumRetentionDays"))
    groups = log_groups(args.resources)
    for trail in trails(args.resources):
        group = find_log_group(trail, groups)
        if not isinstance(group, LogGroup):
            continue
        problem = _retention_problem(group, minimum)
        if problem:
            report_violation(
                f'The log group "{group.resource.name}" that CloudTrail trail "{trail.resource.name}" delivers '
                f"to {problem} (Security Hub CloudWatch.16).\nFix: set retentionInDays to {minimum} or more "
                "(or leave it unset to keep events forever).",
                group.resource.urn,
            )


RETAIN_CLOUDTRAIL_LOGS = StackValidationPolicy(
    name="cloudwatch-log-group-retain-cloudtrail-logs",
    description="Log groups that receive CloudTrail events must keep them for at least the minimum retention.",
    validate=validate_retention,
    enforcement_level=EnforcementLevel.ADVISORY,
    config_schema=PolicyConfigSchema(
        properties={
            "minimumRetentionDays": {
                "type": "integer",
                "minimum": 1,
                "default": DEFAULT_MINIMUM_DAYS,
                "description": "Fewest days a trail's log group must keep events; 0 (never expire) always passes.",
            }
        }
    ),
    severity=Severity.MEDIUM,
    framework=metadata.security_hub(
        "CloudWatch.16", "CloudWatch log groups should be retained for a specified time period."
    ),
    tags=["cloudtrail", "cloudwatch", "CloudWatch.16"],
    remediation_steps="Set retentionInDays on the trail's log group to at least minimumRetentionDays (365 "
    "by default), or leave it unset so events never expire.",
    url=metadata.control_url("CloudWatch.16"),
)
