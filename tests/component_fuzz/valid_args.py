"""Whole valid argument sets, each labelled with the TrailSettings it must produce.

The expectation is written while the arguments are drawn (the README's defaults, the values chosen),
never read back from the validator.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any

import pulumi
from hypothesis import strategies as st

from . import valid_values as v
from .aws_rules import RETENTION_DAYS

# The defaults the README documents for an argument left out.
README_DEFAULTS: dict[str, Any] = {
    "retention_in_days": 365,
    "noncurrent_version_expiration_days": 365,
    "enable_kms": True,
    "is_organization_trail": False,
    "cis_profiles": ("security-hub", "cis"),
    "metric_namespace": "CISBenchmark",
    "allow_log_data_deletion": False,
}


@dataclass(frozen=True)
class ValidCase:
    component: str
    args: dict[str, Any]
    expected: dict[str, Any]
    """TrailSettings field -> the value it must hold; a field left out is not judged."""


def _maybe_output(draw: st.DrawFn, value: Any, outputs: bool) -> Any:
    """Arguments typed pulumi.Input may arrive as Outputs; the validator must pass them through untouched."""
    if outputs and draw(st.booleans()):
        return draw(st.sampled_from([pulumi.Output.from_input, pulumi.Output.secret]))(value)
    return value


@st.composite
def valid_cases(draw: st.DrawFn, outputs: bool = True) -> ValidCase:
    component = draw(v.component_names)
    args: dict[str, Any] = {}
    expected: dict[str, Any] = dict(README_DEFAULTS)

    def maybe(name: str, strategy: st.SearchStrategy[Any]) -> Any:
        """Draw whether to pass the argument; if passed, the settings must hold exactly this value."""
        if not draw(st.booleans()):
            return None
        args[name] = value = draw(strategy)
        expected[name] = value
        return value

    trail_name = maybe("trail_name", v.trail_names) or component
    expected["trail_name"] = trail_name

    log_group_choice = draw(st.sampled_from(["default", "named", "existing"]))
    if log_group_choice == "existing":
        args["existing_log_group_name"] = expected["log_group_name"] = draw(v.log_group_names)
        expected["creates_log_group"] = False
        del expected["retention_in_days"]
    else:
        expected["creates_log_group"] = True
        expected["log_group_name"] = f"/aws/cloudtrail/{trail_name}"
        if log_group_choice == "named":
            args["log_group_name"] = expected["log_group_name"] = draw(v.log_group_names)
        maybe("retention_in_days", st.sampled_from(RETENTION_DAYS))

    expected.update(bucket_name=None, existing_bucket_name=None, log_expiration_days=None,
                    access_log_bucket_name=None, access_log_prefix=None, object_lock=None, log_transitions=())
    if draw(st.booleans()):
        args["existing_bucket_name"] = expected["existing_bucket_name"] = draw(v.bucket_names)
        del expected["noncurrent_version_expiration_days"]
    else:
        maybe("bucket_name", v.bucket_names)
        maybe("noncurrent_version_expiration_days", st.integers(1, 36500))
        transitions = maybe("log_transitions", v.log_transitions())
        expected["log_transitions"] = tuple((t["days"], t["storage_class"]) for t in transitions or ())
        # S3 expires an object only after its last transition.
        maybe("log_expiration_days", st.integers(max((t["days"] for t in transitions or ()), default=0) + 1, 36500))
        maybe("access_log_bucket_name", v.bucket_names)
        maybe("access_log_prefix", st.text(max_size=50))
        lock = maybe("object_lock", st.fixed_dictionaries({
            "mode": st.sampled_from(v.OBJECT_LOCK_MODES), "days": st.integers(1, 36500)}))
        if lock is not None:
            expected["object_lock"] = (lock["mode"], lock["days"])
    expected["s3_key_prefix"] = maybe("s3_key_prefix", v.s3_key_prefixes)

    enable_kms = maybe("enable_kms", st.booleans())
    expected["kms_key_arn"] = None
    if enable_kms is not False and draw(st.booleans()):
        args["kms_key_arn"] = expected["kms_key_arn"] = _maybe_output(draw, draw(v.kms_key_arns), outputs)

    expected["organization_id"] = None
    expected["organization_management_account_id"] = None
    if maybe("is_organization_trail", st.booleans()):
        maybe("organization_id", v.organization_ids)
        maybe("organization_management_account_id", v.management_account_ids)

    insights = maybe("insight_types", st.lists(st.sampled_from(v.INSIGHT_TYPES), unique=True))
    expected["insight_types"] = tuple(insights or ())
    selectors = maybe("advanced_event_selectors", st.lists(v.data_event_selectors, max_size=3))
    expected["advanced_event_selectors"] = tuple(selectors or ())
    profiles = maybe("cis_profiles", st.lists(st.sampled_from(v.CATALOG_PROFILES), min_size=1, unique=True))
    if profiles is not None:
        expected["cis_profiles"] = tuple(profiles)
    disabled = maybe("disabled_cis_items", st.lists(st.sampled_from(v.CIS_ITEMS), unique=True))
    expected["disabled_cis_items"] = frozenset(disabled or ())
    maybe("metric_namespace", v.metric_namespaces)

    filters = maybe("custom_filters", st.lists(
        st.fixed_dictionaries({"name": v.custom_filter_names, "pattern": v.custom_patterns},
                              optional={"description": v.descriptions}),
        max_size=3, unique_by=lambda f: f["name"]))
    # A left-out description gets a default the README does not spell out: None here means "any text".
    expected["custom_filters"] = tuple((f["name"], f["pattern"], f.get("description")) for f in filters or ())
    tuned = maybe("alarm_settings", st.dictionaries(
        st.sampled_from([*v.CIS_ITEMS, *(f["name"] for f in filters or ())]), v.alarm_settings(), max_size=4))
    # What is left out keeps the README's CIS recipe: threshold 1, 300 s, 1 period, all datapoints, notBreaching.
    expected["alarm_settings"] = {
        key: (tune.get("threshold", 1), tune.get("period", 300), tune.get("evaluation_periods", 1),
              tune.get("datapoints_to_alarm"), tune.get("treat_missing_data", "notBreaching"))
        for key, tune in (tuned or {}).items()
    }

    expected["existing_alarm_topic_arn"] = None
    if draw(st.booleans()):
        args["existing_alarm_topic_arn"] = expected["existing_alarm_topic_arn"] = _maybe_output(
            draw, draw(v.topic_arns), outputs)
    emails = maybe("alarm_emails", st.lists(v.emails, max_size=3, unique=True))
    expected["alarm_emails"] = tuple(emails or ())
    subscriptions = maybe("alarm_subscriptions", st.lists(
        v.subscriptions(), max_size=3, unique_by=lambda s: (s["protocol"], s["endpoint"])))
    expected["alarm_subscriptions"] = tuple((s["protocol"], s["endpoint"]) for s in subscriptions or ())
    # Object Lock keeps log files the key encrypts: deleting that key with the data is refused.
    maybe("allow_log_data_deletion", st.just(False) if args.get("object_lock") else st.booleans())
    expected["tags"] = None
    if draw(st.booleans()):
        args["tags"] = expected["tags"] = _maybe_output(draw, draw(v.tags), outputs)
    return ValidCase(component=component, args=args, expected=expected)


def mutation_bases(outputs: bool = True) -> st.SearchStrategy[tuple[str, dict[str, Any]]]:
    """Valid (component, args) to break one rule in; a failure shrinks to the simplest valid call, so the
    report shows the mutation alone (and shrinking a rich case does not take a minute)."""
    return st.one_of(st.just(("audit", {})),
                     valid_cases(outputs=outputs).map(lambda case: (case.component, case.args)))
