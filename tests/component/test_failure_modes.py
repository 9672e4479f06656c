"""One test per failure mode real users hit (the project's facts file, "Known failure modes")."""

from __future__ import annotations

import logging

import pytest

from compliant_cloudtrail.component import InvalidArgumentError

from .conftest import (
    ACCOUNT,
    ALARM,
    BUCKET,
    BUCKET_POLICY,
    KEY,
    METRIC_FILTER,
    ORG_ID,
    REGION,
    ROLE_POLICY,
    TOPIC,
    TRAIL,
    Build,
)


def test_trail_waits_for_the_bucket_policy(build: Build) -> None:
    """InsufficientS3BucketPolicyException when the trail is created before its bucket policy."""
    deployment = build()
    assert deployment.depends_on(deployment.one(TRAIL), deployment.one(BUCKET_POLICY))


def test_trail_waits_for_the_role_policy_not_only_the_role(build: Build) -> None:
    """InvalidCloudWatchLogsRoleArnException when the role's policy has not propagated yet."""
    deployment = build()
    trail, role_policy = deployment.one(TRAIL), deployment.one(ROLE_POLICY)
    assert deployment.depends_on(trail, role_policy)
    assert "cloudWatchLogsRoleArn" in trail.property_dependencies
    assert role_policy.urn not in trail.property_dependencies["cloudWatchLogsRoleArn"], \
        "the edge to the role policy must be an explicit depends_on, data flow only reaches the role"


def test_multi_region_trail_always_includes_global_service_events(build: Build) -> None:
    """InvalidParameterCombinationException for a multi-region trail without global service events."""
    for args in ({}, {"is_organization_trail": True}, {"enable_kms": False}):
        trail = build(args).one(TRAIL).inputs
        assert (trail["isMultiRegionTrail"], trail["includeGlobalServiceEvents"]) == (True, True), args


def test_no_acls_on_the_log_bucket(build: Build) -> None:
    """AccessControlListNotSupported: new buckets reject ACLs since April 2023."""
    deployment = build()
    assert "acl" not in deployment.one(BUCKET).inputs
    assert not deployment.all("aws:s3/bucketAcl:BucketAcl")
    ownership = deployment.one("aws:s3/bucketOwnershipControls:BucketOwnershipControls").inputs
    assert ownership["rule"]["objectOwnership"] == "BucketOwnerEnforced"


def test_organization_trail_bucket_policy_covers_org_and_management_account(build: Build) -> None:
    deployment = build({"is_organization_trail": True})
    bucket_arn = deployment.one(BUCKET).outputs["arn"]
    trail_arn = f"arn:aws:cloudtrail:{REGION}:{ACCOUNT}:trail/audit"
    org = deployment.statement(BUCKET_POLICY, "AWSCloudTrailOrganizationWrite")
    assert org["Resource"] == f"{bucket_arn}/AWSLogs/{ORG_ID}/*"
    assert org["Condition"]["StringEquals"]["aws:SourceArn"] == trail_arn
    management = deployment.statement(BUCKET_POLICY, "AWSCloudTrailWrite")
    assert management["Resource"] == f"{bucket_arn}/AWSLogs/{ACCOUNT}/*"
    assert deployment.one(TRAIL).inputs["isOrganizationTrail"] is True


def test_organization_trail_role_covers_org_streams_and_account_streams(build: Build) -> None:
    deployment = build({"is_organization_trail": True})
    group = f"arn:aws:logs:{REGION}:{ACCOUNT}:log-group:/aws/cloudtrail/audit"
    for statement in deployment.policy(ROLE_POLICY)["Statement"]:
        assert sorted(statement["Resource"]) == sorted([
            f"{group}:log-stream:{ACCOUNT}_CloudTrail_{REGION}*",
            f"{group}:log-stream:{ORG_ID}_*",
        ])


def test_account_trail_role_does_not_cover_org_streams(build: Build) -> None:
    for statement in build().policy(ROLE_POLICY)["Statement"]:
        assert not any(ORG_ID in r or ":log-stream:o-" in r for r in statement["Resource"])


def test_source_arn_is_computed_not_read_from_the_trail(build: Build) -> None:
    """A policy that used trail.arn would make the trail wait for itself (trail -> bucket policy -> trail)."""
    deployment = build()
    trail = deployment.one(TRAIL)
    for policy_type in (BUCKET_POLICY, KEY):
        resource = deployment.one(policy_type)
        assert trail.urn not in resource.dependencies, f"{resource.urn} depends on the trail"
    source_arns = {deployment.statement(BUCKET_POLICY, "AWSCloudTrailAclCheck")["Condition"]["StringEquals"][
        "aws:SourceArn"]}
    assert source_arns == {trail.outputs["arn"]}


def test_key_policy_lets_cloudtrail_encrypt_and_describe(build: Build) -> None:
    """InsufficientEncryptionPolicyException without these two grants."""
    deployment = build()
    encrypt = deployment.statement(KEY, "AllowCloudTrailToEncryptLogs")
    assert encrypt["Action"] == "kms:GenerateDataKey*"
    assert "kms:EncryptionContext:aws:cloudtrail:arn" in encrypt["Condition"]["StringLike"]
    assert deployment.statement(KEY, "AllowCloudTrailToDescribeKey")["Action"] == "kms:DescribeKey"
    assert deployment.statement(KEY, "AllowCloudWatchLogsToEncryptTheTrailLogGroup")["Principal"] == {
        "Service": f"logs.{REGION}.amazonaws.com"}


def test_alarm_topic_never_uses_the_aws_managed_sns_key(build: Build) -> None:
    """CloudWatch alarms cannot publish to a topic encrypted with alias/aws/sns."""
    deployment = build()
    assert deployment.one(TOPIC).inputs["kmsMasterKeyId"] == deployment.one(KEY).outputs["arn"]
    statement = deployment.statement(KEY, "AllowCloudWatchAlarmsToPublishToTheEncryptedTopic")
    assert statement["Principal"] == {"Service": "cloudwatch.amazonaws.com"}


def test_alarm_references_the_metric_not_the_filter_name(build: Build) -> None:
    deployment = build()
    filters = {f.inputs["metricTransformation"]["name"]: f for f in deployment.all(METRIC_FILTER)}
    for alarm in deployment.all(ALARM):
        metric = alarm.inputs["metricName"]
        assert metric in filters, f"{alarm.urn} watches {metric}, which no filter emits"
        assert alarm.inputs["namespace"] == filters[metric].inputs["metricTransformation"]["namespace"]


def test_every_alarm_has_the_topic_as_action_and_a_missing_subscriber_is_warned(
    build: Build, caplog: pytest.LogCaptureFixture
) -> None:
    with caplog.at_level(logging.WARNING):
        deployment = build()
    topic = deployment.one(TOPIC).outputs["arn"]
    assert all(a.inputs["alarmActions"] == [topic] for a in deployment.all(ALARM))
    assert any("no subscriber" in message for message in caplog.messages), caplog.messages
    caplog.clear()
    with caplog.at_level(logging.WARNING):
        build({"alarm_emails": ["secops@example.com"]})
    assert not any("no subscriber" in message for message in caplog.messages)


def test_management_events_cannot_be_narrowed(build: Build) -> None:
    """Excluding management event sources (e.g. KMS) blinds CIS 4.7 and fails Security Hub CloudTrail.1."""
    trail = build().one(TRAIL).inputs
    # All management events, read and write: one advanced selector without readOnly or eventSource conditions.
    assert "eventSelectors" not in trail
    assert trail["advancedEventSelectors"] == [
        {"name": "All management events", "fieldSelectors": [{"field": "eventCategory", "equals": ["Management"]}]}]
    s3_data_events = {"name": "S3 data events", "field_selectors": [
        {"field": "eventCategory", "equals": ["Data"]}, {"field": "resources.type", "equals": ["AWS::S3::Object"]}]}
    trail = build({"advanced_event_selectors": [s3_data_events]}).one(TRAIL).inputs
    management, data = trail["advancedEventSelectors"]
    assert management["fieldSelectors"] == [{"field": "eventCategory", "equals": ["Management"]}]
    assert data["name"] == "S3 data events"
    assert "eventSelectors" not in trail
    narrowing = {"name": "no KMS", "field_selectors": [
        {"field": "eventCategory", "equals": ["Management"]}, {"field": "eventSource",
                                                               "not_equals": ["kms.amazonaws.com"]}]}
    with pytest.raises(InvalidArgumentError, match="advanced_event_selectors"):
        build({"advanced_event_selectors": [narrowing]})


def test_role_arn_and_log_group_arn_always_come_together(build: Build) -> None:
    """CloudTrail: "You must specify a role ARN as well as a log group"."""
    for args in ({}, {"existing_log_group_name": "/org/trail"}, {"enable_kms": False}):
        trail = build(args).one(TRAIL).inputs
        assert trail["cloudWatchLogsGroupArn"].endswith(":*"), args
        assert trail["cloudWatchLogsRoleArn"].startswith(f"arn:aws:iam::{ACCOUNT}:role/"), args
