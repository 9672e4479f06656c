"""Labelled families of one-argument mutations, each breaking one documented rule.

A family names the argument the error must name, the rule broken (the test id), the bad values, and
what else must hold for that rule to be the one that bites (for example ``organization_id`` is only
read on an organization trail).
"""

from __future__ import annotations

import string
from collections.abc import Callable
from dataclasses import dataclass, field
from typing import Any

import pulumi
from hypothesis import strategies as st

from . import valid_values as v
from .aws_rules import ASCII_ALNUM, BUCKET_RESERVED_PREFIXES, BUCKET_RESERVED_SUFFIXES, LOWER_ALNUM, RETENTION_DAYS

_BUCKET_ONLY = ("bucket_name", "noncurrent_version_expiration_days", "log_expiration_days", "log_transitions",
                "access_log_bucket_name", "access_log_prefix", "object_lock")


@dataclass(frozen=True)
class Mutation:
    argument: str
    """What InvalidArgumentError.argument must be."""
    rule: str
    values: st.SearchStrategy[Any]
    drop: tuple[str, ...] = ()
    """Arguments removed first, so that an exclusion rule does not fire instead."""
    extra: dict[str, Any] = field(default_factory=dict)
    """Arguments set first, so that the broken rule is reached."""
    wrap: Callable[[Any], Any] | None = None
    """Builds the top-level value from the bad value (for nested arguments)."""

    @property
    def key(self) -> str:
        return self.argument.split("[", 1)[0].split(".", 1)[0]

    @property
    def id(self) -> str:
        return f"{self.argument}: {self.rule}"

    def apply(self, args: dict[str, Any], bad: Any) -> dict[str, Any]:
        mutated = {k: value for k, value in args.items() if k not in self.drop and k != self.key}
        mutated.update(self.extra)
        mutated[self.key] = self.wrap(bad) if self.wrap else bad
        return mutated


alnum = st.text(ASCII_ALNUM, min_size=1, max_size=10)
lower = st.text(LOWER_ALNUM, min_size=1, max_size=10)
specials = st.sampled_from("._-")
ip_addresses = st.builds(lambda parts: ".".join(map(str, parts)), st.lists(st.integers(0, 255), min_size=4, max_size=4))
non_strings = st.one_of(st.integers(), st.booleans(), st.binary(max_size=5), st.lists(st.text(max_size=3), max_size=2))
# Characters no name rule here allows: spaces, separators, non-ASCII letters and digits, control characters.
foreign_chars = st.sampled_from([" ", "/", ":", "@", "*", "é", "ß", "٣", "\n", "\t", "\x00", "\u2028"])


def _between(left: st.SearchStrategy[str], middle: st.SearchStrategy[str],
             right: st.SearchStrategy[str]) -> st.SearchStrategy[str]:
    return st.builds(lambda a, b, c: a + b + c, left, middle, right)


def _bucket_name_families(argument: str, drop: tuple[str, ...]) -> list[Mutation]:
    def family(rule: str, values: st.SearchStrategy[Any]) -> Mutation:
        return Mutation(argument, rule, values, drop=drop)

    return [
        family("uppercase letter", _between(lower, st.sampled_from(string.ascii_uppercase), lower)),
        family("underscore or foreign character", _between(lower, st.one_of(st.just("_"), foreign_chars), lower)),
        family("reserved prefix", st.builds(str.__add__, st.sampled_from(BUCKET_RESERVED_PREFIXES), lower)),
        family("reserved suffix", st.builds(str.__add__, lower, st.sampled_from(BUCKET_RESERVED_SUFFIXES))),
        family("two periods in a row", _between(lower, st.just(".."), lower)),
        family("IP address", ip_addresses),
        family("fewer than 3 characters", st.text(LOWER_ALNUM, max_size=2)),
        family("more than 63 characters", st.text(LOWER_ALNUM, min_size=64, max_size=100)),
        family("starts or ends with '.' or '-'", st.one_of(
            st.builds(str.__add__, st.sampled_from(".-"), st.text(LOWER_ALNUM, min_size=3, max_size=10)),
            st.builds(str.__add__, st.text(LOWER_ALNUM, min_size=3, max_size=10), st.sampled_from(".-")))),
        family("not a str", non_strings),
    ]


def _log_group_families(argument: str, drop: tuple[str, ...]) -> list[Mutation]:
    def family(rule: str, values: st.SearchStrategy[Any]) -> Mutation:
        return Mutation(argument, rule, values, drop=drop)

    return [
        family("starts with 'aws/'", st.builds(str.__add__, st.just("aws/"), st.text(ASCII_ALNUM, max_size=10))),
        family("character outside [._-/#A-Za-z0-9]",
               _between(st.just("/org"), foreign_chars.filter(lambda c: c != "/"), alnum)),
        family("empty", st.just("")),
        family("more than 512 characters", st.text(ASCII_ALNUM, min_size=513, max_size=600)),
        family("not a str", non_strings),
    ]


def _whole_number_families(argument: str, drop: tuple[str, ...], too_small: int) -> list[Mutation]:
    return [
        Mutation(argument, "below the minimum", st.integers(max_value=too_small), drop=drop),
        Mutation(argument, "a bool (an int to Python, not to AWS)", st.booleans(), drop=drop),
        # Whole floats are ints (other languages send every number as a float); the rest are not.
        Mutation(argument, "not an int", st.one_of(st.floats().filter(lambda f: not f.is_integer()),
                                                   st.text(string.digits, min_size=1, max_size=3)),
                 drop=drop),
    ]


def _one_filter(key: str) -> Callable[[Any], list[dict[str, Any]]]:
    """A single custom filter, valid but for ``key``."""
    return lambda bad: [{"name": "custom-filter", "pattern": '{ $.eventName = "StopLogging" }', key: bad}]


def _one_subscription(protocol: str) -> Callable[[Any], list[dict[str, Any]]]:
    return lambda endpoint: [{"protocol": protocol, "endpoint": endpoint}]


UNPARSEABLE_PATTERNS = (
    '{ ($.eventName = "DeleteDetector" }',
    "{ $.eventName = }",
    '{ $.eventName = "x" && }',
    "{ $. = 1 }",
    '{ $.eventName = "x" ',
    '{ $.a = %ab(c)% }',
)

MUTATIONS: list[Mutation] = [
    # --- trail_name: CloudTrail naming rules
    Mutation("trail_name", "two of '._-' in a row", st.builds(lambda a, s, t, b: a + s + t + b, alnum, specials,
                                                               specials, alnum)),
    Mutation("trail_name", "starts with '._-'", st.builds(str.__add__, specials, st.text(ASCII_ALNUM, min_size=3))),
    Mutation("trail_name", "ends with '._-'", st.builds(str.__add__, st.text(ASCII_ALNUM, min_size=3), specials)),
    Mutation("trail_name", "fewer than 3 characters", st.text(ASCII_ALNUM, max_size=2)),
    Mutation("trail_name", "more than 128 characters", st.text(ASCII_ALNUM, min_size=129, max_size=200)),
    Mutation("trail_name", "character outside [A-Za-z0-9._-]", _between(alnum, foreign_chars, alnum)),
    Mutation("trail_name", "IP address", ip_addresses),
    Mutation("trail_name", "not a str", non_strings),
    # --- the log group
    *_log_group_families("log_group_name", drop=("existing_log_group_name",)),
    *_log_group_families("existing_log_group_name", drop=("log_group_name", "retention_in_days")),
    Mutation("retention_in_days", "not a value CloudWatch Logs accepts",
             st.sampled_from([2, 1000, -1, 364, 366, 3654, 10**6]), drop=("existing_log_group_name",)),
    Mutation("retention_in_days", "a bool (True is 1 to Python, not to AWS)", st.booleans(),
             drop=("existing_log_group_name",)),
    Mutation("retention_in_days", "not an int", st.sampled_from(["365", 365.5, [365]]),
             drop=("existing_log_group_name",)),
    Mutation("retention_in_days", "with existing_log_group_name", st.sampled_from(RETENTION_DAYS),
             drop=("log_group_name",), extra={"existing_log_group_name": "/org/cloudtrail"}),
    # --- the bucket
    *_bucket_name_families("bucket_name", drop=("existing_bucket_name",)),
    *_bucket_name_families("existing_bucket_name", drop=_BUCKET_ONLY),
    *_bucket_name_families("access_log_bucket_name", drop=("existing_bucket_name",)),
    Mutation("bucket_name", "with existing_bucket_name", v.bucket_names, extra={"existing_bucket_name": "org-logs"}),
    Mutation("s3_key_prefix", "starts with '/'", st.builds(str.__add__, st.just("/"), alnum)),
    Mutation("s3_key_prefix", "ends with '/'", st.builds(str.__add__, alnum, st.just("/"))),
    Mutation("s3_key_prefix", "empty", st.just("")),
    Mutation("s3_key_prefix", "more than 200 characters", st.text(ASCII_ALNUM, min_size=201, max_size=300)),
    *_whole_number_families("noncurrent_version_expiration_days", ("existing_bucket_name",), too_small=0),
    *_whole_number_families("log_expiration_days", ("existing_bucket_name",), too_small=0),
    Mutation("object_lock.mode", "not GOVERNANCE or COMPLIANCE",
             st.sampled_from(["governance", "Compliance", "STRICT", "", None]),
             drop=("existing_bucket_name",), wrap=lambda mode: {"mode": mode, "days": 30}),
    Mutation("object_lock.days", "not a whole number of days from 1", st.one_of(
        st.integers(max_value=0), st.booleans(), st.sampled_from(["30", 30.5, None])),
        drop=("existing_bucket_name",), wrap=lambda days: {"mode": "GOVERNANCE", "days": days}),
    Mutation("object_lock", "not a dict", st.sampled_from(["GOVERNANCE", ["GOVERNANCE", 30], 30]),
             drop=("existing_bucket_name",)),
    # --- switches: Pulumi sends a JSON bool; anything else is not one
    *[Mutation(switch, "not a bool", st.sampled_from(["true", "false", 1, 0, [True]]))
      for switch in ("enable_kms", "is_organization_trail", "allow_log_data_deletion")],
    # --- KMS
    Mutation("kms_key_arn", "not an ARN", st.one_of(st.uuids().map(str), st.just("alias/aws/cloudtrail")),
             drop=("enable_kms",)),
    Mutation("kms_key_arn", "ARN of another service", v.topic_arns, drop=("enable_kms",)),
    Mutation("kms_key_arn", "account id not 12 ASCII digits", st.builds(
        lambda account: f"arn:aws:kms:eu-west-1:{account}:key/1234abcd-12ab-34cd-56ef-1234567890ab",
        st.one_of(st.text(string.digits, min_size=1, max_size=11), st.just("١٢٣٤٥٦٧٨٩٠١٢"))),
        drop=("enable_kms",)),
    Mutation("kms_key_arn", "not a str or an Output", non_strings.filter(lambda value: value is not None),
             drop=("enable_kms",)),
    Mutation("kms_key_arn", "with enable_kms False", v.kms_key_arns, extra={"enable_kms": False}),
    Mutation("kms_key_arn", "an alias ARN, not a key ARN", v.kms_alias_arns, drop=("enable_kms",)),
    # --- organization trails
    Mutation("organization_id", "not o- and 10 to 32 lowercase letters or digits", st.one_of(
        st.text(LOWER_ALNUM, max_size=9).map(lambda s: "o-" + s),
        st.text(LOWER_ALNUM, min_size=33, max_size=40).map(lambda s: "o-" + s),
        st.text(string.ascii_uppercase, min_size=10, max_size=12).map(lambda s: "o-" + s),
        st.text(LOWER_ALNUM, min_size=10, max_size=12).map(lambda s: "r-" + s)),
        extra={"is_organization_trail": True}),
    Mutation("organization_id", "without is_organization_trail", v.organization_ids,
             extra={"is_organization_trail": False}),
    Mutation("organization_management_account_id", "not 12 ASCII digits", st.one_of(
        st.text(string.digits, min_size=1, max_size=11), st.text(string.digits, min_size=13, max_size=16),
        st.just("١٢٣٤٥٦٧٨٩٠١٢")), extra={"is_organization_trail": True}),
    Mutation("organization_management_account_id", "without is_organization_trail", v.management_account_ids,
             extra={"is_organization_trail": False}, drop=("organization_id",)),
    Mutation("allow_log_data_deletion", "with object_lock", st.just(True),
             extra={"object_lock": {"mode": "GOVERNANCE", "days": 1}}, drop=("existing_bucket_name",)),
    # --- the trail's options
    Mutation("insight_types", "unknown insight type", st.lists(st.sampled_from(
        ["ApiCallVolumeInsight", "apicallrateinsight", ""]), min_size=1, max_size=2)),
    Mutation("insight_types", "an insight type twice", st.sampled_from(v.INSIGHT_TYPES).map(lambda i: [i, i])),
    Mutation("insight_types", "a str instead of a list", st.sampled_from(v.INSIGHT_TYPES)),
    Mutation("advanced_event_selectors", "a selector narrowing management events", st.builds(
        lambda name: [{"name": name, "field_selectors": [{"field": "eventCategory", "equals": ["Management"]}]}],
        st.text(max_size=10))),
    Mutation("advanced_event_selectors", "a selector that is not a dict", st.lists(
        st.one_of(st.text(max_size=5), st.integers()), min_size=1, max_size=2)),
    # --- alarms
    Mutation("cis_profiles", "empty", st.just([])),
    Mutation("cis_profiles", "unknown profile", st.lists(st.sampled_from(["nist", "CIS", "securityhub"]), min_size=1)),
    Mutation("disabled_cis_items", "not a catalog item", st.lists(
        st.sampled_from(["4.16", "3.4", "4.01", " 4.1", "CloudWatch.1"]), min_size=1, max_size=2)),
    Mutation("metric_namespace", "starts with 'AWS/'", st.builds(str.__add__, st.just("AWS/"), st.text(max_size=5))),
    Mutation("metric_namespace", "contains ':', '*' or '$'", _between(alnum, st.sampled_from(":*$"), alnum)),
    Mutation("metric_namespace", "empty or more than 255 characters", st.one_of(
        st.just(""), st.text(ASCII_ALNUM, min_size=256, max_size=300))),
    Mutation("custom_filters[0].name", "character outside [A-Za-z0-9._-]", _between(alnum, foreign_chars, alnum),
             wrap=_one_filter("name")),
    Mutation("custom_filters[0].name", "empty or not a str", st.one_of(st.just(""), non_strings),
             wrap=_one_filter("name")),
    Mutation("custom_filters[0].name", "a catalog metric's name", st.sampled_from(
        ["RootAccountUsage", "UnauthorizedAPICalls", "SecurityGroupChangesCis"]), wrap=_one_filter("name")),
    Mutation("custom_filters[1].name", "two filters with one name", v.custom_filter_names,
             wrap=lambda name: [{"name": name, "pattern": "ERROR"}, {"name": name, "pattern": "WARN"}]),
    Mutation("custom_filters[0].pattern", "does not parse", st.sampled_from(UNPARSEABLE_PATTERNS),
             wrap=_one_filter("pattern")),
    Mutation("custom_filters[0].pattern", "more than 1024 characters", st.integers(1025, 2000).map(
        lambda n: '{ $.eventName = "' + "x" * (n - 20) + '" }'), wrap=_one_filter("pattern")),
    Mutation("custom_filters[0].pattern", "not a str", non_strings, wrap=_one_filter("pattern")),
    Mutation("custom_filters[0].description", "more than 1024 characters", st.text(min_size=1025, max_size=1100),
             wrap=_one_filter("description")),
    Mutation("custom_filters[0]", "not a dict", st.one_of(st.text(max_size=5), st.integers()),
             wrap=lambda bad: [bad]),
    Mutation("existing_alarm_topic_arn", "not an ARN", st.text(ASCII_ALNUM + "-_", min_size=1, max_size=20)),
    Mutation("existing_alarm_topic_arn", "ARN of another service", v.kms_key_arns),
    Mutation("existing_alarm_topic_arn", "account id not 12 ASCII digits", st.builds(
        lambda account: f"arn:aws:sns:eu-west-1:{account}:alarms",
        st.one_of(st.text(string.digits, min_size=1, max_size=11), st.just("١٢٣٤٥٦٧٨٩٠١٢")))),
    Mutation("existing_alarm_topic_arn", "not a str or an Output", non_strings),
    Mutation("alarm_emails[0]", "not an email address", st.lists(st.one_of(
        alnum, _between(alnum, st.just("@"), alnum), _between(alnum, st.just(" @"), st.just("example.com"))),
        min_size=1, max_size=2)),
    Mutation("alarm_emails[1]", "an address twice (one subscription resource name each)",
             v.emails.map(lambda email: [email, email])),
    Mutation("alarm_emails", "a str instead of a list", v.emails),
    Mutation("alarm_emails[0]", "an element that is not a str (nor an Output)", st.lists(
        non_strings.filter(lambda value: value is not None and not isinstance(value, pulumi.Output)),
        min_size=1, max_size=2)),
    # --- alarm tuning ("PutMetricAlarm")
    Mutation("alarm_settings['4.1'].period", "not a multiple of 60 (10, 20, 30 are high-resolution only)",
             st.sampled_from([0, 10, 20, 30, 45, 90, -60]), wrap=lambda period: {"4.1": {"period": period}}),
    Mutation("alarm_settings['4.1'].evaluation_periods", "period x evaluation_periods over a day below an hour",
             st.integers(289, 400), wrap=lambda count: {"4.1": {"period": 300, "evaluation_periods": count}}),
    Mutation("alarm_settings['4.1'].evaluation_periods", "over seven days from an hour", st.integers(169, 300),
             wrap=lambda count: {"4.1": {"period": 3600, "evaluation_periods": count}}),
    Mutation("alarm_settings['4.1'].datapoints_to_alarm", "more than evaluation_periods", st.integers(3, 9),
             wrap=lambda count: {"4.1": {"evaluation_periods": 2, "datapoints_to_alarm": count}}),
    Mutation("alarm_settings['4.1'].threshold", "negative", st.floats(max_value=-0.001, allow_nan=False),
             wrap=lambda value: {"4.1": {"threshold": value}}),
    Mutation("alarm_settings['4.1'].treat_missing_data", "not a TreatMissingData value",
             st.sampled_from(["notbreaching", "NotBreaching", "zero", ""]),
             wrap=lambda value: {"4.1": {"treat_missing_data": value}}),
    Mutation("alarm_settings['4.16']", "not a CIS item or custom filter", st.just({"threshold": 5}),
             wrap=lambda value: {"4.16": value}),
    # --- log transitions ("Transition", S3 API reference)
    Mutation("log_transitions[0].days", "STANDARD_IA or ONEZONE_IA before 30 days", st.tuples(
        st.sampled_from(["STANDARD_IA", "ONEZONE_IA"]), st.integers(0, 29)),
        wrap=lambda bad: [{"storage_class": bad[0], "days": bad[1]}], drop=("existing_bucket_name",)),
    Mutation("log_transitions[1].storage_class", "up S3's order", st.just("STANDARD_IA"),
             wrap=lambda cls: [{"storage_class": "GLACIER", "days": 90}, {"storage_class": cls, "days": 400}],
             drop=("existing_bucket_name",)),
    Mutation("log_transitions[1].days", "less than 30 days after STANDARD_IA", st.integers(0, 59),
             wrap=lambda days: [{"storage_class": "STANDARD_IA", "days": 30}, {"storage_class": "GLACIER",
                                                                               "days": days}],
             drop=("existing_bucket_name",)),
    Mutation("log_transitions[1].days", "less than 90 days after GLACIER or GLACIER_IR", st.tuples(
        st.sampled_from(["GLACIER", "GLACIER_IR"]), st.integers(0, 89)),
        wrap=lambda bad: [{"storage_class": bad[0], "days": 10}, {"storage_class": "DEEP_ARCHIVE",
                                                                 "days": 10 + bad[1]}],
        drop=("existing_bucket_name",)),
    Mutation("log_transitions[1].storage_class", "a transition S3 does not support (ONEZONE_IA to GLACIER_IR)",
             st.just("GLACIER_IR"), wrap=lambda cls: [{"storage_class": "ONEZONE_IA", "days": 30},
                                                      {"storage_class": cls, "days": 400}],
             drop=("existing_bucket_name",)),
    Mutation("log_transitions[0].storage_class", "not an S3 storage class", st.sampled_from(
        ["STANDARD", "glacier", "REDUCED_REDUNDANCY", ""]), wrap=lambda cls: [{"storage_class": cls, "days": 90}],
        drop=("existing_bucket_name",)),
    Mutation("log_expiration_days", "not after the last transition", st.integers(1, 90),
             extra={"log_transitions": [{"storage_class": "GLACIER", "days": 90}]}, drop=("existing_bucket_name",)),
    Mutation("alarm_subscriptions[0].protocol", "a protocol SNS delivers to only with a grant", st.sampled_from(
        sorted(v.REFUSED_SUBSCRIPTION_ENDPOINTS)), wrap=lambda protocol: [{"protocol": protocol, "endpoint": "x"}]),
    Mutation("alarm_subscriptions[1]", "the same subscription twice", st.sampled_from(["+15555550100"]),
             wrap=lambda phone: [{"protocol": "sms", "endpoint": phone}] * 2),
    Mutation("alarm_subscriptions[0].protocol", "not an SNS protocol", st.sampled_from(
        ["pigeon", "EMAIL", "smtp", "", None]), wrap=lambda protocol: [{"protocol": protocol, "endpoint": "x"}]),
    Mutation("alarm_subscriptions[0].endpoint", "email protocol, not an address", alnum,
             wrap=_one_subscription("email")),
    Mutation("alarm_subscriptions[0].endpoint", "https protocol, URL not starting with https://",
             st.sampled_from(["http://example.com/alarms", "example.com", "ftp://example.com"]),
             wrap=_one_subscription("https")),
    Mutation("alarm_subscriptions[0].endpoint", "None", st.sampled_from(sorted(v.SUBSCRIPTION_ENDPOINTS)),
             wrap=lambda protocol: [{"protocol": protocol, "endpoint": None}]),
    Mutation("alarm_subscriptions[0]", "missing protocol or endpoint", st.sampled_from(
        [{"protocol": "email"}, {"endpoint": "secops@example.com"}, {}]), wrap=lambda bad: [bad]),
    Mutation("tags", "not a dict", st.one_of(st.integers(), st.text(max_size=5), st.lists(st.text(max_size=3)))),
    Mutation("tags", "key with the reserved 'aws:' prefix", st.builds(
        lambda prefix, rest: {prefix + rest: "x"}, st.sampled_from(["aws:", "AWS:", "Aws:"]), alnum)),
]
