"""Read a deployed stack from ``pulumi stack export`` output, for judging it as ``pulumi policy analyze --file``.

The format is pulumi/pulumi's ``apitype.UntypedDeployment`` around a ``DeploymentV3``
(``sdk/go/common/apitype/core.go``): ``{"version": 3, "deployment": {"manifest", "resources": [...]}}``, each
resource a ``ResourceV3`` (``urn``, ``custom``, ``type``, ``inputs``, ``outputs``, ``parent``, ``dependencies``,
``propertyDependencies``, ``provider``, ...). Version 4 is the same shape with a ``features`` list
(``pkg/resource/stack/deployment.go``: ``UnmarshalUntypedDeployment``). A file backend's checkpoint
(``{"version": 3, "checkpoint": {"latest": <deployment>}}``) is read too.

What the pack is sent follows ``AnalyzeSnapshot`` (``pkg/resource/deploy/analyze_snapshot.go``), the engine
side of ``pulumi policy analyze``: every resource not pending deletion is sent to ``Analyze`` with its inputs
and to ``AnalyzeStack`` with its outputs, parent and dependencies; its provider (looked up by the provider
reference's URN) is described with the provider's inputs in both. Property values are turned from the state's
JSON form (``DeserializePropertyValue``) into the wire form the analyzer plugin marshals
(``MarshalProperties`` with ``KeepUnknowns``, ``KeepSecrets``, ``SkipInternalKeys``; resource references
become their ID, or URN for components, since ``KeepResources`` is off).

Secrets: an export made with ``--show-secrets`` carries ``plaintext`` (the value's JSON); without it,
``ciphertext``, which this offline reader cannot decrypt: such a value is sent as a secret whose value is
unknown, which the pack treats as it treats a value not known at preview. (The CLI, unable to decrypt, sends
the string ``[secret]`` instead; our policies would call that a malformed ARN.) ``unreadable_secrets`` counts them.
"""

from __future__ import annotations

import base64
import json
import struct
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

__all__ = ["StackState", "StateError", "StateResource", "parse_state", "read_state"]

# sdk/go/common/resource/sig/sig.go
SIG_KEY = "4dabf18193072939515e22adb298388d"
SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270"
RESOURCE_REFERENCE_SIG = "5cf8f73096256a8f31e491e813e4eb8e"
BYTE_STRING_SIG = "803fd3297a5875dc03ca845dda5d2a98"
ASSET_SIG = "c44067f5952c0a294b673a41bacd8c17"
ARCHIVE_SIG = "0def7320c3a5731c473e5ecbe6d01bc7"
# pkg/resource/stack/deployment.go: computedValuePlaceholder and floatSignature. The placeholder is also the
# wire's unknown-string sentinel (plugin.UnknownStringValue), so a computed value passes through unchanged.
COMPUTED = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"
FLOAT_SIG = "8ad145fe-0d11-4827-bfd7-1abcbf086f5c"

#: DeploymentSchemaVersionCurrent and DeploymentSchemaVersionLatest; 1 and 2 predate 2020 CLIs
READABLE_VERSIONS = (3, 4)
#: supportedFeatures in deployment.go: a version 4 file needing any other is refused, as the CLI refuses it
SUPPORTED_FEATURES = frozenset(
    {
        "refreshBeforeUpdate",
        "views",
        "hooks",
        "taint",
        "replaceWith",
        "snippets-prototype",
        "extensionParameterization",
        "byteString",
    }
)
URN_PREFIX = "urn:pulumi:"
PROVIDER_TYPE_PREFIX = "pulumi:providers:"


class StateError(ValueError):
    """The file is not a stack export this reader can judge; the message is one line saying why."""


@dataclass(frozen=True)
class StateResource:
    """One resource of the export, its property bags already in wire form."""

    urn: str
    type: str
    custom: bool
    inputs: dict[str, Any]
    outputs: dict[str, Any]
    parent: str = ""
    dependencies: list[str] = field(default_factory=list)
    property_dependencies: dict[str, list[str]] = field(default_factory=dict)
    provider: str = ""
    id: str = ""
    options: dict[str, Any] = field(default_factory=dict)

    @property
    def name(self) -> str:
        """URN.Name(): everything after the third ``::`` (a name may itself contain ``::``)."""
        return self.urn.split("::", 3)[3]

    @property
    def provider_urn(self) -> str:
        """providers.ParseReference: ``<provider urn>::<provider id>``."""
        return self.provider.rsplit("::", 1)[0] if self.provider.count("::") >= 4 else ""


@dataclass(frozen=True)
class StackState:
    source: Path
    version: int
    project: str
    stack: str
    resources: list[StateResource]
    """Every resource not pending deletion, in the file's order (dependencies first, as the engine writes it)."""
    skipped_deleted: int = 0
    unreadable_secrets: int = 0

    def _provider(self, r: StateResource, providers: Mapping[str, StateResource]) -> dict[str, Any] | None:
        prov = providers.get(r.provider_urn)
        if prov is None:
            return None
        return {"type": prov.type, "urn": prov.urn, "name": prov.name, "properties": prov.inputs}

    def _providers(self) -> dict[str, StateResource]:
        return {r.urn: r for r in self.resources if r.type.startswith(PROVIDER_TYPE_PREFIX)}

    def analyze_resources(self) -> list[dict[str, Any]]:
        """What ``Analyze`` is sent, one per resource (``AnalyzerClient`` dict form): inputs, options, provider."""
        providers = self._providers()
        out = []
        for r in self.resources:
            item: dict[str, Any] = {
                "type": r.type,
                "name": r.name,
                "urn": r.urn,
                "properties": r.inputs,
                "options": r.options,
            }
            prov = self._provider(r, providers)
            if prov is not None:
                item["provider"] = prov
            out.append(item)
        return out

    def stack_resources(self) -> list[dict[str, Any]]:
        """What ``AnalyzeStack`` is sent: outputs, parent, dependencies, property dependencies, provider."""
        providers = self._providers()
        out = []
        for r in self.resources:
            item: dict[str, Any] = {
                "type": r.type,
                "name": r.name,
                "urn": r.urn,
                "properties": r.outputs,
                "options": r.options,
                "parent": r.parent,
                "dependencies": r.dependencies,
                # The plugin drops properties with no dependencies (AnalyzeStack in analyzer_plugin.go).
                "property_dependencies": {k: v for k, v in r.property_dependencies.items() if v},
            }
            prov = self._provider(r, providers)
            if prov is not None:
                item["provider"] = prov
            out.append(item)
        return out


# ------------------------------------------------------------------------------------------------------
# Property values: state JSON -> wire JSON
# ------------------------------------------------------------------------------------------------------
class _Values:
    """Converts one file's property values, counting the secrets it cannot read."""

    def __init__(self) -> None:
        self.unreadable_secrets = 0

    def bag(self, value: Any, where: str) -> dict[str, Any]:
        if value is None:
            return {}
        if not isinstance(value, Mapping):
            raise StateError(f"{where} must be an object of properties, not {_kind(value)}")
        # SkipInternalKeys: only top-level keys starting with "__" (e.g. pulumi-aws's "__defaults") are dropped.
        return {k: self.value(v, f"{where}.{k}") for k, v in value.items() if not k.startswith("__")}

    def value(self, value: Any, where: str) -> Any:
        if isinstance(value, list):
            return [self.value(v, f"{where}[{i}]") for i, v in enumerate(value)]
        if isinstance(value, Mapping):
            if SIG_KEY in value:
                return self._signed(value, where)
            return {k: self.value(v, f"{where}.{k}") for k, v in value.items()}
        return value

    def _signed(self, value: Mapping[str, Any], where: str) -> Any:
        sig = value[SIG_KEY]
        if sig == SECRET_SIG:
            return {SIG_KEY: SECRET_SIG, "value": self._secret(value, where)}
        if sig == RESOURCE_REFERENCE_SIG:
            return _reference(value, where)
        if sig == FLOAT_SIG:
            bits = value.get("value")
            try:
                return struct.unpack(">d", int(str(bits), 16).to_bytes(8, "big"))[0]
            except (ValueError, OverflowError) as exc:
                raise StateError(f"{where}: malformed float value {bits!r}") from exc
        if sig == BYTE_STRING_SIG:
            return _byte_string(value, where)
        if sig in (ASSET_SIG, ARCHIVE_SIG):
            return {k: self.value(v, f"{where}.{k}") for k, v in value.items()}
        raise StateError(f"{where}: unrecognized signature {sig!r} in property map")

    def _secret(self, value: Mapping[str, Any], where: str) -> Any:
        plain, cipher = value.get("plaintext"), value.get("ciphertext")
        if isinstance(plain, str) == isinstance(cipher, str):
            raise StateError(
                f"{where}: malformed secret value: exactly one of ciphertext or plaintext must be a string"
            )
        if isinstance(cipher, str):
            self.unreadable_secrets += 1
            return COMPUTED
        assert isinstance(plain, str)
        try:
            return self.value(json.loads(plain), where)
        except json.JSONDecodeError as exc:
            raise StateError(f"{where}: a secret's plaintext is not JSON: {exc}") from exc


def _reference(value: Mapping[str, Any], where: str) -> str:
    urn = value.get("urn")
    if not isinstance(urn, str):
        raise StateError(f"{where}: malformed resource reference: missing urn")
    raw_id = value.get("id")
    if isinstance(raw_id, Mapping):  # an old refactoring's {"V": ...} form, read as the CLI reads it
        raw_id = raw_id.get("V")
        raw_id = "" if isinstance(raw_id, Mapping) else raw_id
    if raw_id is None:
        return urn  # a component: no ID, so the plugin sends the URN
    if not isinstance(raw_id, str):
        raise StateError(f"{where}: malformed resource reference: id must be a string")
    return raw_id


def _byte_string(value: Mapping[str, Any], where: str) -> str:
    try:
        return base64.b64decode(str(value.get("value")), validate=True).decode("utf-8")
    except ValueError as exc:
        # The analyzer plugin marshals without KeepByteString: the CLI fails on such a value too.
        raise StateError(
            f"{where}: a byte string that is not base64 of UTF-8 text cannot be sent to a policy pack"
        ) from exc


# ------------------------------------------------------------------------------------------------------
# The file
# ------------------------------------------------------------------------------------------------------
def _kind(value: Any) -> str:
    if value is None:
        return "null"
    return {bool: "a boolean", int: "a number", float: "a number", str: "a string", list: "an array"}.get(
        type(value), "an object" if isinstance(value, Mapping) else type(value).__name__
    )


_EXPECTED = {bool: "a boolean", str: "a string", list: "an array", Mapping: "an object"}


def _typed(raw: Mapping[str, Any], key: str, kind: type, default: Any, where: str) -> Any:
    """``raw[key]`` if it has the JSON type Go would decode into the field; absent or null gives ``default``."""
    value = raw.get(key)
    if value is None:
        return default
    if not isinstance(value, kind):
        raise StateError(f"{where}: {key} must be {_EXPECTED[kind]}, not {_kind(value)}")
    return value


def _strings(raw: Mapping[str, Any], key: str, where: str) -> list[str]:
    value = _typed(raw, key, list, [], where)
    if not all(isinstance(v, str) for v in value):
        raise StateError(f"{where}: {key} must be an array of strings")
    return list(value)


def _options(raw: Mapping[str, Any], where: str) -> dict[str, Any]:
    """AnalyzerResourceOptions as stateToAnalyzerResource fills them (the state keeps no deleteBeforeReplace)."""
    opts: dict[str, Any] = {
        "protect": _typed(raw, "protect", bool, False, where),
        "ignoreChanges": _strings(raw, "ignoreChanges", where),
        "additionalSecretOutputs": _strings(raw, "additionalSecretOutputs", where),
        "aliases": _strings(raw, "aliases", where),
        "parent": _typed(raw, "parent", str, "", where),
    }
    timeouts = _typed(raw, "customTimeouts", Mapping, None, where)
    if timeouts:
        # resource.CustomTimeouts holds seconds; the wire's CustomTimeouts has no "read".
        try:
            opts["customTimeouts"] = {k: float(timeouts[k]) for k in ("create", "update", "delete") if k in timeouts}
        except (TypeError, ValueError) as exc:
            raise StateError(f"{where}: customTimeouts must hold numbers of seconds") from exc
    return opts


def _resource(raw: Any, index: int, values: _Values) -> StateResource:
    if not isinstance(raw, Mapping):
        raise StateError(f"resources[{index}] must be an object, not {_kind(raw)}")
    urn = raw.get("urn")
    # URN.IsValid: the prefix and at least three "::" (policy_analyze.go refuses anything else up front).
    if not isinstance(urn, str) or not urn.startswith(URN_PREFIX) or urn.count("::") < 3:
        raise StateError(f"resources[{index}] has an invalid URN {urn!r}")
    where = f"resource {urn}"
    typ = raw.get("type")
    if not isinstance(typ, str) or not typ:
        raise StateError(f"{where}: type must be a non-empty string, not {_kind(typ)}")
    deps = _typed(raw, "propertyDependencies", Mapping, {}, where)
    if not all(isinstance(v, list) and all(isinstance(u, str) for u in v) for v in deps.values()):
        raise StateError(f"{where}: propertyDependencies must map each property to an array of URNs")
    return StateResource(
        urn=urn,
        type=typ,
        custom=_typed(raw, "custom", bool, False, where),
        inputs=values.bag(raw.get("inputs"), f"{where}: inputs"),
        outputs=values.bag(raw.get("outputs"), f"{where}: outputs"),
        parent=_typed(raw, "parent", str, "", where),
        dependencies=_strings(raw, "dependencies", where),
        property_dependencies={k: list(v) for k, v in deps.items()},
        provider=_typed(raw, "provider", str, "", where),
        id=_typed(raw, "id", str, "", where),
        options=_options(raw, where),
    )


def _deployment(data: Any) -> tuple[int, Mapping[str, Any]]:
    if not isinstance(data, Mapping):
        raise StateError(f"not a stack export: the file holds {_kind(data)}, not an object with version and deployment")
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool):
        raise StateError("not a stack export: no integer version (expected the output of `pulumi stack export`)")
    if version > max(READABLE_VERSIONS):
        raise StateError(f"deployment version {version} is newer than this reader knows (versions 3 and 4)")
    if version < min(READABLE_VERSIONS):
        raise StateError(
            f"deployment version {version} is older than this reader supports (versions 3 and 4); "
            "export the stack again with a current Pulumi CLI"
        )
    if version >= 4:
        features = data.get("features") or []
        unknown = sorted(str(f) for f in features if f not in SUPPORTED_FEATURES) if isinstance(features, list) else []
        if not isinstance(features, list) or unknown:
            raise StateError(f"this stack's deployment needs support for the following features: {', '.join(unknown)}")
    if "deployment" in data:
        deployment = data["deployment"]
    elif isinstance(data.get("checkpoint"), Mapping):
        deployment = data["checkpoint"].get("latest") or {}
    else:
        raise StateError("not a stack export: no deployment object (expected the output of `pulumi stack export`)")
    if not isinstance(deployment, Mapping):
        raise StateError(f"deployment must be an object, not {_kind(deployment)}")
    return version, deployment


def _identity(resources: list[StateResource]) -> tuple[str, str]:
    """stackReferenceForFile: the project and stack all URNs share, "multiple" if they differ, else "unknown"."""
    pairs = {(r.urn[len(URN_PREFIX) :].split("::")[1], r.urn[len(URN_PREFIX) :].split("::")[0]) for r in resources}
    if not pairs:
        return "unknown", "unknown"
    if len(pairs) > 1:
        return "multiple", "multiple"
    return next(iter(pairs))


def parse_state(data: Any, source: Path) -> StackState:
    """A stack export's parsed JSON as the resources to judge; raises StateError naming what is wrong."""
    try:
        version, deployment = _deployment(data)
        raw_resources = deployment.get("resources")
        raw_resources = [] if raw_resources is None else raw_resources
        if not isinstance(raw_resources, list):
            raise StateError(f"deployment.resources must be an array, not {_kind(raw_resources)}")
        values = _Values()
        kept: list[StateResource] = []
        deleted = 0
        for index, raw in enumerate(raw_resources):
            resource = _resource(raw, index, values)
            if isinstance(raw, Mapping) and raw.get("delete") is True:
                deleted += 1  # pending deletion after a replacement: AnalyzeSnapshot skips it
                continue
            kept.append(resource)
    except StateError as exc:
        raise StateError(f"state file {source}: {exc}") from exc
    project, stack = _identity(kept)
    return StackState(source, version, project, stack, kept, deleted, values.unreadable_secrets)


def read_state(path: Path) -> StackState:
    """Read and parse a ``pulumi stack export`` file; every failure is a one-line StateError."""
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise StateError(f"state file {path}: cannot read it: {exc.strerror or exc}") from exc
    except UnicodeDecodeError as exc:
        raise StateError(f"state file {path}: not UTF-8 text: {exc.reason}") from exc
    try:
        data = json.loads(text)
    except json.JSONDecodeError as exc:
        raise StateError(f"state file {path}: not JSON: {exc}") from exc
    except RecursionError as exc:
        raise StateError(f"state file {path}: nested too deeply to read") from exc
    try:
        return parse_state(data, path)
    except RecursionError as exc:
        raise StateError(f"state file {path}: property values nested too deeply to read") from exc
