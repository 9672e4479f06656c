"""Build a CompliantTrail under Pulumi's mock runtime and read back what the engine would be sent."""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

import pytest
from pulumi.runtime import MockCallArgs

from compliant_cloudtrail.check.mock_runtime import AwsMocks, RecordingMonitor, RegisteredResource, mocked_stack
from compliant_cloudtrail.component import CompliantTrail, CompliantTrailArgs

ACCOUNT = "111122223333"
REGION = "eu-west-1"
PARTITION = "aws"
ORG_ID = "o-a1b2c3d4e5"


class Deployment:
    """What one CompliantTrail registered, with helpers to find resources and decode their policies."""

    def __init__(self, monitor: RecordingMonitor) -> None:
        self.monitor = monitor
        self.resources = [r for r in monitor.resources if r.type != "pulumi:pulumi:Stack"]

    def one(self, type_token: str) -> RegisteredResource:
        found = self.all(type_token)
        assert len(found) == 1, f"expected one {type_token}, got {[r.name for r in found]}"
        return found[0]

    def all(self, type_token: str) -> list[RegisteredResource]:
        return self.monitor.by_type(type_token)

    def named(self, name: str) -> RegisteredResource:
        return self.monitor.by_name(name)

    def policy(self, type_token: str, prop: str = "policy") -> dict[str, Any]:
        return json.loads(self.one(type_token).inputs[prop])

    def statement(self, type_token: str, sid: str, prop: str = "policy") -> dict[str, Any]:
        statements = {s.get("Sid"): s for s in self.policy(type_token, prop)["Statement"]}
        assert sid in statements, f"{type_token} policy has no statement {sid}; has {sorted(map(str, statements))}"
        return statements[sid]

    def depends_on(self, resource: RegisteredResource, other: RegisteredResource) -> bool:
        return other.urn in resource.dependencies


Build = Callable[..., Deployment]


class RegisteredDelegatedAdministrator(AwsMocks):
    """AwsMocks in which the deploying account is a registered CloudTrail delegated administrator (the component
    asks, "Organization delegated administrator", when the caller is not the management account)."""

    def call(self, args: MockCallArgs) -> tuple[dict, list[tuple[str, str]]]:
        if args.token == "aws:organizations/getDelegatedAdministrators:getDelegatedAdministrators":
            self.calls.append((args.token, dict(args.args)))
            return {"id": "cloudtrail.amazonaws.com", "servicePrincipal": args.args.get("servicePrincipal"),
                    "delegatedAdministrators": [{"id": self.account_id}]}, []
        return super().call(args)


@pytest.fixture
def build() -> Build:
    """build(args, name=..., preview=..., **aws) -> Deployment of one CompliantTrail."""

    def _build(args: CompliantTrailArgs | None = None, *, name: str = "audit", preview: bool = False,
               **aws: Any) -> Deployment:
        aws = {"account_id": ACCOUNT, "region": REGION, "partition": PARTITION, "organization_id": ORG_ID, **aws}
        with mocked_stack(preview, mocks=RegisteredDelegatedAdministrator(preview=preview, **aws)) as monitor:
            CompliantTrail(name, args or {})
        return Deployment(monitor)

    return _build


TRAIL = "aws:cloudtrail/trail:Trail"
BUCKET = "aws:s3/bucket:Bucket"
BUCKET_POLICY = "aws:s3/bucketPolicy:BucketPolicy"
LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup"
ROLE = "aws:iam/role:Role"
ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy"
KEY = "aws:kms/key:Key"
ALIAS = "aws:kms/alias:Alias"
TOPIC = "aws:sns/topic:Topic"
TOPIC_POLICY = "aws:sns/topicPolicy:TopicPolicy"
SUBSCRIPTION = "aws:sns/topicSubscription:TopicSubscription"
METRIC_FILTER = "aws:cloudwatch/logMetricFilter:LogMetricFilter"
ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm"
