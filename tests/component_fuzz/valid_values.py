"""Strategies for argument values AWS accepts, built from the documented rules (never filtered through
the validator), so "the validator accepts this" is a claim the tests can check."""

from __future__ import annotations

import string
from typing import Any

from hypothesis import strategies as st

from .aws_rules import ASCII_ALNUM, LOWER_ALNUM, component_names_its_children, is_bucket_name, looks_like_ip_address

PARTITION_REGIONS = {
    "aws": ("us-east-1", "eu-west-1", "ap-southeast-2", "sa-east-1"),
    "aws-cn": ("cn-north-1", "cn-northwest-1"),
    "aws-us-gov": ("us-gov-west-1", "us-gov-east-1"),
}
CIS_ITEMS = tuple(f"4.{n}" for n in range(1, 16))
CATALOG_PROFILES = ("security-hub", "cis")
INSIGHT_TYPES = ("ApiCallRateInsight", "ApiErrorRateInsight")
OBJECT_LOCK_MODES = ("GOVERNANCE", "COMPLIANCE")
# Patterns from the CloudWatch Logs filter and pattern syntax guide and the CIS benchmark.
DOCUMENTED_PATTERNS = (
    '{ $.eventName = "ConsoleLogin" }',
    '{ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*") }',
    '{ $.userIdentity.type = "Root" && $.userIdentity.invokedBy NOT EXISTS && $.eventType != "AwsServiceEvent" }',
    "{ $.latency > 500 }",
    "{ $.bandwidth >= 1e3 }",
    '{ $.additionalEventData.MFAUsed != "Yes" }',
    "{ $.sourceIPAddress IS NULL }",
    "ERROR",
    '"Failed login"',
    "ERROR -Exiting",
    "?ERROR ?WARN",
)


def _joined(segment: st.SearchStrategy[str], separators: str, max_parts: int) -> st.SearchStrategy[str]:
    """segment (sep segment)*: one separator between segments, never two in a row or at an end."""

    @st.composite
    def build(draw: st.DrawFn) -> str:
        parts = draw(st.lists(segment, min_size=1, max_size=max_parts))
        text = parts[0]
        for part in parts[1:]:
            text += draw(st.sampled_from(separators)) + part
        return text

    return build()


trail_names: st.SearchStrategy[str] = st.one_of(
    _joined(st.text(ASCII_ALNUM, min_size=1, max_size=20), "._-", 8),
    st.text(ASCII_ALNUM, min_size=120, max_size=128),
).filter(lambda name: 3 <= len(name) <= 128 and not looks_like_ip_address(name))

# Component names that also make a valid default trail name and valid auto-named bucket, topic and role.
component_names: st.SearchStrategy[str] = _joined(st.text(LOWER_ALNUM, min_size=1, max_size=10), "-", 5).filter(
    lambda name: len(name) >= 3 and not looks_like_ip_address(name) and component_names_its_children(name)
)

_LOG_GROUP_CHARS = ASCII_ALNUM + "._-/#"
log_group_names: st.SearchStrategy[str] = st.one_of(
    st.text(_LOG_GROUP_CHARS, min_size=1, max_size=60),
    st.text(_LOG_GROUP_CHARS, min_size=500, max_size=512),
).filter(lambda name: not name.startswith("aws/"))

bucket_names: st.SearchStrategy[str] = _joined(st.text(LOWER_ALNUM, min_size=1, max_size=20), ".-", 6).filter(
    is_bucket_name
)

s3_key_prefixes: st.SearchStrategy[str] = st.text(ASCII_ALNUM + "!-_.*'()/", min_size=1, max_size=200).filter(
    lambda prefix: not prefix.startswith("/") and not prefix.endswith("/")
)

accounts: st.SearchStrategy[str] = st.text(string.digits, min_size=12, max_size=12)


@st.composite
def partition_regions(draw: st.DrawFn) -> tuple[str, str]:
    partition = draw(st.sampled_from(sorted(PARTITION_REGIONS)))
    return partition, draw(st.sampled_from(PARTITION_REGIONS[partition]))


@st.composite
def arns(draw: st.DrawFn, service: str, resource: st.SearchStrategy[str]) -> str:
    partition, region = draw(partition_regions())
    return f"arn:{partition}:{service}:{region}:{draw(accounts)}:{draw(resource)}"


kms_key_arns: st.SearchStrategy[str] = arns("kms", st.uuids().map(lambda key_id: f"key/{key_id}"))
# Valid ARNs of aliases, which kms_key_arn refuses: CloudWatch Logs' kms_key_id takes a key ARN ("AssociateKmsKey").
kms_alias_arns: st.SearchStrategy[str] = arns(
    "kms", st.text(ASCII_ALNUM + "/_-", min_size=1, max_size=40).map(lambda alias: f"alias/{alias}"))
management_account_ids: st.SearchStrategy[str] = accounts
topic_arns: st.SearchStrategy[str] = arns("sns", st.text(ASCII_ALNUM + "-_", min_size=1, max_size=256))
organization_ids: st.SearchStrategy[str] = st.text(LOWER_ALNUM, min_size=10, max_size=32).map(lambda s: "o-" + s)

_EMAIL_LOCAL = st.text(ASCII_ALNUM + "._%+-", min_size=1, max_size=30).filter(
    lambda local: not local.startswith(".") and not local.endswith(".") and ".." not in local
)
_DOMAIN_LABEL = _joined(st.text(ASCII_ALNUM, min_size=1, max_size=10), "-", 3)
emails: st.SearchStrategy[str] = st.builds(
    lambda local, labels, tld: f"{local}@{'.'.join([*labels, tld])}",
    _EMAIL_LOCAL,
    st.lists(_DOMAIN_LABEL, min_size=1, max_size=3),
    st.text(string.ascii_lowercase, min_size=2, max_size=6),
)

_HOSTS = st.builds(lambda labels: ".".join([*labels, "example", "com"]), st.lists(_DOMAIN_LABEL, max_size=2))
_NAMES = st.text(ASCII_ALNUM + "-_", min_size=1, max_size=40)
# Firehose is left out on purpose: SNS requires a subscription role for it, which the component cannot pass.
SUBSCRIPTION_ENDPOINTS: dict[str, st.SearchStrategy[str]] = {
    "email": emails,
    "email-json": emails,
    "http": _HOSTS.map(lambda host: f"http://{host}/alarms"),
    "https": _HOSTS.map(lambda host: f"https://{host}/alarms"),
    "sms": st.text(string.digits, min_size=8, max_size=14).map(lambda digits: "+1" + digits),
    "application": arns("sns", st.uuids().map(lambda uuid: f"endpoint/APNS/app/{uuid}")),
}
# SNS delivers to these only with a grant the component does not create (a queue policy, a function
# permission): "Fanout to Amazon SQS queues", "Fanout to Lambda functions"; so they are refused.
REFUSED_SUBSCRIPTION_ENDPOINTS: dict[str, st.SearchStrategy[str]] = {
    "sqs": arns("sqs", _NAMES),
    "lambda": arns("lambda", _NAMES.map(lambda name: f"function:{name}")),
}


@st.composite
def subscriptions(draw: st.DrawFn) -> dict[str, str]:
    protocol = draw(st.sampled_from(sorted(SUBSCRIPTION_ENDPOINTS)))
    return {"protocol": protocol, "endpoint": draw(SUBSCRIPTION_ENDPOINTS[protocol])}


metric_namespaces: st.SearchStrategy[str] = st.text(
    ASCII_ALNUM + "./_-# ", min_size=1, max_size=255
).filter(lambda namespace: not namespace.startswith("AWS/"))

_PROPERTY = st.text(ASCII_ALNUM + "_", min_size=1, max_size=12)
custom_patterns: st.SearchStrategy[str] = st.one_of(
    st.sampled_from(DOCUMENTED_PATTERNS),
    st.builds(lambda prop, value: f'{{ $.{prop} = "{value}" }}', _PROPERTY, st.text(ASCII_ALNUM, max_size=20)),
)
# The "custom-" prefix keeps names apart from the catalog's metric names, which the component reserves.
custom_filter_names: st.SearchStrategy[str] = st.text(ASCII_ALNUM + "._-", max_size=90).map(
    lambda rest: "custom-" + rest
)
descriptions: st.SearchStrategy[str] = st.one_of(st.text(max_size=100), st.text(min_size=1000, max_size=1024))

_TAG_CHARS = ASCII_ALNUM + " _.:/=+-@"
tags: st.SearchStrategy[dict[str, str]] = st.dictionaries(
    st.text(_TAG_CHARS, min_size=1, max_size=128).filter(lambda key: not key.lower().startswith("aws:")),
    st.text(_TAG_CHARS, max_size=256),
    max_size=8,
)

data_event_selectors: st.SearchStrategy[dict[str, Any]] = st.builds(
    lambda name, resource_type: {
        "name": name,
        "field_selectors": [
            {"field": "eventCategory", "equals": ["Data"]},
            {"field": "resources.type", "equals": [resource_type]},
        ],
    },
    st.text(ASCII_ALNUM + " ", max_size=30),
    st.sampled_from(["AWS::S3::Object", "AWS::Lambda::Function", "AWS::DynamoDB::Table"]),
)


# "PutMetricAlarm": TreatMissingData's values; Period a multiple of 60 for standard-resolution metrics; Period x
# EvaluationPeriods at most 86,400 s below an hour, 604,800 s from an hour; DatapointsToAlarm 1..EvaluationPeriods.
TREAT_MISSING_DATA = ("breaching", "notBreaching", "ignore", "missing")


@st.composite
def alarm_settings(draw: st.DrawFn) -> dict[str, Any]:
    minutes = draw(st.integers(1, 7 * 24 * 60))
    period = minutes * 60
    longest = (86_400 if period < 3600 else 604_800) // period
    settings: dict[str, Any] = {}
    if draw(st.booleans()):
        settings["threshold"] = draw(st.one_of(st.integers(0, 10_000), st.floats(0, 1e6)))
    if draw(st.booleans()) and longest >= 1:
        settings["period"] = period
        settings["evaluation_periods"] = evaluations = draw(st.integers(1, longest))
        if draw(st.booleans()):
            settings["datapoints_to_alarm"] = draw(st.integers(1, evaluations))
    if draw(st.booleans()):
        settings["treat_missing_data"] = draw(st.sampled_from(TREAT_MISSING_DATA))
    return settings


# "Transition" (S3 API reference) and "Transitioning objects using Amazon S3 Lifecycle" (S3 User Guide): the
# supported transitions from each class, 30 days at least before STANDARD_IA or ONEZONE_IA, and the minimum
# storage duration of a class spent there before the same rule moves objects on (30 days for STANDARD_IA and
# ONEZONE_IA, 90 for GLACIER_IR and GLACIER, none for INTELLIGENT_TIERING).
TRANSITION_CLASSES = ("STANDARD_IA", "INTELLIGENT_TIERING", "ONEZONE_IA", "GLACIER_IR", "GLACIER", "DEEP_ARCHIVE")
_SUPPORTED_NEXT = {
    "STANDARD_IA": {"INTELLIGENT_TIERING", "ONEZONE_IA", "GLACIER_IR", "GLACIER", "DEEP_ARCHIVE"},
    "INTELLIGENT_TIERING": {"ONEZONE_IA", "GLACIER_IR", "GLACIER", "DEEP_ARCHIVE"},
    "ONEZONE_IA": {"GLACIER", "DEEP_ARCHIVE"},
    "GLACIER_IR": {"GLACIER", "DEEP_ARCHIVE"},
    "GLACIER": {"DEEP_ARCHIVE"},
    "DEEP_ARCHIVE": set(),
}
_MINIMUM_STAY = {"STANDARD_IA": 30, "ONEZONE_IA": 30, "GLACIER_IR": 90, "GLACIER": 90}


@st.composite
def log_transitions(draw: st.DrawFn) -> list[dict[str, Any]]:
    classes: list[str] = []
    for _ in range(draw(st.integers(0, 3))):
        options = sorted(_SUPPORTED_NEXT[classes[-1]]) if classes else list(TRANSITION_CLASSES)
        if not options:
            break
        classes.append(draw(st.sampled_from(options)))
    transitions: list[dict[str, Any]] = []
    day = 0
    for storage_class in classes:
        earliest = day
        if transitions:
            earliest += max(1, _MINIMUM_STAY.get(transitions[-1]["storage_class"], 0))
        if storage_class in ("STANDARD_IA", "ONEZONE_IA"):
            earliest = max(earliest, 30)
        day = draw(st.integers(earliest, earliest + 400))
        transitions.append({"days": day, "storage_class": storage_class})
    return transitions
