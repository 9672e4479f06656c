"""A Pulumi project as the CLI reads it: ``Pulumi.yaml`` (name, runtime and its options, ``main``, ``config``)
and the stack's configuration built the CLI's way.

Config (pulumi/pulumi pkg/workspace/config.go, ``mergeConfig`` and ``validateStackConfigValues``): the stack
file's values; then each key the project declares that the stack does not set takes the project's ``value`` or
``default``; a key of the project's namespace with neither is an error ("Stack 'dev' is missing configuration
value 'x'"); a typed key whose value is not of its type is an error ("Stack 'dev' with configuration key 'x'
must be of type 'integer'"). ``--config`` values go over all of it, as ``pulumi config set`` would, and are
type-checked with the rest.

Both files are read with :mod:`.inputs` (regular files of at most ``PROJECT_FILE_LIMIT``, UTF-8 with the CLI's
BOM handling, bounded YAML). Stack names and config keys follow the CLI's rules (:func:`validate_stack_name`,
:func:`validate_config_key`), so a stack name never becomes a path or a broken URN.
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .inputs import PROJECT_FILE_LIMIT, InputError, read_yaml, shown_path

__all__ = [
    "ConfigError",
    "Project",
    "StackConfig",
    "build_config",
    "load_project",
    "program_strings",
    "validate_config_key",
    "validate_stack_name",
]

_SCHEMA_KEYS = {"type", "default", "value", "description", "secret", "items"}
#: placeholder for a ``secure:`` value: the stack's secrets provider is not available offline
SECRET_PLACEHOLDER = "<secret>"


class ConfigError(InputError):
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


def _read_yaml(path: Path, what: str) -> dict[str, Any]:
    try:
        data = read_yaml(path, what, limit=PROJECT_FILE_LIMIT)
    except InputError as exc:
        raise ConfigError(str(exc)) from exc
    data = {} if data is None else data  # an empty file: the CLI's defaults
    if not isinstance(data, dict):
        raise ConfigError(f"{what} {shown_path(path)}: is not a YAML mapping")
    return data


# ------------------------------------------------------------------------------------------------------
# The CLI's names: stack names and config keys
# ------------------------------------------------------------------------------------------------------
_STACK_NAME_CHARS = re.compile(rb"[A-Za-z0-9_.-]*")
_MOST_STACK_NAME_BYTES = 100


def validate_stack_name(name: str) -> None:
    """tokens.ParseStackName (pulumi/pulumi sdk/go/common/tokens/stack_name.go): 1 to 100 bytes of letters, digits,
    ``-``, ``_`` and ``.``; raises ConfigError with the CLI's reason. So ``../../x`` never becomes part of a
    ``Pulumi.<stack>.yaml`` path, nor a newline part of every URN. (A qualified ``org/project/stack`` names a
    backend's stack; offline there is no backend, so only the stack's own name is taken.)"""
    raw = name.encode("utf-8", "surrogateescape")
    reason = ""
    if not raw:
        reason = "a stack name may not be empty"
    elif len(raw) > _MOST_STACK_NAME_BYTES:
        reason = f"a stack name cannot exceed {_MOST_STACK_NAME_BYTES} characters"
    else:
        match = _STACK_NAME_CHARS.match(raw)
        failure = match.end() if match is not None else 0
        if failure != len(raw):
            # Go prints the offending byte with %q and its byte offset
            reason = ("a stack name may only contain alphanumeric, hyphens, underscores, or periods: invalid "
                      f"character {chr(raw[failure])!r} at position {failure}")  # fmt: skip
    if reason:
        raise ConfigError(f"stack name {shown_path(name)} is invalid: {reason}")


def _parse_key(key: str) -> str:
    """config.ParseKey (sdk/go/common/resource/config/key.go): ``<namespace>:<name>``, or the old
    ``<namespace>:config:<name>``; the key in its ``<namespace>:<name>`` form, or ConfigError with the CLI's words."""
    if any(ord(c) < 32 or ord(c) == 127 for c in key):
        # Ours, not the CLI's: a key is quoted in the report and in one-line errors, which a newline would split.
        raise ConfigError(f"configuration key {key!r} holds a control character; configuration keys are text on "
                          "one line")  # fmt: skip
    parts = key.split(":")
    if len(parts) == 2:
        return key
    if len(parts) == 3 and parts[1] == "config" and parts[0] and parts[2]:
        return f"{parts[0]}:{parts[2]}"
    raise ConfigError(f"could not parse {key} as a configuration key "
                      "(configuration keys should be of the form `<namespace>:<name>`)")  # fmt: skip


def validate_config_key(key: str) -> None:
    """A ``--config`` key as the CLI's ParseConfigKey takes it: without a ``:`` it is the project's (always valid),
    else config.ParseKey's rules; raises ConfigError with the CLI's reason."""
    _parse_key(key if ":" in key else f"project:{key}")


def load_project(program_dir: Path) -> Project:
    project_file = program_dir / "Pulumi.yaml"
    if not _exists(project_file):
        alt = program_dir / "Pulumi.yml"
        if not _exists(alt):
            raise ConfigError(f"{shown_path(program_dir)} has no Pulumi.yaml: not a Pulumi program directory")
        project_file = alt
    data = _read_yaml(project_file, "project file")
    shown = shown_path(project_file)
    name = data.get("name")
    if not name:
        raise ConfigError(f"{shown} has no project name")
    if not isinstance(name, str) or len(name) > 100 or not _PROJECT_NAME.fullmatch(name):
        # pulumi/pulumi sdk/go/common/tokens/project.go ValidateProjectName (and names.go IsName): the CLI refuses
        # such a project, e.g. a template's unfilled "${PROJECT}".
        raise ConfigError(f"{shown}: project name {name!r} is invalid: project names may only contain "
                          "alphanumerics, hyphens, underscores, and periods, up to 100 characters")  # fmt: skip
    runtime = data.get("runtime")
    options: dict[str, Any] = {}
    if isinstance(runtime, dict):
        # The project schema (sdk/go/common/workspace/project.json): runtime is a name, or {name, options}.
        raw_options = runtime.get("options")
        if raw_options is not None and not isinstance(raw_options, dict):
            raise ConfigError(f"{shown}: runtime.options must be a mapping of option names to values, not "
                              f"{_kind(raw_options)}")  # fmt: skip
        options = dict(raw_options or {})
        runtime = runtime.get("name")
    if not isinstance(runtime, str) or not runtime:
        raise ConfigError(f"{shown} names no runtime; give runtime: <name> or runtime: {{name: <name>}}")
    pwd, entry = _pwd_main(program_dir, data.get("main"), shown)
    config = data.get("config") or {}
    if not isinstance(config, dict):
        raise ConfigError(f"{shown}: 'config' must be a mapping")
    return Project(program_dir, str(name), runtime, options, pwd, entry, config)


def _exists(path: Path) -> bool:
    """Present in any form: a FIFO or directory named Pulumi.yaml is then refused by the reader, saying what it is."""
    try:
        return path.exists() or path.is_symlink()
    except (OSError, ValueError):
        return False


def _kind(value: Any) -> str:
    return {list: "a list", str: "a string", bool: "a boolean", int: "a number", float: "a number"}.get(
        type(value), type(value).__name__
    )


def _pwd_main(root: Path, main: Any, project_file: str) -> tuple[Path, str]:
    """``main`` is relative to the project; a directory becomes the working directory with entry ".", a file its
    directory with the file's name (getPwdMain, pkg/engine/project.go)."""
    if main is None or main == "":
        return root, "."
    if not isinstance(main, str):
        raise ConfigError(f"{project_file}: main must be a path (a string), not {_kind(main)}")
    if "\0" in main:
        raise ConfigError(f"{project_file}: main {main!r} holds a NUL byte; give a path relative to the project")
    try:
        target = (root / main).resolve()
        if target.is_dir():
            return target, "."
        if target.is_file():
            return target.parent, target.name
    except (OSError, ValueError) as exc:
        raise ConfigError(f"{project_file}: project 'main' could not be read: {main!r}: {exc}") from exc
    raise ConfigError(f"project 'main' could not be read: {main!r} does not exist under {shown_path(root)}")


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
    path = project.root / f"Pulumi.{stack}.yaml"  # the name is valid (validate_stack_name): no separator in it
    if not _exists(path):
        note = (
            f"stack '{stack}': no Pulumi.{stack}.yaml in {shown_path(project.root)}; the project's config defaults only"
        )
        return {}, [], [note]
    shown = shown_path(path)
    config = _read_yaml(path, "stack file").get("config")
    if config is None:
        return {}, [], []
    if not isinstance(config, dict):
        raise ConfigError(f"{shown}: 'config' must be a mapping of configuration keys to values, not {_kind(config)}")
    values: dict[str, Any] = {}
    secrets: list[str] = []
    for key, value in config.items():
        # LoadProjectStackBytes namespaces a bare key with the project's name, then config.ParseKey reads it.
        try:
            full = _parse_key(_namespaced(project.name, key))
        except ConfigError as exc:
            raise ConfigError(f"{shown}: {exc}") from exc
        if isinstance(value, dict) and set(value) == {"secure"}:
            if not isinstance(value["secure"], str):
                # The CLI reserves a map whose single key is "secure" for ciphertext (config/object.go:
                # errSecureReprReserved); one holding anything but a string is a broken secret, not a value to judge.
                raise ConfigError(
                    f"{shown}: configuration key '{key}': maps with the single key \"secure\" are reserved for "
                    f"encrypted values, whose ciphertext is a string, not {_kind(value['secure'])}; give the value "
                    "to this check with --secret-config KEY=ENV_VAR"
                )
            values[full] = SECRET_PLACEHOLDER
            secrets.append(full)
        else:
            values[full] = value
    return values, secrets, []


def _check_type(stack: str, raw_key: str, schema: Mapping[str, Any], value: Any) -> None:
    if "type" in schema and value != SECRET_PLACEHOLDER and not _fits(schema, value):
        raise ConfigError(f"Stack '{stack}' with configuration key '{raw_key}' must be of type '{_type_name(schema)}'")


def build_config(
    project: Project, stack: str, overrides: Mapping[str, Any], secret_overrides: Mapping[str, Any] | None = None
) -> StackConfig:
    """The stack's configuration as the CLI merges and validates it; raises ConfigError with the CLI's reason.

    ``overrides`` are ``--config`` values; ``secret_overrides`` values the program is to get as secrets (the
    offline stand-in for ``secure:`` values, which only the stack's secrets provider can decrypt).
    """
    validate_stack_name(stack)
    values, secrets, notes = _stack_values(project, stack)
    given = {}
    for key, value in overrides.items():
        validate_config_key(key)
        given[_parse_key(_namespaced(project.name, key))] = value
    for key, value in (secret_overrides or {}).items():
        validate_config_key(key)
        full = _parse_key(_namespaced(project.name, key))
        given[full] = value
        secrets.append(full)
    missing: list[str] = []
    for raw_key in sorted(project.config):
        declared = project.config[raw_key]
        key = _namespaced(project.name, str(raw_key))
        schema = declared if isinstance(declared, dict) and set(declared) <= _SCHEMA_KEYS else {"value": declared}
        if key in given:
            # `pulumi config set` writes the value into the stack file, where validateStackConfigValues checks it;
            # a secret given this way is the user's own offline substitute, so it need not be encrypted.
            _check_type(stack, str(raw_key), schema, given[key])
            continue
        if key in values:
            _check_type(stack, str(raw_key), schema, values[key])
            if schema.get("secret") and key not in secrets:
                raise ConfigError(
                    f"Stack '{stack}' with configuration key '{raw_key}' must be encrypted as it's secret"
                )
            continue
        if "default" in schema or "value" in schema:
            values[key] = schema.get("default", schema.get("value"))
        elif key.split(":", 1)[0] == project.name:
            missing.append(str(raw_key))
    values.update(given)
    undecrypted = sorted(k for k in set(secrets) if values.get(k) == SECRET_PLACEHOLDER)
    if undecrypted:
        # Issue 16 item 5: the program gets the text "<secret>" for these; whatever it builds from them is judged
        # on that text, so the report says which and how to give the real values.
        notes.append(
            f"encrypted config {', '.join(undecrypted)} cannot be decrypted offline: the program got the text "
            f"'{SECRET_PLACEHOLDER}' for {'it' if len(undecrypted) == 1 else 'them'}, and anything built from it was "
            "judged on that text; give the value with --secret-config KEY=ENV_VAR (read from that environment "
            "variable, kept secret) or --config KEY=VALUE"
        )
    missing = [k for k in missing if _namespaced(project.name, k) not in values]
    if missing:
        word = "value" if len(missing) == 1 else "values"
        quoted = [f"'{k}'" for k in missing]
        listed = quoted[0] if len(quoted) == 1 else ", ".join(quoted[:-1]) + " and " + quoted[-1]
        # The CLI's own words, then how to give the values to this check (which runs without the CLI).
        raise ConfigError(
            f"Stack '{stack}' is missing configuration {word} {listed}; set {'it' if len(missing) == 1 else 'them'} "
            f"in Pulumi.{stack}.yaml or pass --config KEY=VALUE"
        )
    return StackConfig(values, list(dict.fromkeys(secrets)), notes)


def program_strings(values: Mapping[str, Any]) -> dict[str, str]:
    """Config as the language host hands it over (``PULUMI_CONFIG``): strings, JSON for lists and objects,
    ``true``/``false`` for booleans."""
    out: dict[str, str] = {}
    for key, value in values.items():
        out[key] = value if isinstance(value, str) else json.dumps(value)
    return out
