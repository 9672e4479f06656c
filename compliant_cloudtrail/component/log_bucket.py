"""The S3 bucket CloudTrail delivers log files to: private, versioned, encrypted, TLS only, kept."""

from __future__ import annotations

from dataclasses import dataclass

import pulumi
import pulumi_aws as aws

from .aws_context import AwsContext
from .policy_documents import log_bucket_policy
from .settings import TrailSettings


@dataclass(frozen=True)
class LogBucket:
    name: pulumi.Output[str]
    arn: pulumi.Output[str]
    configuration: list[pulumi.Resource]
    """What the trail must wait for: the policy (else InsufficientS3BucketPolicyException) and the encryption,
    versioning, public access block and Object Lock settings, so the first log file is already protected.
    Empty for a bucket the user brings: its settings are theirs, never replaced by ours."""


def use_existing_bucket(context: AwsContext, bucket_name: str) -> LogBucket:
    return LogBucket(name=pulumi.Output.from_input(bucket_name), arn=context.bucket_arn(bucket_name), configuration=[])


def create_log_bucket(
    name: str,
    parent: pulumi.Resource,
    context: AwsContext,
    settings: TrailSettings,
    trail_arn: pulumi.Output[str],
    organization_id: pulumi.Output[str] | None,
    key_arn: pulumi.Output[str] | None,
) -> LogBucket:
    # A kept bucket keeps its protections: deleting an S3 sub-resource changes the bucket itself (deleting
    # BucketVersioning suspends versioning; deleting the policy, public access block, ownership controls,
    # encryption, lifecycle or Object Lock configuration removes them), so `pulumi destroy`, a replacement or a
    # switch to existing_bucket_name would leave the retained evidence bucket less protected than any other.
    keep = not settings.allow_log_data_deletion
    child = pulumi.ResourceOptions(parent=parent, retain_on_delete=keep)
    bucket = aws.s3.Bucket(
        f"{name}-logs",
        bucket=settings.bucket_name,
        # Never empty a bucket of evidence on delete unless the user opted in to losing it.
        force_destroy=settings.allow_log_data_deletion,
        # No object_lock_enabled here: it is ForceNew (provider: internal/service/s3/bucket.go), so adding
        # object_lock to a deployed stack would replace the bucket. BucketObjectLockConfiguration below enables
        # Object Lock on new and existing buckets alike.
        tags=settings.tags,
        opts=child,
    )
    # ACLs off: new buckets reject ACLs since April 2023 (AccessControlListNotSupported).
    ownership = aws.s3.BucketOwnershipControls(
        f"{name}-logs-ownership", bucket=bucket.id, rule={"object_ownership": "BucketOwnerEnforced"}, opts=child
    )
    public_access_block = aws.s3.BucketPublicAccessBlock(
        f"{name}-logs-public-access-block",
        bucket=bucket.id,
        block_public_acls=True,
        block_public_policy=True,
        ignore_public_acls=True,
        restrict_public_buckets=True,
        opts=child,
    )
    versioning = aws.s3.BucketVersioning(
        f"{name}-logs-versioning", bucket=bucket.id, versioning_configuration={"status": "Enabled"}, opts=child
    )
    encryption = aws.s3.BucketServerSideEncryptionConfiguration(
        f"{name}-logs-encryption",
        bucket=bucket.id,
        rules=[_encryption_rule(key_arn)],
        opts=child,
    )
    aws.s3.BucketLifecycleConfiguration(
        f"{name}-logs-lifecycle",
        bucket=bucket.id,
        rules=[_lifecycle_rule(settings)],
        # Noncurrent-version rules need versioning on first.
        opts=pulumi.ResourceOptions.merge(child, pulumi.ResourceOptions(depends_on=[versioning])),
    )
    if settings.access_log_bucket_name:
        aws.s3.BucketLogging(
            f"{name}-logs-access-logging",
            bucket=bucket.id,
            target_bucket=settings.access_log_bucket_name,
            target_prefix=settings.access_log_prefix or bucket.bucket.apply(lambda b: f"{b}/"),
            opts=child,
        )
    configuration: list[pulumi.Resource] = [public_access_block, ownership, versioning, encryption]
    if settings.object_lock:
        configuration.append(aws.s3.BucketObjectLockConfiguration(
            f"{name}-logs-object-lock",
            bucket=bucket.id,
            # "Enabled" turns Object Lock on for an existing bucket too (S3 PutObjectLockConfiguration); S3
            # requires versioning on first.
            object_lock_enabled="Enabled",
            rule={"default_retention": {"mode": settings.object_lock.mode, "days": settings.object_lock.days}},
            opts=pulumi.ResourceOptions.merge(child, pulumi.ResourceOptions(depends_on=[versioning])),
        ))
    policy = aws.s3.BucketPolicy(
        f"{name}-logs-policy",
        bucket=bucket.id,
        policy=pulumi.Output.json_dumps(
            log_bucket_policy(context, bucket.arn, trail_arn, settings.s3_key_prefix, organization_id)
        ),
        # S3 rejects policy changes while the public access block is being set up.
        opts=pulumi.ResourceOptions.merge(child, pulumi.ResourceOptions(depends_on=[public_access_block, ownership])),
    )
    return LogBucket(name=bucket.bucket, arn=bucket.arn, configuration=[policy, *configuration])


def _encryption_rule(key_arn: pulumi.Output[str] | None) -> aws.s3.BucketServerSideEncryptionConfigurationRuleArgsDict:
    if key_arn is None:
        return {"apply_server_side_encryption_by_default": {"sse_algorithm": "AES256"}}
    return {
        "apply_server_side_encryption_by_default": {"sse_algorithm": "aws:kms", "kms_master_key_id": key_arn},
        # An S3 Bucket Key cuts KMS requests (and cost) for a bucket that receives many small objects.
        "bucket_key_enabled": True,
    }


def _lifecycle_rule(settings: TrailSettings) -> aws.s3.BucketLifecycleConfigurationRuleArgsDict:
    rule: aws.s3.BucketLifecycleConfigurationRuleArgsDict = {
        "id": "cloudtrail-log-retention",
        "status": "Enabled",
        "filter": {},
        "noncurrent_version_expiration": {"noncurrent_days": settings.noncurrent_version_expiration_days},
        "abort_incomplete_multipart_upload": {"days_after_initiation": 7},
    }
    if settings.log_transitions:
        rule["transitions"] = [{"days": t.days, "storage_class": t.storage_class} for t in settings.log_transitions]
    if settings.log_expiration_days is not None:
        rule["expiration"] = {"days": settings.log_expiration_days}
    return rule
