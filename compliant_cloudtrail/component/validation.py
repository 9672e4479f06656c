"""Checks CompliantTrail's arguments when the program is evaluated, before any cloud call.

Each rule below is one AWS rule (names, retention values, ARNs) or one of ours (mutually exclusive
arguments). A failure raises :class:`InvalidArgumentError`, which names the argument, the value and
what is allowed, so ``pulumi preview`` stops with a message the user can act on. The result is a
:class:`TrailSettings` with every default resolved, so the builders never re-read raw arguments.
"""

from __future__ import annotations

import difflib
import math
import re
from collections.abc import Mapping, Sequence
from typing import Any

import pulumi

from ..policy_pack.filter_pattern import FilterPatternError, parse
from .args import CompliantTrailArgs
from .catalog import DEFAULT_PROFILES, PROFILES, load_catalog
from .errors import InvalidArgumentError, show
from .lifecycle_rules import STORAGE_CLASSES, refuse_expiration, refuse_transitions
from .naming import NamingInputs, check_derived_names
from .settings import AlarmSettings, CustomFilter, LogTransition, ObjectLock, TrailSettings

DEFAULT_RETENTION_DAYS = 365
DEFAULT_NONCURRENT_VERSION_EXPIRATION_DAYS = 365
DEFAULT_METRIC_NAMESPACE = "CISBenchmark"

# CloudWatch Logs PutRetentionPolicy accepts exactly these; pulumi-aws adds 0 for "never expire".
RETENTION_DAYS = (0, 1, 3, 5, 7, 14, 30, 60, 90, 120, 150, 180, 365, 400, 545, 731, 1096, 1827, 2192, 2557,
                  2922, 3288, 3653)
# SNS Subscribe's protocols whose delivery needs nothing but the subscription. Not firehose (a subscription role
# ARN), sqs (a queue policy letting sns.amazonaws.com SendMessage, and a key grant for an encrypted queue) nor
# lambda (a lambda:InvokeFunction permission for sns.amazonaws.com): without those, alarms are never delivered
# ("Fanout to Amazon SQS queues", "Fanout to Lambda functions" in the SNS developer guide).
SNS_PROTOCOLS = ("email", "email-json", "http", "https", "sms", "application")
_NEEDS_MORE_THAN_A_SUBSCRIPTION = {
    "firehose": "firehose needs a subscription role ARN",
    "sqs": "sqs needs a queue policy that lets sns.amazonaws.com send messages (and a key grant for an encrypted "
           "queue)",
    "lambda": "lambda needs a permission that lets sns.amazonaws.com invoke the function",
}
INSIGHT_TYPES = ("ApiCallRateInsight", "ApiErrorRateInsight")
OBJECT_LOCK_MODES = ("GOVERNANCE", "COMPLIANCE")

# CloudTrail: 3-128 of letters, digits, '.', '_', '-'; starts and ends alphanumeric; no two specials in a row.
_TRAIL_NAME = re.compile(r"[A-Za-z0-9](?:[A-Za-z0-9]|[._-](?=[A-Za-z0-9]))*[A-Za-z0-9]")
_IP_ADDRESS = re.compile(r"\d{1,3}(?:\.\d{1,3}){3}")
_LOG_GROUP_NAME = re.compile(r"[.\-_/#A-Za-z0-9]{1,512}")
# S3 general purpose buckets: 3-63 lowercase letters, digits, '.', '-'; alphanumeric at both ends.
_BUCKET_NAME = re.compile(r"[a-z0-9][a-z0-9.-]{1,61}[a-z0-9]")
_BUCKET_RESERVED_PREFIXES = ("xn--", "sthree-", "amzn-s3-demo-")
_BUCKET_RESERVED_SUFFIXES = ("-s3alias", "--ol-s3", ".mrap", "--x-s3", "--table-s3")
_ORGANIZATION_ID = re.compile(r"o-[a-z0-9]{10,32}")
_ACCOUNT_ID = re.compile(r"[0-9]{12}")
# A key ARN, not an alias ARN: CloudWatch Logs' kms_key_id wants the key ARN ("AssociateKmsKey"), and the provider
# reads a trail's and a bucket's key back as the key ARN, so an alias would show a change on every preview.
_KMS_KEY_ARN = re.compile(r"arn:aws[a-z-]*:kms:[a-z0-9-]+:[0-9]{12}:key/[A-Za-z0-9-]+")
_TOPIC_ARN = re.compile(r"arn:aws[a-z-]*:sns:[a-z0-9-]+:[0-9]{12}:[A-Za-z0-9_-]{1,256}")
_EMAIL = re.compile(r"[^@\s]+@[A-Za-z0-9-]+(\.[A-Za-z0-9-]+)+")
_CUSTOM_FILTER_NAME = re.compile(r"[A-Za-z0-9._-]{1,100}")
# CloudWatch metric names and namespaces: up to 255 characters, none of ':', '*', '$'.
_METRIC_NAMESPACE = re.compile(r"[^:*$]{1,255}")


def _key_name(key: object) -> str:
    return key if isinstance(key, str) else show(key)


class _Checker:
    """Reads one component's raw arguments and raises on the first bad one."""

    def __init__(self, component: str, args: Mapping[str, Any]) -> None:
        self.component = component
        self.args = args

    def fail(self, argument: str, value: object, allowed: str) -> InvalidArgumentError:
        return InvalidArgumentError(self.component, argument, value, allowed)

    def reject_unknown_arguments(self) -> None:
        known = CompliantTrailArgs.__required_keys__ | CompliantTrailArgs.__optional_keys__
        for key in self.args:
            if key not in known:
                name = _key_name(key)
                close = difflib.get_close_matches(name, known, n=1)
                hint = f"did you mean '{close[0]}'?" if close else "see CompliantTrailArgs for the arguments"
                raise self.fail(name, self.args[key], f"it is not an argument of CompliantTrail; {hint}")

    def plain(self, argument: str, expected: type | tuple[type, ...], default: Any = None) -> Any:
        """An argument that must be known at preview, of the expected Python type."""
        value = self.args.get(argument)
        if value is None:
            return default
        if isinstance(value, pulumi.Output):
            raise self.fail(argument, value, "it decides which resources exist, so it must be a plain value "
                                              "known at preview, not an Output")
        if int in _as_tuple(expected):
            value = _int_if_whole(value)
        # bool is an int in Python; an int argument must not accept True.
        if isinstance(value, bool) and bool not in _as_tuple(expected):
            raise self.fail(argument, value, f"expected {_type_names(expected)}")
        if not isinstance(value, expected):
            raise self.fail(argument, value, f"expected {_type_names(expected)}")
        return value

    def string_list(self, argument: str, *, outputs: bool = False) -> tuple[Any, ...]:
        """A plain list (its length decides how many resources exist); with ``outputs``, its items may be
        Outputs of strings, which pass through unchecked."""
        values = self.plain(argument, (list, tuple), default=())
        allowed = (str, pulumi.Output) if outputs else str
        for index, value in enumerate(values):
            if not isinstance(value, allowed):
                raise self.fail(f"{argument}[{index}]", value,
                                "expected a string or an Output of one" if outputs else "expected a string")
        return tuple(values)

    def whole_number(self, argument: str, default: Any, minimum: int, maximum: int) -> Any:
        value = self.plain(argument, int, default)
        if value is not None and not minimum <= value <= maximum:
            raise self.fail(argument, value, f"allowed: a whole number from {minimum} to {maximum}")
        return value

    def exclusive(self, first: str, second: str, why: str) -> None:
        if self.args.get(first) is not None and self.args.get(second) is not None:
            raise self.fail(second, self.args[second], f"it cannot be combined with '{first}': {why}")


def _int_if_whole(value: Any) -> Any:
    """731.0 is 731: integers reach a hosted component as floats from TypeScript, Go, C# and YAML (every number
    is a double on the wire, and pulumi 3.272's ComponentProvider.map_input_properties overwrites its own int()
    conversion). A float with a fraction, nan or an infinity stays a float, and is refused as not an int."""
    if isinstance(value, float) and value.is_integer():
        return int(value)
    return value


def _as_tuple(expected: type | tuple[type, ...]) -> tuple[type, ...]:
    return expected if isinstance(expected, tuple) else (expected,)


def _type_names(expected: type | tuple[type, ...]) -> str:
    return " or ".join(t.__name__ for t in _as_tuple(expected))


def validate_args(component: str, args: Mapping[str, Any] | None) -> TrailSettings:
    """Check every argument and resolve the defaults; raise InvalidArgumentError on the first bad one."""
    if args is None:
        args = {}
    if not isinstance(args, Mapping):
        raise InvalidArgumentError(component, "args", args, "expected a CompliantTrailArgs dict")
    check = _Checker(component, args)
    check.reject_unknown_arguments()

    trail_name = check.plain("trail_name", str, default=component)
    _check_trail_name(check, trail_name)

    existing_log_group = check.plain("existing_log_group_name", str)
    check.exclusive("existing_log_group_name", "log_group_name", "the component does not create a log group then")
    check.exclusive("existing_log_group_name", "retention_in_days",
                    "the retention of a log group you bring is yours to set")
    if existing_log_group is not None:
        log_group_name = existing_log_group
        _check_log_group_name(check, "existing_log_group_name", log_group_name)
    else:
        log_group_name = check.plain("log_group_name", str, f"/aws/cloudtrail/{trail_name}")
        _check_log_group_name(check, "log_group_name", log_group_name)
    retention = check.plain("retention_in_days", int, DEFAULT_RETENTION_DAYS)
    if retention not in RETENTION_DAYS:
        raise check.fail("retention_in_days", retention,
                         f"allowed: one of {', '.join(map(str, RETENTION_DAYS))} (0 = never expire)")

    existing_bucket = check.plain("existing_bucket_name", str)
    for bucket_setting in ("bucket_name", "noncurrent_version_expiration_days", "log_expiration_days",
                           "log_transitions", "access_log_bucket_name", "access_log_prefix", "object_lock"):
        check.exclusive("existing_bucket_name", bucket_setting,
                        "the component never changes a bucket it did not create")
    bucket_name = check.plain("bucket_name", str)
    for argument, name in (("bucket_name", bucket_name), ("existing_bucket_name", existing_bucket),
                           ("access_log_bucket_name", check.plain("access_log_bucket_name", str))):
        if name is not None:
            _check_bucket_name(check, argument, name)
    if existing_bucket is None and bucket_name is None:
        _check_autonamed_bucket(check, component)

    s3_key_prefix = check.plain("s3_key_prefix", str)
    if s3_key_prefix is not None and (
        not s3_key_prefix or s3_key_prefix.startswith("/") or s3_key_prefix.endswith("/") or len(s3_key_prefix) > 200
    ):
        raise check.fail("s3_key_prefix", s3_key_prefix,
                         "allowed: 1 to 200 characters, not starting or ending with '/'")

    enable_kms = check.plain("enable_kms", bool, True)
    kms_key_arn = args.get("kms_key_arn")
    if kms_key_arn is not None and not enable_kms:
        raise check.fail("kms_key_arn", kms_key_arn, "it cannot be combined with 'enable_kms': False")
    _check_str_input(check, "kms_key_arn", kms_key_arn)
    if isinstance(kms_key_arn, str) and not _KMS_KEY_ARN.fullmatch(kms_key_arn):
        raise check.fail("kms_key_arn", kms_key_arn,
                         "expected a KMS key ARN: arn:<partition>:kms:<region>:<account>:key/<key id> (not an alias "
                         "ARN: CloudWatch Logs needs the key ARN, and an alias would show a change on every preview)")

    is_organization_trail = check.plain("is_organization_trail", bool, False)
    organization_id = check.plain("organization_id", str)
    if organization_id is not None and not is_organization_trail:
        raise check.fail("organization_id", organization_id, "it is only used with 'is_organization_trail': True")
    if organization_id is not None and not _ORGANIZATION_ID.fullmatch(organization_id):
        raise check.fail("organization_id", organization_id, "expected 'o-' and 10 to 32 lowercase letters or digits")
    management_account = check.plain("organization_management_account_id", str)
    if management_account is not None and not is_organization_trail:
        raise check.fail("organization_management_account_id", management_account,
                         "it is only used with 'is_organization_trail': True")
    if management_account is not None and not _ACCOUNT_ID.fullmatch(management_account):
        raise check.fail("organization_management_account_id", management_account,
                         "expected an AWS account id of 12 digits")

    insight_types = check.string_list("insight_types")
    for insight in insight_types:
        if insight not in INSIGHT_TYPES:
            raise check.fail("insight_types", list(insight_types), f"allowed: {', '.join(INSIGHT_TYPES)}")
    if len(set(insight_types)) != len(insight_types):
        raise check.fail("insight_types", list(insight_types), "each insight type may appear once")

    advanced_event_selectors = tuple(check.plain("advanced_event_selectors", (list, tuple), ()))
    _check_event_selectors(check, advanced_event_selectors)

    profiles, disabled_items = _check_catalog_selection(check)
    namespace = check.plain("metric_namespace", str, DEFAULT_METRIC_NAMESPACE)
    if not _METRIC_NAMESPACE.fullmatch(namespace) or namespace.startswith("AWS/"):
        raise check.fail("metric_namespace", namespace,
                         "allowed: 1 to 255 characters without ':', '*' or '$', not starting with 'AWS/'")
    custom_filters = _check_custom_filters(check)

    existing_topic = args.get("existing_alarm_topic_arn")
    _check_str_input(check, "existing_alarm_topic_arn", existing_topic)
    if isinstance(existing_topic, str) and not _TOPIC_ARN.fullmatch(existing_topic):
        raise check.fail("existing_alarm_topic_arn", existing_topic,
                         "expected an SNS topic ARN: arn:<partition>:sns:<region>:<account>:<topic name>")
    emails = check.string_list("alarm_emails", outputs=True)
    known_emails: set[str] = set()
    for index, email in enumerate(emails):
        if isinstance(email, pulumi.Output):
            continue
        if not _EMAIL.fullmatch(email):
            raise check.fail(f"alarm_emails[{index}]", email, "expected an email address such as security@example.com")
        if email in known_emails:
            raise check.fail(f"alarm_emails[{index}]", email, "each address may appear once (one subscription each)")
        known_emails.add(email)
    subscriptions = _check_subscriptions(check)
    for index, (protocol, endpoint) in enumerate(subscriptions):
        # SNS Subscribe answers an existing subscription's ARN for the same topic, protocol and endpoint: two
        # resources would own one subscription, and removing either would unsubscribe the address for both.
        if protocol == "email" and endpoint in known_emails:
            raise check.fail(f"alarm_subscriptions[{index}]", {"protocol": protocol, "endpoint": endpoint},
                             "the address is in alarm_emails already; allowed: each address once, in one of the two")

    object_lock = _check_object_lock(check)
    log_expiration_days = check.whole_number("log_expiration_days", None, 1, 36500)
    if object_lock is not None and check.args.get("allow_log_data_deletion") is True:
        raise check.fail("allow_log_data_deletion", True,
                         "it cannot be combined with 'object_lock': destroy would schedule deletion of the KMS key "
                         "that encrypts log files the lock keeps, leaving them unreadable")
    check_derived_names(component, args, NamingInputs(
        trail_name=trail_name, log_group_name=log_group_name, creates_log_group=existing_log_group is None,
        creates_bucket=existing_bucket is None and bucket_name is None, creates_key=enable_kms and kms_key_arn is None,
        creates_topic=existing_topic is None, cis_profiles=profiles, disabled_cis_items=disabled_items,
        custom_filters=custom_filters))
    return TrailSettings(
        trail_name=trail_name,
        log_group_name=log_group_name,
        creates_log_group=existing_log_group is None,
        retention_in_days=retention,
        bucket_name=bucket_name,
        existing_bucket_name=existing_bucket,
        s3_key_prefix=s3_key_prefix,
        noncurrent_version_expiration_days=check.whole_number(
            "noncurrent_version_expiration_days", DEFAULT_NONCURRENT_VERSION_EXPIRATION_DAYS, 1, 36500),
        log_expiration_days=log_expiration_days,
        log_transitions=_check_log_transitions(check, log_expiration_days),
        access_log_bucket_name=check.plain("access_log_bucket_name", str),
        access_log_prefix=check.plain("access_log_prefix", str),
        object_lock=object_lock,
        enable_kms=enable_kms,
        kms_key_arn=kms_key_arn,
        is_organization_trail=is_organization_trail,
        organization_id=organization_id,
        organization_management_account_id=management_account,
        advanced_event_selectors=advanced_event_selectors,
        insight_types=insight_types,
        cis_profiles=profiles,
        disabled_cis_items=disabled_items,
        metric_namespace=namespace,
        custom_filters=custom_filters,
        alarm_settings=_check_alarm_settings(check, custom_filters),
        existing_alarm_topic_arn=existing_topic,
        alarm_emails=emails,
        alarm_subscriptions=subscriptions,
        allow_log_data_deletion=check.plain("allow_log_data_deletion", bool, False),
        tags=_check_tags(check),
    )


def _check_trail_name(check: _Checker, name: str) -> None:
    if not 3 <= len(name) <= 128 or not _TRAIL_NAME.fullmatch(name) or _IP_ADDRESS.fullmatch(name):
        raise check.fail("trail_name", name,
                         "allowed: 3 to 128 letters, digits, '.', '_' or '-', starting and ending with a letter or "
                         "digit, no two of '._-' in a row, not an IP address (the default is the component's name)")


def _check_log_group_name(check: _Checker, argument: str, name: str) -> None:
    if not _LOG_GROUP_NAME.fullmatch(name) or name.startswith("aws/"):
        raise check.fail(argument, name,
                         "allowed: 1 to 512 of letters, digits and '._-/#', not starting with 'aws/'")


def _is_bucket_name(name: str) -> bool:
    return not (
        not _BUCKET_NAME.fullmatch(name)
        or ".." in name
        or _IP_ADDRESS.fullmatch(name)
        or name.startswith(_BUCKET_RESERVED_PREFIXES)
        or name.endswith(_BUCKET_RESERVED_SUFFIXES)
    )


def _check_bucket_name(check: _Checker, argument: str, name: str) -> None:
    if not _is_bucket_name(name):
        raise check.fail(argument, name,
                         "allowed: an S3 bucket name of 3 to 63 lowercase letters, digits, '.' and '-', starting and "
                         "ending with a letter or digit, no '..', not an IP address, no reserved prefix or suffix")


def _check_autonamed_bucket(check: _Checker, component: str) -> None:
    # Pulumi names the bucket "<component>-logs-<random 7>", lowercased (pulumi-aws provider/resources.go,
    # aws_s3_bucket: AutoNameTransform(..., strings.ToLower)); S3 must accept that name.
    if len(component) > 50 or not _is_bucket_name(f"{component}-logs-0000000".lower()):
        raise check.fail("bucket_name", None,
                         "the component's name cannot start an S3 bucket name (lowercase letters, digits, '.' and "
                         "'-', at most 50 characters, no '..', no reserved prefix such as 'xn--'); pass bucket_name")


def _check_event_selectors(check: _Checker, selectors: Sequence[Any]) -> None:
    """Refuse selectors that would narrow management events: that blinds CIS 4.7 and Security Hub CloudTrail.1."""
    for selector in selectors:
        if isinstance(selector, pulumi.Output) or not (
            isinstance(selector, Mapping) or hasattr(selector, "field_selectors")
        ):
            raise check.fail("advanced_event_selectors", selector, "each selector must be a plain dict at preview")
        field_selectors = _get(selector, "field_selectors") or []
        if not isinstance(field_selectors, (list, tuple)):
            raise check.fail("advanced_event_selectors", selector, "field_selectors must be a plain list at preview")
        for field_selector in field_selectors:
            equals = _get(field_selector, "equals") or []
            if not isinstance(equals, (list, tuple)):
                raise check.fail("advanced_event_selectors", selector, "each 'equals' must be a plain list at preview")
            if _get(field_selector, "field") == "eventCategory" and "Management" in equals:
                raise check.fail("advanced_event_selectors", selector,
                                 "management events are always logged in full by the component; pass only data-event "
                                 "selectors (a management selector could exclude sources CIS 4.7 needs)")


def _get(value: Any, key: str) -> Any:
    return value.get(key) if isinstance(value, Mapping) else getattr(value, key, None)


def _check_catalog_selection(check: _Checker) -> tuple[tuple[str, ...], frozenset[str]]:
    profiles = check.string_list("cis_profiles") if check.args.get("cis_profiles") is not None else DEFAULT_PROFILES
    if not profiles or any(profile not in PROFILES for profile in profiles):
        raise check.fail("cis_profiles", list(profiles),
                         f"allowed: a non-empty list of {', '.join(PROFILES)} (disable items with disabled_cis_items)")
    catalog_ids = load_catalog().item_ids
    disabled = check.string_list("disabled_cis_items")
    for item_id in disabled:
        if item_id not in catalog_ids:
            raise check.fail("disabled_cis_items", item_id, f"allowed: catalog items {', '.join(catalog_ids)}")
    return tuple(dict.fromkeys(profiles)), frozenset(disabled)


def _check_custom_filters(check: _Checker) -> tuple[CustomFilter, ...]:
    raw_filters = check.plain("custom_filters", (list, tuple), ())
    catalog_metrics = {f.metric_name for item in load_catalog().items for f in item.filters}
    seen: set[str] = set()
    filters = []
    for index, raw in enumerate(raw_filters):
        argument = f"custom_filters[{index}]"
        if not isinstance(raw, Mapping):
            raise check.fail(argument, raw, "expected a dict with 'name' and 'pattern'")
        unknown = [key for key in raw if key not in ("name", "pattern", "description")]
        if unknown:
            raise check.fail(f"{argument}.{_key_name(unknown[0])}", raw, "allowed keys: name, pattern, description")
        name, pattern = raw.get("name"), raw.get("pattern")
        if not isinstance(name, str) or not _CUSTOM_FILTER_NAME.fullmatch(name):
            raise check.fail(f"{argument}.name", name, "expected 1 to 100 letters, digits, '.', '_' or '-'")
        if name in seen or name in catalog_metrics:
            raise check.fail(f"{argument}.name", name, "names must be unique and differ from the catalog's metrics")
        seen.add(name)
        if not isinstance(pattern, str):
            raise check.fail(f"{argument}.pattern", pattern, "expected a CloudWatch Logs filter pattern string")
        _check_pattern(check, f"{argument}.pattern", name, pattern)
        description = raw.get("description", f"Custom filter {name} matched CloudTrail events.")
        if not isinstance(description, str) or len(description) > 1024:
            raise check.fail(f"{argument}.description", description, "expected a string of at most 1024 characters")
        filters.append(CustomFilter(name=name, pattern=pattern, description=description))
    return tuple(filters)


def _check_pattern(check: _Checker, argument: str, filter_name: str, pattern: str) -> None:
    """Parse the pattern as CloudWatch Logs would, so a typo fails at preview instead of at `pulumi up`."""
    try:
        parse(pattern)
    except FilterPatternError as error:
        raise check.fail(argument, pattern, f"filter {filter_name!r} does not parse: {error}") from error


def _check_subscriptions(check: _Checker) -> tuple[tuple[str, pulumi.Input[str]], ...]:
    raw_subscriptions = check.plain("alarm_subscriptions", (list, tuple), ())
    subscriptions = []
    for index, raw in enumerate(raw_subscriptions):
        argument = f"alarm_subscriptions[{index}]"
        if not isinstance(raw, Mapping) or "protocol" not in raw or "endpoint" not in raw:
            raise check.fail(argument, raw, "expected a dict with 'protocol' and 'endpoint'")
        protocol = raw["protocol"]
        if protocol not in SNS_PROTOCOLS:
            needs = _NEEDS_MORE_THAN_A_SUBSCRIPTION.get(protocol) if isinstance(protocol, str) else None
            why = (f"{needs}, which this component does not create: subscribe it to the topic_arn output yourself, "
                   "with that grant; " if needs else "")
            raise check.fail(f"{argument}.protocol", protocol, f"{why}allowed: {', '.join(SNS_PROTOCOLS)}")
        endpoint = raw["endpoint"]
        if not isinstance(endpoint, (str, pulumi.Output)):
            raise check.fail(f"{argument}.endpoint", endpoint, "expected a str or an Output")
        if protocol in ("http", "https") and isinstance(endpoint, str) and not endpoint.startswith(f"{protocol}://"):
            raise check.fail(f"{argument}.endpoint", endpoint, f"expected a URL starting with {protocol}://")
        if protocol in ("email", "email-json") and isinstance(endpoint, str) and not _EMAIL.fullmatch(endpoint):
            raise check.fail(f"{argument}.endpoint", endpoint, "expected an email address for an email subscription")
        if isinstance(endpoint, str) and (protocol, endpoint) in subscriptions:
            raise check.fail(argument, raw, "each subscription may appear once (one resource each)")
        subscriptions.append((protocol, endpoint))
    return tuple(subscriptions)


def _check_object_lock(check: _Checker) -> ObjectLock | None:
    raw = check.plain("object_lock", Mapping)
    if raw is None:
        return None
    if raw.get("mode") not in OBJECT_LOCK_MODES:
        raise check.fail("object_lock.mode", raw.get("mode"), f"allowed: {', '.join(OBJECT_LOCK_MODES)}")
    days = _int_if_whole(raw.get("days"))
    if isinstance(days, bool) or not isinstance(days, int) or not 1 <= days <= 36500:
        raise check.fail("object_lock.days", days, "allowed: a whole number of days from 1 to 36500")
    return ObjectLock(mode=raw["mode"], days=days)


def _check_str_input(check: _Checker, argument: str, value: object) -> None:
    if value is not None and not isinstance(value, (str, pulumi.Output)):
        raise check.fail(argument, value, "expected a str or an Output")


def _check_tags(check: _Checker) -> Any:
    tags = check.args.get("tags")
    if tags is None or isinstance(tags, pulumi.Output):
        return tags
    if not isinstance(tags, Mapping):
        raise check.fail("tags", tags, "expected a dict of tag keys to values")
    for key in tags:
        if not isinstance(key, str) or key.lower().startswith("aws:"):
            raise check.fail("tags", key, "expected str tag keys; the 'aws:' prefix is reserved by AWS")
    return tags


# PutMetricAlarm: TreatMissingData's values.
TREAT_MISSING_DATA = ("notBreaching", "breaching", "ignore", "missing")
_ALARM_SETTING_KEYS = ("threshold", "period", "evaluation_periods", "datapoints_to_alarm", "treat_missing_data")


def _check_alarm_settings(check: _Checker, custom_filters: Sequence[CustomFilter]) -> dict[str, AlarmSettings]:
    """CloudWatch's rules from "PutMetricAlarm": Period is 10, 20, 30 or a multiple of 60, and 10-30 only for
    high-resolution metrics (metric filters publish standard, one-minute ones, so those would sit in
    INSUFFICIENT_DATA); Period x EvaluationPeriods at most 86,400 s for periods under an hour, else 604,800 s;
    DatapointsToAlarm from 1 to EvaluationPeriods."""
    raw_settings = check.plain("alarm_settings", Mapping, {})
    known = {*load_catalog().item_ids, *(custom.name for custom in custom_filters)}
    resolved: dict[str, AlarmSettings] = {}
    for key, raw in raw_settings.items():
        argument = f"alarm_settings[{show(key)}]"
        if key not in known:
            raise check.fail(argument, raw, f"keys are CIS item ids ({', '.join(load_catalog().item_ids)}) or "
                                            "custom filter names")
        if not isinstance(raw, Mapping):
            raise check.fail(argument, raw, f"expected a dict of {', '.join(_ALARM_SETTING_KEYS)}")
        unknown = [name for name in raw if name not in _ALARM_SETTING_KEYS]
        if unknown:
            raise check.fail(f"{argument}.{_key_name(unknown[0])}", raw[unknown[0]],
                             f"allowed keys: {', '.join(_ALARM_SETTING_KEYS)}")
        resolved[key] = _alarm_settings(check, argument, raw)
    return resolved


def _alarm_settings(check: _Checker, argument: str, raw: Mapping[str, Any]) -> AlarmSettings:
    recipe = AlarmSettings()

    def number(name: str, default: Any, kinds: tuple[type, ...]) -> Any:
        value = _int_if_whole(raw[name]) if name in raw else default
        finite = not isinstance(value, float) or math.isfinite(value)  # nan and infinities are no setting
        if isinstance(value, bool) or not isinstance(value, kinds) or not finite:
            raise check.fail(f"{argument}.{name}", value, f"expected {' or '.join(k.__name__ for k in kinds)}")
        return value

    threshold = number("threshold", recipe.threshold, (int, float))
    if threshold < 0:
        raise check.fail(f"{argument}.threshold", threshold, "allowed: 0 or more (a count of matching events)")
    period = number("period", recipe.period, (int,))
    if period < 60 or period % 60:
        raise check.fail(f"{argument}.period", period,
                         "allowed: a multiple of 60 seconds (metric filters publish one-minute data; 10, 20 and 30 "
                         "are for high-resolution metrics)")
    evaluation_periods = number("evaluation_periods", recipe.evaluation_periods, (int,))
    limit = 86_400 if period < 3600 else 604_800
    if evaluation_periods < 1 or period * evaluation_periods > limit:
        raise check.fail(f"{argument}.evaluation_periods", evaluation_periods,
                         f"allowed: 1 or more, with period x evaluation_periods at most {limit} seconds "
                         f"({'one day for periods under an hour' if limit == 86_400 else 'seven days'})")
    datapoints = number("datapoints_to_alarm", None, (int, type(None)))
    if datapoints is not None and not 1 <= datapoints <= evaluation_periods:
        raise check.fail(f"{argument}.datapoints_to_alarm", datapoints,
                         f"allowed: 1 to evaluation_periods ({evaluation_periods})")
    treat = raw.get("treat_missing_data", recipe.treat_missing_data)
    if treat not in TREAT_MISSING_DATA:
        raise check.fail(f"{argument}.treat_missing_data", treat, f"allowed: {', '.join(TREAT_MISSING_DATA)}")
    return AlarmSettings(threshold, period, evaluation_periods, datapoints, treat)


def _check_log_transitions(check: _Checker, expiration_days: int | None) -> tuple[LogTransition, ...]:
    """The shape of each transition here; what S3 accepts in one rule is the table in ``lifecycle_rules``."""
    raw_transitions = check.plain("log_transitions", (list, tuple), ())
    transitions: list[LogTransition] = []
    for index, raw in enumerate(raw_transitions):
        argument = f"log_transitions[{index}]"
        if not isinstance(raw, Mapping) or set(raw) != {"days", "storage_class"}:
            raise check.fail(argument, raw, "expected a dict with exactly 'days' and 'storage_class'")
        storage_class, days = raw["storage_class"], _int_if_whole(raw["days"])
        if storage_class not in STORAGE_CLASSES:
            raise check.fail(f"{argument}.storage_class", storage_class, f"allowed: {', '.join(STORAGE_CLASSES)}")
        if isinstance(days, bool) or not isinstance(days, int) or not 0 <= days <= 36500:
            raise check.fail(f"{argument}.days", days, "allowed: a whole number of days from 0 to 36500")
        transitions.append(LogTransition(days=days, storage_class=storage_class))
    pairs = [(t.days, t.storage_class) for t in transitions]
    refusal = refuse_transitions(pairs)
    if refusal is not None:
        refused = transitions[refusal.index]
        raise check.fail(f"log_transitions[{refusal.index}].{refusal.field}", getattr(refused, refusal.field),
                         refusal.allowed)
    expiration = refuse_expiration(pairs, expiration_days)
    if expiration is not None:
        raise check.fail("log_expiration_days", expiration_days, expiration)
    return tuple(transitions)
