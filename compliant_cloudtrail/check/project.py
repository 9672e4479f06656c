"""A Pulumi project as the CLI reads it: ``Pulumi.yaml`` (name, runtime and its options, ``main``, ``config``)
and the stack's configuration built the CLI's way.

Config (pulumi/pulumi pkg/workspace/config.go, ``mergeConfig`` and ``validateStackConfigValues``): the stack
file's values; then each key the project declares that the stack does not set takes the project's ``value`` or
``default``; a key of the project's namespace with neither is an error ("Stack 'dev' is missing configuration
value 'x'"); a typed key whose value is not of its type is an error ("Stack 'dev' with configuration key 'x'
must be of type 'integer'"). ``--config`` values go over all of it, as ``pulumi config set`` would.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

__all__ = ["ConfigError", "Project", "StackConfig", "build_config", "load_project", "program_strings"]

_SCHEMA_KEYS = {"type", "default", "value", "description", "secret", "items"}
#: placeholder for a ``secure:`` value: the stack's secrets provider is not available offline
SECRET_PLACEHOLDER = "<secret>"


class ConfigError(ValueError):
    """The project or its stack config is not usable; the message is the CLI's kind of one line."""


@dataclass(frozen=True)
class Project:
    root: Path
    name: str
    runtime: str
    options: dict[str, Any]
    #: the program's working directory and entry point, as the engine computes them (pkg/engine/project.go)
    pwd: Path
    entry: str
    config: dict[str, Any]


@dataclass(frozen=True)
class StackConfig:
    values: dict[str, Any]
    secret_keys: list[str]
    notes: list[str] = field(default_factory=list)


_PROJECT_NAME = re.compile(r"[A-Za-z0-9_.-]+")


def _read_yaml(path: Path) -> dict[str, Any]:
    try:
        data = yaml.safe_load(path.read_text(encoding="utf-8")) or {}
    except yaml.YAMLError as exc:
        first = str(exc).strip().splitlines()[0] if str(exc).strip() else "invalid YAML"
        raise ConfigError(f"{path} does not parse: {first}") from exc
    if not isinstance(data, dict):
        raise ConfigError(f"{path} is not a YAML mapping")
    return data


def load_project(program_dir: Path) -> Project:
    project_file = program_dir / "Pulumi.yaml"
    if not project_file.is_file():
        alt = program_dir / "Pulumi.yml"
        if not alt.is_file():
            raise ConfigError(f"{program_dir} has no Pulumi.yaml: not a Pulumi program directory")
        project_file = alt
    data = _read_yaml(project_file)
    name = data.get("name")
    if not name:
        raise ConfigError(f"{project_file} has no project name")
    if not isinstance(name, str) or len(name) > 100 or not _PROJECT_NAME.fullmatch(name):
        # pulumi/pulumi sdk/go/common/tokens/project.go ValidateProjectName (and names.go IsName): the CLI refuses
        # such a project, e.g. a template's unfilled "${PROJECT}".
        raise ConfigError(f"{project_file}: project name {name!r} is invalid: project names may only contain "
                          "alphanumerics, hyphens, underscores, and periods, up to 100 characters")
    runtime = data.get("runtime")
    options: dict[str, Any] = {}
    if isinstance(runtime, dict):
        options = dict(runtime.get("options") or {})
        runtime = runtime.get("name")
    if not isinstance(runtime, str):
        raise ConfigError(f"{project_file} names no runtime")
    pwd, entry = _pwd_main(program_dir, data.get("main"))
    config = data.get("config") or {}
    if not isinstance(config, dict):
        raise ConfigError(f"{project_file}: 'config' must be a mapping")
    return Project(program_dir, str(name), runtime, options, pwd, entry, config)


def _pwd_main(root: Path, main: Any) -> tuple[Path, str]:
    """``main`` is relative to the project; a directory becomes the working directory with entry ".", a file its
    directory with the file's name (getPwdMain, pkg/engine/project.go)."""
    if not main:
        return root, "."
    target = (root / str(main)).resolve()
    if target.is_dir():
        return target, "."
    if target.is_file():
        return target.parent, target.name
    raise ConfigError(f"project 'main' could not be read: {main!r} does not exist under {root}")


def _namespaced(project: str, key: str) -> str:
    return key if ":" in key else f"{project}:{key}"


def _type_name(schema: Mapping[str, Any]) -> str:
    typ = str(schema.get("type"))
    items = schema.get("items")
    if typ == "array" and isinstance(items, Mapping):
        return f"List<{_type_name(items).capitalize()}>"
    return typ


def _fits(schema: Mapping[str, Any], value: Any) -> bool:
    typ = schema.get("type")
    if typ == "string":
        return not isinstance(value, (dict, list))
    if typ == "integer":
        return (isinstance(value, int) and not isinstance(value, bool)) or (
            isinstance(value, str) and re.fullmatch(r"-?\d+", value) is not None
        )
    if typ == "boolean":
        return isinstance(value, bool) or value in ("true", "false")
    if typ == "array":
        items = schema.get("items")
        return isinstance(value, list) and all(_fits(items, v) for v in value if isinstance(items, Mapping))
    return True


def _stack_values(project: Project, stack: str) -> tuple[dict[str, Any], list[str], list[str]]:
    path = project.root / f"Pulumi.{stack}.yaml"
    if not path.is_file():
        note = f"stack '{stack}': no Pulumi.{stack}.yaml in {project.root}; the project's config defaults only"
        return {}, [], [note]
    values: dict[str, Any] = {}
    secrets: list[str] = []
    for key, value in (_read_yaml(path).get("config") or {}).items():
        full = _namespaced(project.name, str(key))
        if isinstance(value, dict) and set(value) == {"secure"}:
            values[full] = SECRET_PLACEHOLDER
            secrets.append(full)
        else:
            values[full] = value
    return values, secrets, []


def build_config(project: Project, stack: str, overrides: Mapping[str, Any]) -> StackConfig:
    values, secrets, notes = _stack_values(project, stack)
    missing: list[str] = []
    for raw_key in sorted(project.config):
        declared = project.config[raw_key]
        key = _namespaced(project.name, str(raw_key))
        schema = declared if isinstance(declared, dict) and set(declared) <= _SCHEMA_KEYS else {"value": declared}
        if key in values:
            if "type" in schema and not _fits(schema, values[key]) and values[key] != SECRET_PLACEHOLDER:
                raise ConfigError(
                    f"Stack '{stack}' with configuration key '{raw_key}' must be of type '{_type_name(schema)}'"
                )
            if schema.get("secret") and key not in secrets:
                raise ConfigError(
                    f"Stack '{stack}' with configuration key '{raw_key}' must be encrypted as it's secret"
                )
            continue
        if "default" in schema or "value" in schema:
            values[key] = schema.get("default", schema.get("value"))
        elif key.split(":", 1)[0] == project.name:
            missing.append(str(raw_key))
    for key, value in overrides.items():
        values[_namespaced(project.name, key)] = value
    missing = [k for k in missing if _namespaced(project.name, k) not in values]
    if missing:
        word = "value" if len(missing) == 1 else "values"
        quoted = [f"'{k}'" for k in missing]
        listed = quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " and " + quoted[-1]
        raise ConfigError(f"Stack '{stack}' is missing configuration {word} {listed}")
    return StackConfig(values, secrets, notes)


def program_strings(values: Mapping[str, Any]) -> dict[str, str]:
    """Config as the language host hands it over (``PULUMI_CONFIG``): strings, JSON for lists and objects,
    ``true``/``false`` for booleans."""
    out: dict[str, str] = {}
    for key, value in values.items():
        out[key] = value if isinstance(value, str) else json.dumps(value)
    return out
