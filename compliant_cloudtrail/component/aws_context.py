"""The account, region and partition the component deploys into, and the ARNs built from them.

ARNs that policies need before the resource exists (the trail's, the log group's) are built from
known names here rather than read from resource outputs: the trail depends on the bucket policy, so a
policy that referenced ``trail.arn`` would be a dependency cycle.
"""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from .errors import InvalidArgumentError


@dataclass(frozen=True)
class AwsContext:
    account_id: pulumi.Output[str]
    region: pulumi.Output[str]
    partition: pulumi.Output[str]
    dns_suffix: pulumi.Output[str]
    """``amazonaws.com``, or ``amazonaws.com.cn`` in China: part of regional service principals."""
    trail_owner_id: pulumi.Output[str]
    """The account that owns the trail: this account, or the organization's management account for an
    organization trail (also when a CloudTrail delegated administrator creates it)."""

    def arn(self, service: str, resource: pulumi.Input[str], *, regional: bool = True,
            with_account: bool = True, account: pulumi.Input[str] | None = None) -> pulumi.Output[str]:
        region: pulumi.Input[str] = self.region if regional else ""
        if account is None:
            account = self.account_id if with_account else ""
        return pulumi.Output.concat("arn:", self.partition, ":", service, ":", region, ":", account, ":", resource)

    def trail_arn(self, trail_name: str) -> pulumi.Output[str]:
        """CloudTrail user guide, "Organization delegated administrator": an organization trail created by a
        delegated administrator is owned by the management account, and ``aws:SourceArn`` must use its ID."""
        return self.arn("cloudtrail", f"trail/{trail_name}", account=self.trail_owner_id)

    def log_group_arn(self, log_group_name: str) -> pulumi.Output[str]:
        """Without the ``:*`` suffix, as KMS encryption contexts and IAM log-group resources want it."""
        return self.arn("logs", f"log-group:{log_group_name}")

    def bucket_arn(self, bucket_name: pulumi.Input[str]) -> pulumi.Output[str]:
        return self.arn("s3", bucket_name, regional=False, with_account=False)

    @property
    def root_principal(self) -> pulumi.Output[str]:
        return self.arn("iam", "root", regional=False)

    @property
    def logs_principal(self) -> pulumi.Output[str]:
        """CloudWatch Logs' regional service principal, with the partition's DNS suffix ("Encrypt log data in
        CloudWatch Logs using AWS KMS"; China regions use ``amazonaws.com.cn``)."""
        return pulumi.Output.concat("logs.", self.region, ".", self.dns_suffix)


def lookup_context(parent: pulumi.Resource, trail_owner_id: pulumi.Input[str] | None = None) -> AwsContext:
    """Ask the provider the component runs under (parent's provider, so an aliased region is honoured).

    ``trail_owner_id`` is the management account for an organization trail; None means this account.
    """
    opts = pulumi.InvokeOutputOptions(parent=parent)
    account_id = aws.get_caller_identity_output(opts=opts).account_id
    partition = aws.get_partition_output(opts=opts)
    return AwsContext(
        account_id=account_id,
        region=aws.get_region_output(opts=opts).region,
        partition=partition.partition,
        dns_suffix=partition.dns_suffix,
        trail_owner_id=account_id if trail_owner_id is None else pulumi.Output.from_input(trail_owner_id),
    )


def check_same_region(component: str, parent: pulumi.Resource, brought: dict[str, pulumi.Input[str] | None]) -> None:
    """A key or topic the user brings must be in the trail's region: CloudTrail and CloudWatch Logs use a KMS key
    of their own region only ("Configure AWS KMS key policies for CloudTrail"; "AssociateKmsKey"), and an
    alarm's actions name SNS topics of its region ("PutMetricAlarm"). An ARN known at preview is checked there,
    with a synchronous region lookup, so the error comes from the constructor instead of a failed CreateTrail."""
    known = {argument: arn for argument, arn in brought.items() if isinstance(arn, str)}
    if not known:
        return
    region = aws.get_region(opts=pulumi.InvokeOptions(parent=parent)).region
    for argument, arn in known.items():
        parts = arn.split(":")
        if len(parts) > 3 and parts[3] and parts[3] != region:
            raise InvalidArgumentError(
                component, argument, arn, f"it is in region {parts[3]}, the trail in {region}; allowed: an ARN in "
                f"{region}",
            )
