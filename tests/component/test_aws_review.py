"""One test (or more) per finding of the AWS review of the first version (issue: CompliantTrail on real AWS).

Each names the AWS page or provider source that states the requirement; each was red before its fix.
"""

from __future__ import annotations

from typing import Any

import pytest

from compliant_cloudtrail.check.mock_runtime import AwsMocks, mocked_stack
from compliant_cloudtrail.component import CompliantTrail, InvalidArgumentError

from .conftest import (
    ACCOUNT,
    ALIAS,
    BUCKET,
    BUCKET_POLICY,
    KEY,
    ORG_ID,
    REGION,
    ROLE_POLICY,
    SUBSCRIPTION,
    TRAIL,
    Build,
    Deployment,
    RegisteredDelegatedAdministrator,
)

MANAGEMENT = "999988887777"
BUCKET_PARTS = (
    "aws:s3/bucketPolicy:BucketPolicy",
    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
    "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
    "aws:s3/bucketVersioning:BucketVersioning",
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
    "aws:s3/bucketLogging:BucketLogging",
    "aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration",
)
WITH_EVERY_BUCKET_PART: dict[str, Any] = {
    "access_log_bucket_name": "org-access-logs",
    "object_lock": {"mode": "GOVERNANCE", "days": 30},
}


@pytest.fixture
def default(build: Build) -> Deployment:
    return build({"alarm_emails": ["secops@example.com"]})


def statements(deployment: Deployment, type_token: str) -> dict[str, dict[str, Any]]:
    return {s["Sid"]: s for s in deployment.policy(type_token)["Statement"]}


# 1 -----------------------------------------------------------------------------------------------------------
def test_configure_kms_key_policies_for_cloudtrail_item_2_decrypt_under_an_s3_bucket_key(
    default: Deployment,
) -> None:
    """"If you are using an existing S3 bucket with an S3 Bucket Key, kms:Decrypt permissions are required to
    create or update a trail with SSE-KMS encryption enabled" - and the log bucket uses a Bucket Key."""
    encryption = default.one(BUCKET_PARTS[4]).inputs["rules"][0]
    assert encryption["bucketKeyEnabled"] is True
    decrypt = statements(default, KEY)["AllowCloudTrailToDecryptUnderTheBucketKey"]
    assert decrypt["Principal"] == {"Service": "cloudtrail.amazonaws.com"}
    assert decrypt["Action"] == "kms:Decrypt"
    this_trail = f"arn:aws:cloudtrail:{REGION}:{ACCOUNT}:trail/audit"
    assert decrypt["Condition"] == {"StringEquals": {"aws:SourceArn": this_trail}}


# 2 -----------------------------------------------------------------------------------------------------------
def delegated_admin_deployment(args: dict[str, Any]) -> Deployment:
    mocks = RegisteredDelegatedAdministrator(account_id=ACCOUNT, region=REGION, organization_id=ORG_ID,
                                             management_account_id=MANAGEMENT)
    with mocked_stack(mocks=mocks) as monitor:
        CompliantTrail("audit", {"is_organization_trail": True, **args})  # type: ignore[typeddict-item]
    return Deployment(monitor)


@pytest.mark.parametrize("args", [{}, {"organization_id": ORG_ID, "organization_management_account_id": MANAGEMENT}],
                         ids=["looked-up", "given"])
def test_organization_delegated_administrator_trail_arn_uses_the_management_account(args: dict[str, Any]) -> None:
    """CloudTrail user guide, "Organization delegated administrator" / creating an organization trail with the CLI:
    "the value of aws:SourceArn must be a trail ARN that is owned by the management account, and uses the
    management account ID"."""
    deployment = delegated_admin_deployment(args)
    owned = f"arn:aws:cloudtrail:{REGION}:{MANAGEMENT}:trail/audit"
    bucket = statements(deployment, BUCKET_POLICY)
    for sid in ("AWSCloudTrailAclCheck", "AWSCloudTrailWrite", "AWSCloudTrailOrganizationWrite"):
        assert bucket[sid]["Condition"]["StringEquals"]["aws:SourceArn"] == owned, sid
    assert f"/AWSLogs/{MANAGEMENT}/*" in bucket["AWSCloudTrailWrite"]["Resource"]
    key = statements(deployment, KEY)
    encrypt = key["AllowCloudTrailToEncryptLogs"]["Condition"]
    assert encrypt["StringEquals"]["aws:SourceArn"] == owned
    context = encrypt["StringLike"]["kms:EncryptionContext:aws:cloudtrail:arn"]
    assert context == f"arn:aws:cloudtrail:*:{MANAGEMENT}:trail/*"
    assert key["AllowCloudTrailToDescribeKey"]["Condition"]["StringEquals"]["aws:SourceArn"] == owned
    streams = deployment.policy(ROLE_POLICY)["Statement"][0]["Resource"]
    assert any(f":log-stream:{MANAGEMENT}_CloudTrail_{REGION}*" in s for s in streams), streams
    # The key administrators and the alarms stay this (the delegated administrator's) account's.
    assert key["EnableIAMUserPermissions"]["Principal"] == {"AWS": f"arn:aws:iam::{ACCOUNT}:root"}


def test_management_account_id_is_only_for_organization_trails_and_is_12_digits(build: Build) -> None:
    with pytest.raises(InvalidArgumentError, match=r"organization_management_account_id.*only used with"):
        build({"organization_management_account_id": MANAGEMENT})
    with pytest.raises(InvalidArgumentError, match=r"organization_management_account_id.*12 digits"):
        build({"is_organization_trail": True, "organization_management_account_id": "1234"})


# 3 -----------------------------------------------------------------------------------------------------------
def test_create_alias_name_has_no_dot_even_when_the_trail_name_has_one(build: Build) -> None:
    """"CreateAlias": alias names are alias/ followed by letters, digits, '/', '_' and '-'."""
    alias = build({"trail_name": "org.audit-trail"}).one(ALIAS).inputs["name"]
    # The '.' made '-', and a digest of the trail's name so that org-audit-trail keeps its own alias (N-m4).
    assert alias.startswith("alias/cloudtrail/org-audit-trail-") and "." not in alias


# 4 -----------------------------------------------------------------------------------------------------------
def test_a_kept_bucket_keeps_every_protection_on_destroy(build: Build) -> None:
    """Deleting an S3 sub-resource changes the bucket (deleting BucketVersioning suspends versioning, deleting the
    policy or public access block removes them): each must be kept with the bucket."""
    deployment = build(WITH_EVERY_BUCKET_PART)
    assert deployment.one(BUCKET).retain_on_delete is True
    for token in BUCKET_PARTS:
        assert deployment.one(token).retain_on_delete is True, token


def test_allow_log_data_deletion_lets_every_bucket_part_go(build: Build) -> None:
    deployment = build({"access_log_bucket_name": "org-access-logs", "allow_log_data_deletion": True})
    for token in BUCKET_PARTS[:-1]:
        assert deployment.one(token).retain_on_delete is False, token


# 5 -----------------------------------------------------------------------------------------------------------
def test_adding_object_lock_leaves_the_bucket_untouched(build: Build, default: Deployment) -> None:
    """aws_s3_bucket.object_lock_enabled is ForceNew (terraform-provider-aws internal/service/s3/bucket.go):
    the bucket's own inputs must not change when object_lock is added to a deployed stack."""
    locked = build({"object_lock": {"mode": "COMPLIANCE", "days": 365}})
    assert locked.one(BUCKET).inputs == default.one(BUCKET).inputs
    assert locked.one(BUCKET).urn == default.one(BUCKET).urn


# 6 -----------------------------------------------------------------------------------------------------------
def test_trail_waits_for_encryption_versioning_public_access_block_and_object_lock(build: Build) -> None:
    deployment = build({"object_lock": {"mode": "GOVERNANCE", "days": 30}})
    trail = deployment.one(TRAIL)
    for token in (*BUCKET_PARTS[:5], BUCKET_PARTS[7]):
        assert deployment.depends_on(trail, deployment.one(token)), token


# 8 -----------------------------------------------------------------------------------------------------------
def test_sns_encrypted_topics_cloudwatch_key_grant_is_scoped_to_this_accounts_alarms(default: Deployment) -> None:
    """SNS developer guide, "Enable compatibility between event sources from AWS services and encrypted topics";
    scoped with aws:SourceArn/aws:SourceAccount like the topic policy (confused-deputy protection)."""
    grant = statements(default, KEY)["AllowCloudWatchAlarmsToPublishToTheEncryptedTopic"]
    assert grant["Condition"] == {
        "ArnLike": {"aws:SourceArn": f"arn:aws:cloudwatch:{REGION}:{ACCOUNT}:alarm:*"},
        "StringEquals": {"aws:SourceAccount": ACCOUNT},
    }


# 9 -----------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("protocol", "endpoint", "reason"), [
    ("sqs", f"arn:aws:sqs:{REGION}:{ACCOUNT}:alarms", "queue policy"),
    ("lambda", f"arn:aws:lambda:{REGION}:{ACCOUNT}:function:page", "invoke the function"),
    ("firehose", f"arn:aws:firehose:{REGION}:{ACCOUNT}:deliverystream/s", "subscription role"),
])
def test_subscriptions_sns_cannot_deliver_to_without_more_grants_are_refused_at_preview(
    build: Build, protocol: str, endpoint: str, reason: str
) -> None:
    """SNS developer guide, "Fanout to Amazon SQS queues" / "Fanout to Lambda functions": SNS delivers only when
    the queue policy or the function's resource policy lets sns.amazonaws.com in."""
    with pytest.raises(InvalidArgumentError, match=rf"alarm_subscriptions\[0\]\.protocol.*{reason}.*topic_arn"):
        build({"alarm_subscriptions": [{"protocol": protocol, "endpoint": endpoint}]})


# 10 ----------------------------------------------------------------------------------------------------------
def test_kms_key_arn_must_be_a_key_arn_not_an_alias_arn(build: Build) -> None:
    with pytest.raises(InvalidArgumentError, match=r"kms_key_arn.*not an alias"):
        build({"kms_key_arn": f"arn:aws:kms:{REGION}:{ACCOUNT}:alias/cloudtrail"})
    key = f"arn:aws:kms:{REGION}:{ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab"
    assert build({"kms_key_arn": key}).one(TRAIL).inputs["kmsKeyId"] == key


# 11 ----------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("argument", "arn"), [
    ("kms_key_arn", f"arn:aws:kms:us-east-2:{ACCOUNT}:key/1234abcd-12ab-34cd-56ef-1234567890ab"),
    ("existing_alarm_topic_arn", f"arn:aws:sns:us-east-2:{ACCOUNT}:security-alarms"),
])
def test_a_brought_key_or_topic_in_another_region_stops_preview(build: Build, argument: str, arn: str) -> None:
    with pytest.raises(InvalidArgumentError, match=rf"{argument}.*us-east-2.*{REGION}"):
        build({argument: arn}, preview=True)
    same_region = arn.replace("us-east-2", REGION)
    build({argument: same_region}, preview=True)


class _Organization(AwsMocks):
    def __init__(self, **answer: Any) -> None:
        super().__init__(account_id=ACCOUNT, region=REGION, organization_id=ORG_ID)
        self.answer = answer

    def _organization(self, args: dict[str, Any]) -> dict[str, Any]:
        return {**super()._organization(args), **self.answer}


@pytest.mark.parametrize(("answer", "message"), [
    ({"awsServiceAccessPrincipals": ["config.amazonaws.com"]}, "no trusted access for cloudtrail.amazonaws.com"),
    ({"featureSet": "CONSOLIDATED_BILLING"}, "all features"),
])
def test_creating_an_organization_trail_prerequisites_are_checked_at_preview(answer: dict[str, Any],
                                                                               message: str) -> None:
    """CloudTrail user guide, "Creating a trail for an organization": all features and trusted access."""
    with pytest.raises(InvalidArgumentError, match=message), mocked_stack(mocks=_Organization(**answer)):
        CompliantTrail("audit", {"is_organization_trail": True})
    with mocked_stack(mocks=_Organization()) as monitor:
        CompliantTrail("audit", {"is_organization_trail": True})
    assert Deployment(monitor).one(TRAIL).inputs["isOrganizationTrail"] is True


# 12 ----------------------------------------------------------------------------------------------------------
def test_removing_the_first_subscription_keeps_the_others(build: Build) -> None:
    first = {"protocol": "https", "endpoint": "https://hooks.example.com/a"}
    second = {"protocol": "sms", "endpoint": "+15555550100"}
    both = {s.inputs["endpoint"]: s.urn for s in build({"alarm_subscriptions": [first, second]}).all(SUBSCRIPTION)}
    only_second = {s.inputs["endpoint"]: s.urn for s in build({"alarm_subscriptions": [second]}).all(SUBSCRIPTION)}
    assert only_second["+15555550100"] == both["+15555550100"]


def test_subscriptions_named_by_position_before_are_adopted_by_alias(build: Build) -> None:
    [subscription] = build({"alarm_subscriptions": [{"protocol": "sms", "endpoint": "+15555550100"}]}).all(SUBSCRIPTION)
    assert "audit-alarm-subscription-0" in str(subscription.aliases), subscription.aliases


# 13 ----------------------------------------------------------------------------------------------------------
def test_object_lock_cannot_be_combined_with_allow_log_data_deletion(build: Build) -> None:
    with pytest.raises(InvalidArgumentError, match=r"allow_log_data_deletion.*object_lock"):
        build({"object_lock": {"mode": "COMPLIANCE", "days": 30}, "allow_log_data_deletion": True})


# 14 ----------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(("partition", "region", "principal"), [
    ("aws", "eu-west-1", "logs.eu-west-1.amazonaws.com"),
    ("aws-cn", "cn-north-1", "logs.cn-north-1.amazonaws.com.cn"),
])
def test_cloudwatch_logs_key_grant_uses_the_partitions_dns_suffix(
    build: Build, partition: str, region: str, principal: str
) -> None:
    deployment = build(partition=partition, region=region)
    grant = statements(deployment, KEY)["AllowCloudWatchLogsToEncryptTheTrailLogGroup"]
    assert grant["Principal"] == {"Service": principal}
    assert grant["Condition"]["ArnEquals"]["kms:EncryptionContext:aws:logs:arn"].startswith(f"arn:{partition}:logs:")


# README statements a newcomer found untrue (issue: a library its users install) ---------------------------------
def test_alarm_emails_may_be_outputs_in_a_list_of_known_length(build: Build) -> None:
    import pulumi

    deployment = build({"alarm_emails": ["secops@example.com", pulumi.Output.from_input("oncall@example.com")]})
    got = sorted(s.inputs["endpoint"] for s in deployment.all(SUBSCRIPTION))
    assert got == ["oncall@example.com", "secops@example.com"]


def test_a_bad_list_item_is_named_by_its_index(build: Build) -> None:
    with pytest.raises(InvalidArgumentError, match=r"argument 'alarm_emails\[1\]' is 'not-an-address'"):
        build({"alarm_emails": ["secops@example.com", "not-an-address"]})
    with pytest.raises(InvalidArgumentError, match=r"argument 'alarm_emails\[1\]' is 'secops@example.com'.*once"):
        build({"alarm_emails": ["secops@example.com", "secops@example.com"]})


def test_an_output_where_a_plain_value_is_needed_is_shown_as_an_output_not_its_repr(build: Build) -> None:
    import pulumi

    with pytest.raises(InvalidArgumentError) as raised:
        build({"trail_name": pulumi.Output.from_input("audit")})  # type: ignore[typeddict-item]
    assert "argument 'trail_name' is an Output" in str(raised.value)
    assert "object at 0x" not in str(raised.value)
