"""The typed arguments of :class:`compliant_cloudtrail.CompliantTrail`.

Arguments that decide *which* resources exist (switches, catalog selections, bring-your-own names,
custom filters) must be plain values known at ``pulumi preview``; they are validated then. Arguments
that only flow into resource properties (emails, tags, ARNs of parts you bring) may be Outputs.
"""

from __future__ import annotations

from typing import Literal, TypedDict

import pulumi


class SubscriptionArgs(TypedDict):
    """One subscription to the alarm topic."""

    protocol: str
    """An SNS protocol: email, email-json, http, https, sms, sqs, lambda or application (not firehose, which
    needs a subscription role; subscribe a Firehose stream to the ``topic_arn`` output yourself)."""
    endpoint: pulumi.Input[str]
    """Where notifications go for that protocol (an address, URL, phone number or ARN)."""


class CustomFilterArgs(TypedDict, total=False):
    """A metric filter of your own, deployed with an alarm exactly like the catalog's."""

    name: str
    """Required. Names the filter, its metric and its alarm; letters, digits, '-', '_' and '.'."""
    pattern: str
    """Required. A CloudWatch Logs filter pattern; it is parsed at preview, so a typo fails early."""
    description: str
    """The alarm's description."""


class ObjectLockArgs(TypedDict):
    """Default S3 Object Lock retention for new log files (write-once-read-many)."""

    mode: Literal["GOVERNANCE", "COMPLIANCE"]
    """GOVERNANCE lets privileged users lift the lock; COMPLIANCE lets nobody, not even root."""
    days: int
    """How long each log file is locked, in days."""


class CompliantTrailArgs(TypedDict, total=False):
    """Arguments of a CompliantTrail. Every field is optional; the defaults are the compliant choice."""

    trail_name: str
    """The trail's name; defaults to the component's name. It is part of the trail ARN used in policies."""

    # --- the CloudWatch Logs side (Security Hub CloudTrail.5, CloudWatch.16)
    log_group_name: str
    """Name of the log group to create; defaults to ``/aws/cloudtrail/<trail name>``."""
    retention_in_days: int
    """Log group retention; default 365 (Security Hub CloudWatch.16). 0 keeps events forever."""
    existing_log_group_name: str
    """Deliver to a log group you already have (same account and region) instead of creating one."""

    # --- the S3 side
    bucket_name: str
    """Name of the log bucket to create; by default Pulumi derives a unique one from the component's name."""
    existing_bucket_name: str
    """Deliver to a bucket you already have; its policy must already allow CloudTrail (see README)."""
    s3_key_prefix: str
    """Prefix for log files in the bucket (no leading or trailing '/')."""
    noncurrent_version_expiration_days: int
    """Delete overwritten or deleted log-file versions after this many days; default 365."""
    log_expiration_days: int
    """Delete current log files after this many days. Unset (the default) keeps them forever."""
    access_log_bucket_name: str
    """Send S3 server access logs for the log bucket to this bucket (it must accept them; SSE-S3, no lock)."""
    access_log_prefix: str
    """Key prefix for the server access logs; default ``<bucket name>/``."""
    object_lock: ObjectLockArgs
    """Lock each log file for a period; enables Object Lock on a new bucket (cannot be turned off later)."""

    # --- encryption
    enable_kms: bool
    """Encrypt logs, log group and alarm topic with a customer managed KMS key; default True."""
    kms_key_arn: pulumi.Input[str]
    """Use this existing KMS key instead of creating one; its policy must grant what the README lists."""

    # --- the trail
    is_organization_trail: bool
    """Log every account of the AWS Organization; create it in the management account."""
    organization_id: str
    """The organization's id (``o-...``); looked up when not given. Only for organization trails."""
    advanced_event_selectors: list[pulumi.Input[object]]
    """Extra advanced event selectors (data events). Read and write management events are always logged."""
    insight_types: list[str]
    """CloudTrail Insights to turn on: ApiCallRateInsight and/or ApiErrorRateInsight."""

    # --- alarms (Security Hub CloudWatch.1 to .14, CIS 4.1 to 4.15)
    cis_profiles: list[str]
    """Which wordings of the CIS filters to deploy: ``security-hub`` and/or ``cis``; default both."""
    disabled_cis_items: list[str]
    """CIS items to leave out, for example ``["4.15"]`` in an account outside an organization."""
    metric_namespace: str
    """CloudWatch namespace of the filters' metrics; default ``CISBenchmark``."""
    custom_filters: list[CustomFilterArgs]
    """Your own filters, each with its own alarm on the same topic."""
    existing_alarm_topic_arn: pulumi.Input[str]
    """Send alarms to this SNS topic instead of creating one; it must accept CloudWatch alarms."""
    alarm_emails: list[str]
    """Email addresses to subscribe to the alarm topic (each must confirm the subscription)."""
    alarm_subscriptions: list[SubscriptionArgs]
    """Other subscriptions to the alarm topic."""

    # --- keeping the evidence
    allow_log_data_deletion: bool
    """Opt in to losing log data: let destroy delete the bucket (with its objects), log group and key.
    Default False: they are retained when removed from the stack."""
    tags: pulumi.Input[dict[str, str]]
    """Tags for every taggable resource."""
