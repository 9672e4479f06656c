"""Run the real CompliantTrail under the recording mocks and read back the policies it declares.

Only the policies come from the component. The facts a request is built from (trail ARN, stream names,
alarm ARNs) come from the variant's arguments, the mocked account and AWS's documented naming, so a wrong
ARN in the component cannot make its own requests agree with it.
"""

from __future__ import annotations

import functools
import json
from dataclasses import dataclass, field
from typing import Any

from compliant_cloudtrail.check.mock_runtime import RecordingMonitor, mocked_stack
from compliant_cloudtrail.component import CompliantTrail

from .evaluator import Policy
from .organization_calls import EVERYTHING, OrganizationAccount, OrganizationMocks

ACCOUNT = "111122223333"
MANAGEMENT_ACCOUNT = "444455556666"
OTHER_ACCOUNT = "999988887777"
ORG_ID = "o-abcdefghij"

BUCKET_POLICY = "aws:s3/bucketPolicy:BucketPolicy"
KEY = "aws:kms/key:Key"
ROLE = "aws:iam/role:Role"
ROLE_POLICY = "aws:iam/rolePolicy:RolePolicy"
TOPIC = "aws:sns/topic:Topic"
TOPIC_POLICY = "aws:sns/topicPolicy:TopicPolicy"
TRAIL = "aws:cloudtrail/trail:Trail"
ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm"
LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup"

# The AWS DNS suffix of each partition (terraform-provider-aws names/names.go, DNSSuffixForPartition).
DNS_SUFFIX = {"aws": "amazonaws.com", "aws-cn": "amazonaws.com.cn", "aws-us-gov": "amazonaws.com"}


@dataclass(frozen=True)
class Variant:
    name: str
    args: dict[str, Any] = field(default_factory=dict)
    partition: str = "aws"
    region: str = "eu-west-1"
    management_account: str = ACCOUNT
    """The organization's management account the mocks report; the deploying account is always ACCOUNT."""

    @property
    def organization_trail(self) -> bool:
        return bool(self.args.get("is_organization_trail"))

    @property
    def trail_owner(self) -> str:
        """An organization trail belongs to the management account, also when a delegated administrator
        creates it (CloudTrail user guide, "Organization delegated administrator")."""
        return self.management_account if self.organization_trail else ACCOUNT


VARIANTS = [
    Variant("default"),
    Variant("no-kms", {"enable_kms": False}),
    Variant("key-prefix", {"s3_key_prefix": "audit"}),
    Variant("organization", {"is_organization_trail": True, "organization_id": ORG_ID}),
    Variant(
        "delegated-admin",
        {"is_organization_trail": True, "organization_id": ORG_ID,
         "organization_management_account_id": MANAGEMENT_ACCOUNT},
        management_account=MANAGEMENT_ACCOUNT,
    ),
    Variant("own-log-group", {"existing_log_group_name": "/security/cloudtrail"}),
    Variant("own-topic", {"existing_alarm_topic_arn": f"arn:aws:sns:eu-west-1:{ACCOUNT}:secops-alarms"}),
    Variant("own-bucket", {"existing_bucket_name": "central-cloudtrail-logs"}),
    Variant("china", partition="aws-cn", region="cn-north-1"),
    Variant("govcloud", partition="aws-us-gov", region="us-gov-west-1"),
]
VARIANT_NAMES = [v.name for v in VARIANTS]


@dataclass(frozen=True)
class Declared:
    """The policies one variant's CompliantTrail declared (None where it writes none) and the names AWS
    will see (the trail's name, the bucket, the log group, the topic, the alarms)."""

    variant: Variant
    bucket: Policy | None
    key: Policy | None
    trust: Policy
    role_policy: Policy
    topic: Policy | None
    trail_name: str
    bucket_name: str
    log_group_name: str
    key_encrypts_log_group: bool
    topic_arn: str
    topic_uses_key: bool
    alarm_names: list[str]
    role_arn: str

    def policies(self) -> dict[str, Policy]:
        found = [self.bucket, self.key, self.trust, self.role_policy, self.topic]
        return {p.name: p for p in found if p is not None}


@functools.cache
def deployed(name: str) -> Declared:
    """Each variant runs once per process: the tests and the table share it."""
    return deploy(next(v for v in VARIANTS if v.name == name))


def deploy(variant: Variant) -> Declared:
    # The deployer holds every Organizations permission the component asks for, and is a registered CloudTrail
    # delegated administrator when it is not the management account (organization_calls.py).
    organization = OrganizationAccount(caller=ACCOUNT, management=variant.management_account, allowed=EVERYTHING,
                                       organization_id=ORG_ID, delegated_administrators=(ACCOUNT,))
    mocks = OrganizationMocks(organization, region=variant.region, partition=variant.partition, preview=False)
    with mocked_stack(mocks=mocks) as monitor:
        # A subscriber, as a compliant stack has (and the component warns without one).
        CompliantTrail("audit", {"alarm_emails": ["secops@example.com"], **variant.args})  # type: ignore[typeddict-item]
    return _read(variant, monitor)


def _one(monitor: RecordingMonitor, type_token: str) -> Any:
    found = monitor.by_type(type_token)
    assert len(found) <= 1, f"expected at most one {type_token}, got {[r.name for r in found]}"
    return found[0] if found else None


def _policy(monitor: RecordingMonitor, type_token: str, name: str, prop: str = "policy") -> Policy | None:
    resource = _one(monitor, type_token)
    return None if resource is None else Policy(name, json.loads(resource.inputs[prop]))


def _read(variant: Variant, monitor: RecordingMonitor) -> Declared:
    trail = _one(monitor, TRAIL)
    role = _one(monitor, ROLE)
    topic = _one(monitor, TOPIC)
    log_group = _one(monitor, LOG_GROUP)
    trust = _policy(monitor, ROLE, "trust", "assumeRolePolicy")
    role_policy = _policy(monitor, ROLE_POLICY, "role-policy")
    assert trust is not None and role_policy is not None, "CompliantTrail declared no delivery role"
    key = _policy(monitor, KEY, "key")
    return Declared(
        variant=variant,
        bucket=_policy(monitor, BUCKET_POLICY, "bucket"),
        key=key,
        trust=trust,
        role_policy=role_policy,
        topic=_policy(monitor, TOPIC_POLICY, "topic"),
        trail_name=trail.inputs["name"],
        bucket_name=trail.inputs["s3BucketName"],
        log_group_name=log_group.outputs["name"] if log_group else variant.args["existing_log_group_name"],
        key_encrypts_log_group=bool(log_group and log_group.inputs.get("kmsKeyId")),
        topic_arn=topic.outputs["arn"] if topic else variant.args["existing_alarm_topic_arn"],
        topic_uses_key=bool(topic and topic.inputs.get("kmsMasterKeyId")),
        alarm_names=sorted(a.inputs["name"] for a in monitor.by_type(ALARM)),
        role_arn=role.outputs["arn"],
    )
