"""How the children are wired: ARNs, policy scopes, alarm to metric to topic, and dependency edges.

Expected ARNs are written out from the AWS documentation's formats and the test account, region and
trail name, not read back from the component.
"""

from __future__ import annotations

import pytest

from .conftest import (
    ACCOUNT,
    ALARM,
    BUCKET,
    BUCKET_POLICY,
    KEY,
    LOG_GROUP,
    METRIC_FILTER,
    REGION,
    ROLE,
    ROLE_POLICY,
    TOPIC,
    TOPIC_POLICY,
    TRAIL,
    Build,
    Deployment,
)

TRAIL_ARN = f"arn:aws:cloudtrail:{REGION}:{ACCOUNT}:trail/audit"
LOG_GROUP_ARN = f"arn:aws:logs:{REGION}:{ACCOUNT}:log-group:/aws/cloudtrail/audit"


@pytest.fixture
def default(build: Build) -> Deployment:
    return build()


def test_trail_delivers_to_the_log_group_arn_with_the_stream_wildcard(default: Deployment) -> None:
    trail = default.one(TRAIL).inputs
    assert default.one(LOG_GROUP).outputs["arn"] == LOG_GROUP_ARN, "the mock must report the ARN without :*"
    assert trail["cloudWatchLogsGroupArn"] == LOG_GROUP_ARN + ":*"
    assert trail["cloudWatchLogsRoleArn"] == default.one(ROLE).outputs["arn"]
    assert trail["s3BucketName"] == default.one(BUCKET).outputs["bucket"]


def test_role_trusts_only_cloudtrail_without_confused_deputy_conditions(default: Deployment) -> None:
    # AWS: this role's policy "doesn't support the use of aws:SourceArn and aws:SourceAccount".
    trust = default.policy(ROLE, "assumeRolePolicy")
    assert trust["Statement"] == [
        {"Effect": "Allow", "Principal": {"Service": "cloudtrail.amazonaws.com"}, "Action": "sts:AssumeRole"}]


def test_role_may_only_create_streams_and_put_events_on_its_own_streams(default: Deployment) -> None:
    streams = [f"{LOG_GROUP_ARN}:log-stream:{ACCOUNT}_CloudTrail_{REGION}*"]
    statements = default.policy(ROLE_POLICY)["Statement"]
    assert sorted((s["Action"], s["Effect"]) for s in statements) == [
        ("logs:CreateLogStream", "Allow"), ("logs:PutLogEvents", "Allow")]
    for statement in statements:
        assert statement["Resource"] == streams, f"{statement['Action']} is scoped to {statement['Resource']}"


def test_bucket_policy_pins_cloudtrail_to_this_trail(default: Deployment) -> None:
    bucket_arn = default.one(BUCKET).outputs["arn"]
    acl_check = default.statement(BUCKET_POLICY, "AWSCloudTrailAclCheck")
    assert acl_check["Principal"] == {"Service": "cloudtrail.amazonaws.com"}
    assert acl_check["Action"] == "s3:GetBucketAcl"
    assert acl_check["Resource"] == bucket_arn
    assert acl_check["Condition"] == {"StringEquals": {"aws:SourceArn": TRAIL_ARN}}
    write = default.statement(BUCKET_POLICY, "AWSCloudTrailWrite")
    assert write["Action"] == "s3:PutObject"
    assert write["Resource"] == f"{bucket_arn}/AWSLogs/{ACCOUNT}/*"
    assert write["Condition"] == {"StringEquals": {"s3:x-amz-acl": "bucket-owner-full-control",
                                                   "aws:SourceArn": TRAIL_ARN}}
    assert default.one(TRAIL).outputs["arn"] == TRAIL_ARN


def test_bucket_policy_follows_the_key_prefix(build: Build) -> None:
    deployment = build({"s3_key_prefix": "org/audit"})
    bucket_arn = deployment.one(BUCKET).outputs["arn"]
    assert deployment.statement(BUCKET_POLICY, "AWSCloudTrailWrite")["Resource"] == \
        f"{bucket_arn}/org/audit/AWSLogs/{ACCOUNT}/*"
    assert deployment.one(TRAIL).inputs["s3KeyPrefix"] == "org/audit"


def test_bucket_denies_every_request_without_tls(default: Deployment) -> None:
    bucket_arn = default.one(BUCKET).outputs["arn"]
    deny = default.statement(BUCKET_POLICY, "DenyInsecureTransport")
    assert deny["Effect"] == "Deny"
    assert deny["Principal"] == "*"
    assert deny["Action"] == "s3:*"
    assert sorted(deny["Resource"]) == [bucket_arn, f"{bucket_arn}/*"]
    assert deny["Condition"] == {"Bool": {"aws:SecureTransport": "false"}}


def test_key_policy_grants_each_service_only_what_it_needs(default: Deployment) -> None:
    administer = default.statement(KEY, "EnableIAMUserPermissions")
    assert administer["Principal"] == {"AWS": f"arn:aws:iam::{ACCOUNT}:root"}
    encrypt = default.statement(KEY, "AllowCloudTrailToEncryptLogs")
    assert encrypt["Principal"] == {"Service": "cloudtrail.amazonaws.com"}
    assert encrypt["Action"] == "kms:GenerateDataKey*"
    assert encrypt["Condition"] == {
        "StringLike": {"kms:EncryptionContext:aws:cloudtrail:arn": f"arn:aws:cloudtrail:*:{ACCOUNT}:trail/*"},
        "StringEquals": {"aws:SourceArn": TRAIL_ARN},
    }
    describe = default.statement(KEY, "AllowCloudTrailToDescribeKey")
    assert describe["Action"] == "kms:DescribeKey"
    assert describe["Condition"] == {"StringEquals": {"aws:SourceArn": TRAIL_ARN}}
    logs = default.statement(KEY, "AllowCloudWatchLogsToEncryptTheTrailLogGroup")
    assert logs["Principal"] == {"Service": f"logs.{REGION}.amazonaws.com"}
    assert logs["Condition"] == {"ArnEquals": {"kms:EncryptionContext:aws:logs:arn": LOG_GROUP_ARN}}
    alarms = default.statement(KEY, "AllowCloudWatchAlarmsToPublishToTheEncryptedTopic")
    assert alarms["Principal"] == {"Service": "cloudwatch.amazonaws.com"}
    assert sorted(alarms["Action"]) == ["kms:Decrypt", "kms:GenerateDataKey*"]


def test_topic_policy_lets_only_this_accounts_alarms_publish(default: Deployment) -> None:
    topic = default.one(TOPIC)
    assert default.one(TOPIC_POLICY).inputs["arn"] == topic.outputs["arn"]
    statements = default.policy(TOPIC_POLICY)["Statement"]
    publishers = [s for s in statements if "sns:Publish" in s["Action"]]
    assert publishers == [{
        "Sid": "AllowCloudWatchAlarmsOfThisAccount",
        "Effect": "Allow",
        "Principal": {"Service": "cloudwatch.amazonaws.com"},
        "Action": "sns:Publish",
        "Resource": topic.outputs["arn"],
        "Condition": {"ArnLike": {"aws:SourceArn": f"arn:aws:cloudwatch:{REGION}:{ACCOUNT}:alarm:*"},
                      "StringEquals": {"aws:SourceAccount": ACCOUNT}},
    }]


def test_each_alarm_watches_its_filters_metric_and_notifies_the_topic(default: Deployment) -> None:
    topic_arn = default.one(TOPIC).outputs["arn"]
    filters = {f.name: f for f in default.all(METRIC_FILTER)}
    for alarm in default.all(ALARM):
        metric_filter = filters[alarm.name.removesuffix("-alarm")]
        transformation = metric_filter.inputs["metricTransformation"]
        assert metric_filter.inputs["logGroupName"] == "/aws/cloudtrail/audit"
        assert alarm.inputs["metricName"] == transformation["name"], alarm.urn
        # Named exactly like its metric, so scanners that link "alarm metric name == filter name" (Trivy) find it.
        assert metric_filter.inputs["name"] == transformation["name"], metric_filter.urn
        assert alarm.inputs["namespace"] == transformation["namespace"] == "CISBenchmark", alarm.urn
        assert transformation["value"] == "1"
        assert alarm.inputs["alarmActions"] == [topic_arn], alarm.urn
        recipe = {k: alarm.inputs[k] for k in ("statistic", "period", "threshold", "comparisonOperator",
                                               "evaluationPeriods", "treatMissingData")}
        assert recipe == {"statistic": "Sum", "period": 300, "threshold": 1,
                          "comparisonOperator": "GreaterThanOrEqualToThreshold", "evaluationPeriods": 1,
                          "treatMissingData": "notBreaching"}, alarm.urn
        assert "datapointsToAlarm" not in alarm.inputs, alarm.urn


def test_metric_namespace_is_configurable(build: Build) -> None:
    deployment = build({"metric_namespace": "Security/CloudTrail"})
    for alarm in deployment.all(ALARM):
        assert alarm.inputs["namespace"] == "Security/CloudTrail", alarm.urn


def test_the_dependency_edges_the_engine_is_sent(default: Deployment) -> None:
    trail = default.one(TRAIL)
    for prerequisite in (BUCKET_POLICY, ROLE_POLICY, ROLE, LOG_GROUP, KEY, BUCKET):
        assert default.depends_on(trail, default.one(prerequisite)), f"the trail does not wait for {prerequisite}"
    bucket_policy = default.one(BUCKET_POLICY)
    assert not default.depends_on(bucket_policy, trail), "bucket policy must not wait for the trail (cycle)"
    assert default.depends_on(bucket_policy, default.one("aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock"))
    lifecycle = default.one("aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration")
    assert default.depends_on(lifecycle, default.one("aws:s3/bucketVersioning:BucketVersioning"))
    assert default.depends_on(default.one(LOG_GROUP), default.one(KEY))
    for alarm in default.all(ALARM):
        assert default.depends_on(alarm, default.named(alarm.name.removesuffix("-alarm"))), alarm.urn
        assert default.depends_on(alarm, default.one(TOPIC)), alarm.urn


def test_preview_declares_everything_with_unknown_arns(build: Build) -> None:
    from compliant_cloudtrail.check.mock_runtime import UNKNOWN

    deployment = build(preview=True)
    trail = deployment.one(TRAIL)
    assert trail.inputs["cloudWatchLogsGroupArn"] == UNKNOWN
    assert trail.inputs["name"] == "audit"
    assert len(deployment.all(ALARM)) == 17
