"""A compliant trail wired by hand with plain pulumi-aws (not our component): the baseline.

Bucket + bucket policy (with the aws:SourceArn confused-deputy condition, computed from the trail's known
name so there is no cycle), log group, role + role policy, and a multi-region trail whose log group ARN
ends in ":*". The trail depends on the bucket policy and the role policy, as CloudTrail requires.
"""

import pulumi
import pulumi_aws as aws

config = pulumi.Config()
trail_name = config.get("trailName") or "audit"

identity = aws.get_caller_identity()
partition = aws.get_partition()
region = aws.get_region()
trail_arn = f"arn:{partition.partition}:cloudtrail:{region.region}:{identity.account_id}:trail/{trail_name}"

bucket = aws.s3.Bucket("trail-logs")
aws.s3.BucketOwnershipControls("trail-logs", bucket=bucket.id, rule={"object_ownership": "BucketOwnerEnforced"})
aws.s3.BucketPublicAccessBlock(
    "trail-logs",
    bucket=bucket.id,
    block_public_acls=True,
    block_public_policy=True,
    ignore_public_acls=True,
    restrict_public_buckets=True,
)
bucket_policy_doc = aws.iam.get_policy_document_output(
    statements=[
        {
            "sid": "AWSCloudTrailAclCheck",
            "principals": [{"type": "Service", "identifiers": ["cloudtrail.amazonaws.com"]}],
            "actions": ["s3:GetBucketAcl"],
            "resources": [bucket.arn],
            "conditions": [{"test": "StringEquals", "variable": "aws:SourceArn", "values": [trail_arn]}],
        },
        {
            "sid": "AWSCloudTrailWrite",
            "principals": [{"type": "Service", "identifiers": ["cloudtrail.amazonaws.com"]}],
            "actions": ["s3:PutObject"],
            "resources": [bucket.arn.apply(lambda arn: f"{arn}/AWSLogs/{identity.account_id}/*")],
            "conditions": [
                {"test": "StringEquals", "variable": "s3:x-amz-acl", "values": ["bucket-owner-full-control"]},
                {"test": "StringEquals", "variable": "aws:SourceArn", "values": [trail_arn]},
            ],
        },
    ]
)
bucket_policy = aws.s3.BucketPolicy("trail-logs", bucket=bucket.id, policy=bucket_policy_doc.json)

log_group = aws.cloudwatch.LogGroup("trail", retention_in_days=365)
assume = aws.iam.get_policy_document(
    statements=[
        {
            "actions": ["sts:AssumeRole"],
            "principals": [{"type": "Service", "identifiers": ["cloudtrail.amazonaws.com"]}],
        }
    ]
)
role = aws.iam.Role("trail-to-logs", assume_role_policy=assume.json)
role_policy = aws.iam.RolePolicy(
    "trail-to-logs",
    role=role.id,
    policy=aws.iam.get_policy_document_output(
        statements=[
            {
                "actions": ["logs:CreateLogStream", "logs:PutLogEvents"],
                "resources": [
                    log_group.arn.apply(
                        lambda arn: f"{arn}:log-stream:{identity.account_id}_CloudTrail_{region.region}*"
                    )
                ],
            }
        ]
    ).json,
)

trail = aws.cloudtrail.Trail(
    "audit",
    name=trail_name,
    s3_bucket_name=bucket.bucket,
    is_multi_region_trail=True,
    include_global_service_events=True,
    enable_log_file_validation=True,
    cloud_watch_logs_group_arn=log_group.arn.apply(lambda arn: f"{arn}:*"),
    cloud_watch_logs_role_arn=role.arn,
    opts=pulumi.ResourceOptions(depends_on=[bucket_policy, role_policy]),
)
pulumi.export("trail_arn", trail.arn)
