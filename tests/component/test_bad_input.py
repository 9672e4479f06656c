"""Bad input stops `pulumi preview` with a message naming the argument, the value and what is allowed."""

from __future__ import annotations

from typing import Any

import pulumi
import pytest

from compliant_cloudtrail.check.mock_runtime import mocked_stack
from compliant_cloudtrail.component import CompliantTrail, InvalidArgumentError

# (args, the argument the message must name, the bad value as shown, words of what is allowed)
BAD_INPUTS: list[tuple[dict[str, Any], str, str, str]] = [
    ({"trail_name": "my--trail"}, "trail_name", "'my--trail'", "no two of '._-' in a row"),
    ({"trail_name": "10.0.0.1"}, "trail_name", "'10.0.0.1'", "not an IP address"),
    ({"trail_name": "x" * 129}, "trail_name", "'xxx", "3 to 128"),
    ({"retention_in_days": 400 - 1}, "retention_in_days", "399", "one of 0, 1, 3, 5"),
    ({"retention_in_days": "365"}, "retention_in_days", "'365'", "expected int"),
    ({"retention_in_days": True}, "retention_in_days", "True", "expected int"),
    ({"bucket_name": "My_Bucket"}, "bucket_name", "'My_Bucket'", "lowercase letters"),
    ({"bucket_name": "logs..bucket"}, "bucket_name", "'logs..bucket'", "no '..'"),
    ({"bucket_name": "xn--logs"}, "bucket_name", "'xn--logs'", "no reserved prefix"),
    ({"log_group_name": "aws/cloudtrail"}, "log_group_name", "'aws/cloudtrail'", "not starting with 'aws/'"),
    ({"log_group_name": "bad name"}, "log_group_name", "'bad name'", "letters, digits and '._-/#'"),
    ({"alarm_emails": ["secops-at-example.com"]}, "alarm_emails[0]", "'secops-at-example.com'", "email address"),
    ({"disabled_cis_items": ["4.16"]}, "disabled_cis_items", "'4.16'", "catalog items 4.1, 4.2"),
    ({"cis_profiles": ["nist"]}, "cis_profiles", "['nist']", "security-hub, cis"),
    ({"cis_profiles": []}, "cis_profiles", "[]", "non-empty"),
    ({"metric_namespace": "AWS/Logs"}, "metric_namespace", "'AWS/Logs'", "not starting with 'AWS/'"),
    ({"metric_namespace": "a:b"}, "metric_namespace", "'a:b'", "without ':'"),
    ({"enable_kms": False, "kms_key_arn": "arn:aws:kms:eu-west-1:111122223333:key/abc"}, "kms_key_arn",
     "'arn:aws:kms", "cannot be combined with 'enable_kms': False"),
    ({"kms_key_arn": "alias/aws/sns"}, "kms_key_arn", "'alias/aws/sns'", "KMS key ARN"),
    ({"existing_bucket_name": "org-logs", "object_lock": {"mode": "GOVERNANCE", "days": 1}}, "object_lock",
     "{'mode'", "cannot be combined with 'existing_bucket_name'"),
    ({"existing_log_group_name": "/org/ct", "retention_in_days": 30}, "retention_in_days", "30",
     "cannot be combined with 'existing_log_group_name'"),
    ({"organization_id": "o-a1b2c3d4e5"}, "organization_id", "'o-a1b2c3d4e5'", "is_organization_trail"),
    ({"is_organization_trail": True, "organization_id": "r-a1b2"}, "organization_id", "'r-a1b2'", "'o-'"),
    ({"s3_key_prefix": "/logs/"}, "s3_key_prefix", "'/logs/'", "not starting or ending with '/'"),
    ({"noncurrent_version_expiration_days": 0}, "noncurrent_version_expiration_days", "0", "from 1 to 36500"),
    ({"object_lock": {"mode": "STRICT", "days": 30}}, "object_lock.mode", "'STRICT'", "GOVERNANCE, COMPLIANCE"),
    ({"insight_types": ["ApiCallVolumeInsight"]}, "insight_types", "['ApiCallVolumeInsight']",
     "ApiCallRateInsight, ApiErrorRateInsight"),
    ({"alarm_subscriptions": [{"protocol": "pigeon", "endpoint": "x"}]}, "alarm_subscriptions[0].protocol",
     "'pigeon'", "email, email-json, http"),
    # SNS needs a subscription role ARN for firehose, which the component does not take: refused at preview.
    ({"alarm_subscriptions": [{"protocol": "firehose", "endpoint": "arn:aws:firehose:us-east-1:111122223333:"
                                                                   "deliverystream/alarms"}]},
     "alarm_subscriptions[0].protocol", "'firehose'", "firehose needs a subscription role"),
    ({"existing_alarm_topic_arn": "security-alarms"}, "existing_alarm_topic_arn", "'security-alarms'",
     "SNS topic ARN"),
    ({"custom_filters": [{"name": "RootAccountUsage", "pattern": "{ $.a = 1 }"}]}, "custom_filters[0].name",
     "'RootAccountUsage'", "differ from the catalog's metrics"),
    ({"custom_filters": [{"name": "x", "pattern": "{ $.a = 1 }", "severity": "high"}]},
     "custom_filters[0].severity", "{'name'", "allowed keys: name, pattern, description"),
    ({"retension_in_days": 365}, "retension_in_days", "365", "did you mean 'retention_in_days'?"),
    ({"cis_profiles": pulumi.Output.from_input(["cis"])}, "cis_profiles", "an Output (its value is unknown",
     "plain value known at preview"),
]


@pytest.mark.parametrize(("args", "argument", "shown", "allowed"), BAD_INPUTS,
                         ids=[f"{case[1]}={case[2][:20]}" for case in BAD_INPUTS])
def test_bad_input_is_refused_with_a_clear_message(
    args: dict[str, Any], argument: str, shown: str, allowed: str
) -> None:
    with mocked_stack() as monitor, pytest.raises(InvalidArgumentError) as raised:
        CompliantTrail("audit", args)  # type: ignore[arg-type]
    message = str(raised.value)
    assert raised.value.argument == argument, message
    assert f"argument '{argument}' is {shown}" in message, message
    assert allowed in message, message
    assert message.startswith("CompliantTrail 'audit':"), message
    # Refused before anything was registered: no cloud call is ever planned for bad input.
    assert [r.type for r in monitor.resources if not r.is_stack] == []


def test_a_component_name_that_cannot_name_a_bucket_asks_for_bucket_name() -> None:
    with mocked_stack(), pytest.raises(InvalidArgumentError, match="pass bucket_name") as raised:
        CompliantTrail("Audit_Trail", {})
    assert raised.value.argument == "bucket_name"
    with mocked_stack() as monitor:
        CompliantTrail("Audit_Trail", {"bucket_name": "audit-trail-logs"})
    assert monitor.by_type("aws:s3/bucket:Bucket")[0].inputs["bucket"] == "audit-trail-logs"


def test_a_malformed_custom_pattern_names_the_filter_and_the_position() -> None:
    pattern = '{ ($.eventName = "DeleteDetector" }'
    with mocked_stack(), pytest.raises(InvalidArgumentError) as raised:
        CompliantTrail("audit", {"custom_filters": [{"name": "GuardDutyOff", "pattern": pattern}]})
    message = str(raised.value)
    assert raised.value.argument == "custom_filters[0].pattern"
    assert "filter 'GuardDutyOff' does not parse" in message, message
    assert "expected ')'" in message and "at position 34" in message, message


def test_a_broken_catalog_pattern_fails_when_the_catalog_loads(monkeypatch: pytest.MonkeyPatch) -> None:
    """The component parses every pattern it is about to deploy, its own catalog's included."""
    import json
    from importlib import resources

    from compliant_cloudtrail.component import catalog

    raw = json.loads(resources.files("compliant_cloudtrail.component").joinpath("cis_catalog.json").read_text())
    raw["items"][2]["filters"][0]["pattern"] = '{$.userIdentity.type="Root" &&& $.eventType != "x"}'
    monkeypatch.setattr(catalog, "_read_catalog_json", lambda: raw)
    catalog.load_catalog.cache_clear()
    try:
        with pytest.raises(ValueError, match=r"catalog filter RootAccountUsage \(CIS 4.3\) does not parse"):
            catalog.load_catalog()
    finally:
        monkeypatch.undo()
        catalog.load_catalog.cache_clear()
    assert catalog.load_catalog().item("4.3").filters[0].metric_name == "RootAccountUsage"
