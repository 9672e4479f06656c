"""Property 2: arguments AWS accepts are accepted, and the settings hold what was asked for."""

from __future__ import annotations

from dataclasses import fields

from hypothesis import HealthCheck, given, settings

from components.validation import TrailSettings, validate_args

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
        if name == "custom_filters":
            assert [(f.name, f.pattern) for f in actual] == [(n, p) for n, p, _ in expected]
            for custom_filter, (_, _, description) in zip(actual, expected, strict=True):
                if description is None:
                    assert isinstance(custom_filter.description, str) and 0 < len(custom_filter.description) <= 1024
                else:
                    assert custom_filter.description == description
            continue
        assert actual == expected, f"{name}: {actual!r} != {expected!r} for {case.args!r}"
