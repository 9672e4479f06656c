"""Stack policy: each trail's log group is in the stack, its role may write there, and CIS events raise alarms.

Coverage is judged by behaviour (``probes.judge_pattern``): a filter written differently from the
published string passes when it fires on the same reference events and on no benign one.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Mapping
from typing import Any

from pulumi_policy import (
    EnforcementLevel,
    PolicyConfigSchema,
    ReportViolation,
    Severity,
    StackValidationArgs,
    StackValidationPolicy,
)

from . import metadata
from .arns import LogGroupArn, RoleArn
from .iam import PolicyDocumentError, is_allowed, parse_document
from .probes import ItemProbes, PatternJudgement, judge_pattern, load_probes
from .properties import UNKNOWN, Absence, quote
from .stack_model import (
    Alarms,
    GrantIndex,
    LogGroup,
    MetricFilter,
    MetricFilters,
    Trail,
    alarms,
    find_log_group,
    log_groups,
    metric_filters,
    role_grants,
    trails,
)

CIS_ITEMS = tuple(f"4.{n}" for n in range(1, 16))
DELIVERY_ACTIONS = ("logs:CreateLogStream", "logs:PutLogEvents")


def _strings(value: Any) -> list[str]:
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


# --- role ---------------------------------------------------------------------------------------------


def _delivery_streams(trail: Trail, group: LogGroupArn, statements: list[Mapping[str, Any]]) -> list[str]:
    """Stream ARNs CloudTrail writes to; the grants must cover one of them for every delivery action."""
    if not trail.organization:
        return [group.stream_arn(f"{group.account}_CloudTrail_{group.region}")]
    # Organization trails write streams named "<organization id>_..."; the stack does not know the id, so
    # take it from grants scoped to "...:log-stream:o-<id>_*", and accept a grant on every stream.
    prefix = group.stream_arn("o-")
    streams = [group.stream_arn("o-*")]
    for statement in statements:
        resources = statement.get("Resource")
        for resource in resources if isinstance(resources, list) else [resources]:
            if isinstance(resource, str) and resource.startswith(prefix):
                literal = re.split(r"[*?]", resource, maxsplit=1)[0]
                streams.append(f"{literal}CloudTrail_{group.region}")
    return streams


def _role_problem(trail: Trail, grant_index: GrantIndex, allowed_roles: set[str]) -> str | None:
    if not isinstance(trail.log_group, LogGroupArn) or not isinstance(trail.role, RoleArn):
        return None
    role_arn = f"arn:{trail.role.partition}:iam::{trail.role.account}:role{trail.role.path}{trail.role.name}"
    if role_arn in allowed_roles:
        return None
    grants = role_grants(trail.role, role_arn, grant_index)
    if grants.unknown:
        return None
    if not grants.declared:
        return (
            f'its role "{trail.role.name}" is not declared in this stack, so its permissions cannot be '
            "checked; declare it here or list its ARN in allowedExternalRoleArns"
        )
    statements: list[Mapping[str, Any]] = []
    for document in grants.documents:
        try:
            statements.extend(parse_document(document))
        except PolicyDocumentError:
            continue
    streams = _delivery_streams(trail, trail.log_group, statements)
    for stream in streams:
        if all(is_allowed(statements, action, stream) for action in DELIVERY_ACTIONS):
            return None
    stream = streams[0]
    missing = [action for action in DELIVERY_ACTIONS if not is_allowed(statements, action, stream)]
    unseen = ""
    if grants.undeclared_policy_arns:
        unseen = (
            f" (attached policies not declared here were not inspected: {', '.join(grants.undeclared_policy_arns)})"
        )
    return (
        f'its role "{trail.role.name}" does not allow {" and ".join(missing)} on {quote(stream)}{unseen}; '
        f'grant them on "{trail.log_group.group_arn}:*"'
    )


# --- coverage -----------------------------------------------------------------------------------------


def _alarm_problem(metric_filter: MetricFilter, stack_alarms: Alarms) -> str | None:
    """None when an alarm with an action watches the filter's metric (or that is not known yet)."""
    metric, namespace = metric_filter.metric_name, metric_filter.namespace
    if metric is UNKNOWN or namespace is UNKNOWN or stack_alarms.some_metric_unknown:
        return None
    watching = stack_alarms.watching(metric, namespace)
    complaints = []
    for alarm in watching:
        if alarm.actions is UNKNOWN:
            return None
        has_action = isinstance(alarm.actions, list) and len(alarm.actions) > 0
        if has_action and alarm.actions_enabled is not False:
            return None
        why = "has no alarm action" if not has_action else "has actionsEnabled false"
        complaints.append(f'alarm "{alarm.resource.name}" {why}')
    if complaints:
        return "; ".join(complaints)
    same_name = stack_alarms.watching_name(metric)
    if same_name:
        other = next(ns for m, ns in same_name[0].metrics if m == metric)
        return (
            f'alarm "{same_name[0].resource.name}" watches metric "{metric}" in namespace "{other}", '
            f'not in the filter\'s namespace "{namespace}"'
        )
    return f'no alarm watches its metric "{metric}" in namespace "{namespace}"'


def _why_uncovered(item: ItemProbes, judged: list[tuple[MetricFilter, PatternJudgement]]) -> str:
    candidates = [(f, j.verdicts[item.id]) for f, j in judged if item.id in j.verdicts]
    if not candidates:
        return "no metric filter on the log group"
    best_filter, best = max(candidates, key=lambda c: c[1].fired_on)
    if best.fired_on == 0:
        return "no metric filter on the log group fires on its reference events"
    if not best.missed:
        hits = ", ".join(best.benign_hits[:3])
        return f'metric filter "{best_filter.resource.name}" also fires on benign events ({hits})'
    missed = ", ".join(best.missed[:4]) + (", ..." if len(best.missed) > 4 else "")
    return (
        f'the closest metric filter "{best_filter.resource.name}" does not fire on {len(best.missed)} of its '
        f"reference events ({missed})"
    )


def _coverage_problems(
    group: LogGroup,
    filters: MetricFilters,
    stack_alarms: Alarms,
    required: Iterable[str],
    require_extended: bool,
) -> list[str] | None:
    on_group = filters.on(group)
    if on_group is UNKNOWN or isinstance(on_group, Absence):
        return None
    if any(f.pattern is UNKNOWN for f in on_group):
        return None
    problems: list[str] = []
    judged: list[tuple[MetricFilter, PatternJudgement]] = []
    for f in on_group:
        if not isinstance(f.pattern, str):
            continue
        judgement = judge_pattern(f.pattern, require_extended)
        if judgement.parse_error:
            problems.append(
                f'metric filter "{f.resource.name}" has a pattern that does not parse, so it covers nothing: '
                f"{judgement.parse_error}"
            )
        judged.append((f, judgement))
    probes = load_probes()
    for item_id in required:
        item = probes.items.get(item_id)
        if item is None:
            problems.append(f'"{item_id}" in requiredItems is not a CIS item this pack knows (4.1 to 4.15)')
            continue
        covering = [f for f, j in judged if j.covers(item_id)]
        if not covering:
            problems.append(f"{item.label}: {_why_uncovered(item, judged)}")
            continue
        alarm_problems = [_alarm_problem(f, stack_alarms) for f in covering]
        if any(p is None for p in alarm_problems):
            continue
        problems.append(
            f'{item.label}: metric filter "{covering[0].resource.name}" matches it, but {alarm_problems[0]}'
        )
    return problems


def validate_alarm_on_cis_events(args: StackValidationArgs, report_violation: ReportViolation) -> None:
    config = args.get_config()
    allowed_groups = {arn.removesuffix(":*") for arn in _strings(config.get("allowedExternalLogGroupArns"))}
    allowed_roles = set(_strings(config.get("allowedExternalRoleArns")))
    required = _strings(config.get("requiredItems")) or list(CIS_ITEMS)
    require_extended = config.get("requireExtendedEventNames") is True
    resources = list(args.resources)
    # Each index is built once: a lookup per trail, not a scan of the stack per trail, keeps this linear.
    groups = log_groups(resources)
    filters = metric_filters(resources)
    stack_alarms = alarms(resources)
    grant_index = GrantIndex(resources)

    for trail in trails(resources):
        group = find_log_group(trail, groups)
        problems: list[str] = []
        declared_or_allowed = group is not None or (
            isinstance(trail.log_group, LogGroupArn) and trail.log_group.group_arn in allowed_groups
        )
        if not declared_or_allowed and isinstance(trail.log_group, LogGroupArn):
            problems.append(
                f'its log group "{trail.log_group.name}" is not declared in this stack; declare it here '
                "(so its filters and alarms can be checked) or list its ARN in allowedExternalLogGroupArns"
            )
        role_problem = _role_problem(trail, grant_index, allowed_roles)
        if role_problem:
            problems.append(role_problem)
        if isinstance(group, LogGroup):
            coverage = _coverage_problems(group, filters, stack_alarms, required, require_extended)
            problems.extend(coverage or [])
        if problems:
            listed = metadata.problem_list(problems)
            report_violation(
                f"{metadata.trail_label(trail.resource.name)} must deliver to a log group in this stack that "
                "it may write to, with a "
                f"metric filter and an alarm with an action for each CIS item (CIS 4.1-4.15, Security Hub "
                f"CloudWatch.1-.14):\n{listed}\nFix: {metadata.COMPONENT_HINT}; or add, for each item listed, "
                "a metric filter on the trail's log group whose pattern matches the item's events and an "
                "alarm on the filter's metric name and namespace with an SNS alarm action.",
                trail.resource.urn,
            )


ALARM_ON_CIS_EVENTS = StackValidationPolicy(
    name="cloudtrail-trail-alarm-on-cis-events",
    description=(
        "CloudTrail trails must deliver to a log group declared in the stack that their role may write to, "
        "with a metric filter and an alarm with an action for each CIS monitoring item."
    ),
    validate=validate_alarm_on_cis_events,
    enforcement_level=EnforcementLevel.ADVISORY,
    config_schema=PolicyConfigSchema(
        properties={
            "allowedExternalLogGroupArns": {
                "type": "array",
                "items": {"type": "string"},
                "default": [],
                "description": "Log group ARNs (with or without :*) owned by another stack; their filters "
                "and alarms are that stack's to check.",
            },
            "allowedExternalRoleArns": {
                "type": "array",
                "items": {"type": "string"},
                "default": [],
                "description": "Delivery role ARNs owned by another stack; their grants are not checked.",
            },
            "requiredItems": {
                "type": "array",
                "items": {"type": "string", "enum": list(CIS_ITEMS)},
                "default": list(CIS_ITEMS),
                "description": "CIS AWS Foundations v1.4.0 items that need a metric filter and an alarm.",
            },
            "requireExtendedEventNames": {
                "type": "boolean",
                "default": False,
                "description": "Also require the event names later CIS versions add (4.10 "
                "ModifySecurityGroupRules; 4.15 CancelHandshake, CreateOrganization, EnableAllFeatures).",
            },
        }
    ),
    severity=Severity.LOW,
    framework=metadata.cis(
        "4.1-4.15",
        "Ensure a log metric filter and alarm exist for each monitored event class (Security Hub CloudWatch.1 "
        "to CloudWatch.14).",
    ),
    tags=["cloudtrail", "cloudwatch", *(f"CloudWatch.{n}" for n in range(1, 15))],
    remediation_steps=(
        "Use compliant_cloudtrail.CompliantTrail, or for each CIS item add an aws.cloudwatch.LogMetricFilter on the "
        "trail's log group and an aws.cloudwatch.MetricAlarm on its metric name and namespace whose "
        "alarmActions name an SNS topic; grant the delivery role logs:CreateLogStream and logs:PutLogEvents "
        'on "<log group arn>:*".'
    ),
    url=metadata.control_url("CloudWatch.1"),
)
