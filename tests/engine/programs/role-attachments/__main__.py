"""A role's attached policies are what the program declares: none here for `bare-role`, one for `managed-role`."""

import json

import pulumi_aws as aws

TRUST = json.dumps({
    "Version": "2012-10-17",
    "Statement": [
        {"Effect": "Allow", "Action": "sts:AssumeRole", "Principal": {"Service": "cloudtrail.amazonaws.com"}},
    ],
})
group = aws.cloudwatch.LogGroup("trail-logs", retention_in_days=365)
bare = aws.iam.Role("bare-role", assume_role_policy=TRUST)
managed = aws.iam.Role(
    "managed-role",
    assume_role_policy=TRUST,
    managed_policy_arns=["arn:aws:iam::aws:policy/CloudWatchLogsFullAccess"],
)
for trail_name, role in (("bare", bare), ("managed", managed)):
    aws.cloudtrail.Trail(
        trail_name,
        s3_bucket_name="audit-logs",
        cloud_watch_logs_group_arn=group.arn.apply(lambda arn: f"{arn}:*"),
        cloud_watch_logs_role_arn=role.arn,
    )
