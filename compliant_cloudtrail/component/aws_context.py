"""The account, region and partition the component deploys into, and the ARNs built from them.

ARNs that policies need before the resource exists (the trail's, the log group's) are built from
known names here rather than read from resource outputs: the trail depends on the bucket policy, so a
policy that referenced ``trail.arn`` would be a dependency cycle.
"""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_aws as aws


@dataclass(frozen=True)
class AwsContext:
    account_id: pulumi.Output[str]
    region: pulumi.Output[str]
    partition: pulumi.Output[str]

    def arn(self, service: str, resource: pulumi.Input[str], *, regional: bool = True,
            with_account: bool = True) -> pulumi.Output[str]:
        region: pulumi.Input[str] = self.region if regional else ""
        account: pulumi.Input[str] = self.account_id if with_account else ""
        return pulumi.Output.concat("arn:", self.partition, ":", service, ":", region, ":", account, ":", resource)

    def trail_arn(self, trail_name: str) -> pulumi.Output[str]:
        return self.arn("cloudtrail", f"trail/{trail_name}")

    def log_group_arn(self, log_group_name: str) -> pulumi.Output[str]:
        """Without the ``:*`` suffix, as KMS encryption contexts and IAM log-group resources want it."""
        return self.arn("logs", f"log-group:{log_group_name}")

    def bucket_arn(self, bucket_name: pulumi.Input[str]) -> pulumi.Output[str]:
        return self.arn("s3", bucket_name, regional=False, with_account=False)

    @property
    def root_principal(self) -> pulumi.Output[str]:
        return self.arn("iam", "root", regional=False)


def lookup_context(parent: pulumi.Resource) -> AwsContext:
    """Ask the provider the component runs under (parent's provider, so an aliased region is honoured)."""
    opts = pulumi.InvokeOutputOptions(parent=parent)
    return AwsContext(
        account_id=aws.get_caller_identity_output(opts=opts).account_id,
        region=aws.get_region_output(opts=opts).region,
        partition=aws.get_partition_output(opts=opts).partition,
    )
