"""A compliant stack snapshot (resource outputs, as AnalyzeStack sees them) for the stack policy tests.

It has what the CIS recipe asks for: a trail delivering to a log group through a role that may create
streams and put events there, and per CIS item a metric filter from the project's catalog
(``compliant_cloudtrail/component/cis_catalog.json``) with an alarm on the filter's metric whose action is an SNS topic.
Tests change one resource of it at a time.
"""

from __future__ import annotations

import json
from typing import Any

from policy_sdk_inputs import StackResource

from compliant_cloudtrail.component.catalog import load_catalog

ACCOUNT = "123456789012"
REGION = "us-east-1"
GROUP_NAME = "/aws/cloudtrail/audit"
GROUP_ARN = f"arn:aws:logs:{REGION}:{ACCOUNT}:log-group:{GROUP_NAME}"
ROLE_NAME = "audit-trail-delivery"
ROLE_ARN = f"arn:aws:iam::{ACCOUNT}:role/{ROLE_NAME}"
TOPIC_ARN = f"arn:aws:sns:{REGION}:{ACCOUNT}:security-alarms"
NAMESPACE = "CISBenchmark"

TRAIL = "aws:cloudtrail/trail:Trail"
LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup"
FILTER = "aws:cloudwatch/logMetricFilter:LogMetricFilter"
ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm"
ROLE = "aws:iam/role:Role"
ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy"


def delivery_policy(resource: str = f"{GROUP_ARN}:log-stream:{ACCOUNT}_CloudTrail_{REGION}*") -> str:
    return json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {"Effect": "Allow", "Action": ["logs:CreateLogStream", "logs:PutLogEvents"], "Resource": resource}
            ],
        }
    )


def catalog_filters() -> list[tuple[str, str, str]]:
    """(item id, metric name, pattern): one catalog filter per item, the Security Hub wording where there is one."""
    chosen = []
    for item in load_catalog().items:
        by_wording = {f.wording: f for f in item.filters}
        f = by_wording.get("security-hub") or by_wording["cis"]
        chosen.append((item.id, f.metric_name, f.pattern))
    return chosen


def filter_and_alarm(item_id: str, metric: str, pattern: str) -> list[StackResource]:
    slug = item_id.replace(".", "-")
    return [
        StackResource(
            FILTER,
            f"cis-{slug}-filter",
            {
                "name": metric,
                "logGroupName": GROUP_NAME,
                "pattern": pattern,
                "metricTransformation": {"name": metric, "namespace": NAMESPACE, "value": "1"},
            },
        ),
        StackResource(
            ALARM,
            f"cis-{slug}-alarm",
            {
                "name": metric,
                "metricName": metric,
                "namespace": NAMESPACE,
                "statistic": "Sum",
                "period": 300,
                "threshold": 1,
                "comparisonOperator": "GreaterThanOrEqualToThreshold",
                "evaluationPeriods": 1,
                "alarmActions": [TOPIC_ARN],
                "actionsEnabled": True,
            },
        ),
    ]


def compliant_stack() -> list[StackResource]:
    resources = [
        StackResource(LOG_GROUP, "audit-logs", {"name": GROUP_NAME, "arn": GROUP_ARN, "retentionInDays": 365}),
        StackResource(ROLE, "audit-delivery-role", {"name": ROLE_NAME, "arn": ROLE_ARN}),
        StackResource(
            ROLE_POLICY, "audit-delivery-policy", {"role": ROLE_NAME, "name": "deliver", "policy": delivery_policy()}
        ),
        StackResource(
            TRAIL,
            "audit-trail",
            {
                "name": "audit",
                "s3BucketName": "audit-logs-bucket",
                "cloudWatchLogsGroupArn": f"{GROUP_ARN}:*",
                "cloudWatchLogsRoleArn": ROLE_ARN,
                "isMultiRegionTrail": True,
            },
        ),
    ]
    for item_id, metric, pattern in catalog_filters():
        resources.extend(filter_and_alarm(item_id, metric, pattern))
    return resources


def replace(resources: list[StackResource], name: str, **props: Any) -> list[StackResource]:
    """The stack with one resource's outputs changed (a value of None removes the output)."""
    changed = []
    for r in resources:
        if r.name == name:
            merged = {k: v for k, v in (r.props | props).items() if v is not None}
            r = StackResource(r.type, r.name, merged, dict(r.property_dependencies))
        changed.append(r)
    return changed


def without(resources: list[StackResource], *names: str) -> list[StackResource]:
    return [r for r in resources if r.name not in names]
