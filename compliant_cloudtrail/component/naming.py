"""Every name CompliantTrail sends to AWS, and AWS's rule for it, checked at preview.

Some names are derived: from the component's name by Pulumi's autonaming (``<logical name>-<7 random
hex>``, pulumi-terraform-bridge ``AutoName``: Randlen 7, separator ``-``; pulumi docs "Resource names",
autonaming), or from the trail's name by this component (the KMS alias of :func:`key_alias`,
``/aws/cloudtrail/<trail>``, ``<trail>-<metric>``). A name that is fine on its own can still give a derived
name AWS refuses (a ``.`` in an SNS topic, an IAM role over 64 characters), and AWS would only say so
half-way through ``pulumi up``. :func:`check_derived_names` says so at preview, naming the argument the
user set.

Each rule names its AWS source (the API reference page of the create call) and, where it has one, the
terraform-provider-aws validation that agrees with it.
"""

from __future__ import annotations

import hashlib
import re
from collections.abc import Callable, Collection, Mapping
from dataclasses import dataclass
from typing import Any

import pulumi

from .catalog import load_catalog, select_filters
from .errors import InvalidArgumentError
from .settings import CustomFilter, TrailSettings

# pulumi-terraform-bridge AutoName: "-" + 7 random characters from the hex digits.
AUTONAME_RANDOM_LENGTH = 7
# What the random part is checked as: every character of it is a lowercase hex digit, allowed by every rule below.
_RANDOM_SAMPLE = "0a1b2c3"
_RANDOM_SHOWN = "<7 random hex>"

COMPONENT_NAME = "the component's name"
"""The 'argument' named when the component's name (the first argument of CompliantTrail) is to blame."""


@dataclass(frozen=True)
class NamingRule:
    """What AWS accepts as one kind of name."""

    kind: str
    aws_source: str
    """The AWS API reference (or guide) page that states the rule."""
    provider_source: str
    """terraform-provider-aws's validation of the same name, or why there is none."""
    allowed: str
    max_length: int
    characters: re.Pattern[str]
    """Matched against the whole name."""
    forbidden_prefixes: tuple[str, ...] = ()
    forbidden_suffixes: tuple[str, ...] = ()
    extra: Callable[[str], bool] | None = None
    """Any further condition the name must meet."""

    def accepts(self, name: str) -> bool:
        return (
            1 <= len(name) <= self.max_length
            and self.characters.fullmatch(name) is not None
            and not name.startswith(self.forbidden_prefixes)
            and not name.endswith(self.forbidden_suffixes)
            and (self.extra is None or self.extra(name))
        )


_IP_ADDRESS = re.compile(r"\d{1,3}(?:\.\d{1,3}){3}")


def _bucket_extra(name: str) -> bool:
    return ".." not in name and _IP_ADDRESS.fullmatch(name) is None


def _trail_extra(name: str) -> bool:
    return len(name) >= 3 and _IP_ADDRESS.fullmatch(name) is None


RULES: dict[str, NamingRule] = {
    "trail": NamingRule(
        kind="CloudTrail trail",
        aws_source="CreateTrail - AWS CloudTrail (Name)",
        provider_source="internal/service/cloudtrail/trail.go: name, StringLenBetween(3, 128)",
        allowed="3 to 128 letters, digits, '.', '_' or '-', starting and ending with a letter or digit, no two of "
                "'._-' in a row, not an IP address",
        max_length=128,
        characters=re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9]|[._-](?=[A-Za-z0-9]))*[A-Za-z0-9]"),
        extra=_trail_extra,
    ),
    "kms_alias": NamingRule(
        kind="KMS alias",
        aws_source="CreateAlias - AWS Key Management Service (AliasName)",
        # The provider (and the API's Pattern) also let ':' through; the page's text does not, so neither do we.
        provider_source="internal/service/kms/validate.go: validName, ^(alias\\/)[a-zA-Z0-9:/_-]+$, not alias/aws",
        allowed="'alias/' and then letters, digits, '/', '_' or '-' (no '.'), 1 to 256 characters in all, not "
                "starting with 'alias/aws/'",
        max_length=256,
        characters=re.compile(r"alias/[A-Za-z0-9/_-]+"),
        forbidden_prefixes=("alias/aws/",),
    ),
    "iam_role": NamingRule(
        kind="IAM role",
        aws_source="CreateRole - AWS Identity and Access Management (RoleName)",
        provider_source="internal/service/iam/role.go: roleNameMaxLen = 64; pulumi-aws autonames it with maxlen 64",
        allowed="1 to 64 letters, digits and '_+=,.@-'",
        max_length=64,
        characters=re.compile(r"[A-Za-z0-9_+=,.@-]+"),
    ),
    "iam_role_policy": NamingRule(
        kind="IAM role policy",
        aws_source="PutRolePolicy - AWS Identity and Access Management (PolicyName)",
        provider_source="internal/service/iam/role_policy.go (pulumi-aws's default autoname maxlen is 255)",
        allowed="1 to 128 letters, digits and '_+=,.@-'",
        max_length=128,
        characters=re.compile(r"[A-Za-z0-9_+=,.@-]+"),
    ),
    "sns_topic": NamingRule(
        kind="SNS topic",
        aws_source="CreateTopic - Amazon Simple Notification Service (Name)",
        # '.fifo' is only for FIFO topics; the alarm topic is a standard one.
        provider_source="internal/service/sns/topic.go: name ^[0-9A-Za-z_-]{1,256}$ for standard topics",
        allowed="1 to 256 letters, digits, '_' or '-' (no '.')",
        max_length=256,
        characters=re.compile(r"[A-Za-z0-9_-]+"),
    ),
    "s3_bucket": NamingRule(
        kind="S3 bucket",
        aws_source="General purpose bucket naming rules - Amazon S3 (Bucket naming rules)",
        provider_source="internal/service/s3/bucket.go: bucket StringLenBetween(0, 63), validBucketName on create",
        allowed="3 to 63 lowercase letters, digits, '.' and '-', starting and ending with a letter or digit, no "
                "'..', not an IP address, no reserved prefix (xn--, sthree-, amzn-s3-demo-) or suffix (-s3alias, "
                "--ol-s3, .mrap, --x-s3, --table-s3)",
        max_length=63,
        characters=re.compile(r"[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]"),
        forbidden_prefixes=("xn--", "sthree-", "amzn-s3-demo-"),
        forbidden_suffixes=("-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3"),
        extra=_bucket_extra,
    ),
    "log_group": NamingRule(
        kind="CloudWatch Logs log group",
        aws_source="CreateLogGroup - Amazon CloudWatch Logs (logGroupName)",
        provider_source="internal/service/logs/validate.go: validLogGroupName, ^[0-9A-Za-z_./#-]+$, at most 512",
        allowed="1 to 512 letters, digits and '._-/#', not starting with 'aws/'",
        max_length=512,
        characters=re.compile(r"[A-Za-z0-9._/#-]+"),
        forbidden_prefixes=("aws/",),
    ),
    "metric_filter": NamingRule(
        kind="metric filter",
        aws_source="PutMetricFilter - Amazon CloudWatch Logs (filterName)",
        provider_source="internal/service/logs/validate.go: validLogMetricFilterName, ^[^:*]+$, at most 512",
        allowed="1 to 512 characters, none of them ':' or '*'",
        max_length=512,
        characters=re.compile(r"[^:*]+"),
    ),
    "metric_alarm": NamingRule(
        kind="CloudWatch alarm",
        aws_source="PutMetricAlarm - Amazon CloudWatch (AlarmName)",
        provider_source="internal/service/cloudwatch/metric_alarm.go: alarm_name StringLenBetween(1, 255)",
        allowed="1 to 255 characters, no ASCII control characters",
        max_length=255,
        characters=re.compile(r"[^\x00-\x1f\x7f]+"),
    ),
}


@dataclass(frozen=True)
class NamingInputs:
    """What the derived names depend on: a subset of TrailSettings, available before TrailSettings is."""

    trail_name: str
    log_group_name: str
    creates_log_group: bool
    creates_bucket: bool
    """True when Pulumi autonames the bucket (no bucket_name, no existing_bucket_name)."""
    creates_key: bool
    creates_topic: bool
    cis_profiles: tuple[str, ...]
    disabled_cis_items: frozenset[str]
    custom_filters: tuple[CustomFilter, ...]

    @classmethod
    def of(cls, settings: TrailSettings) -> NamingInputs:
        return cls(
            trail_name=settings.trail_name,
            log_group_name=settings.log_group_name,
            creates_log_group=settings.creates_log_group,
            creates_bucket=settings.bucket_name is None and settings.existing_bucket_name is None,
            creates_key=settings.creates_key,
            creates_topic=settings.existing_alarm_topic_arn is None,
            cis_profiles=settings.cis_profiles,
            disabled_cis_items=settings.disabled_cis_items,
            custom_filters=settings.custom_filters,
        )


@dataclass(frozen=True)
class DerivedName:
    """One name the component would send to AWS, and the argument it comes from."""

    rule: NamingRule
    name: str
    """As checked: an autoname's random part is filled with hex digits, so its length is exact."""
    shown: str
    """As the user should read it: an autoname's random part as ``<7 random hex>``."""
    argument: str
    """The argument the user set that this name comes from (or :data:`COMPONENT_NAME`)."""
    value: object
    room: int | None = None
    """For a name made from the value plus fixed text: the most characters the value may have."""


def derived_names(component_name: str, settings: TrailSettings | NamingInputs,
                  given: Collection[str] | None = None) -> list[DerivedName]:
    """Every name the component would send to AWS for these settings.

    ``given`` holds the argument names the user passed; without it, the trail name is taken to be the
    user's own when it differs from the component's name.
    """
    inputs = settings if isinstance(settings, NamingInputs) else NamingInputs.of(settings)
    trail_given = "trail_name" in given if given is not None else inputs.trail_name != component_name
    trail_argument, trail_value = ("trail_name", inputs.trail_name) if trail_given else (COMPONENT_NAME,
                                                                                          component_name)

    def from_trail(rule: str, name: str) -> DerivedName:
        return DerivedName(RULES[rule], name, name, trail_argument, trail_value)

    def autonamed(rule: str, logical_name: str) -> DerivedName:
        prefix = f"{logical_name}-"
        fixed = len(prefix) + len(_RANDOM_SAMPLE) - len(component_name)
        return DerivedName(RULES[rule], prefix + _RANDOM_SAMPLE, prefix + _RANDOM_SHOWN, COMPONENT_NAME,
                           component_name, room=RULES[rule].max_length - fixed)

    names = [from_trail("trail", inputs.trail_name)]
    if inputs.creates_log_group:
        default_log_group = f"/aws/cloudtrail/{inputs.trail_name}"
        if ("log_group_name" in given) if given is not None else inputs.log_group_name != default_log_group:
            names.append(DerivedName(RULES["log_group"], inputs.log_group_name, inputs.log_group_name,
                                     "log_group_name", inputs.log_group_name))
        else:
            names.append(from_trail("log_group", inputs.log_group_name))
    if inputs.creates_key:
        names.append(from_trail("kms_alias", key_alias(inputs.trail_name)))
    if inputs.creates_bucket:
        # pulumi-aws lowercases the bucket's logical name before autonaming it (AutoNameTransform, maxlen 63).
        names.append(autonamed("s3_bucket", f"{component_name.lower()}-logs"))
    # Logical names from log_delivery.py and alarms.py; the random part is added by Pulumi.
    names.append(autonamed("iam_role", f"{component_name}-delivery-role"))
    names.append(autonamed("iam_role_policy", f"{component_name}-delivery-policy"))
    if inputs.creates_topic:
        names.append(autonamed("sns_topic", f"{component_name}-alarms"))
    for metric_name, argument, value in _metric_names(inputs, trail_argument, trail_value):
        # alarms.py names the filter and its metric alike (filter_name), and the alarm "<trail name>-<metric>".
        name = filter_name(inputs.trail_name, inputs.creates_log_group, metric_name)
        names.append(DerivedName(RULES["metric_filter"], name, name, argument, value))
        alarm = f"{inputs.trail_name}-{metric_name}"
        names.append(DerivedName(RULES["metric_alarm"], alarm, alarm, argument, value))
    return names


def _metric_names(inputs: NamingInputs, trail_argument: str,
                  trail_value: object) -> list[tuple[str, str, object]]:
    selected = select_filters(load_catalog(), inputs.cis_profiles, inputs.disabled_cis_items)
    metrics: list[tuple[str, str, object]] = [(s.filter.metric_name, trail_argument, trail_value) for s in selected]
    # A custom filter's name is the part of the name the user chose last, so it is the one to blame.
    metrics += [(custom.name, f"custom_filters[{index}].name", custom.name)
                for index, custom in enumerate(inputs.custom_filters)]
    return metrics


def check_derived_names(component_name: str, args: Mapping[str, Any] | None,
                        settings: TrailSettings | NamingInputs) -> None:
    """Raise InvalidArgumentError for the first derived name AWS would refuse."""
    given = [key for key in (args or {}) if isinstance(key, str)]
    for derived in derived_names(component_name, settings, given):
        if derived.rule.accepts(derived.name):
            continue
        hint = ""
        if derived.argument == COMPONENT_NAME:
            hint = f"; choose another component name{_OVERRIDES.get(derived.rule.kind, '')}"
        if derived.room is not None and isinstance(derived.value, str) and len(derived.value) > derived.room:
            hint += f" (at most {derived.room} characters long for this name)"
        raise InvalidArgumentError(
            component_name, derived.argument, derived.value,
            f"it gives the {derived.rule.kind} name {_abridged(derived.shown)}, which {derived.rule.aws_source} "
            f"refuses (allowed: {derived.rule.allowed}){hint}",
        )


# The argument that takes the component's name out of a derived name, where there is one.
_OVERRIDES = {
    **{RULES[rule].kind: " or pass trail_name" for rule in ("trail", "kms_alias", "log_group", "metric_filter",
                                                            "metric_alarm")},
    RULES["s3_bucket"].kind: " or pass bucket_name",
    RULES["sns_topic"].kind: " or bring a topic (existing_alarm_topic_arn)",
}


def _abridged(name: str, limit: int = 100) -> str:
    """Component names may be of any length; the message stays one readable line."""
    text = repr(name)
    return text if len(text) <= limit else f"{text[:limit - 30]}...{text[-27:]}"


def key_alias(trail_name: str) -> str:
    """``alias/cloudtrail/<trail name>``, with what aliases cannot hold made a '-' ("CreateAlias": an alias name
    is ``alias/`` and 1 to 250 of letters, digits, '/', '_' and '-'); trail names may also hold '.'.

    Alias names are unique per account and region, and ``org.audit`` and ``org-audit`` are two trails: when a
    character had to be replaced, a digest of the trail's own name keeps their aliases apart (else the second
    CreateAlias fails with AlreadyExistsException, which no check of one stack can foresee).
    """
    cleaned = re.sub(r"[^A-Za-z0-9/_-]", "-", trail_name)
    if cleaned != trail_name:
        cleaned += "-" + hashlib.sha256(trail_name.encode()).hexdigest()[:8]
    return "alias/cloudtrail/" + cleaned


def filter_name(trail_name: str, creates_log_group: bool, metric_name: str) -> str:
    """The name of a metric filter, and of the metric it publishes (alarms.py uses it for both).

    Filter names are unique per log group, and PutMetricFilter ("Creates or updates a metric filter") overwrites
    a filter of the same name; terraform-provider-aws creates one with that call, without checking first
    (``internal/service/logs/metric_filter.go``). In the log group the component creates nobody else has
    filters, so the plain CIS metric name is safe. In a log group the user brings, the common CIS scripts'
    filters are called exactly that, and another CompliantTrail may deliver there too: the trail's name makes
    the filter ours alone. Filter and metric keep one name, because Trivy links an alarm to its filter by
    "alarm metric name == filter name" (trivy-checks ``lib/cloud/aws_trails.rego``).
    """
    return metric_name if creates_log_group else f"{trail_name}-{metric_name}"


def warn_if_autonaming_is_configured(component_name: str, parent: pulumi.Resource) -> None:
    """The checks above model Pulumi's default autonaming. A project's ``pulumi:autonaming`` configuration (a
    pattern, ``verbatim`` or ``disabled``; pulumi docs "Resource names", autonaming configuration) changes the
    names of the bucket, role, role policy and topic: the length checks may then misjudge, and ``verbatim``
    gives one fixed bucket name that a second stack cannot have. Named explicitly instead, those resources
    would be replaced on upgrade (a new bucket is a new place for the evidence), so this only says so."""
    try:
        configured = pulumi.Config("pulumi").get_object("autonaming")
    except Exception:  # a value that is not JSON: the engine would have refused it
        configured = None
    if configured:
        pulumi.log.warn(
            f"CompliantTrail {component_name!r}: pulumi:autonaming is configured; the preview checks of the "
            "autonamed bucket, delivery role, role policy and alarm topic names assume Pulumi's default "
            "'<name>-<7 random hex>'. Check those names in the preview, or pass bucket_name.", resource=parent)
