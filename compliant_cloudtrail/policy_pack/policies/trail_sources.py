"""Every form in which a resource of a stack declares CloudTrail trails, as property bags the policies can read.

- ``aws:cloudtrail/trail:Trail`` and ``aws-native:cloudtrail:Trail``: the resource is the trail.
- A CloudFormation stack or stack set (``aws:cloudformation/stack:Stack``, ``aws:cloudformation/stackSet:StackSet``,
  ``aws-native:cloudformation:Stack``, ``aws-native:cloudformation:StackSet``): each ``AWS::CloudTrail::Trail``
  in its ``templateBody`` is a trail (a stack set's template is deployed into each of its accounts and regions).
- ``aws:cloudcontrol/resource:Resource`` with ``typeName`` ``AWS::CloudTrail::Trail``: its ``desiredState`` JSON
  is the trail (pulumi-aws ``cloudcontrol.Resource``: "JSON string matching the CloudFormation resource type
  schema").

Both CloudFormation forms use the property names of the AWS CloudFormation User Guide page
"AWS::CloudTrail::Trail" (``CloudWatchLogsLogGroupArn``, ``CloudWatchLogsRoleArn``, ``KMSKeyId``...). aws-native
generates ``aws-native:cloudtrail:Trail`` from that same schema, camelCased, so such a trail is handed to the
policies under the aws-native names and every trail policy reads it unchanged.

Type tokens checked and left out: pulumi-aws 7.51 registers ``aws:cloudtrail/trail:Trail`` as its only trail
(``pulumi_aws/__init__.py``, module ``cloudtrail/trail``); ``aws:index/cloudtrail:Cloudtrail`` appears in no
pulumi-aws SDK, so there is nothing of that name to judge. pulumi-aws's ``cloudformation.StackSetInstance``
carries no template (it deploys its stack set's).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from . import cfn_template
from .cfn_template import TemplateError, is_intrinsic, may_remove
from .properties import DEPLOY_TIME, MISSING, UNKNOWN, read
from .trail_fields import AWS_TRAIL, NATIVE_TRAIL, TRAIL_FIELDS, TrailFields

TEMPLATE_TYPES = frozenset(
    {
        "aws:cloudformation/stack:Stack",
        "aws:cloudformation/stackSet:StackSet",
        "aws-native:cloudformation:Stack",
        "aws-native:cloudformation:StackSet",
    }
)
CLOUD_CONTROL_TYPE = "aws:cloudcontrol/resource:Resource"

# CloudFormation reads "true"/"false" strings as Booleans; these are the Boolean properties the policies read.
_BOOLEANS = frozenset(
    {"isMultiRegionTrail", "includeGlobalServiceEvents", "enableLogFileValidation", "isOrganizationTrail"}
)


@dataclass(frozen=True)
class TrailView:
    """One trail as the policies read it."""

    name: str
    """The trail's name in messages: the Pulumi resource name, or the template's logical id."""
    where: str
    """Where it is declared, for messages: "" for a trail resource, else ' in the template of ...'."""
    props: Mapping[str, Any]
    fields: TrailFields
    own_resource: bool
    """The Pulumi resource is the trail itself (so its options, such as the provider, are the trail's)."""
    conditional: tuple[str, ...] = ()
    """Properties (aws-native names) that a template condition may remove (``Fn::If`` with ``AWS::NoValue``)."""


@dataclass(frozen=True)
class TrailSighting:
    """What a resource declares: the trails the pack can read, and why others could not be read."""

    trails: tuple[TrailView, ...] = ()
    unreadable: str | None = None
    """Why the resource may declare trails the pack cannot read (None: it read everything)."""
    pending: bool = False
    """True when what declares the trails is not known yet (``unreadable`` then says what)."""


def _camel(key: str) -> str:
    # aws-native camelCases the CloudFormation names (CloudWatchLogsRoleArn -> cloudWatchLogsRoleArn) and writes
    # KMSKeyId as kmsKeyId.
    return "kmsKeyId" if key == "KMSKeyId" else key[:1].lower() + key[1:]


def _has_intrinsic(value: Any) -> bool:
    if is_intrinsic(value):
        return True
    if isinstance(value, Mapping):
        return any(_has_intrinsic(v) for v in value.values())
    if isinstance(value, list):
        return any(_has_intrinsic(v) for v in value)
    return False


def _native_value(value: Any, resolves_intrinsics: bool) -> Any:
    if isinstance(value, Mapping):
        return {_camel(str(k)): _native_value(v, resolves_intrinsics) for k, v in value.items()}
    if isinstance(value, list):
        return [_native_value(v, resolves_intrinsics) for v in value]
    return value


def as_native_props(properties: Mapping[str, Any], resolves_intrinsics: bool) -> dict[str, Any]:
    """CloudFormation trail properties under aws-native's names.

    In a template (``resolves_intrinsics``), a property whose value holds an intrinsic function is
    ``DEPLOY_TIME``: CloudFormation resolves it, so it is set, but to nothing the pack can read. Every
    intrinsic counts as set (a ``Ref`` to a parameter, ``Fn::GetAtt``, ``Fn::Sub``, ``Fn::ImportValue``,
    ``Fn::Join``...), except ``Ref: AWS::NoValue``, which removes the property (left out here); an ``Fn::If``
    with such a branch is ``DEPLOY_TIME`` and is listed by ``_conditional``. Cloud Control's
    ``desiredState`` is plain JSON that nothing resolves, so there an intrinsic stays the object it is.
    """
    native: dict[str, Any] = {}
    for key, value in properties.items():
        name = _camel(str(key))
        if resolves_intrinsics and value == cfn_template.NO_VALUE:
            continue
        if resolves_intrinsics and _has_intrinsic(value):
            native[name] = DEPLOY_TIME
            continue
        converted = _native_value(value, resolves_intrinsics)
        if name in _BOOLEANS and isinstance(converted, str) and converted.lower() in ("true", "false"):
            converted = converted.lower() == "true"
        native[name] = converted
    return native


NATIVE_FIELDS = TRAIL_FIELDS[NATIVE_TRAIL]


def _conditional(properties: Mapping[str, Any]) -> tuple[str, ...]:
    return tuple(_camel(str(k)) for k, v in properties.items() if v != cfn_template.NO_VALUE and may_remove(v))


def _template_sighting(props: Mapping[str, Any], resource_type: str, resource_name: str) -> TrailSighting:
    body = read(props, "templateBody")
    if body is UNKNOWN:
        return TrailSighting(unreadable="its templateBody is not known yet", pending=True)
    if body is MISSING or body == "":
        url = read(props, "templateUrl")
        if url is MISSING:
            return TrailSighting()  # CloudFormation refuses a stack with neither; nothing is declared
        return TrailSighting(
            unreadable="its template is given by templateUrl (a file in S3), which the pack cannot read; "
            "pass the template as templateBody so its trails can be judged"
        )
    if not isinstance(body, str | Mapping):
        return TrailSighting(unreadable=f"its templateBody is a {type(body).__name__}, not a template")
    try:
        found = cfn_template.read_trails(body)
    except TemplateError as error:
        return TrailSighting(unreadable=f"its templateBody {error}")
    kind = "stack set" if resource_type.endswith("StackSet") else "stack"
    where = f' in the template of CloudFormation {kind} "{resource_name}"'
    trails = tuple(
        TrailView(
            t.logical_id,
            where,
            as_native_props(t.properties, True),
            NATIVE_FIELDS,
            own_resource=False,
            conditional=_conditional(t.properties),
        )
        for t in found.trails
    )
    unreadable = None
    if found.nested:
        unreadable = (
            f"its template nests the stacks {', '.join(sorted(found.nested))}, whose templates the pack cannot read"
        )
    return TrailSighting(trails, unreadable)


def _cloud_control_sighting(props: Mapping[str, Any], resource_name: str) -> TrailSighting:
    type_name = read(props, "typeName")
    if type_name is UNKNOWN:
        return TrailSighting(unreadable="its typeName is not known yet, so it may be a trail", pending=True)
    if type_name != cfn_template.TRAIL_TYPE:
        return TrailSighting()
    state = read(props, "desiredState")
    if state is UNKNOWN:
        return TrailSighting(unreadable="its desiredState is not known yet", pending=True)
    if not isinstance(state, str):
        return TrailSighting(unreadable="its desiredState is not a JSON string")
    if len(state) > cfn_template.MAX_TEMPLATE_CHARS:
        return TrailSighting(unreadable="its desiredState is longer than 1 MB")
    try:
        parsed = json.loads(state)
    except (ValueError, RecursionError):
        return TrailSighting(unreadable="its desiredState is not valid JSON")
    if not isinstance(parsed, Mapping):
        return TrailSighting(unreadable="its desiredState is not a JSON object")
    where = " (a Cloud Control resource of type AWS::CloudTrail::Trail)"
    view = TrailView(resource_name, where, as_native_props(parsed, False), NATIVE_FIELDS, own_resource=False)
    return TrailSighting((view,))


def trails_in(resource_type: str, props: Mapping[str, Any], resource_name: str) -> TrailSighting | None:
    """The trails a resource declares; None for a resource that cannot declare any."""
    if resource_type in (AWS_TRAIL, NATIVE_TRAIL):
        view = TrailView(resource_name, "", props, TRAIL_FIELDS[resource_type], own_resource=True)
        return TrailSighting((view,))
    if resource_type in TEMPLATE_TYPES:
        return _template_sighting(props, resource_type, resource_name)
    if resource_type == CLOUD_CONTROL_TYPE:
        return _cloud_control_sighting(props, resource_name)
    return None


__all__ = [
    "CLOUD_CONTROL_TYPE",
    "TEMPLATE_TYPES",
    "TrailSighting",
    "TrailView",
    "as_native_props",
    "trails_in",
]
