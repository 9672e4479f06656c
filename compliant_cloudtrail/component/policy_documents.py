"""The IAM, bucket, key and topic policy documents, as plain dicts of (possibly Output) strings.

Each statement follows the AWS documentation named in its comment; the builders turn these dicts into
JSON with ``pulumi.Output.json_dumps``. Keeping them here, apart from the resources, lets one read every
permission the component grants in one place.
"""

from __future__ import annotations

from typing import Any

import pulumi

from .aws_context import AwsContext

Document = dict[str, Any]
CLOUDTRAIL = {"Service": "cloudtrail.amazonaws.com"}


def document(*statements: dict[str, Any]) -> Document:
    return {"Version": "2012-10-17", "Statement": list(statements)}


def log_bucket_policy(
    context: AwsContext,
    bucket_arn: pulumi.Input[str],
    trail_arn: pulumi.Input[str],
    key_prefix: str | None,
    organization_id: pulumi.Input[str] | None,
) -> Document:
    """CloudTrail's bucket policy (CloudTrail user guide, "Amazon S3 bucket policy for CloudTrail").

    ``aws:SourceArn`` pins every grant to this one trail (confused-deputy protection). An organization trail
    also writes under ``AWSLogs/<org id>/``; the management account's own prefix stays allowed so logging
    continues if the trail is ever turned back into an account trail, as AWS's example does.
    """
    prefix = f"{key_prefix}/" if key_prefix else ""
    this_trail = {"aws:SourceArn": trail_arn}

    def write(sid: str, owner: pulumi.Input[str]) -> dict[str, Any]:
        return {
            "Sid": sid,
            "Effect": "Allow",
            "Principal": CLOUDTRAIL,
            "Action": "s3:PutObject",
            "Resource": pulumi.Output.concat(bucket_arn, "/", prefix, "AWSLogs/", owner, "/*"),
            "Condition": {"StringEquals": {"s3:x-amz-acl": "bucket-owner-full-control", **this_trail}},
        }

    statements = [
        {
            "Sid": "AWSCloudTrailAclCheck",
            "Effect": "Allow",
            "Principal": CLOUDTRAIL,
            "Action": "s3:GetBucketAcl",
            "Resource": bucket_arn,
            "Condition": {"StringEquals": this_trail},
        },
        # The trail owner's own prefix: this account, or the management account for an organization trail.
        write("AWSCloudTrailWrite", context.trail_owner_id),
    ]
    if organization_id is not None:
        statements.append(write("AWSCloudTrailOrganizationWrite", organization_id))
    statements.append(deny_insecure_transport(bucket_arn))
    return document(*statements)


def deny_insecure_transport(bucket_arn: pulumi.Input[str]) -> dict[str, Any]:
    """Security Hub S3.5: every request must use TLS."""
    return {
        "Sid": "DenyInsecureTransport",
        "Effect": "Deny",
        "Principal": "*",
        "Action": "s3:*",
        "Resource": [bucket_arn, pulumi.Output.concat(bucket_arn, "/*")],
        "Condition": {"Bool": {"aws:SecureTransport": "false"}},
    }


def delivery_role_trust_policy() -> Document:
    """Trust for CloudTrail only. AWS states that this role does not support aws:SourceArn or
    aws:SourceAccount ("Role policy document for CloudTrail to use CloudWatch Logs"), so none are added."""
    return document({"Effect": "Allow", "Principal": CLOUDTRAIL, "Action": "sts:AssumeRole"})


def delivery_role_policy(
    context: AwsContext, log_group_name: str, organization_id: pulumi.Input[str] | None
) -> Document:
    """Exactly the two calls CloudTrail makes, on exactly the streams it writes.

    Account trails write ``<account>_CloudTrail_<home region>[_n]``; organization trails write
    ``<org id>_...`` streams for member accounts (AWS's organization example grants both).
    """
    group = context.log_group_arn(log_group_name)
    streams = [
        pulumi.Output.concat(group, ":log-stream:", context.trail_owner_id, "_CloudTrail_", context.region, "*")
    ]
    if organization_id is not None:
        streams.append(pulumi.Output.concat(group, ":log-stream:", organization_id, "_*"))
    return document(
        {"Sid": "AWSCloudTrailCreateLogStream", "Effect": "Allow", "Action": "logs:CreateLogStream",
         "Resource": streams},
        {"Sid": "AWSCloudTrailPutLogEvents", "Effect": "Allow", "Action": "logs:PutLogEvents", "Resource": streams},
    )


def trail_key_policy(
    context: AwsContext, trail_arn: pulumi.Input[str], log_group_name: str, *, encrypts_log_group: bool = True,
    encrypts_topic: bool = True,
) -> Document:
    """One key for the trail's log files, the log group and the alarm topic.

    Statements from "Configure AWS KMS key policies for CloudTrail", "Encrypt log data in CloudWatch Logs
    using AWS KMS" and "Encrypting SNS topics for CloudWatch alarms". Account administrators keep control
    through IAM (the root statement), without which the key could become unmanageable.
    """
    # The trail owner's trails: an organization trail belongs to the management account, also when a
    # delegated administrator creates it ("Organization delegated administrator").
    any_trail_of_owner = pulumi.Output.concat(
        "arn:", context.partition, ":cloudtrail:*:", context.trail_owner_id, ":trail/*"
    )
    statements: list[dict[str, Any]] = [
        {
            "Sid": "EnableIAMUserPermissions",
            "Effect": "Allow",
            "Principal": {"AWS": context.root_principal},
            "Action": "kms:*",
            "Resource": "*",
        },
        {
            "Sid": "AllowCloudTrailToEncryptLogs",
            "Effect": "Allow",
            "Principal": CLOUDTRAIL,
            "Action": "kms:GenerateDataKey*",
            "Resource": "*",
            "Condition": {
                "StringLike": {"kms:EncryptionContext:aws:cloudtrail:arn": any_trail_of_owner},
                "StringEquals": {"aws:SourceArn": trail_arn},
            },
        },
        {
            # "Configure AWS KMS key policies for CloudTrail", required elements for trails, item 2: with an S3
            # Bucket Key (the log bucket uses one), CreateTrail and UpdateTrail with SSE-KMS need kms:Decrypt,
            # else InsufficientEncryptionPolicyException.
            "Sid": "AllowCloudTrailToDecryptUnderTheBucketKey",
            "Effect": "Allow",
            "Principal": CLOUDTRAIL,
            "Action": "kms:Decrypt",
            "Resource": "*",
            "Condition": {"StringEquals": {"aws:SourceArn": trail_arn}},
        },
        {
            "Sid": "AllowCloudTrailToDescribeKey",
            "Effect": "Allow",
            "Principal": CLOUDTRAIL,
            "Action": "kms:DescribeKey",
            "Resource": "*",
            "Condition": {"StringEquals": {"aws:SourceArn": trail_arn}},
        },
    ]
    if encrypts_log_group:  # a log group the user brings keeps its own key, if any
        statements.append({
            "Sid": "AllowCloudWatchLogsToEncryptTheTrailLogGroup",
            "Effect": "Allow",
            "Principal": {"Service": context.logs_principal},
            "Action": ["kms:Encrypt*", "kms:Decrypt*", "kms:ReEncrypt*", "kms:GenerateDataKey*", "kms:Describe*"],
            "Resource": "*",
            "Condition": {"ArnEquals": {"kms:EncryptionContext:aws:logs:arn": context.log_group_arn(log_group_name)}},
        })
    if encrypts_topic:  # likewise a topic the user brings
        statements.append({
            # CloudWatch alarms cannot use the AWS-managed alias/aws/sns key; they need this grant (SNS developer
            # guide, "Enable compatibility between event sources from AWS services and encrypted topics"), scoped
            # like the topic policy to this account's alarms against the confused deputy.
            "Sid": "AllowCloudWatchAlarmsToPublishToTheEncryptedTopic",
            "Effect": "Allow",
            "Principal": {"Service": "cloudwatch.amazonaws.com"},
            "Action": ["kms:Decrypt", "kms:GenerateDataKey*"],
            "Resource": "*",
            "Condition": this_accounts_alarms(context),
        })
    return document(*statements)


def this_accounts_alarms(context: AwsContext) -> dict[str, Any]:
    """CloudWatch sends the alarm's ARN and account as aws:SourceArn and aws:SourceAccount."""
    return {
        "ArnLike": {"aws:SourceArn": context.arn("cloudwatch", "alarm:*")},
        "StringEquals": {"aws:SourceAccount": context.account_id},
    }


def alarm_topic_policy(context: AwsContext, topic_arn: pulumi.Input[str]) -> Document:
    """Only CloudWatch alarms of this account and region may publish.

    No statement for the account itself: within one account an identity policy alone allows a request
    ("Policy evaluation logic"), and a resource policy naming the account's root only hands the decision
    to IAM ("AWS JSON policy elements: Principal"), so such a statement would grant nothing.
    """
    return document(
        {
            "Sid": "AllowCloudWatchAlarmsOfThisAccount",
            "Effect": "Allow",
            "Principal": {"Service": "cloudwatch.amazonaws.com"},
            "Action": "sns:Publish",
            "Resource": topic_arn,
            "Condition": this_accounts_alarms(context),
        },
    )
