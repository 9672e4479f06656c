"""Arbitrary values for the fuzz: any Python value, plus values shaped like each argument (a list of
dicts for ``custom_filters``) with arbitrary leaves, so the checks deep inside the validator are reached."""

from __future__ import annotations

import datetime
import decimal
import fractions
from typing import Any

import pulumi
from hypothesis import strategies as st

from compliant_cloudtrail.component.args import CompliantTrailArgs

from . import valid_values as v
from .aws_rules import RETENTION_DAYS

KNOWN_ARGUMENTS: tuple[str, ...] = tuple(sorted(CompliantTrailArgs.__optional_keys__ |
                                                CompliantTrailArgs.__required_keys__))


class Opaque:
    """A user's object of no type the component knows."""


# Long enough to need abridging, short enough that a failing example still prints readably; the
# megabyte values have their own deterministic test.
long_strings = st.builds(str.__mul__, st.sampled_from(["x", "é", "\n", "{(", "a@b.co "]), st.integers(100, 3000))

scalars: st.SearchStrategy[Any] = st.one_of(
    st.none(),
    st.booleans(),
    st.integers(),
    st.integers(min_value=2**64, max_value=10**1000),
    st.floats(),  # nan and the infinities included
    st.complex_numbers(),
    st.text(),
    st.text(st.characters(codec="utf-8"), min_size=1, max_size=5),
    long_strings,
    st.binary(),
    st.decimals(),
    st.fractions(),
    st.datetimes(),
    st.builds(Opaque),
    st.builds(object),
    st.sampled_from([Ellipsis, int, len, datetime.date, decimal.Decimal("NaN"),
                     fractions.Fraction(1, 3)]),
)


def _outputs(inner: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(st.builds(pulumi.Output.from_input, inner), st.builds(pulumi.Output.secret, inner))


values: st.SearchStrategy[Any] = st.recursive(
    st.one_of(scalars, _outputs(scalars)),
    lambda children: st.one_of(
        st.lists(children, max_size=4),
        st.lists(children, max_size=4).map(tuple),
        st.frozensets(st.one_of(st.text(max_size=5), st.integers()), max_size=3),
        st.sets(st.integers(), max_size=3),
        st.dictionaries(st.one_of(st.text(max_size=8), st.integers(), st.none()), children, max_size=4),
        _outputs(children),
    ),
    max_leaves=12,
)
hashables: st.SearchStrategy[Any] = st.one_of(
    st.text(), st.sampled_from(KNOWN_ARGUMENTS), long_strings, st.integers(), st.none(),
    st.floats(), st.binary(max_size=8), st.tuples(st.text(max_size=3), st.integers()), st.frozensets(st.integers()),
)


def _or_any(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(values, strategy)


def _dicts(known: dict[str, st.SearchStrategy[Any]]) -> st.SearchStrategy[dict[Any, Any]]:
    """Dicts with some of the known keys (arbitrary or sensible values) and sometimes other keys."""
    return st.tuples(
        st.fixed_dictionaries({}, optional={key: _or_any(strategy) for key, strategy in known.items()}),
        st.one_of(st.just({}), st.dictionaries(hashables, values, max_size=2)),
    ).map(lambda parts: {**parts[1], **parts[0]})


def _lists(element: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return st.one_of(st.lists(_or_any(element), max_size=4), st.lists(_or_any(element), max_size=4).map(tuple))


# Patterns built from the syntax's own characters reach deep into the parser; nesting and repetition
# counts go past what Python's recursion and `re` handle.
pattern_text: st.SearchStrategy[str] = st.one_of(
    v.custom_patterns,
    st.text(alphabet='{}()$.=!<>&|%"*[] \n\\aZ09-_', max_size=60),
    st.integers(0, 600).map(lambda depth: "{ " + "(" * depth + "$.a = 1" + ")" * depth + " }"),
    st.integers(0, 10**12).map(lambda count: "%a{" + str(count) + "}%"),
)

_strings = st.one_of(st.text(), st.text("abcXYZ019._-/@:# \n", max_size=70), long_strings)
_ints = st.one_of(st.integers(), st.sampled_from(RETENTION_DAYS), st.integers(-2, 40000))
_field_selector = _dicts({
    "field": st.sampled_from(["eventCategory", "resources.type", "readOnly"]),
    "equals": _lists(st.sampled_from(["Management", "Data", "AWS::S3::Object"])),
})

SHAPES: dict[str, st.SearchStrategy[Any]] = {
    "trail_name": _strings,
    "log_group_name": _strings,
    "existing_log_group_name": _strings,
    "retention_in_days": _ints,
    "bucket_name": _strings,
    "existing_bucket_name": _strings,
    "s3_key_prefix": _strings,
    "noncurrent_version_expiration_days": _ints,
    "log_expiration_days": _ints,
    "access_log_bucket_name": _strings,
    "access_log_prefix": _strings,
    "object_lock": _dicts({"mode": st.sampled_from(v.OBJECT_LOCK_MODES), "days": _ints}),
    "enable_kms": st.booleans(),
    "kms_key_arn": st.one_of(_strings, v.kms_key_arns),
    "is_organization_trail": st.booleans(),
    "organization_id": st.one_of(_strings, v.organization_ids),
    "organization_management_account_id": st.one_of(_strings, v.management_account_ids),
    "advanced_event_selectors": _lists(_dicts({"name": _strings, "field_selectors": _lists(_field_selector)})),
    "insight_types": _lists(st.sampled_from(v.INSIGHT_TYPES)),
    "cis_profiles": _lists(st.sampled_from(v.CATALOG_PROFILES)),
    "disabled_cis_items": _lists(st.sampled_from(v.CIS_ITEMS)),
    "metric_namespace": _strings,
    "custom_filters": _lists(_dicts({"name": v.custom_filter_names, "pattern": pattern_text,
                                     "description": _strings})),
    "existing_alarm_topic_arn": st.one_of(_strings, v.topic_arns),
    "alarm_emails": _lists(st.one_of(v.emails, _strings)),
    "alarm_subscriptions": _lists(_dicts({"protocol": st.sampled_from(sorted(v.SUBSCRIPTION_ENDPOINTS)),
                                          "endpoint": _strings})),
    "allow_log_data_deletion": st.booleans(),
    "tags": _dicts({"owner": _strings}),
    "alarm_settings": st.dictionaries(st.one_of(st.sampled_from(v.CIS_ITEMS), _strings), _dicts({
        "threshold": st.one_of(_ints, st.floats()), "period": _ints, "evaluation_periods": _ints,
        "datapoints_to_alarm": _ints, "treat_missing_data": st.one_of(st.sampled_from(v.TREAT_MISSING_DATA), _strings),
    }), max_size=3),
    "log_transitions": _lists(_dicts({"days": _ints, "storage_class": st.one_of(
        st.sampled_from(v.TRANSITION_CLASSES), _strings)})),
}


def argument_values(argument: str) -> st.SearchStrategy[Any]:
    return _or_any(SHAPES[argument])


# Valid settings that open a path the validator only takes in their presence (an organization id is
# only read on an organization trail, a key ARN only with KMS on, ...).
CONTEXTS: tuple[dict[str, Any], ...] = (
    {},
    {"is_organization_trail": True},
    {"enable_kms": False},
    {"existing_log_group_name": "/org/cloudtrail"},
    {"existing_bucket_name": "org-cloudtrail-logs"},
    {"trail_name": "audit", "bucket_name": "audit-logs"},
)
