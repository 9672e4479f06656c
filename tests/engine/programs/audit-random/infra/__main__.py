"""An organisation's audit trail and a team's forgotten S3-only trail; names get a pulumi-random suffix."""

import json

import pulumi
import pulumi_aws as aws
import pulumi_random as random
from components import trail_name

config = pulumi.Config()
team = config.require("teamName")

try:
    import compliant_cloudtrail  # noqa: F401 - the checker's own package must not be visible to the program

    checker_visible = True
except ImportError:
    checker_visible = False

zones = aws.get_availability_zones(state="available")
identity = aws.get_caller_identity()
try:
    pulumi.runtime.invoke("acme:index/getThing:getThing", {})
    caught = "nothing raised"
except Exception as exc:  # a program handling an invoke it knows may fail
    caught = str(exc)

network = pulumi.StackReference("network", "acme/network/prod")
suffix = random.RandomString("suffix", length=6, special=False, upper=False)

bucket = aws.s3.Bucket("trail-logs", force_destroy=False)
group = aws.cloudwatch.LogGroup("trail-events", retention_in_days=config.get_int("retentionDays"))
role = aws.iam.Role(
    "trail-to-logs",
    assume_role_policy=json.dumps({
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Principal": {"Service": "cloudtrail.amazonaws.com"},
                       "Action": "sts:AssumeRole"}],
    }),
)
audit = aws.cloudtrail.Trail(
    "audit",
    name=suffix.result.apply(lambda s: trail_name(team, s)),
    s3_bucket_name=bucket.id,
    cloud_watch_logs_group_arn=group.arn.apply(lambda arn: f"{arn}:*"),
    cloud_watch_logs_role_arn=role.arn,
    is_multi_region_trail=True,
    include_global_service_events=True,
    enable_log_file_validation=True,
    kms_key_id=network.get_output("auditKeyArn"),
)
aws.cloudtrail.Trail("team-s3-only", s3_bucket_name=bucket.id)

pulumi.export("checkerVisible", checker_visible)
pulumi.export("zones", zones.names)
pulumi.export("account", identity.account_id)
pulumi.export("caught", caught)
pulumi.export("retention", group.retention_in_days)
pulumi.export("trailName", audit.name)
pulumi.export("trailArn", audit.arn)
pulumi.export("vpcId", network.get_output("vpcId"))
