"""`arn` is an output of aws.cloudtrail.Trail, never an input: the provider's Check drops it, so no policy sees it.
A trail the stack only reads (`get`) is another matter: its ARN is part of what the read returns."""

import pulumi
import pulumi_aws as aws

provider = aws.Provider("member", region="us-east-1", allowed_account_ids=["111111111111"])
pulumi.CustomResource(
    "aws:cloudtrail/trail:Trail",
    "created",
    {
        "s3BucketName": "audit-logs",
        "isOrganizationTrail": True,
        "arn": "arn:aws:cloudtrail:us-east-1:999999999999:trail/created",
        "madeUp": "not a Trail input either",
    },
    opts=pulumi.ResourceOptions(provider=provider),
)
aws.cloudtrail.Trail.get(
    "read",
    "arn:aws:cloudtrail:us-east-1:999999999999:trail/org",
    s3_bucket_name="org-audit-logs",
    is_organization_trail=True,
    opts=pulumi.ResourceOptions(provider=provider),
)
