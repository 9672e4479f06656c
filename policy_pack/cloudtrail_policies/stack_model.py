"""The stack as the stack policies need it: trails linked to their log group, filters, alarms, role grants.

AnalyzeStack hands over resource *outputs*. During preview, outputs of resources created in the same
update are unknown; every lookup here returns UNKNOWN rather than guessing, and callers skip a check
whose inputs are unknown (it runs with real values when ``pulumi up`` finishes).
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from typing import Any

from pulumi_policy import PolicyResource

from .arns import ArnError, LogGroupArn, RoleArn, parse_log_group_arn, parse_role_arn
from .properties import MISSING, UNKNOWN, Absence, Value, read, read_path
from .trail_fields import TRAIL_FIELDS

AWS_LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup"
NATIVE_LOG_GROUP = "aws-native:logs:LogGroup"
AWS_METRIC_FILTER = "aws:cloudwatch/logMetricFilter:LogMetricFilter"
NATIVE_METRIC_FILTER = "aws-native:logs:MetricFilter"
AWS_ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm"
NATIVE_ALARM = "aws-native:cloudwatch:Alarm"
AWS_ROLE = "aws:iam/role:Role"
AWS_ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy"
AWS_ROLE_POLICY_ATTACHMENT = "aws:iam/rolePolicyAttachment:RolePolicyAttachment"
AWS_POLICY_ATTACHMENT = "aws:iam/policyAttachment:PolicyAttachment"
AWS_POLICY = "aws:iam/policy:Policy"
NATIVE_ROLE = "aws-native:iam:Role"
NATIVE_ROLE_POLICY = "aws-native:iam:RolePolicy"

_LOG_GROUP_NAME_FIELD = {AWS_LOG_GROUP: "name", NATIVE_LOG_GROUP: "logGroupName"}


@dataclass(frozen=True)
class Trail:
    resource: PolicyResource
    fields_log_group: str
    log_group: LogGroupArn | Absence | None
    """The parsed ARN; None when set but malformed (the resource policy reports that)."""
    role: RoleArn | Absence | None
    organization: bool


@dataclass(frozen=True)
class LogGroup:
    resource: PolicyResource
    name: Value
    arn: Value
    """Without the ``:*`` wildcard."""
    retention_days: Value
    log_group_class: Value


@dataclass(frozen=True)
class MetricFilter:
    resource: PolicyResource
    log_group_name: Value
    pattern: Value
    metric_name: Value
    namespace: Value


@dataclass(frozen=True)
class Alarm:
    resource: PolicyResource
    metrics: tuple[tuple[Value, Value], ...]
    """(metric name, namespace) pairs the alarm watches."""
    actions: Value
    actions_enabled: Value


def _parse(value: Value, parser: Any) -> Any:
    if isinstance(value, Absence):
        return value
    if not isinstance(value, str):
        return None
    try:
        return parser(value)
    except ArnError:
        return None


def trails(resources: Iterable[PolicyResource]) -> list[Trail]:
    found = []
    for r in resources:
        fields = TRAIL_FIELDS.get(r.resource_type)
        if fields is None:
            continue
        found.append(
            Trail(
                resource=r,
                fields_log_group=fields.log_group_arn,
                log_group=_parse(read(r.props, fields.log_group_arn), parse_log_group_arn),
                role=_parse(read(r.props, fields.role_arn), parse_role_arn),
                organization=read(r.props, fields.organization_trail) is True,
            )
        )
    return found


def log_groups(resources: Iterable[PolicyResource]) -> list[LogGroup]:
    found = []
    for r in resources:
        name_field = _LOG_GROUP_NAME_FIELD.get(r.resource_type)
        if name_field is None:
            continue
        arn = read(r.props, "arn")
        if isinstance(arn, str):
            arn = arn.removesuffix(":*")
        found.append(
            LogGroup(
                resource=r,
                name=read(r.props, name_field),
                arn=arn,
                retention_days=read(r.props, "retentionInDays"),
                log_group_class=read(r.props, "logGroupClass"),
            )
        )
    return found


def find_log_group(trail: Trail, groups: list[LogGroup]) -> LogGroup | Absence | None:
    """The declared log group a trail delivers to; UNKNOWN if that cannot be told yet, None if not declared."""
    if isinstance(trail.log_group, LogGroupArn):
        target = trail.log_group
        for group in groups:
            # Preview knows a new group's name but not its ARN; match on the name then.
            if group.arn == target.group_arn or (group.name == target.name and not isinstance(group.arn, str)):
                return group
        return None
    if trail.log_group is UNKNOWN:
        # Preview: the ARN is an output of a log group created in this update; the engine still
        # knows which resource the property came from.
        sources = trail.resource.property_dependencies.get(trail.fields_log_group, [])
        for group in groups:
            if any(source.urn == group.resource.urn for source in sources):
                return group
        return UNKNOWN
    return MISSING


def metric_filters(resources: Iterable[PolicyResource]) -> list[MetricFilter]:
    found = []
    for r in resources:
        if r.resource_type == AWS_METRIC_FILTER:
            found.append(
                MetricFilter(
                    resource=r,
                    log_group_name=read(r.props, "logGroupName"),
                    pattern=read(r.props, "pattern"),
                    metric_name=read_path(r.props, "metricTransformation", "name"),
                    namespace=read_path(r.props, "metricTransformation", "namespace"),
                )
            )
        elif r.resource_type == NATIVE_METRIC_FILTER:
            transformations = read(r.props, "metricTransformations")
            entries = transformations if isinstance(transformations, list) else [{}]
            for entry in entries:
                entry = entry if isinstance(entry, Mapping) else {}
                found.append(
                    MetricFilter(
                        resource=r,
                        log_group_name=read(r.props, "logGroupName"),
                        pattern=read(r.props, "filterPattern"),
                        metric_name=UNKNOWN if transformations is UNKNOWN else entry.get("metricName", MISSING),
                        namespace=UNKNOWN if transformations is UNKNOWN else entry.get("metricNamespace", MISSING),
                    )
                )
    return found


def filters_on(group: LogGroup, filters: list[MetricFilter]) -> list[MetricFilter] | Absence:
    """The filters on a log group; UNKNOWN if the group's or a filter's group name is not known yet."""
    if group.name is UNKNOWN:
        return UNKNOWN
    chosen = []
    for f in filters:
        if f.log_group_name == group.name:
            chosen.append(f)
        elif f.log_group_name is UNKNOWN:
            sources = f.resource.property_dependencies.get("logGroupName", [])
            if any(s.urn == group.resource.urn for s in sources):
                chosen.append(f)
    return chosen


def alarms(resources: Iterable[PolicyResource]) -> list[Alarm]:
    found = []
    for r in resources:
        if r.resource_type not in (AWS_ALARM, NATIVE_ALARM):
            continue
        metrics = [(read(r.props, "metricName"), read(r.props, "namespace"))]
        queries = read(r.props, "metricQueries")
        if isinstance(queries, list):
            for query in queries:
                metric = query.get("metric") if isinstance(query, Mapping) else None
                if isinstance(metric, Mapping):
                    metrics.append((metric.get("metricName", MISSING), metric.get("namespace", MISSING)))
        found.append(
            Alarm(
                resource=r,
                metrics=tuple(metrics),
                actions=read(r.props, "alarmActions"),
                actions_enabled=read(r.props, "actionsEnabled"),
            )
        )
    return found


# --- the delivery role's grants ---------------------------------------------------------------------


@dataclass(frozen=True)
class RoleGrants:
    declared: bool
    documents: list[Any]
    """Policy documents (JSON strings or objects) attached to the role and declared in the stack."""
    undeclared_policy_arns: list[str]
    unknown: bool
    """Some grant is not known yet (preview)."""


def _by_type(resources: Iterable[PolicyResource], *types: str) -> list[PolicyResource]:
    return [r for r in resources if r.resource_type in types]


def role_grants(role: RoleArn, role_arn: str, resources: list[PolicyResource]) -> RoleGrants:
    names = {role.name, role_arn}
    documents: list[Any] = []
    attached: list[Value] = []
    unknown = False
    declared = False

    for r in _by_type(resources, AWS_ROLE, NATIVE_ROLE):
        name_field = "name" if r.resource_type == AWS_ROLE else "roleName"
        if read(r.props, "arn") != role_arn and read(r.props, name_field) != role.name:
            continue
        declared = True
        if r.resource_type == AWS_ROLE:
            inline = read(r.props, "inlinePolicies")
            unknown |= inline is UNKNOWN
            for entry in inline if isinstance(inline, list) else []:
                if isinstance(entry, Mapping) and entry.get("policy"):
                    documents.append(entry["policy"])
        else:
            inline = read(r.props, "policies")
            unknown |= inline is UNKNOWN
            for entry in inline if isinstance(inline, list) else []:
                if isinstance(entry, Mapping) and entry.get("policyDocument"):
                    documents.append(entry["policyDocument"])
        managed = read(r.props, "managedPolicyArns")
        unknown |= managed is UNKNOWN
        attached.extend(managed if isinstance(managed, list) else [])

    for r in _by_type(resources, AWS_ROLE_POLICY, NATIVE_ROLE_POLICY):
        target = read(r.props, "role" if r.resource_type == AWS_ROLE_POLICY else "roleName")
        document = read(r.props, "policy" if r.resource_type == AWS_ROLE_POLICY else "policyDocument")
        if target is UNKNOWN:
            unknown = True
        elif target in names:
            unknown |= document is UNKNOWN
            if not isinstance(document, Absence):
                documents.append(document)

    for r in _by_type(resources, AWS_ROLE_POLICY_ATTACHMENT):
        target = read(r.props, "role")
        if target is UNKNOWN:
            unknown = True
        elif target in names:
            attached.append(read(r.props, "policyArn"))
    for r in _by_type(resources, AWS_POLICY_ATTACHMENT):
        roles = read(r.props, "roles")
        if roles is UNKNOWN:
            unknown = True
        elif isinstance(roles, list) and names & set(roles):
            attached.append(read(r.props, "policyArn"))

    policies = {read(p.props, "arn"): read(p.props, "policy") for p in _by_type(resources, AWS_POLICY)}
    undeclared = []
    for arn in attached:
        if arn is UNKNOWN:
            unknown = True
        elif arn in policies:
            document = policies[arn]
            unknown |= document is UNKNOWN
            if not isinstance(document, Absence):
                documents.append(document)
        elif isinstance(arn, str):
            undeclared.append(arn)
    return RoleGrants(declared, documents, undeclared, unknown or UNKNOWN in policies)
