"""A trail with a correct log group ARN (":*") but no role for CloudTrail to write with.

The CloudTrail API refuses a log group without a role ("You must specify a role ARN as well as a log group").
Non-compliant.
"""

import pulumi_aws as aws

bucket = aws.s3.Bucket("trail-logs")
log_group = aws.cloudwatch.LogGroup("trail", retention_in_days=365)
aws.cloudtrail.Trail(
    "no-role",
    s3_bucket_name=bucket.bucket,
    cloud_watch_logs_group_arn=log_group.arn.apply(lambda arn: f"{arn}:*"),
)
