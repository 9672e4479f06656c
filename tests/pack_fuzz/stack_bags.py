"""Arbitrary small stacks for ``AnalyzeStack``: a trail wired to a log group and a role, and everything around.

Each property of each resource is either the value that wires the stack together (so the stack policies
get past "no such log group" and into filters, alarms and policy documents) or anything at all. Policy
documents and filter patterns get families of their own: JSON text, objects, junk, deep nesting, huge.

IAM resource patterns and metric filter patterns include runs of wildcards (``*?*?*?*?*?*?Z``,
``********Z``): the first fuzz runs found them stalling the pack for seconds to minutes, when wildcards were
matched by backtracking regular expressions; the linear matcher that replaced them must answer at once.
"""

from __future__ import annotations

import json
from typing import Any

from hypothesis import strategies as st

from . import noise
from .pack_calls import AWS_TRAIL, NATIVE_TRAIL, resource, urn_of
from .trail_bags import trail_noise
from .wire import UNKNOWN_STRING

ACCOUNT = "123456789012"
REGION = "us-east-1"
GROUP_NAME = "/aws/cloudtrail/audit"
GROUP_ARN = f"arn:aws:logs:{REGION}:{ACCOUNT}:log-group:{GROUP_NAME}"
ROLE_NAME = "audit-trail-delivery"
ROLE_ARN = f"arn:aws:iam::{ACCOUNT}:role/{ROLE_NAME}"
POLICY_ARN = f"arn:aws:iam::{ACCOUNT}:policy/deliver"
TOPIC_ARN = f"arn:aws:sns:{REGION}:{ACCOUNT}:alarms"
NAMESPACE = "CISBenchmark"

AWS_LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup"
NATIVE_LOG_GROUP = "aws-native:logs:LogGroup"
AWS_FILTER = "aws:cloudwatch/logMetricFilter:LogMetricFilter"
NATIVE_FILTER = "aws-native:logs:MetricFilter"
AWS_ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm"
NATIVE_ALARM = "aws-native:cloudwatch:Alarm"
AWS_ROLE = "aws:iam/role:Role"
NATIVE_ROLE = "aws-native:iam:Role"
AWS_ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy"
NATIVE_ROLE_POLICY = "aws-native:iam:RolePolicy"
AWS_POLICY = "aws:iam/policy:Policy"
ROLE_POLICY_ATTACHMENT = "aws:iam/rolePolicyAttachment:RolePolicyAttachment"
POLICY_ATTACHMENT = "aws:iam/policyAttachment:PolicyAttachment"


def _or_anything(*wired: Any) -> st.SearchStrategy[Any]:
    """One of the wiring values, or anything at all."""
    return st.one_of(st.sampled_from(wired), noise.values(4))


def _mostly(*wired: Any) -> st.SearchStrategy[Any]:
    """One of the wiring values four times in five: the backbone must hold together often enough for the
    stack policies to reach the filters, alarms and grants behind it."""
    return noise.mostly(st.sampled_from(wired))


def _list_or_anything(element: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(st.lists(element, max_size=3), noise.values(4))


# --- policy documents ---------------------------------------------------------------------------------

ACTIONS = ("logs:CreateLogStream", "logs:PutLogEvents", "logs:*", "*", "LOGS:putlogevents", "logs:Put?ogEvents", "s3:*")
RESOURCES = (
    f"{GROUP_ARN}:*",
    f"{GROUP_ARN}:log-stream:*",
    f"{GROUP_ARN}:log-stream:{ACCOUNT}_CloudTrail_{REGION}*",
    f"{GROUP_ARN}:log-stream:o-abc123def4_*",
    f"{GROUP_ARN}:log-stream:o-",
    "*",
    "arn:aws:logs:*:*:*",
    GROUP_ARN,
    "*?" * 12 + "Z",
    f"{GROUP_ARN}:log-stream:" + "*" * 30 + "Z",
)


def statements() -> st.SearchStrategy[dict[str, Any]]:
    actions = _or_anything(*ACTIONS).flatmap(lambda a: st.one_of(st.just(a), st.lists(st.just(a), max_size=2)))
    resources = st.one_of(_or_anything(*RESOURCES), st.lists(st.sampled_from(RESOURCES), max_size=3))
    return noise.bag(
        {
            "Effect": _or_anything("Allow", "Deny", "allow"),
            "Action": actions,
            "NotAction": actions,
            "Resource": resources,
            "NotResource": resources,
            "Condition": noise.values(4),
        }
    )


def deeply_nested_json() -> st.SearchStrategy[str]:
    """JSON text nested thousands deep (closed or not), as a policy document or inside one."""
    pairs = st.sampled_from([("[", "]"), ('{"Statement":', "}"), ('{"Statement":[', "]}")])
    return st.builds(
        lambda pair, depth, closed: pair[0] * depth + (pair[1] * depth if closed else ""),
        pairs,
        st.integers(1, 5_000),
        st.booleans(),
    )


def documents() -> st.SearchStrategy[Any]:
    document = noise.bag(
        {
            "Version": _or_anything("2012-10-17"),
            "Statement": st.one_of(statements(), st.lists(statements(), max_size=3), noise.values(4)),
        }
    )
    return st.one_of(
        document.map(json.dumps),
        document,
        noise.values(6),
        st.text(alphabet='{}[]":,Statement0123 ', max_size=40),
        deeply_nested_json(),
    )


# --- metric filter patterns ---------------------------------------------------------------------------

# Security Hub's published wordings (CloudWatch.1 and CloudWatch.2): filters that cover an item.
PUBLISHED_PATTERNS = (
    '{$.userIdentity.type="Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType !="AwsServiceEvent"}',
    '{($.errorCode="*UnauthorizedOperation") || ($.errorCode="AccessDenied*")}',
)


def patterns() -> st.SearchStrategy[Any]:
    return st.one_of(
        st.sampled_from(PUBLISHED_PATTERNS),
        st.text(alphabet='{}()[]$.=!<>&|"% _-aeNSTUXZ019', max_size=60),
        st.integers(1, 600).map(lambda depth: "{ " + "(" * depth + " $.eventName = X " + ")" * depth + " }"),
        st.integers(1, 60).map(lambda run: "{ $.eventName = " + "*" * run + "Z }"),
        st.integers(1, 30).map(lambda run: '{ $.errorCode = "' + "*A" * run + 'Z" }'),
        noise.huge_strings(),
        noise.values(3),
    )


# --- resources ----------------------------------------------------------------------------------------

METRICS = ("RootAccountUsage", "UnauthorizedAPICalls")


def _trail_bag(type_: str) -> st.SearchStrategy[dict[str, Any]]:
    group_field = "cloudWatchLogsGroupArn" if type_ == AWS_TRAIL else "cloudWatchLogsLogGroupArn"
    wired = st.fixed_dictionaries(
        {
            group_field: _mostly(f"{GROUP_ARN}:*", f"{GROUP_ARN}:*", f"{GROUP_ARN}:*", UNKNOWN_STRING),
            "cloudWatchLogsRoleArn": _mostly(ROLE_ARN, ROLE_ARN, ROLE_ARN, UNKNOWN_STRING),
        },
        optional={"isOrganizationTrail": _or_anything(True, False)},
    )
    return st.builds(lambda extra, w: {**extra, **w}, trail_noise(), wired)


def _metric_transformation() -> st.SearchStrategy[Any]:
    return st.one_of(
        noise.bag({"name": _or_anything(*METRICS), "namespace": _or_anything(NAMESPACE), "value": _or_anything("1")}),
        noise.values(4),
    )


def _native_transformations() -> st.SearchStrategy[Any]:
    entry = noise.bag({"metricName": _or_anything(*METRICS), "metricNamespace": _or_anything(NAMESPACE)})
    return _list_or_anything(entry)


def _alarm_bag() -> st.SearchStrategy[dict[str, Any]]:
    query_metric = noise.bag({"metricName": _or_anything(*METRICS), "namespace": _or_anything(NAMESPACE)})
    return noise.bag(
        {
            "metricName": _or_anything(*METRICS),
            "namespace": _or_anything(NAMESPACE),
            "alarmActions": _list_or_anything(_or_anything(TOPIC_ARN)),
            "actionsEnabled": _or_anything(True, False),
            "metricQueries": _list_or_anything(noise.bag({"id": noise.values(2), "metric": query_metric})),
        }
    )


BAGS: dict[str, st.SearchStrategy[dict[str, Any]]] = {
    AWS_TRAIL: _trail_bag(AWS_TRAIL),
    NATIVE_TRAIL: _trail_bag(NATIVE_TRAIL),
    AWS_LOG_GROUP: noise.bag(
        {
            "name": _mostly(GROUP_NAME),
            "arn": _mostly(GROUP_ARN, f"{GROUP_ARN}:*"),
            "retentionInDays": _or_anything(0, 1, 365, 3653),
            "logGroupClass": _or_anything("STANDARD", "INFREQUENT_ACCESS", "DELIVERY"),
        }
    ),
    NATIVE_LOG_GROUP: noise.bag(
        {
            "logGroupName": _or_anything(GROUP_NAME),
            "arn": _or_anything(GROUP_ARN, f"{GROUP_ARN}:*"),
            "retentionInDays": _or_anything(0, 7, 400),
            "logGroupClass": _or_anything("STANDARD", "DELIVERY"),
        }
    ),
    AWS_FILTER: noise.bag(
        {
            "logGroupName": _or_anything(GROUP_NAME),
            "pattern": patterns(),
            "metricTransformation": _metric_transformation(),
        }
    ),
    NATIVE_FILTER: noise.bag(
        {
            "logGroupName": _or_anything(GROUP_NAME),
            "filterPattern": patterns(),
            "metricTransformations": _native_transformations(),
        }
    ),
    AWS_ALARM: _alarm_bag(),
    NATIVE_ALARM: _alarm_bag(),
    AWS_ROLE: noise.bag(
        {
            "name": _mostly(ROLE_NAME),
            "arn": _mostly(ROLE_ARN),
            "inlinePolicies": _list_or_anything(noise.bag({"name": noise.values(2), "policy": documents()})),
            "managedPolicyArns": _list_or_anything(_or_anything(POLICY_ARN)),
        }
    ),
    NATIVE_ROLE: noise.bag(
        {
            "roleName": _or_anything(ROLE_NAME),
            "arn": _or_anything(ROLE_ARN),
            "policies": _list_or_anything(noise.bag({"policyName": noise.values(2), "policyDocument": documents()})),
            "managedPolicyArns": _list_or_anything(_or_anything(POLICY_ARN)),
        }
    ),
    AWS_ROLE_POLICY: noise.bag({"role": _or_anything(ROLE_NAME, ROLE_ARN), "policy": documents()}),
    NATIVE_ROLE_POLICY: noise.bag({"roleName": _or_anything(ROLE_NAME), "policyDocument": documents()}),
    AWS_POLICY: noise.bag({"arn": _or_anything(POLICY_ARN), "policy": documents()}),
    ROLE_POLICY_ATTACHMENT: noise.bag(
        {"role": _or_anything(ROLE_NAME, ROLE_ARN), "policyArn": _or_anything(POLICY_ARN)}
    ),
    POLICY_ATTACHMENT: noise.bag(
        {"roles": _list_or_anything(_or_anything(ROLE_NAME)), "policyArn": _or_anything(POLICY_ARN)}
    ),
}

# Every stack has a trail, a log group and a role to start from; the rest is drawn.
_BACKBONE = (AWS_TRAIL, AWS_LOG_GROUP, AWS_ROLE)
WIRED_BACKBONE = {
    AWS_TRAIL: {"cloudWatchLogsGroupArn": f"{GROUP_ARN}:*", "cloudWatchLogsRoleArn": ROLE_ARN},
    AWS_LOG_GROUP: {"name": GROUP_NAME, "arn": GROUP_ARN},
    AWS_ROLE: {"name": ROLE_NAME, "arn": ROLE_ARN},
}
AROUND_A_TRAIL = tuple(t for t in BAGS if t not in (AWS_TRAIL, NATIVE_TRAIL))


@st.composite
def stacks(
    draw: st.DrawFn, types: tuple[str, ...] = tuple(BAGS), *, wired_backbone: bool = False
) -> list[dict[str, Any]]:
    """Resources as ``AnalyzeStack`` receives them (outputs), with preview's property dependencies at times.

    ``wired_backbone``: the trail, its log group and its role exactly wired, so every drawn resource is
    looked at by the stack policies.
    """
    resources = []
    for index, type_ in enumerate(_BACKBONE):
        props = WIRED_BACKBONE[type_] if wired_backbone else draw(BAGS[type_])
        resources.append(resource(type_, f"b{index}", props))
    for index, type_ in enumerate(draw(st.lists(st.sampled_from(types), max_size=9))):
        resources.append(resource(type_, f"r{index}", draw(BAGS[type_])))
    group_urns = [r["urn"] for r in resources if r["type"] in (AWS_LOG_GROUP, NATIVE_LOG_GROUP)]
    sources = st.lists(st.one_of(st.sampled_from(group_urns), st.just(urn_of(AWS_LOG_GROUP, "elsewhere"))), max_size=2)
    for r in resources:
        # Preview: the engine names the resource an unknown input came from.
        key = {AWS_TRAIL: "cloudWatchLogsGroupArn", NATIVE_TRAIL: "cloudWatchLogsLogGroupArn"}.get(r["type"])
        if r["type"] in (AWS_FILTER, NATIVE_FILTER):
            key = "logGroupName"
        if key and draw(st.booleans()):
            r["property_dependencies"] = {key: draw(sources)}
    return resources
