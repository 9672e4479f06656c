"""The stack as the stack policies need it: trails linked to their log group, filters, alarms, role grants.

AnalyzeStack hands over resource *outputs*. During preview, outputs of resources created in the same
update are unknown; every lookup here returns UNKNOWN rather than guessing, and callers skip a check
whose inputs are unknown (it runs with real values when ``pulumi up`` finishes).
"""

from __future__ import annotations

from collections import defaultdict
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


def log_groups(resources: Iterable[PolicyResource]) -> LogGroups:
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
    return LogGroups(found)


class LogGroups:
    """The stack's log groups, indexed once so that finding each trail's group is a lookup, not a scan."""

    def __init__(self, groups: list[LogGroup]) -> None:
        self.all = groups
        # Positions, so that when several groups match, the first declared wins as in a scan.
        self._by_arn: dict[str, int] = {}
        self._by_name_arn_unknown: dict[str, int] = {}
        self._by_urn: dict[str, int] = {}
        for position, group in enumerate(groups):
            if isinstance(group.arn, str):
                self._by_arn.setdefault(group.arn, position)
            elif isinstance(group.name, str):
                self._by_name_arn_unknown.setdefault(group.name, position)
            self._by_urn.setdefault(group.resource.urn, position)

    def _first(self, positions: Iterable[int | None]) -> LogGroup | None:
        found = [p for p in positions if p is not None]
        return self.all[min(found)] if found else None

    def by_arn(self, target: LogGroupArn) -> LogGroup | None:
        # Preview knows a new group's name but not its ARN; match on the name then.
        return self._first((self._by_arn.get(target.group_arn), self._by_name_arn_unknown.get(target.name)))

    def by_urn(self, urns: Iterable[str]) -> LogGroup | None:
        return self._first(self._by_urn.get(urn) for urn in urns)


def find_log_group(trail: Trail, groups: LogGroups) -> LogGroup | Absence | None:
    """The declared log group a trail delivers to; UNKNOWN if that cannot be told yet, None if not declared."""
    if isinstance(trail.log_group, LogGroupArn):
        return groups.by_arn(trail.log_group)
    if trail.log_group is UNKNOWN:
        # Preview: the ARN is an output of a log group created in this update; the engine still
        # knows which resource the property came from.
        sources = trail.resource.property_dependencies.get(trail.fields_log_group, [])
        group = groups.by_urn(source.urn for source in sources)
        return UNKNOWN if group is None else group
    return MISSING


def metric_filters(resources: Iterable[PolicyResource]) -> MetricFilters:
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
    return MetricFilters(found)


class MetricFilters:
    """The stack's metric filters by log group, so each group's filters are a lookup, not a scan."""

    def __init__(self, filters: list[MetricFilter]) -> None:
        # Positions keep declaration order when a group's filters come from both indexes.
        self._by_group_name: dict[str, list[tuple[int, MetricFilter]]] = defaultdict(list)
        # Preview: a filter on a group created in this update has an unknown group name; the engine still
        # knows which resource the name came from.
        self._by_source_urn: dict[str, list[tuple[int, MetricFilter]]] = defaultdict(list)
        for position, f in enumerate(filters):
            if isinstance(f.log_group_name, str):
                self._by_group_name[f.log_group_name].append((position, f))
            elif f.log_group_name is UNKNOWN:
                sources = f.resource.property_dependencies.get("logGroupName", [])
                for urn in dict.fromkeys(source.urn for source in sources):
                    self._by_source_urn[urn].append((position, f))

    def on(self, group: LogGroup) -> list[MetricFilter] | Absence:
        """The filters on a log group, in declaration order; UNKNOWN if the group's name is not known yet."""
        if group.name is UNKNOWN:
            return UNKNOWN
        chosen = list(self._by_source_urn.get(group.resource.urn, []))
        if isinstance(group.name, str):
            chosen += self._by_group_name.get(group.name, [])
        return [f for _, f in sorted(chosen, key=lambda entry: entry[0])]


def alarms(resources: Iterable[PolicyResource]) -> Alarms:
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
    return Alarms(found)


class Alarms:
    """The stack's alarms by the metrics they watch, so each filter's alarms are a lookup, not a scan."""

    def __init__(self, alarm_list: list[Alarm]) -> None:
        #: some alarm's metric is not known yet (preview): no filter can be said to lack an alarm
        self.some_metric_unknown = any(UNKNOWN in pair for alarm in alarm_list for pair in alarm.metrics)
        self._by_metric: dict[tuple[str, str], list[Alarm]] = defaultdict(list)
        self._by_metric_name: dict[str, list[Alarm]] = defaultdict(list)
        for alarm in alarm_list:
            # Only strings name CloudWatch metrics; an alarm watching the same metric twice is listed once.
            pairs = [(m, ns) for m, ns in alarm.metrics if isinstance(m, str) and isinstance(ns, str)]
            for pair in dict.fromkeys(pairs):
                self._by_metric[pair].append(alarm)
            for name in dict.fromkeys(m for m, _ in alarm.metrics if isinstance(m, str)):
                self._by_metric_name[name].append(alarm)

    def watching(self, metric: Value, namespace: Value) -> list[Alarm]:
        if not isinstance(metric, str) or not isinstance(namespace, str):
            return []
        return self._by_metric.get((metric, namespace), [])

    def watching_name(self, metric: Value) -> list[Alarm]:
        """Alarms on a metric of this name in any namespace: the usual mistake is the namespace."""
        return self._by_metric_name.get(metric, []) if isinstance(metric, str) else []


# --- the delivery role's grants ---------------------------------------------------------------------


@dataclass(frozen=True)
class RoleGrants:
    declared: bool
    documents: list[Any]
    """Policy documents (JSON strings or objects) attached to the role and declared in the stack."""
    undeclared_policy_arns: list[str]
    unknown: bool
    """Some grant is not known yet (preview)."""


class GrantIndex:
    """The stack's IAM grants, read once and keyed by the role name or ARN they name.

    Built once per stack validation: looking each trail's role up here instead of scanning the stack per
    trail keeps AnalyzeStack linear in the number of resources (the scan per trail made it quadratic).
    Only string names and ARNs are keys; any other value cannot name a role.
    """

    def __init__(self, resources: Iterable[PolicyResource]) -> None:
        self.roles: dict[str, list[PolicyResource]] = defaultdict(list)
        self.role_policy_documents: dict[str, list[Value]] = defaultdict(list)
        self.attached_policy_arns: dict[str, list[Value]] = defaultdict(list)
        self.policy_documents: dict[str, Value] = {}
        #: a role policy, attachment or managed policy whose role or ARN is not known yet (preview)
        self.some_target_unknown = False
        for r in resources:
            kind = r.resource_type
            if kind in (AWS_ROLE, NATIVE_ROLE):
                name = read(r.props, "name" if kind == AWS_ROLE else "roleName")
                for key in dict.fromkeys(k for k in (read(r.props, "arn"), name) if isinstance(k, str)):
                    self.roles[key].append(r)
            elif kind in (AWS_ROLE_POLICY, NATIVE_ROLE_POLICY):
                target = read(r.props, "role" if kind == AWS_ROLE_POLICY else "roleName")
                document = read(r.props, "policy" if kind == AWS_ROLE_POLICY else "policyDocument")
                self._add(self.role_policy_documents, target, document)
            elif kind == AWS_ROLE_POLICY_ATTACHMENT:
                self._add(self.attached_policy_arns, read(r.props, "role"), read(r.props, "policyArn"))
            elif kind == AWS_POLICY_ATTACHMENT:
                targets = read(r.props, "roles")
                policy_arn = read(r.props, "policyArn")
                for target in dict.fromkeys(_strings_or_unknown(targets)):
                    self._add(self.attached_policy_arns, target, policy_arn)
            elif kind == AWS_POLICY:
                arn = read(r.props, "arn")
                if arn is UNKNOWN:
                    self.some_target_unknown = True
                elif isinstance(arn, str):
                    self.policy_documents[arn] = read(r.props, "policy")

    def _add(self, index: dict[str, list[Value]], target: Value, value: Value) -> None:
        if target is UNKNOWN:
            self.some_target_unknown = True
        elif isinstance(target, str):
            index[target].append(value)


def _strings_or_unknown(value: Value) -> list[Any]:
    if value is UNKNOWN:
        return [UNKNOWN]
    return [v for v in value if isinstance(v, str)] if isinstance(value, list) else []


def role_grants(role: RoleArn, role_arn: str, index: GrantIndex) -> RoleGrants:
    keys = (role.name, role_arn)
    documents: list[Any] = []
    attached: list[Value] = []
    unknown = index.some_target_unknown
    # A role declared with both its name and ARN known is listed under both keys; count it once.
    declared_roles = list({id(r): r for key in keys for r in index.roles.get(key, [])}.values())

    for r in declared_roles:
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

    for key in keys:
        for document in index.role_policy_documents.get(key, []):
            unknown |= document is UNKNOWN
            if not isinstance(document, Absence):
                documents.append(document)
        attached.extend(index.attached_policy_arns.get(key, []))

    undeclared: list[str] = []
    for arn in attached:
        if arn is UNKNOWN:
            unknown = True
        elif isinstance(arn, str) and arn in index.policy_documents:
            document = index.policy_documents[arn]
            unknown |= document is UNKNOWN
            if not isinstance(document, Absence):
                documents.append(document)
        elif isinstance(arn, str) and arn not in undeclared:
            undeclared.append(arn)
    return RoleGrants(bool(declared_roles), documents, undeclared, unknown)
