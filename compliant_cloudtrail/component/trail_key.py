"""The customer managed KMS key that encrypts the trail's log files, its log group and the alarm topic."""

from __future__ import annotations

import pulumi
import pulumi_aws as aws

from .aws_context import AwsContext
from .naming import key_alias
from .policy_documents import trail_key_policy
from .settings import TrailSettings


def create_trail_key(
    name: str, parent: pulumi.Resource, context: AwsContext, settings: TrailSettings,
    trail_arn: pulumi.Output[str],
) -> aws.kms.Key:
    key = aws.kms.Key(
        f"{name}-key",
        description=f"Encrypts CloudTrail trail {settings.trail_name}: log files, log group and alarm topic.",
        enable_key_rotation=True,
        deletion_window_in_days=30,
        policy=pulumi.Output.json_dumps(trail_key_policy(
            context, trail_arn, settings.log_group_name, encrypts_log_group=settings.creates_log_group,
            encrypts_topic=settings.existing_alarm_topic_arn is None)),
        tags=settings.tags,
        # Deleting the key would make every log file and log event it encrypted unreadable.
        opts=pulumi.ResourceOptions(parent=parent, retain_on_delete=not settings.allow_log_data_deletion),
    )
    aws.kms.Alias(
        f"{name}-key-alias",
        name=key_alias(settings.trail_name),
        target_key_id=key.key_id,
        opts=pulumi.ResourceOptions(parent=parent),
    )
    return key

