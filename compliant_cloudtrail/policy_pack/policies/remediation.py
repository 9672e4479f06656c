"""Opt-in fixes for the two trail settings that are safe to change in place.

Used only when a policy's enforcement level is ``remediate`` in the pack's config: pulumi-policy then calls
these in the ``Remediate`` RPC before the resource is analysed, and the engine goes on with the returned
properties. Why these two are safe: ``name`` is the only ForceNew attribute of the trail
(terraform-provider-aws ``internal/service/cloudtrail/trail.go``), so turning them on updates the trail in
place through UpdateTrail, losing nothing; and each only adds to what the trail records.

What is never touched:
- a value that is unknown (preview): it may well turn out compliant, and overwriting it would discard what
  the program computes; the check runs again on the real value;
- a value that is not a boolean at all: the program has a bug a guess would hide; the policy reports it;
- a trail listed in ``exemptTrailNames``;
- an organization trail seen from a member account (see ``member_account``): only its management account may
  change it, and an UpdateTrail from here would fail;
- event selectors that filter management events: which events a trail should record is a decision, not a fix.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from pulumi_policy import ResourceValidationArgs

from .member_account import member_view
from .properties import MISSING, Value, read
from .trail_fields import TRAIL_FIELDS


def _exempt(args: ResourceValidationArgs) -> bool:
    exempt = args.get_config().get("exemptTrailNames") or []
    return isinstance(exempt, list) and args.name in exempt


def _settable(value: Value) -> bool:
    """A boolean the fix may overwrite: set to false, or absent (and so the provider's default).

    Nothing else: not UNKNOWN, and not the unknown sentinel strings that ``Remediate``'s bag hands over
    as plain values (pulumi-policy 1.21 wraps it for secrets only, so its unknowns never raise).
    """
    return value is MISSING or value is False


def _with(props: Mapping[str, Any], changes: dict[str, bool]) -> Mapping[str, Any]:
    """``props`` with ``changes`` applied, keeping the rest of the bag exactly as it came.

    Remediate's bag (pulumi-policy's secrets-preserving proxy) is written in place: a copy would unwrap the
    secrets among the other properties and send them back in plain text.
    """
    setter = getattr(props, "__setitem__", None)
    if setter is None:
        return {**props, **changes}
    for key, value in changes.items():
        setter(key, value)
    return props


def _applicable(args: ResourceValidationArgs) -> bool:
    return args.resource_type in TRAIL_FIELDS and not _exempt(args) and member_view(args) is None


def remediate_log_file_validation(args: ResourceValidationArgs) -> Mapping[str, Any] | None:
    """Turn on log file validation (Security Hub CloudTrail.4) when it is off or left to the default (off)."""
    if not _applicable(args):
        return None
    field = TRAIL_FIELDS[args.resource_type].log_file_validation
    if not _settable(read(args.props, field)):
        return None
    return _with(args.props, {field: True})


def remediate_multi_region(args: ResourceValidationArgs) -> Mapping[str, Any] | None:
    """Make the trail multi-region with global service events (Security Hub CloudTrail.1).

    The two go together: a multi-region trail without global service events is refused with
    InvalidParameterCombinationException (CloudTrail API Reference, UpdateTrail), so neither is set unless
    both are known booleans.
    """
    if not _applicable(args):
        return None
    fields = TRAIL_FIELDS[args.resource_type]
    multi = read(args.props, fields.multi_region)
    global_events = read(args.props, fields.global_service_events)
    if multi is not True and not _settable(multi):
        return None
    if global_events is not True and not _settable(global_events):
        return None
    changes: dict[str, bool] = {}
    if multi is not True:
        changes[fields.multi_region] = True
    # Absent means true (pulumi-aws cloudtrail.Trail docs): only an explicit false needs changing.
    if global_events is False:
        changes[fields.global_service_events] = True
    return _with(args.props, changes) if changes else None
