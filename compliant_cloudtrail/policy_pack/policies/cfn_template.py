"""Reading the CloudTrail trails a CloudFormation template declares, with limits, and nothing else.

A template body is untrusted text: it is parsed here once, as JSON or YAML, into plain values, and only the
``Resources`` of type ``AWS::CloudTrail::Trail`` leave this module. YAML is read with PyYAML's safe loader
plus CloudFormation's short-form tags (``!Ref``, ``!GetAtt``, ``!Sub``...), each turned into the long form
(``{"Ref": ...}``, ``{"Fn::GetAtt": ...}``) as an opaque value: no tag ever constructs a Python object. The
text, the number of YAML aliases and the number of values walked are bounded, so a hostile body (an alias
bomb, deep nesting, megabytes) ends as a ``TemplateError``, never as a hang or a crash of the pack.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

import yaml

TRAIL_TYPE = "AWS::CloudTrail::Trail"
# Resource types whose own template this template only points at (AWS CloudFormation User Guide, "Nested
# stacks"; AWS::CloudFormation::Stack takes a TemplateURL), so a trail could hide in them unread.
NESTED_TEMPLATE_TYPES = frozenset(
    {"AWS::CloudFormation::Stack", "AWS::CloudFormation::StackSet", "AWS::Serverless::Application"}
)

# CloudFormation accepts template bodies up to 51,200 bytes and templates in S3 up to 1 MB (CreateStack API,
# TemplateBody and TemplateURL); anything longer is no template CloudFormation would deploy.
MAX_TEMPLATE_CHARS = 1_048_576
MAX_ALIASES = 100
MAX_VALUES = 200_000

# The intrinsic functions and the condition functions of the AWS CloudFormation User Guide ("Intrinsic function
# reference"), each with its YAML short form "!Name".
INTRINSICS = frozenset(
    {
        "Ref",
        "Condition",
        "Fn::Base64",
        "Fn::Cidr",
        "Fn::FindInMap",
        "Fn::ForEach",
        "Fn::GetAtt",
        "Fn::GetAZs",
        "Fn::ImportValue",
        "Fn::Join",
        "Fn::Length",
        "Fn::Select",
        "Fn::Split",
        "Fn::Sub",
        "Fn::ToJsonString",
        "Fn::Transform",
        "Fn::And",
        "Fn::Equals",
        "Fn::If",
        "Fn::Not",
        "Fn::Or",
    }
)
NO_VALUE = {"Ref": "AWS::NoValue"}
"""The pseudo parameter that removes a property when a condition selects it ("Pseudo parameters reference")."""


class TemplateError(ValueError):
    """The template body cannot be read; the message says why, phrased to follow "the template"."""


@dataclass(frozen=True)
class TemplateTrail:
    logical_id: str
    """The trail's logical id in the template's ``Resources``."""
    properties: Mapping[str, Any]
    """Its ``Properties`` as the template writes them (CloudFormation names, intrinsics in long form)."""


@dataclass(frozen=True)
class TemplateTrails:
    trails: tuple[TemplateTrail, ...]
    nested: tuple[str, ...]
    """Logical ids of nested stacks, whose templates this one only points at."""


class _CloudFormationLoader(yaml.SafeLoader):
    """PyYAML's safe loader, which also accepts CloudFormation's short-form tags and counts aliases."""

    aliases_seen = 0

    def compose_node(self, parent: Any, index: Any) -> Any:
        if self.check_event(yaml.AliasEvent):
            self.aliases_seen += 1
            if self.aliases_seen > MAX_ALIASES:
                raise TemplateError(f"uses more than {MAX_ALIASES} YAML aliases")
        return super().compose_node(parent, index)


def _short_form(loader: yaml.SafeLoader, suffix: str, node: yaml.Node) -> dict[str, Any]:
    name = suffix if suffix in ("Ref", "Condition") else f"Fn::{suffix}"
    value: Any
    if isinstance(node, yaml.ScalarNode):
        value = loader.construct_scalar(node)
    elif isinstance(node, yaml.SequenceNode):
        value = loader.construct_sequence(node, deep=True)
    else:
        value = loader.construct_mapping(node, deep=True)
    return {name: value}


_CloudFormationLoader.add_multi_constructor("!", _short_form)


def _parse(text: str) -> Any:
    if len(text) > MAX_TEMPLATE_CHARS:
        raise TemplateError(f"is {len(text)} characters long; CloudFormation accepts at most 1 MB")
    try:
        if text.lstrip().startswith("{"):
            return json.loads(text)
        loader = _CloudFormationLoader(text)
        try:
            return loader.get_single_data()
        finally:
            loader.dispose()
    except TemplateError:
        raise
    except RecursionError:
        raise TemplateError("is nested too deeply to read") from None
    except (ValueError, yaml.YAMLError) as error:
        first_line = str(error).strip().splitlines()[0] if str(error).strip() else type(error).__name__
        raise TemplateError(f"is neither JSON nor YAML ({first_line[:200]})") from None


def _bounded_copy(value: Any, budget: list[int]) -> Any:
    """A copy made of fresh dicts and lists, refusing more than MAX_VALUES values: YAML aliases share nodes,
    so a small text can stand for a huge tree, and only a walk that counts can tell."""
    budget[0] -= 1
    if budget[0] < 0:
        raise TemplateError(f"holds more than {MAX_VALUES} values")
    if isinstance(value, Mapping):
        return {str(k): _bounded_copy(v, budget) for k, v in value.items()}
    if isinstance(value, list):
        return [_bounded_copy(v, budget) for v in value]
    return value


def read_trails(body: str | Mapping[str, Any]) -> TemplateTrails:
    """The ``AWS::CloudTrail::Trail`` resources of a template body (text, or an already structured template)."""
    template = _parse(body) if isinstance(body, str) else body
    if not isinstance(template, Mapping):
        raise TemplateError("is not a template (its top level is not an object)")
    resources = template.get("Resources")
    if not isinstance(resources, Mapping):
        raise TemplateError("has no Resources object")
    budget = [MAX_VALUES]
    trails: list[TemplateTrail] = []
    nested: list[str] = []
    try:
        for logical_id, resource in resources.items():
            if not isinstance(resource, Mapping):
                continue
            kind = resource.get("Type")
            if kind in NESTED_TEMPLATE_TYPES:
                nested.append(str(logical_id))
            if kind != TRAIL_TYPE:
                continue
            properties = resource.get("Properties")
            copied = _bounded_copy(properties, budget) if isinstance(properties, Mapping) else {}
            trails.append(TemplateTrail(str(logical_id), copied))
    except RecursionError:
        raise TemplateError("is nested too deeply to read") from None
    return TemplateTrails(tuple(trails), tuple(nested))


def is_intrinsic(value: Any) -> bool:
    """A one-key object naming an intrinsic or condition function: resolved by CloudFormation, not a literal."""
    return isinstance(value, Mapping) and len(value) == 1 and next(iter(value)) in INTRINSICS


def may_remove(value: Any) -> bool:
    """Whether the value is, or may by a condition become, ``AWS::NoValue`` (the property then is not set)."""
    if value == NO_VALUE:
        return True
    if isinstance(value, Mapping) and len(value) == 1 and "Fn::If" in value:
        branches = value["Fn::If"]
        return isinstance(branches, list) and any(may_remove(b) for b in branches[1:])
    return False


__all__ = [
    "TRAIL_TYPE",
    "TemplateError",
    "TemplateTrail",
    "TemplateTrails",
    "is_intrinsic",
    "may_remove",
    "read_trails",
]
