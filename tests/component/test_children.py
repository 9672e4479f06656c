"""Every child of a default CompliantTrail, and every property the brief asks of it."""

from __future__ import annotations

import pytest

from .conftest import (
    ALARM,
    ALIAS,
    BUCKET,
    KEY,
    LOG_GROUP,
    METRIC_FILTER,
    ROLE,
    ROLE_POLICY,
    SUBSCRIPTION,
    TOPIC,
    TRAIL,
    Build,
    Deployment,
)

COMPONENT = "compliant-cloudtrail:index:CompliantTrail"


@pytest.fixture
def default(build: Build) -> Deployment:
    return build({"alarm_emails": ["secops@example.com"], "tags": {"team": "security"}})


def test_component_type_token_and_every_child_parented(default: Deployment) -> None:
    component = default.one(COMPONENT)
    children = [r for r in default.resources if r.type != COMPONENT]
    assert children, "the component registered no children"
    for child in children:
        assert child.parent == component.urn, f"{child.urn} is not parented to the component"


def test_trail_is_multi_region_validated_encrypted_and_logs_all_management_events(default: Deployment) -> None:
    trail = default.one(TRAIL).inputs
    key = default.one(KEY)
    assert trail["name"] == "audit"
    assert trail["isMultiRegionTrail"] is True
    assert trail["includeGlobalServiceEvents"] is True
    assert trail["enableLogFileValidation"] is True
    assert trail["kmsKeyId"] == key.outputs["arn"]
    # No basic selector: sending CloudTrail's default (all management events) as one shows a change on every
    # preview (terraform-provider-aws #3697, #4040). One advanced selector for all management events, read and
    # write, always (so removing data selectors never sends an empty list; review 2026-12-05 N-m1).
    assert "eventSelectors" not in trail
    assert trail["advancedEventSelectors"] == [
        {"name": "All management events", "fieldSelectors": [{"field": "eventCategory", "equals": ["Management"]}]}]
    assert trail["isOrganizationTrail"] is False


def test_log_bucket_is_versioned_private_owner_enforced_and_kms_encrypted(default: Deployment) -> None:
    bucket = default.one(BUCKET)
    assert bucket.inputs.get("forceDestroy") is False
    assert default.one("aws:s3/bucketVersioning:BucketVersioning").inputs["versioningConfiguration"]["status"] == \
        "Enabled"
    block = default.one("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock").inputs
    for setting in ("blockPublicAcls", "blockPublicPolicy", "ignorePublicAcls", "restrictPublicBuckets"):
        assert block[setting] is True, f"public access block {setting} is not on"
    ownership = default.one("aws:s3/bucketOwnershipControls:BucketOwnershipControls").inputs
    assert ownership["rule"] == {"objectOwnership": "BucketOwnerEnforced"}
    assert not default.all("aws:s3/bucketAcl:BucketAcl"), "the component must set no ACLs"
    encryption = default.one(
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration").inputs
    [rule] = encryption["rules"]
    assert rule["applyServerSideEncryptionByDefault"] == {
        "sseAlgorithm": "aws:kms", "kmsMasterKeyId": default.one(KEY).outputs["arn"]}
    assert rule["bucketKeyEnabled"] is True
    for r in (bucket,):
        assert r.inputs["tags"] == {"team": "security"}


def test_lifecycle_expires_noncurrent_versions_but_never_current_logs(default: Deployment) -> None:
    [rule] = default.one("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration").inputs["rules"]
    assert rule["status"] == "Enabled"
    assert rule["noncurrentVersionExpiration"]["noncurrentDays"] == 365
    assert "expiration" not in rule, "current log files must never expire unless asked"


def test_lifecycle_expires_current_logs_when_asked(build: Build) -> None:
    deployment = build({"log_expiration_days": 2555, "noncurrent_version_expiration_days": 30})
    [rule] = deployment.one("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration").inputs["rules"]
    assert rule["expiration"] == {"days": 2555}
    assert rule["noncurrentVersionExpiration"]["noncurrentDays"] == 30


def test_access_logging_and_object_lock_are_opt_in(build: Build, default: Deployment) -> None:
    assert not default.all("aws:s3/bucketLogging:BucketLogging")
    assert not default.all("aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration")
    deployment = build({"access_log_bucket_name": "org-access-logs", "object_lock": {"mode": "COMPLIANCE",
                                                                                      "days": 400}})
    logging = deployment.one("aws:s3/bucketLogging:BucketLogging").inputs
    assert logging["targetBucket"] == "org-access-logs"
    assert logging["targetPrefix"] == deployment.one(BUCKET).outputs["bucket"] + "/"
    # Not on the bucket: aws_s3_bucket.object_lock_enabled is ForceNew, so adding object_lock later would replace
    # the bucket; the lock configuration enables Object Lock on an existing bucket ("Enabled").
    assert "objectLockEnabled" not in deployment.one(BUCKET).inputs
    lock = deployment.one("aws:s3/bucketObjectLockConfiguration:BucketObjectLockConfiguration").inputs
    assert lock["objectLockEnabled"] == "Enabled"
    assert lock["rule"] == {"defaultRetention": {"mode": "COMPLIANCE", "days": 400}}


def test_kms_key_rotates_has_an_alias_and_is_kept(default: Deployment) -> None:
    key = default.one(KEY)
    assert key.inputs["enableKeyRotation"] is True
    assert key.inputs["tags"] == {"team": "security"}
    assert key.retain_on_delete is True
    alias = default.one(ALIAS).inputs
    assert alias["name"] == "alias/cloudtrail/audit"
    assert alias["targetKeyId"] == key.outputs["keyId"]


def test_log_group_defaults(default: Deployment) -> None:
    group = default.one(LOG_GROUP)
    assert group.inputs["name"] == "/aws/cloudtrail/audit"
    assert group.inputs["retentionInDays"] == 365
    assert group.inputs["kmsKeyId"] == default.one(KEY).outputs["arn"]
    assert group.inputs["tags"] == {"team": "security"}


def test_sns_topic_uses_the_customer_managed_key(default: Deployment) -> None:
    topic = default.one(TOPIC).inputs
    assert topic["kmsMasterKeyId"] == default.one(KEY).outputs["arn"]
    assert topic["kmsMasterKeyId"] != "alias/aws/sns"


def test_email_subscription(default: Deployment) -> None:
    subscription = default.one(SUBSCRIPTION).inputs
    assert subscription == {"topic": default.one(TOPIC).outputs["arn"], "protocol": "email",
                            "endpoint": "secops@example.com"}


def test_other_subscriptions(build: Build) -> None:
    deployment = build({"alarm_subscriptions": [
        {"protocol": "https", "endpoint": "https://hooks.example.com/alarm"},
        {"protocol": "sms", "endpoint": "+15555550100"},
    ]})
    got = sorted((s.inputs["protocol"], s.inputs["endpoint"]) for s in deployment.all(SUBSCRIPTION))
    assert got == [("https", "https://hooks.example.com/alarm"), ("sms", "+15555550100")]


def test_role_policy_is_inline_on_the_delivery_role(default: Deployment) -> None:
    assert default.one(ROLE_POLICY).inputs["role"] == default.one(ROLE).id


def test_one_filter_and_one_alarm_per_default_catalog_filter(default: Deployment) -> None:
    filters = default.all(METRIC_FILTER)
    alarms = default.all(ALARM)
    # Both profiles by default: 14 shared filters + the CIS wordings of 4.10 and 4.13 + 4.15 = 17.
    assert len(filters) == 17
    assert len(alarms) == 17
    assert len({f.inputs["pattern"] for f in filters}) == 17, "two identical filters were deployed"


def test_children_are_tagged(default: Deployment) -> None:
    taggable = [BUCKET, KEY, LOG_GROUP, ROLE, TRAIL, TOPIC, ALARM]
    for type_token in taggable:
        for resource in default.all(type_token):
            assert resource.inputs.get("tags") == {"team": "security"}, f"{resource.urn} is not tagged"


def test_registered_outputs(default: Deployment) -> None:
    outputs = default.monitor.registered_outputs[default.one(COMPONENT).urn]
    assert outputs["trail_arn"] == default.one(TRAIL).outputs["arn"]
    assert outputs["trail_name"] == "audit"
    assert outputs["bucket_name"] == default.one(BUCKET).outputs["bucket"]
    assert outputs["bucket_arn"] == default.one(BUCKET).outputs["arn"]
    assert outputs["log_group_name"] == "/aws/cloudtrail/audit"
    assert outputs["log_group_arn"] == default.one(LOG_GROUP).outputs["arn"]
    assert outputs["role_arn"] == default.one(ROLE).outputs["arn"]
    assert outputs["kms_key_arn"] == default.one(KEY).outputs["arn"]
    assert outputs["topic_arn"] == default.one(TOPIC).outputs["arn"]
    alarm_arns = outputs["alarm_arns"]
    alarms_by_arn = {a.outputs["arn"]: a for a in default.all(ALARM)}
    assert set(alarm_arns) == {f"4.{n}" for n in range(1, 16)}
    assert set(alarm_arns["4.10"]) == {"security-hub", "cis"}
    assert set(alarm_arns["4.13"]) == {"security-hub", "cis"}
    assert set(alarm_arns["4.3"]) == {"security-hub"}
    assert set(alarm_arns["4.15"]) == {"cis"}
    for item, wordings in alarm_arns.items():
        for arn in wordings.values():
            assert arn in alarms_by_arn, f"alarm ARN of {item} is not an alarm the component created"
            assert alarms_by_arn[arn].inputs["alarmDescription"].startswith((f"CIS {item} ", f"CIS {item}:"))


def test_insights_are_opt_in(build: Build, default: Deployment) -> None:
    assert "insightSelectors" not in default.one(TRAIL).inputs
    trail = build({"insight_types": ["ApiCallRateInsight", "ApiErrorRateInsight"]}).one(TRAIL).inputs
    assert trail["insightSelectors"] == [{"insightType": "ApiCallRateInsight"}, {"insightType": "ApiErrorRateInsight"}]
    # Insights need write management events; the trail logs them all (one selector for every management event).
    assert "eventSelectors" not in trail
    assert [s["fieldSelectors"] for s in trail["advancedEventSelectors"]] == [
        [{"field": "eventCategory", "equals": ["Management"]}]]
