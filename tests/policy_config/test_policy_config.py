"""Policy config checked as the Pulumi CLI checks it (pulumi/pulumi pkg/resource/analyzer/config.go).

Expected wordings of schema errors ("<policy>: <property>: Invalid type. Expected: integer, given: string",
"<policy>: <property> is required", '... must be one of the following: "a", "b"') are the CLI's, as its own
tests state them (config_test.go, TestReconcilePolicyPackConfigValidationErrors); the two stricter rules
(unknown policy, undeclared property) are ours and worded to name the policy, the property and the fix.
"""

from __future__ import annotations

import dataclasses
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from compliant_cloudtrail.check.analyzer_client import AnalyzerClient, AnalyzerInfo, PolicyInfo
from compliant_cloudtrail.check.policy_config import (
    PolicyConfigError,
    check_policy_config,
    config_problems,
    parse_policy_config,
)
from compliant_cloudtrail.policy_pack import PACK_DIR

HERE = Path(__file__).resolve().parent
REQUIRED_PACK = HERE / "fixtures" / "required_pack"
RETENTION = "cloudwatch-log-group-retain-cloudtrail-logs"
DELIVERY = "cloudtrail-trail-deliver-to-cloudwatch-logs"
ALARMS = "cloudtrail-trail-alarm-on-cis-events"
OWNER = "owner-tag-required"


def _info(pack_dir: Path) -> AnalyzerInfo:
    with AnalyzerClient(pack_dir) as pack:
        return pack.get_analyzer_info()


@pytest.fixture(scope="module")
def ours() -> Iterator[AnalyzerInfo]:
    """What our pack answers to GetAnalyzerInfo, over gRPC: the schemas as the CLI receives them."""
    yield _info(PACK_DIR)


@pytest.fixture(scope="module")
def required() -> Iterator[AnalyzerInfo]:
    yield _info(REQUIRED_PACK)


# --- what fits ------------------------------------------------------------------------------------------
def test_the_shipped_example_config_fits_the_pack(ours: AnalyzerInfo) -> None:
    example = json.loads((PACK_DIR / "policy-config.example.json").read_text())
    assert config_problems(ours, example) == []


@pytest.mark.parametrize(
    "config",
    [
        {},
        {"all": "mandatory"},
        {RETENTION: {"minimumRetentionDays": 400}},
        {RETENTION: {"minimumRetentionDays": 400.0}},
    ],
    ids=["empty", "all-level", "integer", "whole-float-from-json"],
)
def test_configs_the_cli_accepts_pass(ours: AnalyzerInfo, config: dict[str, Any]) -> None:
    assert config_problems(ours, config) == []


# --- the CLI's schema rules -----------------------------------------------------------------------------
def test_a_number_written_as_a_string_is_a_type_error(ours: AnalyzerInfo) -> None:
    assert config_problems(ours, {RETENTION: {"minimumRetentionDays": "1000"}}) == [
        f"{RETENTION}: minimumRetentionDays: Invalid type. Expected: integer, given: string"
    ]


def test_a_fraction_is_not_an_integer(ours: AnalyzerInfo) -> None:
    # config_test.go "Multiple validation errors": 3.14 for an integer is "given: number".
    assert config_problems(ours, {RETENTION: {"minimumRetentionDays": 3.14}}) == [
        f"{RETENTION}: minimumRetentionDays: Invalid type. Expected: integer, given: number"
    ]


def test_below_the_schema_minimum(ours: AnalyzerInfo) -> None:
    assert config_problems(ours, {RETENTION: {"minimumRetentionDays": 0}}) == [
        f"{RETENTION}: minimumRetentionDays: Must be greater than or equal to 1"
    ]


def test_an_array_item_outside_the_enum_names_its_index(ours: AnalyzerInfo) -> None:
    (problem,) = config_problems(ours, {ALARMS: {"requiredItems": ["4.1", "4.99"]}})
    assert problem.startswith(f"{ALARMS}: requiredItems.1: requiredItems.1 must be one of the following: ")
    assert '"4.15"' in problem


def test_a_missing_required_property(required: AnalyzerInfo) -> None:
    assert config_problems(required, {}) == [f"{OWNER}: ownerTag is required"]
    assert config_problems(required, {OWNER: {"ownerTag": "team"}}) == []


def test_a_whole_number_is_given_as_an_integer_even_as_a_double(required: AnalyzerInfo) -> None:
    # Go decodes every JSON number as float64 and gojsonschema calls a whole one "integer".
    for number in (2, 2.0):
        assert config_problems(required, {OWNER: {"ownerTag": number}}) == [
            f"{OWNER}: ownerTag: Invalid type. Expected: string, given: integer"
        ]


def test_enum_and_string_length_in_the_cli_wording(required: AnalyzerInfo) -> None:
    assert config_problems(required, {OWNER: {"ownerTag": "x", "mode": "loose"}}) == [
        f'{OWNER}: mode: mode must be one of the following: "strict", "lenient"',
        f"{OWNER}: ownerTag: String length must be greater than or equal to 2",
    ]


def test_a_pack_default_that_breaks_its_own_schema_is_refused_without_any_file(required: AnalyzerInfo) -> None:
    # ReconcilePolicyPackConfig validates the defaults too (config_test.go "Default value set to incorrect type").
    policy = required.policies[0]
    bad = dataclasses.replace(
        policy,
        config_schema={**policy.config_schema, "properties": {"ownerTag": {"type": "string", "default": 1}}},
    )
    info = dataclasses.replace(required, policies=[bad])
    assert config_problems(info, {}) == [f"{OWNER}: ownerTag: Invalid type. Expected: string, given: integer"]


# --- levels and shapes (parsePolicyPackConfig) -----------------------------------------------------------
@pytest.mark.parametrize(
    "config, words",
    [
        ({DELIVERY: "mandtory"}, f'parsing enforcement level for "{DELIVERY}": "mandtory" is not a valid'),
        ({DELIVERY: {"enforcementLevel": "blocking"}}, f'"{DELIVERY}": "blocking" is not a valid enforcement level'),
        ({DELIVERY: {"enforcementLevel": 2}}, f'"{DELIVERY}": 2 is not a valid enforcement level; must be a string'),
        ({"all": "strict"}, 'parsing enforcement level for "all": "strict"'),
        ({DELIVERY: 5}, f'parsing "{DELIVERY}": 5 is not a valid value; must be a string or object'),
        (["mandatory"], "must be a JSON object of policy names"),
    ],
    ids=["level-string", "level-in-object", "level-not-string", "all", "neither-string-nor-object", "array"],
)
def test_bad_levels_and_shapes_are_refused_before_any_pack_starts(config: Any, words: str) -> None:
    with pytest.raises(PolicyConfigError) as caught:
        parse_policy_config(config)
    assert words in str(caught.value)
    if isinstance(config, dict) and "Level" in words:
        assert "advisory, mandatory, remediate, disabled" in str(caught.value)


def test_esc_environments_are_refused_offline() -> None:
    with pytest.raises(PolicyConfigError, match="ESC environments"):
        parse_policy_config({"environments": ["org/policy-settings"], DELIVERY: "mandatory"})


def test_a_pack_without_config_support_refuses_a_file(ours: AnalyzerInfo) -> None:
    info = dataclasses.replace(ours, supports_config=False)
    assert config_problems(info, {DELIVERY: "mandatory"}) == [f'policy pack "{info.name}" does not support config']
    assert config_problems(info, {}) == []


# --- our stricter rules ---------------------------------------------------------------------------------
def test_a_misspelled_property_is_named_with_the_one_meant(ours: AnalyzerInfo) -> None:
    assert config_problems(ours, {RETENTION: {"minimumRetentionDay": 1000}}) == [
        f"{RETENTION}: minimumRetentionDay: not a property of this policy; did you mean minimumRetentionDays? "
        "(it has exemptions, minimumRetentionDays)"
    ]


def test_an_unknown_policy_is_named_with_the_one_meant(ours: AnalyzerInfo) -> None:
    (problem,) = config_problems(ours, {"cloudwatch-log-group-retain-cloudtrail-log": "mandatory"})
    assert problem.startswith(
        "cloudwatch-log-group-retain-cloudtrail-log: no such policy in pack compliant-cloudtrail; "
        f"did you mean {RETENTION}?"
    )


def test_properties_under_all_would_be_ignored(ours: AnalyzerInfo) -> None:
    assert config_problems(ours, {"all": {"enforcementLevel": "mandatory", "quoteValues": False}}) == [
        "all: only enforcementLevel applies to every policy; quoteValues would be ignored"
    ]


def test_check_raises_every_problem_sorted_on_one_line(ours: AnalyzerInfo) -> None:
    config = {RETENTION: {"minimumRetentionDays": "1000"}, DELIVERY: {"quoteValue": True}}
    with pytest.raises(PolicyConfigError) as caught:
        check_policy_config(ours, config)
    message = str(caught.value)
    assert message.startswith('validating policy config for "compliant-cloudtrail": ')
    assert message.index(DELIVERY) < message.index(RETENTION), message
    assert "\n" not in message
    check_policy_config(ours, {})  # and nothing to say about no config


def test_policy_info_schema_is_what_the_cli_validates_against(ours: AnalyzerInfo) -> None:
    # Guards the premise of every test above: the schema reached us over gRPC, numbers as doubles.
    retention: PolicyInfo = ours.policy(RETENTION)
    assert retention.config_schema["properties"]["minimumRetentionDays"]["type"] == "integer"
