"""CompliantTrail's arguments once checked: plain, frozen data with every default resolved.

``validation`` builds a :class:`TrailSettings`; the builders (bucket, key, log delivery, alarms, trail) only
read it. This module imports none of them, so data flows one way: arguments -> validation -> settings ->
builders.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import pulumi


@dataclass(frozen=True)
class CustomFilter:
    name: str
    pattern: str
    description: str


@dataclass(frozen=True)
class AlarmSettings:
    """The CIS recipe by default (CIS AWS Foundations, section 4: Sum, 300 s, >= 1, one period)."""

    threshold: float = 1
    period: int = 300
    evaluation_periods: int = 1
    datapoints_to_alarm: int | None = None
    treat_missing_data: str = "notBreaching"


@dataclass(frozen=True)
class LogTransition:
    days: int
    storage_class: str


@dataclass(frozen=True)
class ObjectLock:
    mode: str
    days: int


@dataclass(frozen=True)
class TrailSettings:
    """CompliantTrail's arguments, checked, with every default resolved."""

    trail_name: str
    log_group_name: str
    creates_log_group: bool
    retention_in_days: int
    bucket_name: str | None
    existing_bucket_name: str | None
    s3_key_prefix: str | None
    noncurrent_version_expiration_days: int
    log_expiration_days: int | None
    log_transitions: tuple[LogTransition, ...]
    access_log_bucket_name: str | None
    access_log_prefix: str | None
    object_lock: ObjectLock | None
    enable_kms: bool
    kms_key_arn: pulumi.Input[str] | None
    is_organization_trail: bool
    organization_id: str | None
    organization_management_account_id: str | None
    advanced_event_selectors: tuple[Any, ...]
    insight_types: tuple[str, ...]
    cis_profiles: tuple[str, ...]
    disabled_cis_items: frozenset[str]
    metric_namespace: str
    custom_filters: tuple[CustomFilter, ...]
    alarm_settings: Mapping[str, AlarmSettings]
    """By CIS item id or custom filter name; what is not here uses ``AlarmSettings()``."""
    existing_alarm_topic_arn: pulumi.Input[str] | None
    alarm_emails: tuple[pulumi.Input[str], ...]
    alarm_subscriptions: tuple[tuple[str, pulumi.Input[str]], ...]
    allow_log_data_deletion: bool
    tags: pulumi.Input[dict[str, str]] | None

    @property
    def creates_key(self) -> bool:
        return self.enable_kms and self.kms_key_arn is None
