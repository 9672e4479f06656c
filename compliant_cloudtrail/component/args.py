"""The typed arguments of :class:`compliant_cloudtrail.CompliantTrail`.

Arguments that decide *which* resources exist (switches, catalog selections, bring-your-own names,
custom filters) must be plain values known at ``pulumi preview``; they are validated then. Arguments
that only flow into resource properties (emails, tags, ARNs of parts you bring) may be Outputs.

The same classes describe the component to TypeScript, Go, C#, Java and YAML: the component provider
(``compliant_cloudtrail.provider``) infers its schema from these hints at run time, so they stay
evaluated (no ``from __future__ import annotations``), use only what the inference accepts (TypedDicts,
``str`` enums, ``list``/``dict``, ``Required[...]``), and every field's docstring is its description there.
"""

from enum import StrEnum
from typing import Required, TypedDict

import pulumi


class SubscriptionArgs(TypedDict):
    """One subscription to the alarm topic."""

    protocol: str
    """An SNS protocol: email, email-json, http, https, sms or application. Not firehose, sqs or lambda: they
    need a role, a queue policy or a function permission this component does not create; subscribe those to
    the ``topic_arn`` output yourself."""
    endpoint: pulumi.Input[str]
    """Where notifications go for that protocol (an address, URL, phone number or ARN)."""


class CustomFilterArgs(TypedDict, total=False):
    """A metric filter of your own, deployed with an alarm exactly like the catalog's."""

    name: Required[str]
    """Names the filter, its metric and its alarm: 1 to 100 letters, digits, '-', '_' and '.'."""
    pattern: Required[str]
    """A CloudWatch Logs filter pattern; it is parsed at preview, so a typo fails early."""
    description: str
    """The alarm's description; by default it names the filter."""


class ObjectLockMode(StrEnum):
    """S3 Object Lock retention mode ("Object Lock retention modes" in the S3 User Guide)."""

    GOVERNANCE = "GOVERNANCE"
    """Users with s3:BypassGovernanceRetention can lift the lock or delete a locked version."""
    COMPLIANCE = "COMPLIANCE"
    """Nobody can lift the lock or delete a locked version before it expires, not even the root user."""


class ObjectLockArgs(TypedDict):
    """Default S3 Object Lock retention for new log files (write-once-read-many)."""

    mode: ObjectLockMode
    """GOVERNANCE lets privileged users lift the lock; COMPLIANCE lets nobody, not even root."""
    days: int
    """How long each log file is locked, in days: a whole number from 1 to 36500."""


class FieldSelectorArgs(TypedDict, total=False):
    """One condition of an advanced event selector (CloudTrail API reference, "AdvancedFieldSelector").

    Field names are pulumi-aws's (``TrailAdvancedEventSelectorFieldSelectorArgsDict`` in
    ``pulumi_aws/cloudtrail/_inputs.py``): the selectors are handed to the trail as given."""

    field: Required[str]
    """The event record field to match: eventCategory, eventSource, eventName, readOnly, resources.type,
    resources.ARN, and the others CloudTrail lists for advanced event selectors."""
    equals: list[str]
    """Values the field must equal (the only operator for readOnly, eventCategory and resources.type)."""
    not_equals: list[str]
    """Values the field must not equal."""
    starts_withs: list[str]
    """Prefixes the field must start with."""
    not_starts_withs: list[str]
    """Prefixes the field must not start with."""
    ends_withs: list[str]
    """Suffixes the field must end with."""
    not_ends_withs: list[str]
    """Suffixes the field must not end with."""


class AdvancedEventSelectorArgs(TypedDict, total=False):
    """A CloudTrail advanced event selector for data events (CloudTrail API reference, "AdvancedEventSelector").

    Field names are pulumi-aws's (``TrailAdvancedEventSelectorArgsDict``)."""

    name: str
    """A name for the selector, such as "Log S3 object writes"."""
    field_selectors: Required[list[FieldSelectorArgs]]
    """The conditions an event must meet, all of them, to be logged."""


class AlarmSettingsArgs(TypedDict, total=False):
    """How one CIS item's alarms evaluate their metric; what is left out keeps the CIS recipe (Sum over 300 s,
    threshold 1, one evaluation period, missing data not breaching). The filter patterns never change."""

    threshold: float
    """Alarm when the count of matching events in a period reaches this (a number of 0 or more); default 1."""
    period: int
    """Seconds per evaluated period: a multiple of 60 (metric filters publish one-minute data); default 300."""
    evaluation_periods: int
    """How many recent periods are evaluated (at least 1; period x evaluation_periods at most one day, or seven
    days for periods of an hour or more); default 1."""
    datapoints_to_alarm: int
    """How many of those periods must breach ("M out of N"); from 1 to evaluation_periods; default all of them."""
    treat_missing_data: str
    """notBreaching (default: no events is the good case), breaching, ignore or missing."""


class LogTransitionArgs(TypedDict):
    """Move current log files to a cheaper S3 storage class after a number of days."""

    days: int
    """Days after a log file is written; at least 30 for STANDARD_IA and ONEZONE_IA."""
    storage_class: str
    """STANDARD_IA, INTELLIGENT_TIERING, ONEZONE_IA, GLACIER_IR, GLACIER or DEEP_ARCHIVE."""


class CompliantTrailArgs(TypedDict, total=False):
    """Arguments of a CompliantTrail. Every field is optional; the defaults are the compliant choice."""

    trail_name: str
    """The trail's name; defaults to the component's name. It is part of the trail ARN used in policies."""

    # --- the CloudWatch Logs side (Security Hub CloudTrail.5, CloudWatch.16)
    log_group_name: str
    """Name of the log group to create; defaults to ``/aws/cloudtrail/<trail name>``."""
    retention_in_days: int
    """Log group retention in days; default 365 (Security Hub CloudWatch.16). One of the values CloudWatch Logs
    accepts (1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557, 2922, 3288,
    3653), or 0 to keep events forever."""
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
    log_transitions: list[LogTransitionArgs]
    """Move current log files to cheaper storage classes as they age, in S3's order (for example GLACIER
    after 90 days, DEEP_ARCHIVE after 365)."""
    access_log_bucket_name: str
    """Send S3 server access logs for the log bucket to this bucket (it must accept them; SSE-S3, no lock)."""
    access_log_prefix: str
    """Key prefix for the server access logs; default ``<bucket name>/``."""
    object_lock: ObjectLockArgs
    """Lock each log file for a period; enables Object Lock on a new bucket (cannot be turned off later)."""

    # --- encryption
    enable_kms: bool
    """Encrypt logs, log group and alarm topic with a customer managed KMS key; on by default."""
    kms_key_arn: pulumi.Input[str]
    """Use this existing KMS key instead of creating one; its policy must grant what the README lists."""

    # --- the trail
    is_organization_trail: bool
    """Log every account of the AWS Organization; create it in the management account."""
    organization_id: str
    """The organization's id (``o-...``); looked up when not given. Only for organization trails."""
    organization_management_account_id: str
    """The organization's management account (12 digits), which owns an organization trail even when a
    CloudTrail delegated administrator creates it; looked up when not given. Only for organization trails."""
    advanced_event_selectors: list[AdvancedEventSelectorArgs]
    """Extra advanced event selectors (data events). Read and write management events are always logged:
    a selector on eventCategory Management is refused."""
    # Plain str lists, not enums: pulumi 3.272's component provider turns each enum item of a list into {}
    # (ComponentProvider.map_input_properties treats a list of enum refs as a list of objects).
    insight_types: list[str]
    """CloudTrail Insights to turn on: ApiCallRateInsight and/or ApiErrorRateInsight."""

    # --- alarms (Security Hub CloudWatch.1 to .14, CIS 4.1 to 4.15)
    cis_profiles: list[str]
    """Which wordings of the CIS filters to deploy: ``security-hub`` (Security Hub's exact patterns) and/or
    ``cis`` (CIS v3+ and the scanners that follow it); default both."""
    disabled_cis_items: list[str]
    """CIS items to leave out, for example ``["4.15"]`` in an account outside an organization."""
    metric_namespace: str
    """CloudWatch namespace of the filters' metrics; default ``CISBenchmark``."""
    custom_filters: list[CustomFilterArgs]
    """Your own filters, each with its own alarm on the same topic."""
    alarm_settings: dict[str, AlarmSettingsArgs]
    """Tune alarms by CIS item id (for example ``{"4.1": {"threshold": 5, "period": 900}}`` for the noisy
    unauthorized-API-calls alarm) or by custom filter name; applied to every wording of that item."""
    existing_alarm_topic_arn: pulumi.Input[str]
    """Send alarms to this SNS topic instead of creating one; it must accept CloudWatch alarms."""
    alarm_emails: list[pulumi.Input[str]]
    """Email addresses to subscribe to the alarm topic (each must confirm the subscription). The list must be
    known at preview; an address in it may be an Output."""
    alarm_subscriptions: list[SubscriptionArgs]
    """Other subscriptions to the alarm topic."""

    # --- keeping the evidence
    allow_log_data_deletion: bool
    """Opt in to losing log data: let destroy delete the bucket (with its objects), log group and key.
    Off by default: they are retained when removed from the stack."""
    tags: pulumi.Input[dict[str, str]]
    """Tags for every taggable resource."""
