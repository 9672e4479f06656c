"""The CloudWatch Logs side: the log group the trail delivers to and the role CloudTrail writes with."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from .aws_context import AwsContext
from .policy_documents import delivery_role_policy, delivery_role_trust_policy
from .settings import TrailSettings


@dataclass(frozen=True)
class LogDelivery:
    log_group_name: pulumi.Output[str]
    log_group_arn: pulumi.Output[str]
    """Without ``:*``, as pulumi-aws reports it."""
    role: aws.iam.Role
    role_policy: aws.iam.RolePolicy
    """The trail must wait for this, not only for the role (InvalidCloudWatchLogsRoleArnException)."""


def create_log_delivery(
    name: str,
    parent: pulumi.Resource,
    context: AwsContext,
    settings: TrailSettings,
    organization_id: pulumi.Output[str] | None,
    key_arn: pulumi.Output[str] | None,
) -> LogDelivery:
    if settings.creates_log_group:
        log_group = aws.cloudwatch.LogGroup(
            f"{name}-log-group",
            name=settings.log_group_name,
            retention_in_days=settings.retention_in_days,
            kms_key_id=key_arn,
            deletion_protection_enabled=not settings.allow_log_data_deletion,
            tags=settings.tags,
            opts=pulumi.ResourceOptions(parent=parent, retain_on_delete=not settings.allow_log_data_deletion),
        )
        group_name, group_arn = log_group.name, log_group.arn
    else:
        group_name = pulumi.Output.from_input(settings.log_group_name)
        group_arn = context.log_group_arn(settings.log_group_name)

    role = aws.iam.Role(
        f"{name}-delivery-role",
        description=f"Lets CloudTrail trail {settings.trail_name} write to log group {settings.log_group_name}.",
        assume_role_policy=pulumi.Output.json_dumps(delivery_role_trust_policy()),
        tags=settings.tags,
        opts=pulumi.ResourceOptions(parent=parent),
    )
    role_policy = aws.iam.RolePolicy(
        f"{name}-delivery-policy",
        role=role.id,
        policy=pulumi.Output.json_dumps(delivery_role_policy(context, settings.log_group_name, organization_id)),
        opts=pulumi.ResourceOptions(parent=parent),
    )
    return LogDelivery(log_group_name=group_name, log_group_arn=group_arn, role=role, role_policy=role_policy)
