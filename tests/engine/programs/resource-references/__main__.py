"""Resource objects as inputs: the SDK sends them as resource references, which an analyzer never receives."""

import json

import pulumi
import pulumi_aws as aws


class Delivery(pulumi.ComponentResource):
    """A local component whose own inputs hold resource objects, nested in a list and a map."""

    def __init__(self, name: str, props: dict, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("acme:audit:Delivery", name, props, opts)
        self.register_outputs({})


group = aws.cloudwatch.LogGroup("trail-logs", retention_in_days=365)
role = aws.iam.Role(
    "trail-logs-role",
    assume_role_policy=json.dumps({
        "Version": "2012-10-17",
        "Statement": [{"Effect": "Allow", "Action": "sts:AssumeRole",
                       "Principal": {"Service": "cloudtrail.amazonaws.com"}}],
    }),
)
holder = Delivery("holder", {"roles": [role], "settings": {"group": group}})
delivery = Delivery("delivery", {"parts": [holder, {"group": group, "role": role}], "owner": holder})

# The role's ARN output: what CloudTrail needs.
aws.cloudtrail.Trail(
    "by-arn",
    s3_bucket_name="audit-logs",
    cloud_watch_logs_group_arn=group.arn.apply(lambda arn: f"{arn}:*"),
    cloud_watch_logs_role_arn=role.arn,
    opts=pulumi.ResourceOptions(depends_on=[delivery]),
)
# The role object where a string was expected: the engine turns it into the role's ID (its name), not an ARN.
aws.cloudtrail.Trail(
    "by-object",
    s3_bucket_name="audit-logs",
    cloud_watch_logs_group_arn=group.arn.apply(lambda arn: f"{arn}:*"),
    cloud_watch_logs_role_arn=role,  # type: ignore[arg-type]
)
