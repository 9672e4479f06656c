"""A ``--policy-pack-config`` file checked the way the Pulumi CLI checks it, before ``Configure``.

The CLI's rules, from pulumi/pulumi ``pkg/resource/analyzer/config.go``:

- ``parsePolicyPackConfig``: an empty file is no config; each key maps to an enforcement level string or to an
  object whose ``enforcementLevel`` (if any) is a level string; anything else is refused. ``environments``
  names Pulumi ESC environments, which the CLI resolves through the Pulumi Cloud backend.
- ``ReconcilePolicyPackConfig``: every policy starts from its schema's defaults, then the pack's initial config,
  then the file (``all`` sets every policy's level first); the result, defaults included, is validated per
  policy against ``{"type": "object", "properties": ..., "required": ...}`` (``convertSchema``) with a JSON
  Schema validator (gojsonschema). Errors read ``<policy>: <property>: <reason>`` and are sorted.
- The levels are ``advisory``, ``mandatory``, ``remediate`` and ``disabled`` (``apitype.EnforcementLevel``).

Two rules are ours and stricter than the CLI's, because each is a mistake that silently changes a verdict:
a property the policy does not declare (the CLI's schema has no ``additionalProperties: false``, so a
misspelled ``minimumRetentionDay`` is ignored and the default applies), and a policy name the pack does not
have (the CLI forwards it to ``Configure``, where pulumi-policy ignores it).
"""

from __future__ import annotations

import difflib
import json
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import jsonschema

from .analyzer_client import AnalyzerInfo, PolicyInfo
from .inputs import POLICY_CONFIG_LIMIT, InputError, parse_json, read_text, shown_path

__all__ = [
    "ENFORCEMENT_LEVELS",
    "PolicyConfigError",
    "PolicySetting",
    "check_policy_config",
    "config_problems",
    "load_policy_config_file",
    "parse_policy_config",
]

#: apitype.EnforcementLevel.IsValid (pulumi/pulumi sdk/go/common/apitype/policy.go)
ENFORCEMENT_LEVELS = ("advisory", "mandatory", "remediate", "disabled")
ALL = "all"
LEVEL_KEY = "enforcementLevel"
ENVIRONMENTS_KEY = "environments"


class PolicyConfigError(InputError):
    """The config cannot be used; the message is one line naming the policy, the property and why."""


@dataclass(frozen=True)
class PolicySetting:
    """One key of the file: a level (None when not given) and properties (enforcementLevel taken out)."""

    level: str | None
    properties: dict[str, Any]


def _level(value: Any, key: str) -> str:
    # The CLI's words (parsePolicyPackConfig, extractEnforcementLevel), with the levels it would accept.
    if not isinstance(value, str):
        raise PolicyConfigError(
            f'parsing enforcement level for "{key}": {_shown(value)} is not a valid enforcement level; must be a string'
        )
    if value not in ENFORCEMENT_LEVELS:
        raise PolicyConfigError(
            f'parsing enforcement level for "{key}": "{value}" is not a valid enforcement level; '
            f"use one of {', '.join(ENFORCEMENT_LEVELS)}"
        )
    return value


def _number(value: Any) -> Any:
    # Schemas reach us through a protobuf Struct, where every number is a double: 1 arrives as 1.0.
    return int(value) if isinstance(value, float) and value.is_integer() else value


def _shown(value: Any) -> str:
    value = _number(value)
    try:
        text = json.dumps(value)
    except (TypeError, ValueError):
        text = repr(value)
    return text if len(text) <= 80 else text[:77] + "..."


def parse_policy_config(data: Any) -> dict[str, PolicySetting]:
    """The file's JSON, read as ``parsePolicyPackConfig`` reads it; raises PolicyConfigError.

    Needs no pack, so a typo in a level is reported before any program or pack starts, as the CLI does.
    """
    if data is None:
        return {}
    if not isinstance(data, Mapping):
        raise PolicyConfigError(f"must be a JSON object of policy names, not {_shown(data)}")
    if ENVIRONMENTS_KEY in data:
        # The CLI resolves these through the Pulumi Cloud backend (PolicyEnvResolver); offline there is none,
        # and ignoring them would judge with settings the user did not ask for.
        raise PolicyConfigError(
            f'"{ENVIRONMENTS_KEY}" names Pulumi ESC environments, which need the Pulumi Cloud backend; '
            "put their policy settings in the file itself for an offline check"
        )
    parsed: dict[str, PolicySetting] = {}
    for key, value in data.items():
        if isinstance(value, str):
            parsed[key] = PolicySetting(_level(value, key), {})
        elif isinstance(value, Mapping):
            props = {k: v for k, v in value.items() if k != LEVEL_KEY}
            level = _level(value[LEVEL_KEY], key) if LEVEL_KEY in value else None
            parsed[key] = PolicySetting(level, props)
        else:
            raise PolicyConfigError(
                f'parsing "{key}": {_shown(value)} is not a valid value; must be a string or object'
            )
    return parsed


def load_policy_config_file(path: Path) -> dict[str, Any]:
    """A ``--policy-pack-config`` file: a JSON object of policy name (or ``all``) to a level or an object; an empty
    file is no config. Levels and shapes are checked here (:func:`parse_policy_config`), policy names and properties
    later, against the running pack (:func:`check_policy_config`). Every failure is one PolicyConfigError naming
    the file."""
    shown = shown_path(path)
    try:
        # LoadPolicyPackConfigFromFile reads the bytes as they are: Go's JSON decoder then refuses a BOM, as we do.
        text = read_text(path, "policy pack config", limit=POLICY_CONFIG_LIMIT, strip_bom=False)
        if not text.strip():
            return {}  # parsePolicyPackConfig (pkg/resource/analyzer/config.go): empty content is no config
        data = parse_json(text, lambda problem: PolicyConfigError(f"policy pack config {shown}: {problem}"))
    except PolicyConfigError:
        raise
    except InputError as exc:
        raise PolicyConfigError(str(exc)) from exc
    if not isinstance(data, dict):
        raise PolicyConfigError(
            f"policy pack config {shown}: must be a JSON object of policy names, not {_json_type(data)}"
        )
    try:
        parse_policy_config(data)  # levels and shapes need no pack: refused before anything starts
    except PolicyConfigError as exc:
        raise PolicyConfigError(f"policy pack config {shown}: {exc}") from exc
    return data


# ------------------------------------------------------------------------------------------------------
# Validation against the running pack's GetAnalyzerInfo
# ------------------------------------------------------------------------------------------------------
_JSON_TYPES = (("boolean", bool), ("integer", int), ("number", float), ("string", str), ("array", list))


def _json_type(value: Any) -> str:
    """gojsonschema's name for a value's type ("given: ..."): booleans are not integers, 3.0 is one."""
    if value is None:
        return "null"
    if isinstance(value, float) and value.is_integer():
        return "integer"
    for name, kind in _JSON_TYPES:
        if isinstance(value, kind):
            return name
    return "object" if isinstance(value, Mapping) else type(value).__name__


def _field(path: Iterable[Any]) -> str:
    return ".".join(str(p) for p in path)


def _reason(error: jsonschema.ValidationError) -> str:
    """One schema error in gojsonschema's wording (what the CLI prints), else jsonschema's own."""
    field = _field(error.absolute_path)
    kind, expected = error.validator, error.validator_value
    if kind == "type":
        wanted = ", ".join(expected) if isinstance(expected, list) else expected
        reason = f"Invalid type. Expected: {wanted}, given: {_json_type(error.instance)}"
    elif kind == "enum":
        reason = f"{field} must be one of the following: {', '.join(_shown(v) for v in expected)}"
    elif kind == "const":
        reason = f"{field} does not match: {_shown(expected)}"
    elif kind == "minimum":
        reason = f"Must be greater than or equal to {_number(expected)}"
    elif kind == "maximum":
        reason = f"Must be less than or equal to {_number(expected)}"
    elif kind == "minLength":
        reason = f"String length must be greater than or equal to {_number(expected)}"
    elif kind == "maxLength":
        reason = f"String length must be less than or equal to {_number(expected)}"
    elif kind == "required":
        missing = [name for name in expected if isinstance(error.instance, Mapping) and name not in error.instance]
        reason = " and ".join(f"{name} is required" for name in missing) or error.message
    else:
        reason = error.message
    return f"{field}: {reason}" if field else reason


def _schema(policy: PolicyInfo) -> dict[str, Any]:
    """convertSchema: the policy's properties and required list under an object type."""
    schema: dict[str, Any] = {"type": "object"}
    if policy.config_schema.get("properties"):
        schema["properties"] = policy.config_schema["properties"]
    if policy.config_schema.get("required"):
        schema["required"] = list(policy.config_schema["required"])
    return schema


def _suggestion(name: str, choices: Iterable[str]) -> str:
    close = difflib.get_close_matches(name, list(choices), n=1, cutoff=0.6)
    return f"; did you mean {close[0]}?" if close else ""


def _reconciled(policy: PolicyInfo, info: AnalyzerInfo, given: PolicySetting | None) -> dict[str, Any]:
    """ReconcilePolicyPackConfig's properties for one policy: schema defaults < initial config < the file."""
    props = {
        k: s["default"]
        for k, s in policy.config_schema.get("properties", {}).items()
        if isinstance(s, Mapping) and "default" in s
    }
    props.update({k: v for k, v in info.initial_config.get(policy.name, {}).items() if k != LEVEL_KEY})
    if given is not None:
        props.update(given.properties)
    return props


def config_problems(info: AnalyzerInfo, config: Mapping[str, Any]) -> list[str]:
    """Every reason ``config`` (the file's JSON object) does not fit the running pack, sorted; [] if it fits.

    As ReconcilePolicyPackConfig, this validates every policy even without a file: a pack whose own default
    breaks its schema is refused too.
    """
    parsed = parse_policy_config(config)
    if not info.supports_config:
        # LoadLocalPolicyPackAnalyzers refuses a config file for such a pack, and validates nothing else.
        return [f'policy pack "{info.name}" does not support config'] if parsed else []
    problems: set[str] = set()
    policies = {p.name: p for p in info.policies}
    for name, setting in parsed.items():
        if name == ALL:
            for prop in setting.properties:
                problems.add(f"{ALL}: only {LEVEL_KEY} applies to every policy; {prop} would be ignored")
        elif name not in policies:
            problems.add(
                f"{name}: no such policy in pack {info.name}{_suggestion(name, policies)} "
                f"(it has {', '.join(sorted(policies))})"
            )
    for policy in info.policies:
        given = parsed.get(policy.name)
        declared = policy.config_schema.get("properties", {})
        if given is not None:
            for prop in given.properties:
                if prop not in declared:
                    problems.add(
                        f"{policy.name}: {prop}: not a property of this policy{_suggestion(prop, declared)}"
                        + (f" (it has {', '.join(sorted(declared))})" if declared else " (it takes none)")
                    )
        validator = jsonschema.Draft7Validator(_schema(policy))
        for error in validator.iter_errors(_reconciled(policy, info, given)):
            problems.add(f"{policy.name}: {_reason(error)}")
    return sorted(problems)


def check_policy_config(info: AnalyzerInfo, config: Mapping[str, Any]) -> None:
    """Raise PolicyConfigError naming every problem, in the CLI's form, if ``config`` does not fit the pack."""
    problems = config_problems(info, config)
    if problems:
        raise PolicyConfigError(f'validating policy config for "{info.name}": {"; ".join(problems)}')
