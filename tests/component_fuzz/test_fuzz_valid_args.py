"""Property 2: arguments AWS accepts are accepted, and the settings hold what was asked for."""

from __future__ import annotations

from dataclasses import astuple, fields
from typing import Any

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from compliant_cloudtrail.component.settings import TrailSettings
from compliant_cloudtrail.component.validation import validate_args

from . import valid_values as v
from .aws_rules import RETENTION_DAYS
from .valid_args import ValidCase, valid_cases

# Judged only when the argument matters: retention with a log group we create, version expiry with our bucket.
CONDITIONAL_FIELDS = {"retention_in_days", "noncurrent_version_expiration_days"}


@settings(deadline=None, max_examples=150, suppress_health_check=[HealthCheck.too_slow])
@given(case=valid_cases())
def test_valid_arguments_are_accepted_and_kept(case: ValidCase) -> None:
    result = validate_args(case.component, case.args)

    unjudged = {f.name for f in fields(TrailSettings)} - set(case.expected)
    assert unjudged <= CONDITIONAL_FIELDS, f"the generator labels no expectation for {unjudged}"
    for name, expected in case.expected.items():
        actual = getattr(result, name)
        if name == "object_lock" and actual is not None:
            actual = (actual.mode, actual.days)
        if name == "log_transitions":
            actual = tuple((t.days, t.storage_class) for t in actual)
        if name == "alarm_settings":
            actual = {key: astuple(tune) for key, tune in actual.items()}
        if name == "custom_filters":
            assert [(f.name, f.pattern) for f in actual] == [(n, p) for n, p, _ in expected]
            for custom_filter, (_, _, description) in zip(actual, expected, strict=True):
                if description is None:
                    assert isinstance(custom_filter.description, str) and 0 < len(custom_filter.description) <= 1024
                else:
                    assert custom_filter.description == description
            continue
        assert actual == expected, f"{name}: {actual!r} != {expected!r} for {case.args!r}"


# The documented enumerations are short: every member is checked, not left to the chance of a draw.
DOCUMENTED_CHOICES: list[tuple[str, Any, str, Any]] = [
    *[("retention_in_days", days, "retention_in_days", days) for days in RETENTION_DAYS],
    *[("insight_types", [insight], "insight_types", (insight,)) for insight in v.INSIGHT_TYPES],
    *[("cis_profiles", [profile], "cis_profiles", (profile,)) for profile in v.CATALOG_PROFILES],
    *[("disabled_cis_items", [item], "disabled_cis_items", frozenset([item])) for item in v.CIS_ITEMS],
    *[("object_lock", {"mode": mode, "days": 1}, "object_lock", (mode, 1)) for mode in v.OBJECT_LOCK_MODES],
]


@pytest.mark.parametrize(("argument", "value", "field", "kept"), DOCUMENTED_CHOICES,
                         ids=[f"{c[0]}={c[1]}" for c in DOCUMENTED_CHOICES])
def test_every_documented_choice_is_accepted_and_kept(argument: str, value: Any, field: str, kept: Any) -> None:
    actual = getattr(validate_args("audit", {argument: value}), field)
    if field == "object_lock":
        actual = (actual.mode, actual.days)
    assert actual == kept


@pytest.mark.parametrize("protocol", sorted(v.SUBSCRIPTION_ENDPOINTS))
@settings(deadline=None, max_examples=5)
@given(data=st.data())
def test_every_sns_protocol_with_its_endpoint_is_accepted_and_kept(protocol: str, data: st.DataObject) -> None:
    endpoint = data.draw(v.SUBSCRIPTION_ENDPOINTS[protocol], label="endpoint")
    result = validate_args("audit", {"alarm_subscriptions": [{"protocol": protocol, "endpoint": endpoint}]})
    assert result.alarm_subscriptions == ((protocol, endpoint),)
