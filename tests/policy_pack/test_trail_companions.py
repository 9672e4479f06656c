"""Companion trail policies: CloudTrail.1 (multi-region), CloudTrail.4 (log file validation), CloudTrail.2 (KMS).
Absent fields take the provider default documented for pulumi-aws ``cloudtrail.Trail`` and CloudFormation
``AWS::CloudTrail::Trail``: multi-region false, global service events true, log file validation false."""

from __future__ import annotations

from typing import Any

import pytest
from policy_sdk_inputs import UNKNOWN_BOOL, UNKNOWN_STRING, Reports, analyze_through_sdk, resource_args

from compliant_cloudtrail.policy_pack.policies.trail_policies import (
    ENABLE_KMS_ENCRYPTION,
    ENABLE_LOG_FILE_VALIDATION,
    ENABLE_MULTI_REGION,
    validate_kms_encryption,
    validate_log_file_validation,
    validate_multi_region,
)

AWS = "aws:cloudtrail/trail:Trail"
NATIVE = "aws-native:cloudtrail:Trail"
KEY = "arn:aws:kms:us-east-1:123456789012:key/1234abcd-12ab-34cd-56ef-1234567890ab"

BASELINE: dict[str, Any] = {
    "s3BucketName": "audit-logs-123456789012",
    "isMultiRegionTrail": True,
    "includeGlobalServiceEvents": True,
    "enableLogFileValidation": True,
    "kmsKeyId": KEY,
}

both_types = pytest.mark.parametrize("trail_type", [AWS, NATIVE])


def run(validator: Any, trail_type: str, props: dict[str, Any], config: dict[str, Any] | None = None) -> Reports:
    reports = Reports()
    validator(resource_args(trail_type, props, config=config), reports)
    return reports


def without(key: str) -> dict[str, Any]:
    return {k: v for k, v in BASELINE.items() if k != key}


@both_types
@pytest.mark.parametrize("validator", [validate_multi_region, validate_log_file_validation, validate_kms_encryption])
def test_baseline_passes_every_companion(trail_type: str, validator: Any) -> None:
    assert run(validator, trail_type, BASELINE).calls == [], f"{trail_type} audit-trail baseline"


# --- CloudTrail.1 ------------------------------------------------------------------------------------


@both_types
def test_multi_region_absent_defaults_to_false_and_is_reported(trail_type: str) -> None:
    reports = run(validate_multi_region, trail_type, without("isMultiRegionTrail"))
    assert len(reports.calls) == 1, f"{trail_type} audit-trail: {reports.calls}"
    assert "isMultiRegionTrail defaults to false" in reports.messages[0], reports.messages[0]
    assert "CloudTrail.1" in reports.messages[0]


def test_multi_region_false_is_reported() -> None:
    reports = run(validate_multi_region, AWS, BASELINE | {"isMultiRegionTrail": False})
    assert "isMultiRegionTrail is false" in reports.text(), reports.calls


def test_global_service_events_absent_defaults_to_true() -> None:
    assert run(validate_multi_region, AWS, without("includeGlobalServiceEvents")).calls == []


def test_global_service_events_false_is_reported() -> None:
    reports = run(validate_multi_region, AWS, BASELINE | {"includeGlobalServiceEvents": False})
    assert "includeGlobalServiceEvents is false" in reports.text(), reports.calls


def test_multi_region_as_string_is_reported_as_not_a_boolean() -> None:
    reports = run(validate_multi_region, AWS, BASELINE | {"isMultiRegionTrail": "true"})
    assert "isMultiRegionTrail is a string" in reports.text(), reports.calls


def test_unknown_multi_region_is_silent_through_the_sdk() -> None:
    props = BASELINE | {"isMultiRegionTrail": UNKNOWN_BOOL}
    assert analyze_through_sdk(ENABLE_MULTI_REGION, AWS, props) == []


@pytest.mark.parametrize(
    "selectors",
    [
        [{"readWriteType": "WriteOnly", "includeManagementEvents": True}],
        [{"readWriteType": "All", "includeManagementEvents": False}],
        [{"readWriteType": "All", "excludeManagementEventSources": ["kms.amazonaws.com"]}],
    ],
)
def test_event_selectors_that_drop_management_events_are_reported(selectors: list[dict[str, Any]]) -> None:
    reports = run(validate_multi_region, AWS, BASELINE | {"eventSelectors": selectors})
    assert len(reports.calls) == 1 and "eventSelectors" in reports.messages[0], f"{selectors}: {reports.calls}"


def test_event_selector_with_defaults_records_all_management_events() -> None:
    selectors = [{"dataResources": [{"type": "AWS::S3::Object", "values": ["arn:aws:s3"]}]}]
    assert run(validate_multi_region, AWS, BASELINE | {"eventSelectors": selectors}).calls == []


def test_advanced_selectors_need_an_unfiltered_management_selector() -> None:
    management = {"name": "all management", "fieldSelectors": [{"field": "eventCategory", "equals": ["Management"]}]}
    kms_excluded = {
        "name": "no kms",
        "fieldSelectors": [
            {"field": "eventCategory", "equals": ["Management"]},
            {"field": "eventSource", "notEquals": ["kms.amazonaws.com"]},
        ],
    }
    assert run(validate_multi_region, AWS, BASELINE | {"advancedEventSelectors": [management]}).calls == []
    reports = run(validate_multi_region, AWS, BASELINE | {"advancedEventSelectors": [kms_excluded]})
    assert "advancedEventSelectors" in reports.text(), reports.calls


def test_selector_check_can_be_switched_off() -> None:
    selectors = [{"readWriteType": "WriteOnly"}]
    config = {"requireAllManagementEvents": False}
    assert run(validate_multi_region, AWS, BASELINE | {"eventSelectors": selectors}, config).calls == []


def test_exempt_trail_is_skipped() -> None:
    config = {"exemptTrailNames": ["audit-trail"]}
    assert run(validate_multi_region, AWS, without("isMultiRegionTrail"), config).calls == []


# --- CloudTrail.4 ------------------------------------------------------------------------------------


@both_types
def test_log_file_validation_absent_defaults_to_false_and_is_reported(trail_type: str) -> None:
    reports = run(validate_log_file_validation, trail_type, without("enableLogFileValidation"))
    assert len(reports.calls) == 1, f"{trail_type} audit-trail: {reports.calls}"
    assert "enableLogFileValidation defaults to false" in reports.messages[0]
    assert 'CloudTrail trail "audit-trail"' in reports.messages[0]


def test_log_file_validation_false_is_reported() -> None:
    reports = run(validate_log_file_validation, AWS, BASELINE | {"enableLogFileValidation": False})
    assert "enableLogFileValidation is false" in reports.text()


def test_unknown_log_file_validation_is_silent_through_the_sdk() -> None:
    props = BASELINE | {"enableLogFileValidation": UNKNOWN_BOOL}
    assert analyze_through_sdk(ENABLE_LOG_FILE_VALIDATION, AWS, props) == []


# --- CloudTrail.2 ------------------------------------------------------------------------------------


@both_types
@pytest.mark.parametrize(("value", "says"), [(None, "kmsKeyId is not set"), ("", "kmsKeyId is an empty string")])
def test_missing_kms_key_is_reported(trail_type: str, value: Any, says: str) -> None:
    props = without("kmsKeyId") if value is None else BASELINE | {"kmsKeyId": value}
    reports = run(validate_kms_encryption, trail_type, props)
    assert len(reports.calls) == 1 and says in reports.messages[0], f"{trail_type}: {reports.calls}"


@pytest.mark.parametrize(
    "value",
    [
        "arn:aws:kms:us-east-1:123456789012:alias/cloudtrail",
        "1234abcd-12ab-34cd-56ef-1234567890ab",
        "mrk-1234abcd12ab34cd56ef1234567890ab",
        "alias/cloudtrail",
    ],
)
def test_key_ids_aliases_and_alias_arns_are_accepted(value: str) -> None:
    assert run(validate_kms_encryption, AWS, BASELINE | {"kmsKeyId": value}).calls == [], value


@pytest.mark.parametrize("value", ["arn:aws:s3:::bucket", "arn:aws:kms:us-east-1:123456789012:grant/abc", "my-key"])
def test_malformed_kms_key_is_reported(value: str) -> None:
    reports = run(validate_kms_encryption, AWS, BASELINE | {"kmsKeyId": value})
    assert len(reports.calls) == 1 and value in reports.messages[0], f"{value}: {reports.calls}"


def test_unknown_kms_key_is_silent_through_the_sdk() -> None:
    props = BASELINE | {"kmsKeyId": UNKNOWN_STRING}
    assert analyze_through_sdk(ENABLE_KMS_ENCRYPTION, AWS, props) == []


@pytest.mark.parametrize(
    "value", ["arn:aws:s3:::TOPSECRET-BUCKET", "arn:aws:kms:us-east-1:123456789012:grant/TOPSECRET", "TOPSECRET-KEY"]
)
def test_quote_values_false_keeps_the_kms_key_out_of_the_message(value: str) -> None:
    """Security review M2: the key id was quoted even with quoteValues false."""
    reports = run(validate_kms_encryption, AWS, BASELINE | {"kmsKeyId": value}, config={"quoteValues": False})
    assert len(reports.calls) == 1, reports.calls
    assert "TOPSECRET" not in reports.messages[0] and "kmsKeyId is not a KMS key ARN" in reports.messages[0]


def test_the_kms_policy_offers_quote_values_in_its_config_schema() -> None:
    schema = ENABLE_KMS_ENCRYPTION.config_schema
    assert schema is not None and schema.properties["quoteValues"]["type"] == "boolean", schema
