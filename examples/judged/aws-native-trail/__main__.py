"""Trails declared with the AWS Cloud Control provider (aws-native), one compliant and one not.

pulumi-aws-native is not a dependency of this project: its wheel is 15 MB and installs 105 MB in 4,400
files for the one resource type we need. What the policy pack sees is only the type token and the
camelCase property bag the engine sends, so a `pulumi.CustomResource` subclass with the same type token
and property names registers exactly what `pulumi_aws_native.cloudtrail.Trail` would (its inputs are
`cloudWatchLogsLogGroupArn`, `cloudWatchLogsRoleArn`, `s3BucketName`, `isMultiRegionTrail`, ...; its
outputs add `arn` and `snsTopicArn`). It runs only under mocks: a real `pulumi up` needs the real provider.
"""

import json
from typing import Any

import pulumi
import pulumi_aws as aws


class NativeTrail(pulumi.CustomResource):
    """Stand-in for pulumi_aws_native.cloudtrail.Trail (type token aws-native:cloudtrail:Trail)."""

    arn: pulumi.Output[str]

    def __init__(self, name: str, props: dict[str, Any], opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("aws-native:cloudtrail:Trail", name, {**props, "arn": None, "snsTopicArn": None}, opts)


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
role_policy = aws.iam.RolePolicy(
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
NativeTrail(
    "native-compliant",
    {
        "isLogging": True,
        "s3BucketName": bucket.bucket,
        "isMultiRegionTrail": True,
        "includeGlobalServiceEvents": True,
        "enableLogFileValidation": True,
        "cloudWatchLogsLogGroupArn": log_group.arn.apply(lambda arn: f"{arn}:*"),
        "cloudWatchLogsRoleArn": role.arn,
    },
    opts=pulumi.ResourceOptions(depends_on=[role_policy]),
)
NativeTrail("native-bare", {"isLogging": True, "s3BucketName": bucket.bucket})
