"""A trail that writes to S3 only: no CloudWatch Logs at all. Non-compliant (CloudTrail.5)."""

import json

import pulumi
import pulumi_aws as aws

bucket = aws.s3.Bucket("trail-logs", force_destroy=True)
policy = aws.s3.BucketPolicy(
    "trail-logs",
    bucket=bucket.id,
    policy=bucket.arn.apply(
        lambda arn: json.dumps(
            {
                "Version": "2012-10-17",
                "Statement": [
                    {
                        "Effect": "Allow",
                        "Principal": {"Service": "cloudtrail.amazonaws.com"},
                        "Action": "s3:GetBucketAcl",
                        "Resource": arn,
                    },
                    {
                        "Effect": "Allow",
                        "Principal": {"Service": "cloudtrail.amazonaws.com"},
                        "Action": "s3:PutObject",
                        "Resource": f"{arn}/AWSLogs/*",
                        "Condition": {"StringEquals": {"s3:x-amz-acl": "bucket-owner-full-control"}},
                    },
                ],
            }
        )
    ),
)
trail = aws.cloudtrail.Trail(
    "bare",
    s3_bucket_name=bucket.bucket,
    is_multi_region_trail=True,
    opts=pulumi.ResourceOptions(depends_on=[policy]),
)
pulumi.export("trail_arn", trail.arn)
