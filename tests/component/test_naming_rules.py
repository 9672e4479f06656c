"""Every name the component sends to AWS meets AWS's rule for it, or the input is refused at preview.

The rules are written here from the AWS API reference pages each test names, independently of
``compliant_cloudtrail.component.naming``: nothing of it is used to decide what AWS accepts.
"""

from __future__ import annotations

import string
from typing import Any

import pytest

from compliant_cloudtrail.component import InvalidArgumentError
from compliant_cloudtrail.component.naming import RULES, derived_names
from compliant_cloudtrail.component.validation import validate_args

from .conftest import ALARM, ALIAS, BUCKET, LOG_GROUP, METRIC_FILTER, ROLE, ROLE_POLICY, TOPIC, TRAIL, Build

ALNUM = string.ascii_letters + string.digits
TOPIC_ARN = "arn:aws:sns:eu-west-1:111122223333:secops"


# --- AWS's rules, from the pages -----------------------------------------------------------------------------
def iam_name_ok(name: str, max_length: int) -> bool:
    """CreateRole (RoleName, 1-64) and PutRolePolicy (PolicyName, 1-128): letters, digits and _+=,.@-"""
    return 1 <= len(name) <= max_length and all(c in ALNUM + "_+=,.@-" for c in name)


def sns_topic_ok(name: str) -> bool:
    """CreateTopic (Name): "uppercase and lowercase ASCII letters, numbers, underscores, and hyphens", 1 to 256."""
    return 1 <= len(name) <= 256 and all(c in ALNUM + "_-" for c in name)


def kms_alias_ok(name: str) -> bool:
    """CreateAlias (AliasName): "alias/" then alphanumerics, '/', '_', '-'; 1 to 256; not "alias/aws/"."""
    rest = name.removeprefix("alias/")
    return (name.startswith("alias/") and len(name) <= 256 and bool(rest)
            and all(c in ALNUM + "/_-" for c in rest) and not name.startswith("alias/aws/"))


def log_group_ok(name: str) -> bool:
    """CreateLogGroup (logGroupName): 1 to 512 of a-z, A-Z, 0-9, '_', '-', '/', '.', '#'; not "aws/..."."""
    return 1 <= len(name) <= 512 and all(c in ALNUM + "_-/.#" for c in name) and not name.startswith("aws/")


def metric_filter_ok(name: str) -> bool:
    """PutMetricFilter (filterName): 1 to 512, no ':' and no '*'."""
    return 1 <= len(name) <= 512 and ":" not in name and "*" not in name


def alarm_ok(name: str) -> bool:
    """PutMetricAlarm (AlarmName): 1 to 255 UTF-8 characters, no ASCII control characters."""
    return 1 <= len(name) <= 255 and all(ord(c) >= 32 and ord(c) != 127 for c in name)


def refusal(component: str, args: dict[str, Any]) -> InvalidArgumentError:
    with pytest.raises(InvalidArgumentError) as caught:
        validate_args(component, args)
    return caught.value


# --- the three cases of the AWS review ----------------------------------------------------------------------
def test_review_trail_name_with_a_dot_gives_a_kms_alias_aws_accepts(build: Build) -> None:
    # "CreateAlias - AWS Key Management Service": no '.' in an alias name. Refused, or made valid, never sent.
    deployment = build({"trail_name": "org.audit-trail"})
    alias = deployment.one(ALIAS).inputs["name"]
    assert kms_alias_ok(alias), alias
    assert deployment.one(TRAIL).inputs["name"] == "org.audit-trail"


def test_review_component_name_with_a_dot_is_refused_for_its_sns_topic() -> None:
    # "CreateTopic - Amazon SNS": letters, digits, '_' and '-' only.
    error = refusal("org.audit", {"trail_name": "audit", "bucket_name": "audit-logs"})
    message = str(error)
    assert error.argument == "the component's name"
    assert error.value == "org.audit"
    assert "'org.audit-alarms-<7 random hex>'" in message
    assert "CreateTopic" in message and "allowed: 1 to 256 letters, digits, '_' or '-'" in message


def test_review_component_name_of_43_characters_is_refused_for_its_iam_role() -> None:
    # "CreateRole - IAM": at most 64; Pulumi adds '-' and 7 hex to "<name>-delivery-role".
    name = "a" * 43
    error = refusal(name, {"trail_name": "audit", "bucket_name": "audit-logs"})
    message = str(error)
    assert error.argument == "the component's name"
    assert f"'{name}-delivery-role-<7 random hex>'" in message
    assert "CreateRole" in message and "1 to 64" in message and "at most 42 characters" in message


# --- each rule, both ways, through validation ---------------------------------------------------------------
@pytest.mark.parametrize("component", ["a" * 42, "Audit_Trail-1", "x"])
def test_iam_role_name_aws_accepts_is_accepted(component: str) -> None:
    assert iam_name_ok(f"{component}-delivery-role-0a1b2c3", 64)
    validate_args(component, {"trail_name": "audit", "bucket_name": "audit-logs"})


@pytest.mark.parametrize("component", ["a" * 43, "b" * 200, "org#audit", "org audit", "org/audit", "orgé"])
def test_iam_role_name_aws_refuses_is_refused(component: str) -> None:
    assert not iam_name_ok(f"{component}-delivery-role-0a1b2c3", 64)
    # An existing topic takes the SNS rule out of the way: the role is what breaks.
    error = refusal(component, {"trail_name": "audit", "bucket_name": "audit-logs",
                                "existing_alarm_topic_arn": TOPIC_ARN})
    assert error.argument == "the component's name" and "IAM role" in str(error) and "CreateRole" in str(error)


@pytest.mark.parametrize("component", ["org.audit", "org@audit", "org+audit", "org=audit", "org,audit"])
def test_sns_topic_name_aws_refuses_is_refused_and_a_topic_you_bring_is_not_named(component: str) -> None:
    # Every one of these is an IAM name (CreateRole), so only the topic (CreateTopic) can refuse it.
    assert iam_name_ok(f"{component}-delivery-role-0a1b2c3", 64)
    assert not sns_topic_ok(f"{component}-alarms-0a1b2c3")
    args = {"trail_name": "audit", "bucket_name": "audit-logs"}
    error = refusal(component, args)
    assert "SNS topic" in str(error) and f"{component}-alarms-<7 random hex>" in str(error)
    validate_args(component, {**args, "existing_alarm_topic_arn": TOPIC_ARN})


def test_sns_topic_name_aws_accepts_is_accepted() -> None:
    assert sns_topic_ok("Audit_Trail-1-alarms-0a1b2c3")
    validate_args("Audit_Trail-1", {"bucket_name": "audit-logs"})


@pytest.mark.parametrize(("trail_name", "refused"), [
    ("a" * 128, False), ("a" * 129, True), ("ab", True), ("a..b", True), ("-ab", True), ("192.168.0.1", True),
    ("org.audit_trail-1", False),
])
def test_trail_name_follows_create_trail(trail_name: str, refused: bool) -> None:
    # "CreateTrail - AWS CloudTrail": 3-128 of letters, digits, '._-', alphanumeric at both ends, no '..', not an IP.
    args = {"trail_name": trail_name}
    if refused:
        assert refusal("audit", args).argument == "trail_name"
    else:
        validate_args("audit", args)


@pytest.mark.parametrize(("log_group_name", "refused"), [
    ("/aws/cloudtrail/x", False), ("#a." + "b" * 509, False), ("/" + "b" * 512, True), ("aws/cloudtrail", True),
    ("/with space", True), ("/colon:", True),
])
def test_log_group_name_follows_create_log_group(log_group_name: str, refused: bool) -> None:
    assert log_group_ok(log_group_name) is not refused
    if refused:
        assert refusal("audit", {"log_group_name": log_group_name}).argument == "log_group_name"
    else:
        validate_args("audit", {"log_group_name": log_group_name})


def test_longest_trail_and_custom_filter_names_still_make_filter_and_alarm_names_aws_accepts() -> None:
    # PutMetricFilter allows 512 and PutMetricAlarm 255: "<128-character trail>-<100-character filter>" fits both.
    trail, custom = "t" * 128, "c" * 100
    settings = validate_args("audit", {"trail_name": trail,
                                       "custom_filters": [{"name": custom, "pattern": "{ $.eventName = X }"}]})
    names = {d.name for d in derived_names("audit", settings) if d.rule.kind in ("metric filter", "CloudWatch alarm")}
    assert f"{trail}-{custom}" in names
    assert all(metric_filter_ok(name) and alarm_ok(name) for name in names)


# --- the table itself, both ways, against the pages ---------------------------------------------------------
TABLE_CASES = [
    ("kms_alias", "alias/cloudtrail/org-audit", kms_alias_ok),
    ("kms_alias", "alias/cloudtrail/org.audit", kms_alias_ok),
    ("kms_alias", "alias/aws/cloudtrail", kms_alias_ok),
    ("kms_alias", "alias/" + "a" * 250, kms_alias_ok),
    ("kms_alias", "alias/" + "a" * 251, kms_alias_ok),
    ("kms_alias", "cloudtrail/audit", kms_alias_ok),
    ("iam_role", "r" * 64, lambda n: iam_name_ok(n, 64)),
    ("iam_role", "r" * 65, lambda n: iam_name_ok(n, 64)),
    ("iam_role", "a+b=c,d.e@f_g-h", lambda n: iam_name_ok(n, 64)),
    ("iam_role", "a:b", lambda n: iam_name_ok(n, 64)),
    ("iam_role_policy", "p" * 128, lambda n: iam_name_ok(n, 128)),
    ("iam_role_policy", "p" * 129, lambda n: iam_name_ok(n, 128)),
    ("iam_role_policy", "p p", lambda n: iam_name_ok(n, 128)),
    ("sns_topic", "t" * 256, sns_topic_ok),
    ("sns_topic", "t" * 257, sns_topic_ok),
    ("sns_topic", "a.fifo", sns_topic_ok),
    ("log_group", "/aws/cloudtrail/a#b", log_group_ok),
    ("log_group", "l" * 513, log_group_ok),
    ("log_group", "aws/reserved", log_group_ok),
    ("metric_filter", "f" * 512, metric_filter_ok),
    ("metric_filter", "f" * 513, metric_filter_ok),
    ("metric_filter", "a:b", metric_filter_ok),
    ("metric_filter", "a*b", metric_filter_ok),
    ("metric_alarm", "a" * 255, alarm_ok),
    ("metric_alarm", "a" * 256, alarm_ok),
    ("metric_alarm", "tab\there", alarm_ok),
    ("metric_alarm", "ünïcode ok", alarm_ok),
]


@pytest.mark.parametrize(("rule", "name", "aws_accepts"), TABLE_CASES)
def test_naming_table_agrees_with_the_aws_pages(rule: str, name: str, aws_accepts: Any) -> None:
    assert RULES[rule].accepts(name) == aws_accepts(name), f"{rule}: {name!r}"


def test_each_rule_names_an_aws_page_and_a_provider_source() -> None:
    for key, rule in RULES.items():
        assert rule.aws_source and rule.provider_source and rule.allowed, key


# --- the table's names are the names the component registers ------------------------------------------------
def test_derived_names_are_the_names_the_component_registers(build: Build) -> None:
    args: dict[str, Any] = {"trail_name": "org.audit", "alarm_emails": ["secops@example.com"],
                            "custom_filters": [{"name": "GuardDutyOff", "pattern": "{ $.eventName = X }"}]}
    deployment = build(args, name="audit")
    derived = derived_names("audit", validate_args("audit", args), given=args)
    explicit = {d.name for d in derived if "<7 random hex>" not in d.shown}
    autonamed = {d.shown for d in derived if "<7 random hex>" in d.shown}

    sent = {deployment.one(t).inputs["name"] for t in (TRAIL, LOG_GROUP, ALIAS)}
    sent |= {r.inputs["name"] for t in (METRIC_FILTER, ALARM) for r in deployment.all(t)}
    assert sent == explicit
    # Autonamed children send no name: Pulumi names them "<logical name>-<7 random hex>" (the bucket lowercased).
    logical = {deployment.one(t).name for t in (ROLE, ROLE_POLICY, TOPIC)} | {deployment.one(BUCKET).name.lower()}
    assert autonamed == {f"{name}-<7 random hex>" for name in logical}
    for t in (ROLE, ROLE_POLICY, TOPIC, BUCKET):
        assert "name" not in deployment.one(t).inputs and "bucket" not in deployment.one(t).inputs, t


def test_a_name_is_blamed_on_the_argument_the_user_set() -> None:
    # The refusal points at what the user can change: the trail name when they set it, else the component's name.
    settings = validate_args("audit", {"trail_name": "audit"})
    blamed = {d.rule.kind: d.argument for d in derived_names("audit", settings, given=["trail_name"])}
    assert blamed["KMS alias"] == "trail_name" and blamed["CloudTrail trail"] == "trail_name"
    assert blamed["IAM role"] == "the component's name"
    blamed = {d.rule.kind: d.argument for d in derived_names("audit", settings, given=[])}
    assert blamed["KMS alias"] == "the component's name"
