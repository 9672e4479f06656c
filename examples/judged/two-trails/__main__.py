"""Two trails in one stack: the organisation's compliant one and a team's S3-only one. One is non-compliant."""

import json

import pulumi
import pulumi_aws as aws

bucket = aws.s3.Bucket("trail-logs")
log_group = aws.cloudwatch.LogGroup("audit", retention_in_days=365)
role = aws.iam.Role(
    "audit-to-logs",
    assume_role_policy=json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {"Effect": "Allow", "Principal": {"Service": "cloudtrail.amazonaws.com"}, "Action": "sts:AssumeRole"}
            ],
        }
    ),
)
role_policy = aws.iam.RolePolicy(
    "audit-to-logs",
    role=role.id,
    policy=log_group.arn.apply(
        lambda arn: json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {"Effect": "Allow", "Action": ["logs:CreateLogStream", "logs:PutLogEvents"], "Resource": f"{arn}:*"}
                ],
            }
        )
    ),
)
aws.cloudtrail.Trail(
    "audit",
    s3_bucket_name=bucket.bucket,
    is_multi_region_trail=True,
    enable_log_file_validation=True,
    cloud_watch_logs_group_arn=log_group.arn.apply(lambda arn: f"{arn}:*"),
    cloud_watch_logs_role_arn=role.arn,
    opts=pulumi.ResourceOptions(depends_on=[role_policy]),
)
aws.cloudtrail.Trail("team-s3-only", s3_bucket_name=bucket.bucket, s3_key_prefix="team")
