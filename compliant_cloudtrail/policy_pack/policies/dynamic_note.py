"""Advisory note for a dynamic-provider resource that looks like a CloudTrail trail.

A dynamic provider (``pulumi.dynamic.Resource``) creates whatever its own code does; its inputs reach the pack
under the types ``pulumi-python:dynamic:Resource`` and ``pulumi-nodejs:dynamic:Resource`` with the provider
serialised in ``__provider`` (pulumi ``sdk/python/lib/pulumi/dynamic/dynamic.py``: base64 of a dill pickle;
the Node.js SDK: the provider's source text). No policy can tell what such a resource is, so this note says
that a trail-like one was seen and not judged. It is never a pass: it only ever adds a note.
"""

from __future__ import annotations

import base64
import binascii
from collections.abc import Mapping
from typing import Any

from pulumi_policy import (
    EnforcementLevel,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    Severity,
)

from . import metadata
from .properties import read

NOTE_NAME = "cloudtrail-trail-note-dynamic-provider-lookalike"
DYNAMIC_TYPES = frozenset({"pulumi-python:dynamic:Resource", "pulumi-nodejs:dynamic:Resource"})

# Trail settings by name, however the program spells them (camelCase, PascalCase, snake_case).
_TRAIL_SETTINGS = frozenset(
    {
        "cloudwatchlogsgrouparn",
        "cloudwatchlogsloggrouparn",
        "cloudwatchlogsrolearn",
        "ismultiregiontrail",
        "isorganizationtrail",
        "includeglobalserviceevents",
        "enablelogfilevalidation",
        "trailname",
        "eventselectors",
        "advancedeventselectors",
    }
)
_BUCKET = "s3bucketname"
# A provider much larger than this is not inspected (its inputs still are).
_MAX_PROVIDER_CHARS = 4_000_000


def _normal(key: str) -> str:
    return key.replace("_", "").replace("-", "").lower()


def _provider_mentions_cloudtrail(serialised: Any) -> bool:
    if not isinstance(serialised, str) or len(serialised) > _MAX_PROVIDER_CHARS:
        return False
    if "cloudtrail" in serialised.lower():
        return True  # Node.js: the provider's source text
    try:
        pickled = base64.b64decode(serialised, validate=True)
    except (binascii.Error, ValueError):
        return False
    return b"cloudtrail" in pickled.lower()  # Python: names and strings of the pickled code


def trail_likeness(name: str, props: Mapping[str, Any]) -> str | None:
    """Why this dynamic resource looks like a trail, or None."""
    keys = {_normal(str(k)): str(k) for k in props if k != "__provider"}
    settings = sorted(original for normal, original in keys.items() if normal in _TRAIL_SETTINGS)
    if _BUCKET in keys and (settings or "trail" in name.lower()):
        return f"it has {keys[_BUCKET]}" + (f" and {', '.join(settings)}" if settings else " and a trail-like name")
    if len(settings) >= 2:
        return f"it has {', '.join(settings)}"
    if _provider_mentions_cloudtrail(read(props, "__provider")):
        return "its provider's code mentions cloudtrail"
    return None


def validate_dynamic_lookalike(args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
    if args.resource_type not in DYNAMIC_TYPES:
        return
    why = trail_likeness(args.name, args.props)
    if why is None:
        return
    report_violation(
        f'Resource "{args.name}" of a dynamic provider looks like a CloudTrail trail ({why}). The pack cannot see '
        "what a dynamic provider creates, so cloudtrail-trail-deliver-to-cloudwatch-logs has NOT judged it.\n"
        f"Fix: {metadata.COMPONENT_HINT}, or declare the trail as aws.cloudtrail.Trail, so that it is judged.",
        None,
    )


DYNAMIC_PROVIDER_LOOKALIKE = ResourceValidationPolicy(
    name=NOTE_NAME,
    description="Dynamic-provider resources that look like CloudTrail trails are noted as not judged.",
    validate=validate_dynamic_lookalike,
    enforcement_level=EnforcementLevel.ADVISORY,
    severity=Severity.LOW,
    framework=metadata.security_hub(
        "CloudTrail.5", "CloudTrail trails should be integrated with Amazon CloudWatch Logs."
    ),
    tags=["cloudtrail", "CloudTrail.5", "dynamic-provider"],
    remediation_steps="Declare the trail with aws.cloudtrail.Trail or compliant_cloudtrail.CompliantTrail.",
    url=metadata.control_url("CloudTrail.5"),
)
