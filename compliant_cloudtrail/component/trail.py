"""CompliantTrail: a CloudTrail trail that delivers to CloudWatch Logs and raises CIS alarms.

This module only wires the parts together; each part lives in its own module (bucket, key, log
delivery, alarms) and every argument has been checked by ``validation`` before anything is declared.
"""

# No `from __future__ import annotations`: the component provider reads these annotations at run time to
# describe CompliantTrail to other languages, and would find strings.
from typing import Any

import pulumi
import pulumi_aws as aws

from .alarms import create_alarm_topic, create_alarms
from .args import CompliantTrailArgs
from .aws_context import check_same_region, lookup_context
from .log_bucket import create_log_bucket, use_existing_bucket
from .log_delivery import create_log_delivery
from .naming import warn_if_autonaming_is_configured
from .organization import lookup_organization
from .settings import TrailSettings
from .trail_key import create_trail_key
from .validation import validate_args

TYPE_TOKEN = "compliant-cloudtrail:index:CompliantTrail"


class CompliantTrail(pulumi.ComponentResource):
    """A multi-region CloudTrail trail with log file validation, KMS encryption, an S3 bucket that keeps
    its evidence, delivery to a CloudWatch Logs log group, and the CIS metric filters with alarms."""

    trail_arn: pulumi.Output[str]
    """ARN of the trail."""
    trail_name: pulumi.Output[str]
    """Name of the trail."""
    bucket_name: pulumi.Output[str]
    """The bucket log files go to (created, or the one you brought)."""
    bucket_arn: pulumi.Output[str]
    """ARN of the bucket log files go to."""
    log_group_name: pulumi.Output[str]
    """The log group the trail delivers events to (created, or the one you brought)."""
    log_group_arn: pulumi.Output[str]
    """ARN of the log group, without the ``:*`` the trail is given."""
    role_arn: pulumi.Output[str]
    """The role CloudTrail assumes to write to the log group."""
    kms_key_arn: pulumi.Output[str | None]
    """The key encrypting logs, log group and topic; unset (None in Python) when KMS is switched off."""
    topic_arn: pulumi.Output[str]
    """The SNS topic the alarms notify."""
    alarm_arns: pulumi.Output[dict[str, dict[str, str]]]
    """CIS item id -> wording (``security-hub`` or ``cis``) -> alarm ARN."""
    custom_alarm_arns: pulumi.Output[dict[str, str]]
    """Custom filter name -> alarm ARN."""

    # `args` is annotated with the TypedDict itself: the provider's schema inference cannot read `X | None`.
    # The default is never mutated (validate_args only reads it), so one shared empty dict is safe.
    def __init__(self, name: str, args: CompliantTrailArgs = {},  # noqa: B006
                 opts: pulumi.ResourceOptions | None = None) -> None:
        # Validate before registering anything, so bad input stops `pulumi preview` with a clear message.
        settings = validate_args(name, args)
        super().__init__(TYPE_TOKEN, name, None, opts)
        warn_if_autonaming_is_configured(name, self)
        organization = lookup_organization(name, self, settings)
        check_same_region(name, self, {"kms_key_arn": settings.kms_key_arn,
                                       "existing_alarm_topic_arn": settings.existing_alarm_topic_arn})
        context = lookup_context(self, organization.management_account_id if organization else None)
        trail_arn = context.trail_arn(settings.trail_name)
        organization_id = pulumi.Output.from_input(organization.id) if organization else None

        key_arn: pulumi.Output[str] | None = None
        if settings.creates_key:
            key_arn = create_trail_key(name, self, context, settings, trail_arn).arn
        elif settings.kms_key_arn is not None:
            key_arn = pulumi.Output.from_input(settings.kms_key_arn)

        if settings.existing_bucket_name is not None:
            bucket = use_existing_bucket(context, settings.existing_bucket_name)
        else:
            bucket = create_log_bucket(name, self, context, settings, trail_arn, organization_id, key_arn)
        delivery = create_log_delivery(name, self, context, settings, organization_id, key_arn)

        trail = aws.cloudtrail.Trail(
            f"{name}-trail",
            name=settings.trail_name,
            s3_bucket_name=bucket.name,
            s3_key_prefix=settings.s3_key_prefix,
            # A multi-region trail must include global service events (InvalidParameterCombinationException).
            is_multi_region_trail=True,
            include_global_service_events=True,
            enable_log_file_validation=True,
            enable_logging=True,
            is_organization_trail=settings.is_organization_trail,
            kms_key_id=key_arn,
            # CloudTrail wants the log-stream wildcard that pulumi-aws's LogGroup.arn leaves out.
            cloud_watch_logs_group_arn=delivery.log_group_arn.apply(lambda arn: f"{arn}:*"),
            cloud_watch_logs_role_arn=delivery.role.arn,
            **_event_selection(settings),
            tags=settings.tags,
            opts=pulumi.ResourceOptions(
                parent=self,
                # Data flow does not order these: without them CreateTrail fails with
                # InsufficientS3BucketPolicyException / InvalidCloudWatchLogsRoleArnException, or the first log
                # files land before the bucket's encryption, versioning and Object Lock are in place.
                depends_on=[*bucket.configuration, delivery.role_policy],
            ),
        )

        topic_arn = create_alarm_topic(name, self, context, settings, key_arn)
        alarms = create_alarms(name, self, settings, delivery.log_group_name, topic_arn)

        self.trail_arn = trail.arn
        self.trail_name = trail.name
        self.bucket_name = bucket.name
        self.bucket_arn = bucket.arn
        self.log_group_name = delivery.log_group_name
        self.log_group_arn = delivery.log_group_arn
        self.role_arn = delivery.role.arn
        self.kms_key_arn = pulumi.Output.from_input(key_arn)
        self.topic_arn = topic_arn
        self.alarm_arns = pulumi.Output.from_input(alarms.cis_alarm_arns)  # type: ignore[arg-type]
        self.custom_alarm_arns = pulumi.Output.from_input(alarms.custom_alarm_arns)  # type: ignore[arg-type]
        self.register_outputs({
            "trail_arn": self.trail_arn,
            "trail_name": self.trail_name,
            "bucket_name": self.bucket_name,
            "bucket_arn": self.bucket_arn,
            "log_group_name": self.log_group_name,
            "log_group_arn": self.log_group_arn,
            "role_arn": self.role_arn,
            "kms_key_arn": self.kms_key_arn,
            "topic_arn": self.topic_arn,
            "alarm_arns": self.alarm_arns,
            "custom_alarm_arns": self.custom_alarm_arns,
        })


def _event_selection(settings: TrailSettings) -> dict[str, Any]:
    """Management events, read and write, always: CIS 4.x alarms and Security Hub CloudTrail.1 need them all.

    Always as an advanced selector, also when no data selector is given. A basic selector equal to the default
    reads back empty in the provider and showed a change on every preview (hashicorp/terraform-provider-aws
    #3697, #4040). And sending no selector at all once advanced ones were used fails the update: the provider
    then calls PutEventSelectors with ``AdvancedEventSelectors: []`` (``setAdvancedEventSelectors``,
    internal/service/cloudtrail/trail.go), which CloudTrail refuses ("InvalidEventSelectorsException: Specify a
    valid number of selectors (1 to 5)"), so removing advanced_event_selectors from a stack broke its update.
    """
    selection: dict[str, Any] = {
        # Advanced and basic selectors cannot be mixed, so management events get an advanced selector too.
        "advanced_event_selectors": [
            {"name": "All management events",
             "field_selectors": [{"field": "eventCategory", "equals": ["Management"]}]},
            *settings.advanced_event_selectors,
        ],
    }
    if settings.insight_types:
        selection["insight_selectors"] = [{"insight_type": insight} for insight in settings.insight_types]
    return selection
