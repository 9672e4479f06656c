"""The trail's log group and role ARNs are built from awsx.ec2.Vpc outputs, which only Construct would know."""

import pulumi_aws as aws
import pulumi_awsx as awsx

vpc = awsx.ec2.Vpc("vpc", cidr_block="10.0.0.0/16")
aws.cloudtrail.Trail(
    "from-vpc",
    s3_bucket_name="audit-logs",
    cloud_watch_logs_group_arn=vpc.vpc_id.apply(lambda v: f"arn:aws:logs:us-east-1:123456789012:log-group:{v}:*"),
    cloud_watch_logs_role_arn=vpc.vpc_id.apply(lambda v: f"arn:aws:iam::123456789012:role/{v}-flow-logs"),
)
