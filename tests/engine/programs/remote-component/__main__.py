"""A remote component as awsx declares its trail: its children are built by the provider's Construct."""


import pulumi
import pulumi_aws as aws


class Trail(pulumi.ComponentResource):
    """Stands for awsx.cloudtrail.Trail: same type token, registered remote=True, as the awsx SDK does."""

    bucket: pulumi.Output[dict | None]
    trail: pulumi.Output[dict]

    def __init__(self, name: str, opts: pulumi.ResourceOptions | None = None) -> None:
        props = {"enable_logging": True, "bucket": None, "log_group": None, "trail": None}
        super().__init__("awsx:cloudtrail:Trail", name, props, opts, remote=True)


org = Trail("org-trail")
aws.cloudtrail.Trail("plain", s3_bucket_name="some-bucket")
pulumi.export("trail", org.trail)
