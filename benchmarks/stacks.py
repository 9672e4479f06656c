"""Generated resources for the pack benchmarks, built as the plain dicts ``AnalyzerClient`` accepts.

Built directly (no program, no mocks) so that timing ``AnalyzeStack`` measures the pack and not the harness.
A stack is the stack resource plus blocks of :data:`BLOCK_SIZE` resources; each block holds

* one trail wired like ``CompliantTrail`` deploys it (bucket, log group, role + role policy, topic,
  17 metric filters with their alarms, trail): 40 resources, compliant;
* one trail with a 30-day log group and a role policy that lacks ``logs:PutLogEvents``, no filters: 4;
* one trail with no CloudWatch Logs delivery at all: 1;
* one trail delivering to a log group and role declared elsewhere: 1;
* unrelated resources (instances, security groups, buckets, functions, tables, queues, roles, subnets).

Trails therefore grow with the stack (4 per 200 resources), which is what makes a per-trail scan over the
whole stack show up as a quadratic step between 10,000 and 20,000 resources.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from typing import Any

from compliant_cloudtrail.component.catalog import DEFAULT_PROFILES, load_catalog, select_filters

ACCOUNT = "123456789012"
REGION = "us-east-1"
PROJECT = "bench"
STACK = "bench"
NAMESPACE = "CISBenchmark"
STACK_TYPE = "pulumi:pulumi:Stack"
STACK_URN = f"urn:pulumi:{STACK}::{PROJECT}::{STACK_TYPE}::{PROJECT}-{STACK}"

TRAIL = "aws:cloudtrail/trail:Trail"
LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup"
METRIC_FILTER = "aws:cloudwatch/logMetricFilter:LogMetricFilter"
ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm"
ROLE = "aws:iam/role:Role"
ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy"
BUCKET = "aws:s3/bucket:Bucket"
TOPIC = "aws:sns/topic:Topic"

BLOCK_SIZE = 200
TAGS = {"owner": "platform", "stack": STACK}

Resource = dict[str, Any]


def urn_of(resource_type: str, name: str) -> str:
    return f"urn:pulumi:{STACK}::{PROJECT}::{resource_type}::{name}"


def resource(
    resource_type: str,
    name: str,
    properties: dict[str, Any],
    depends_on: list[Resource] | None = None,
    property_dependencies: dict[str, list[Resource]] | None = None,
) -> Resource:
    """One resource as AnalyzeStack carries it: outputs, its parent (the stack) and its dependencies."""
    return {
        "type": resource_type,
        "name": name,
        "urn": urn_of(resource_type, name),
        "properties": properties,
        "parent": STACK_URN,
        "dependencies": [d["urn"] for d in depends_on or []],
        "property_dependencies": {k: [d["urn"] for d in v] for k, v in (property_dependencies or {}).items()},
    }


def stack_resource() -> Resource:
    return {"type": STACK_TYPE, "name": f"{PROJECT}-{STACK}", "urn": STACK_URN, "properties": {}}


def _group_arn(name: str) -> str:
    return f"arn:aws:logs:{REGION}:{ACCOUNT}:log-group:{name}"


def _role_arn(name: str) -> str:
    return f"arn:aws:iam::{ACCOUNT}:role/{name}"


def _document(*statements: dict[str, Any]) -> str:
    return json.dumps({"Version": "2012-10-17", "Statement": list(statements)})


def _assume_role_policy() -> str:
    return _document(
        {"Effect": "Allow", "Principal": {"Service": "cloudtrail.amazonaws.com"}, "Action": "sts:AssumeRole"}
    )


def trail_properties(
    name: str, bucket: str, *, group_arn: str | None, role_arn: str | None, hardened: bool
) -> dict[str, Any]:
    props: dict[str, Any] = {
        "name": name,
        "arn": f"arn:aws:cloudtrail:{REGION}:{ACCOUNT}:trail/{name}",
        "s3BucketName": bucket,
        "includeGlobalServiceEvents": True,
        "isMultiRegionTrail": hardened,
        "enableLogFileValidation": hardened,
        "enableLogging": True,
        "isOrganizationTrail": False,
        "homeRegion": REGION,
        "region": REGION,
        "eventSelectors": [{"includeManagementEvents": True, "readWriteType": "All"}],
        "tags": TAGS,
        "tagsAll": TAGS,
    }
    if hardened:
        props["kmsKeyId"] = f"arn:aws:kms:{REGION}:{ACCOUNT}:key/0b9e6c8a-4a4e-4a53-9d6f-2f1f7f3c1a00"
    if group_arn is not None:
        props["cloudWatchLogsGroupArn"] = f"{group_arn}:*"
    if role_arn is not None:
        props["cloudWatchLogsRoleArn"] = role_arn
    return props


def _bucket(name: str) -> Resource:
    return resource(
        BUCKET,
        name,
        {
            "bucket": name,
            "arn": f"arn:aws:s3:::{name}",
            "region": REGION,
            "forceDestroy": False,
            "bucketDomainName": f"{name}.s3.amazonaws.com",
            "tags": TAGS,
            "tagsAll": TAGS,
        },
    )


def _log_group(name: str, retention_days: int) -> Resource:
    return resource(
        LOG_GROUP,
        name.strip("/").replace("/", "-"),
        {
            "name": name,
            "arn": _group_arn(name),
            "retentionInDays": retention_days,
            "logGroupClass": "STANDARD",
            "region": REGION,
            "tags": TAGS,
            "tagsAll": TAGS,
        },
    )


def _role(name: str) -> Resource:
    return resource(
        ROLE,
        name,
        {
            "name": name,
            "arn": _role_arn(name),
            "assumeRolePolicy": _assume_role_policy(),
            "path": "/",
            "maxSessionDuration": 3600,
            "tags": TAGS,
            "tagsAll": TAGS,
        },
    )


def _role_policy(role: Resource, group_arn: str, actions: list[str]) -> Resource:
    stream = f"{group_arn}:log-stream:{ACCOUNT}_CloudTrail_{REGION}*"
    role_name = role["properties"]["name"]
    return resource(
        ROLE_POLICY,
        f"{role_name}-policy",
        {"name": f"{role_name}-policy", "role": role_name, "policy": _document(
            {"Effect": "Allow", "Action": actions, "Resource": stream}
        )},
        depends_on=[role],
        property_dependencies={"role": [role]},
    )


def _trail(name: str, props: dict[str, Any], group: Resource | None, deps: list[Resource]) -> Resource:
    prop_deps = {"cloudWatchLogsGroupArn": [group]} if group is not None else {}
    return resource(TRAIL, name, props, depends_on=deps, property_dependencies=prop_deps)


def compliant_unit(i: int) -> list[Resource]:
    """What ``CompliantTrail`` deploys, minus the parts no policy reads (KMS key, bucket settings)."""
    trail_name = f"audit-{i}"
    bucket = _bucket(f"audit-{i}-logs")
    group = _log_group(f"/aws/cloudtrail/{trail_name}", 365)
    role = _role(f"{trail_name}-delivery")
    grant = _role_policy(role, group["properties"]["arn"], ["logs:CreateLogStream", "logs:PutLogEvents"])
    topic_name = f"{trail_name}-alarms"
    topic_arn = f"arn:aws:sns:{REGION}:{ACCOUNT}:{topic_name}"
    topic = resource(TOPIC, topic_name, {"name": topic_name, "arn": topic_arn, "region": REGION, "tags": TAGS})
    watched: list[Resource] = []
    for selected in select_filters(load_catalog(), DEFAULT_PROFILES):
        metric = selected.filter.metric_name
        metric_filter = resource(
            METRIC_FILTER,
            f"{trail_name}-{metric}",
            {
                "name": f"{trail_name}-{metric}",
                "logGroupName": group["properties"]["name"],
                "pattern": selected.filter.pattern,
                "metricTransformation": {"name": metric, "namespace": NAMESPACE, "value": "1"},
                "region": REGION,
            },
            depends_on=[group],
            property_dependencies={"logGroupName": [group]},
        )
        alarm = resource(
            ALARM,
            f"{trail_name}-{metric}-alarm",
            {
                "name": f"{trail_name}-{metric}",
                "arn": f"arn:aws:cloudwatch:{REGION}:{ACCOUNT}:alarm:{trail_name}-{metric}",
                "metricName": metric,
                "namespace": NAMESPACE,
                "statistic": "Sum",
                "period": 300,
                "threshold": 1,
                "evaluationPeriods": 1,
                "comparisonOperator": "GreaterThanOrEqualToThreshold",
                "treatMissingData": "notBreaching",
                "alarmActions": [topic_arn],
                "region": REGION,
                "tags": TAGS,
            },
            depends_on=[metric_filter, topic],
            property_dependencies={"alarmActions": [topic]},
        )
        watched += [metric_filter, alarm]
    props = trail_properties(
        trail_name,
        bucket["properties"]["bucket"],
        group_arn=group["properties"]["arn"],
        role_arn=role["properties"]["arn"],
        hardened=True,
    )
    trail = _trail(trail_name, props, group, [bucket, grant, group])
    return [bucket, group, role, grant, topic, *watched, trail]


def partial_unit(i: int) -> list[Resource]:
    """Delivers to CloudWatch Logs (the mandatory check passes) but fails every stack-level check."""
    trail_name = f"partial-{i}"
    group = _log_group(f"/aws/cloudtrail/{trail_name}", 30)
    role = _role(f"{trail_name}-delivery")
    grant = _role_policy(role, group["properties"]["arn"], ["logs:CreateLogStream"])
    props = trail_properties(
        trail_name, "shared-trail-logs", group_arn=group["properties"]["arn"], role_arn=role["properties"]["arn"],
        hardened=False,
    )
    return [group, role, grant, _trail(trail_name, props, group, [grant, group])]


def bare_trail(i: int) -> list[Resource]:
    name = f"bare-{i}"
    return [_trail(name, trail_properties(name, "shared-trail-logs", group_arn=None, role_arn=None, hardened=False),
                   None, [])]


def external_trail(i: int) -> list[Resource]:
    """Delivers to a log group and through a role that another stack owns."""
    name = f"external-{i}"
    props = trail_properties(
        name,
        "shared-trail-logs",
        group_arn=_group_arn(f"/org/cloudtrail/{name}"),
        role_arn=_role_arn(f"org-{name}-delivery"),
        hardened=True,
    )
    return [_trail(name, props, None, [])]


# --- resources no policy of ours is about -------------------------------------------------------------


def _instance(i: int) -> Resource:
    return resource(
        "aws:ec2/instance:Instance",
        f"web-{i}",
        {
            "ami": "ami-0abcdef1234567890",
            "instanceType": "t3.micro",
            "arn": f"arn:aws:ec2:{REGION}:{ACCOUNT}:instance/i-{i:017x}",
            "id": f"i-{i:017x}",
            "subnetId": f"subnet-{i % 97:08x}",
            "vpcSecurityGroupIds": [f"sg-{i % 89:08x}"],
            "privateIp": f"10.0.{i % 250}.{i % 200 + 10}",
            "rootBlockDevice": {"volumeSize": 20, "volumeType": "gp3", "encrypted": True},
            "metadataOptions": {"httpTokens": "required", "httpEndpoint": "enabled"},
            "tags": TAGS,
            "tagsAll": TAGS,
        },
    )


def _security_group(i: int) -> Resource:
    return resource(
        "aws:ec2/securityGroup:SecurityGroup",
        f"sg-{i}",
        {
            "name": f"sg-{i}",
            "arn": f"arn:aws:ec2:{REGION}:{ACCOUNT}:security-group/sg-{i:08x}",
            "vpcId": "vpc-0123456789abcdef0",
            "ingress": [{"protocol": "tcp", "fromPort": 443, "toPort": 443, "cidrBlocks": ["10.0.0.0/8"]}],
            "egress": [{"protocol": "-1", "fromPort": 0, "toPort": 0, "cidrBlocks": ["0.0.0.0/0"]}],
            "tags": TAGS,
        },
    )


def _plain_bucket(i: int) -> Resource:
    return _bucket(f"data-{i}")


def _function(i: int) -> Resource:
    return resource(
        "aws:lambda/function:Function",
        f"fn-{i}",
        {
            "name": f"fn-{i}",
            "arn": f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:fn-{i}",
            "runtime": "python3.12",
            "handler": "app.handler",
            "memorySize": 256,
            "timeout": 30,
            "role": _role_arn(f"app-{i % 50}"),
            "environment": {"variables": {"STAGE": "prod", "TABLE": f"table-{i}"}},
            "tags": TAGS,
        },
    )


def _table(i: int) -> Resource:
    return resource(
        "aws:dynamodb/table:Table",
        f"table-{i}",
        {
            "name": f"table-{i}",
            "arn": f"arn:aws:dynamodb:{REGION}:{ACCOUNT}:table/table-{i}",
            "billingMode": "PAY_PER_REQUEST",
            "hashKey": "pk",
            "rangeKey": "sk",
            "attributes": [{"name": "pk", "type": "S"}, {"name": "sk", "type": "S"}],
            "pointInTimeRecovery": {"enabled": True},
            "tags": TAGS,
        },
    )


def _queue(i: int) -> Resource:
    return resource(
        "aws:sqs/queue:Queue",
        f"queue-{i}",
        {
            "name": f"queue-{i}",
            "arn": f"arn:aws:sqs:{REGION}:{ACCOUNT}:queue-{i}",
            "url": f"https://sqs.{REGION}.amazonaws.com/{ACCOUNT}/queue-{i}",
            "visibilityTimeoutSeconds": 30,
            "messageRetentionSeconds": 345600,
            "sqsManagedSseEnabled": True,
            "tags": TAGS,
        },
    )


def _app_role(i: int) -> Resource:
    return _role(f"app-{i}")


def _subnet(i: int) -> Resource:
    return resource(
        "aws:ec2/subnet:Subnet",
        f"subnet-{i}",
        {
            "vpcId": "vpc-0123456789abcdef0",
            "cidrBlock": f"10.{i % 250}.{i % 256}.0/24",
            "availabilityZone": f"{REGION}{'abc'[i % 3]}",
            "arn": f"arn:aws:ec2:{REGION}:{ACCOUNT}:subnet/subnet-{i:08x}",
            "mapPublicIpOnLaunch": False,
            "tags": TAGS,
        },
    )


UNRELATED: tuple[Callable[[int], Resource], ...] = (
    _instance,
    _security_group,
    _plain_bucket,
    _function,
    _table,
    _queue,
    _app_role,
    _subnet,
)


def _unrelated(start: int) -> Iterator[Resource]:
    i = start
    while True:
        yield UNRELATED[i % len(UNRELATED)](i)
        i += 1


def _block(b: int, filler: Iterator[Resource]) -> list[Resource]:
    block = [*compliant_unit(b), *partial_unit(b), *bare_trail(b), *external_trail(b)]
    while len(block) < BLOCK_SIZE:
        block.append(next(filler))
    return block


def generated_stack(count: int) -> list[Resource]:
    """``count`` resources (the stack resource included), as AnalyzeStack sees them after an update."""
    if count < BLOCK_SIZE + 1:
        raise ValueError(f"a generated stack needs at least {BLOCK_SIZE + 1} resources, not {count}")
    filler = _unrelated(0)
    resources = [stack_resource()]
    block = 0
    while len(resources) + BLOCK_SIZE <= count:
        resources += _block(block, filler)
        block += 1
    while len(resources) < count:
        resources.append(next(filler))
    return resources


def trail_count(resources: list[Resource]) -> int:
    return sum(1 for r in resources if r["type"] == TRAIL)


def analyze_mix(trails: int, unrelated: int) -> list[Resource]:
    """Trails of every kind above plus unrelated resources, for one Analyze call each.

    The trail properties stand in for inputs too: every field a resource policy reads is an input.
    """
    kinds = (compliant_unit, partial_unit, bare_trail, external_trail)
    chosen: list[Resource] = []
    for i in range(trails):
        unit = kinds[i % len(kinds)](i)
        chosen.append(unit[-1])
    filler = _unrelated(0)
    chosen += [next(filler) for _ in range(unrelated)]
    return chosen
