"""The classic slip: the log group's `arn` output (no ":*" since the provider's v3) passed as is.

CloudTrail rejects it with InvalidCloudWatchLogsLogGroupArnException. Non-compliant.
"""

import json

import pulumi_aws as aws

bucket = aws.s3.Bucket("trail-logs")
log_group = aws.cloudwatch.LogGroup("trail", retention_in_days=365)
role = aws.iam.Role(
    "trail-to-logs",
    assume_role_policy=json.dumps(
        {
            "Version": "2012-10-17",
            "Statement": [
                {"Effect": "Allow", "Principal": {"Service": "cloudtrail.amazonaws.com"}, "Action": "sts:AssumeRole"}
            ],
        }
    ),
)
aws.iam.RolePolicy(
    "trail-to-logs",
    role=role.id,
    policy=log_group.arn.apply(
        lambda arn: json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
                        "Resource": f"{arn}:*",
                    }
                ],
            }
        )
    ),
)
aws.cloudtrail.Trail(
    "no-wildcard",
    s3_bucket_name=bucket.bucket,
    cloud_watch_logs_group_arn=log_group.arn,  # missing ":*"
    cloud_watch_logs_role_arn=role.arn,
)
