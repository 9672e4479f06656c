"""pulumi-aws 6 style: BucketV2 and a provider for eu-west-2; the trail delivers to CloudWatch Logs."""

import json

import pulumi
import pulumi_aws as aws

london = aws.Provider("london", region="eu-west-2")
opts = pulumi.ResourceOptions(provider=london)
bucket = aws.s3.BucketV2("logs", opts=opts)
group = aws.cloudwatch.LogGroup("events", retention_in_days=365, opts=opts)
role = aws.iam.Role(
    "writer",
    assume_role_policy=json.dumps({
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": {"Service": "cloudtrail.amazonaws.com"},
                       "Action": "sts:AssumeRole"}],
    }),
    opts=opts,
)
trail = aws.cloudtrail.Trail(
    "london",
    s3_bucket_name=bucket.bucket,
    cloud_watch_logs_group_arn=group.arn.apply(lambda arn: f"{arn}:*"),
    cloud_watch_logs_role_arn=role.arn,
    opts=opts,
)
region = aws.get_region(opts=pulumi.InvokeOptions(provider=london))
pulumi.export("trailArn", trail.arn)
pulumi.export("groupArn", group.arn)
pulumi.export("region", region.name)
