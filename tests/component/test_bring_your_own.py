"""Parts the user brings are wired to, never taken over; and nothing is lost by destroy or upgrades."""

from __future__ import annotations

from .conftest import (
    ACCOUNT,
    ALARM,
    BUCKET,
    BUCKET_POLICY,
    KEY,
    LOG_GROUP,
    METRIC_FILTER,
    REGION,
    ROLE_POLICY,
    SUBSCRIPTION,
    TOPIC,
    TOPIC_POLICY,
    TRAIL,
    Build,
)

KEY_ARN = f"arn:aws:kms:{REGION}:{ACCOUNT}:key/0b7e3c1a-1111-2222-3333-444455556666"
TOPIC_ARN = f"arn:aws:sns:{REGION}:{ACCOUNT}:security-alarms"


def test_existing_bucket_gets_no_bucket_resources_and_no_policy(build: Build) -> None:
    deployment = build({"existing_bucket_name": "org-cloudtrail-logs"})
    assert not deployment.all(BUCKET)
    assert not deployment.all(BUCKET_POLICY), "a bucket the component did not create must keep its own policy"
    assert not [r for r in deployment.resources if r.type.startswith("aws:s3/")]
    trail = deployment.one(TRAIL)
    assert trail.inputs["s3BucketName"] == "org-cloudtrail-logs"
    assert deployment.depends_on(trail, deployment.one(ROLE_POLICY))


def test_existing_log_group_is_delivered_to_and_watched(build: Build) -> None:
    deployment = build({"existing_log_group_name": "/org/cloudtrail"})
    group_arn = f"arn:aws:logs:{REGION}:{ACCOUNT}:log-group:/org/cloudtrail"
    assert not deployment.all(LOG_GROUP)
    assert deployment.one(TRAIL).inputs["cloudWatchLogsGroupArn"] == group_arn + ":*"
    for statement in deployment.policy(ROLE_POLICY)["Statement"]:
        assert statement["Resource"] == [f"{group_arn}:log-stream:{ACCOUNT}_CloudTrail_{REGION}*"]
    assert {f.inputs["logGroupName"] for f in deployment.all(METRIC_FILTER)} == {"/org/cloudtrail"}
    # Least privilege: the key encrypts no log group the user brings, so CloudWatch Logs gets no grant on it
    # (the authorization model in tests/aws_model flags such a grant as unneeded).
    principals = [s["Principal"] for s in deployment.policy(KEY)["Statement"]]
    assert not any("logs." in str(p) for p in principals), principals


def test_existing_topic_keeps_its_policy_and_gets_the_alarms_and_subscriptions(build: Build) -> None:
    deployment = build({"existing_alarm_topic_arn": TOPIC_ARN, "alarm_emails": ["secops@example.com"]})
    assert not deployment.all(TOPIC)
    assert not deployment.all(TOPIC_POLICY)
    assert {tuple(a.inputs["alarmActions"]) for a in deployment.all(ALARM)} == {(TOPIC_ARN,)}
    assert deployment.one(SUBSCRIPTION).inputs["topic"] == TOPIC_ARN


def test_existing_key_is_used_everywhere_and_no_key_is_created(build: Build) -> None:
    deployment = build({"kms_key_arn": KEY_ARN})
    assert not deployment.all(KEY)
    assert deployment.one(TRAIL).inputs["kmsKeyId"] == KEY_ARN
    assert deployment.one(LOG_GROUP).inputs["kmsKeyId"] == KEY_ARN
    assert deployment.one(TOPIC).inputs["kmsMasterKeyId"] == KEY_ARN
    [rule] = deployment.one(
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration").inputs["rules"]
    assert rule["applyServerSideEncryptionByDefault"]["kmsMasterKeyId"] == KEY_ARN


def test_kms_opt_out_falls_back_to_sse_s3(build: Build) -> None:
    deployment = build({"enable_kms": False})
    assert not deployment.all(KEY)
    assert "kmsKeyId" not in deployment.one(TRAIL).inputs
    assert "kmsKeyId" not in deployment.one(LOG_GROUP).inputs
    [rule] = deployment.one(
        "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration").inputs["rules"]
    assert rule["applyServerSideEncryptionByDefault"] == {"sseAlgorithm": "AES256"}


def test_everything_brought_at_once(build: Build) -> None:
    deployment = build({"existing_bucket_name": "org-cloudtrail-logs", "existing_log_group_name": "/org/ct",
                        "existing_alarm_topic_arn": TOPIC_ARN, "kms_key_arn": KEY_ARN})
    created = sorted({r.type for r in deployment.resources})
    assert created == sorted({
        "compliant-cloudtrail:index:CompliantTrail", TRAIL, "aws:iam/role:Role", ROLE_POLICY, METRIC_FILTER,
        ALARM}), created


def test_log_data_is_retained_on_delete_by_default(build: Build) -> None:
    deployment = build()
    for type_token in (BUCKET, LOG_GROUP, KEY):
        resource = deployment.one(type_token)
        assert resource.retain_on_delete is True, f"{resource.urn} would be deleted by pulumi destroy"
    assert deployment.one(BUCKET).inputs["forceDestroy"] is False
    assert deployment.one(LOG_GROUP).inputs["deletionProtectionEnabled"] is True


def test_log_data_deletion_is_an_explicit_opt_in(build: Build) -> None:
    deployment = build({"allow_log_data_deletion": True})
    for type_token in (BUCKET, LOG_GROUP, KEY):
        assert deployment.one(type_token).retain_on_delete is False, type_token
    assert deployment.one(BUCKET).inputs["forceDestroy"] is True
    assert deployment.one(LOG_GROUP).inputs["deletionProtectionEnabled"] is False


def test_child_names_are_stable(build: Build) -> None:
    """Renaming a child replaces it; these names are a compatibility promise to deployed stacks."""
    names = {r.name for r in build({"alarm_emails": ["a@example.com"]}).resources}
    for expected in ("audit", "audit-logs", "audit-logs-policy", "audit-log-group", "audit-key", "audit-key-alias",
                     "audit-delivery-role", "audit-delivery-policy", "audit-trail", "audit-alarms",
                     "audit-alarms-policy", "audit-RootAccountUsage", "audit-RootAccountUsage-alarm",
                     "audit-alarm-email-a@example.com"):
        assert expected in names, f"child {expected!r} was renamed"


def test_disabled_items_and_single_profile(build: Build) -> None:
    deployment = build({"cis_profiles": ["security-hub"], "disabled_cis_items": ["4.6"]})
    metrics = {f.inputs["metricTransformation"]["name"] for f in deployment.all(METRIC_FILTER)}
    assert "ConsoleSignInFailures" not in metrics
    assert "OrganizationsChanges" not in metrics, "4.15 has no Security Hub wording"
    assert "RouteTableChangesCis" not in metrics
    assert len(metrics) == 13


def test_custom_filter_gets_its_own_alarm(build: Build) -> None:
    deployment = build({"custom_filters": [{"name": "GuardDutyDisabled",
                                            "pattern": '{ $.eventName = "DeleteDetector" }'}]})
    custom = deployment.named("audit-custom-GuardDutyDisabled")
    assert custom.inputs["pattern"] == '{ $.eventName = "DeleteDetector" }'
    alarm = deployment.named("audit-custom-GuardDutyDisabled-alarm")
    assert alarm.inputs["metricName"] == "GuardDutyDisabled"
    assert alarm.inputs["alarmActions"] == [deployment.one(TOPIC).outputs["arn"]]


def test_organization_id_is_looked_up_or_given(build: Build) -> None:
    given = "o-zz9yy8xx7w"
    deployment = build({"is_organization_trail": True, "organization_id": given})
    assert deployment.statement(BUCKET_POLICY, "AWSCloudTrailOrganizationWrite")["Resource"].endswith(
        f"/AWSLogs/{given}/*")
