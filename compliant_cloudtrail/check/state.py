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
import math
import struct
from collections.abc import Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .inputs import STATE_LIMIT, InputError, parse_json, read_json, shown_path

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


class StateError(InputError):
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
        return self.value(parse_json(plain, lambda problem: StateError(f"{where}: a secret's plaintext is {problem}")),
                          where)  # fmt: skip


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
        # resource.CustomTimeouts holds float64 seconds (Go's decoder takes no strings, booleans or non-finite
        # numbers); the wire's CustomTimeouts has no "read".
        seconds = {k: timeouts[k] for k in ("create", "update", "delete") if timeouts.get(k) is not None}
        for key, value in seconds.items():
            if isinstance(value, bool) or not isinstance(value, (int, float)) or not math.isfinite(value):
                raise StateError(
                    f"{where}: customTimeouts must hold numbers of seconds; "
                    f"{key} is {_shown(value)}, not a finite number"
                )
        opts["customTimeouts"] = {k: float(v) for k, v in seconds.items()}
    return opts


def _shown(value: Any) -> str:
    text = repr(value)
    return text if len(text) <= 40 else text[:37] + "..."


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
        if not isinstance(features, list) or not all(isinstance(f, str) for f in features):
            # DeploymentV4's features is a []string: Go's decoder refuses anything else
            raise StateError(f"features must be an array of feature names (strings), not {_shown(features)}")
        unknown = sorted(f for f in features if f not in SUPPORTED_FEATURES)
        if unknown:
            raise StateError(f"this stack's deployment needs support for the following features: {', '.join(unknown)}")
    if "deployment" in data:
        deployment = data["deployment"]
    elif isinstance(data.get("checkpoint"), Mapping):
        # A stack with no deployment yet has `latest: null` (apitype.CheckpointV3); anything else must be one.
        deployment = data["checkpoint"].get("latest")
        deployment = {} if deployment is None else deployment
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


# ------------------------------------------------------------------------------------------------------
# Snapshot integrity: what the CLI refuses to load
# ------------------------------------------------------------------------------------------------------
#: providers.UnknownID: a provider's reference when its ID is empty (sdk/go/common/providers/reference.go)
UNKNOWN_PROVIDER_ID = COMPUTED


@dataclass(frozen=True)
class _Links:
    """What ``State.GetAllDependencies`` returns for one resource of the file, pending deletions included."""

    urn: str
    type: str
    custom: bool
    id: str
    provider: str
    parent: str
    dependencies: list[str]
    property_dependencies: dict[str, list[str]]
    deleted_with: str
    replace_with: list[str]
    delete: bool
    pending_replacement: bool


def _links(raw: Mapping[str, Any], r: StateResource) -> _Links:
    where = f"resource {r.urn}"
    return _Links(
        urn=r.urn,
        type=r.type,
        custom=r.custom,
        id=r.id,
        provider=r.provider,
        parent=r.parent,
        dependencies=r.dependencies,
        property_dependencies=r.property_dependencies,
        deleted_with=_typed(raw, "deletedWith", str, "", where),
        replace_with=_strings(raw, "replaceWith", where),
        delete=_typed(raw, "delete", bool, False, where),
        pending_replacement=_typed(raw, "pendingReplacement", bool, False, where),
    )


def _provider_key(ref: str) -> tuple[str, str] | None:
    """providers.ParseReference: ``<provider URN>::<ID>``, the URN of type ``pulumi:providers:<package>``."""
    urn, sep, ident = ref.rpartition("::")
    if not sep or not _is_provider_urn(urn):
        return None
    return urn, ident


def _is_provider_urn(urn: str) -> bool:
    if not urn.startswith(URN_PREFIX) or urn.count("::") < 3:
        return False
    qualified = urn.split("::")[2]
    return qualified.rsplit("$", 1)[-1].startswith(PROVIDER_TYPE_PREFIX) and len(qualified.rsplit("$", 1)[-1]) > len(
        PROVIDER_TYPE_PREFIX
    )


def _integrity_error(links: list[_Links]) -> str | None:
    """The first reason ``Snapshot.VerifyIntegrity`` (pulumi/pulumi pkg/resource/deploy/snapshot.go) refuses these
    resources, in its words; None when it accepts them. The CLI runs it on every stack it loads and on `pulumi stack
    import`, so no real export fails it: one that does was edited, and judging it could judge resources twice (a
    duplicate URN) or under a provider that is not there. The manifest's magic cookie is not checked: hand-made
    exports (and the check's own fixtures) leave it empty."""
    seen: dict[str, list[_Links]] = {}
    providers: set[tuple[str, str]] = set()
    # Where each URN last appears: "comes after it" is a later position, without a set of the rest per resource
    # (that was quadratic: a quarter of a second at 3,000 resources, minutes at 100,000).
    last_at = {r.urn: i for i, r in enumerate(links)}
    for i, r in enumerate(links):
        if not r.custom and r.id:
            return f"resource '{r.urn}' has 'custom false but non-empty ID"
        if r.type.startswith(PROVIDER_TYPE_PREFIX) and len(r.type) > len(PROVIDER_TYPE_PREFIX):
            if not _is_provider_urn(r.urn):
                return f"provider {r.urn} is not referenceable: {r.urn} is not a valid provider URN"
            providers.add((r.urn, r.id or UNKNOWN_PROVIDER_ID))
        if r.provider:
            key = _provider_key(r.provider)
            if key is None:
                return (f"failed to parse provider reference for resource {r.urn}: {r.provider!r} is not "
                        "<provider URN>::<ID>")
            if key not in providers and not r.pending_replacement:
                return f"resource {r.urn} refers to unknown provider {r.provider}"
        checks: list[tuple[str, str, str]] = []  # (dependency URN, "comes after" text, "missing" text)
        if r.parent:
            checks.append((r.parent, f"child resource {r.urn}'s parent {r.parent} comes after it",
                           f"child resource {r.urn} refers to missing parent {r.parent}"))  # fmt: skip
        for dep in r.dependencies:
            if dep:
                checks.append((dep, f"resource {r.urn}'s dependency {dep} comes after it",
                               f"resource {r.urn}'s dependency {dep} refers to missing resource"))  # fmt: skip
        for prop, deps in r.property_dependencies.items():
            for dep in deps:
                if dep:
                    text = f"resource {r.urn}'s property dependency {dep} (from property {prop})"
                    checks.append((dep, f"{text} comes after it", f"{text} refers to missing resource"))
        if r.deleted_with:
            text = f"resource {r.urn} is specified as being deleted with {r.deleted_with}"
            checks.append((r.deleted_with, f"{text}, which comes after it", f"{text}, which is missing"))
        for dep in r.replace_with:
            if dep:
                text = f"resource {r.urn} is specified as being replaced with {dep}"
                checks.append((dep, f"{text}, which comes after it", f"{text}, which is missing"))
        for dep, after, missing in checks:
            if dep not in seen:
                return after if last_at.get(dep, -1) > i else missing
        seen.setdefault(r.urn, []).append(r)
    for urn, states in seen.items():
        deletes = sum(1 for state in states if state.delete)
        # Only a resource replaced or being deleted may appear more than once: all, or all but one, marked delete.
        if len(states) > 1 and deletes not in (len(states) - 1, len(states)):
            return f"duplicate resource {urn} (not marked for deletion)"
    return None


def parse_state(data: Any, source: Path) -> StackState:
    """A stack export's parsed JSON as the resources to judge; raises StateError naming what is wrong."""
    try:
        try:
            version, deployment = _deployment(data)
            raw_resources = deployment.get("resources")
            raw_resources = [] if raw_resources is None else raw_resources
            if not isinstance(raw_resources, list):
                raise StateError(f"deployment.resources must be an array, not {_kind(raw_resources)}")
            values = _Values()
            kept: list[StateResource] = []
            links: list[_Links] = []
            deleted = 0
            for index, raw in enumerate(raw_resources):
                resource = _resource(raw, index, values)
                links.append(_links(raw, resource))
                if links[-1].delete:
                    deleted += 1  # pending deletion after a replacement: AnalyzeSnapshot skips it
                    continue
                kept.append(resource)
            broken = _integrity_error(links)
            if broken is not None:
                raise StateError(
                    f"not a snapshot the Pulumi CLI would load: {broken} (its integrity check refuses this state; "
                    "export the stack again, unedited)"
                )
        except RecursionError as exc:
            # Only for values built in memory: a file is bounded to inputs.MAX_DEPTH when read.
            raise StateError("property values nested too deeply to read") from exc
    except StateError as exc:
        raise StateError(f"state file {shown_path(source)}: {exc}") from exc
    project, stack = _identity(kept)
    return StackState(source, version, project, stack, kept, deleted, values.unreadable_secrets)


def read_state(path: Path) -> StackState:
    """Read and parse a ``pulumi stack export`` file (at most inputs.STATE_LIMIT bytes); every failure is a
    one-line StateError."""
    try:
        data = read_json(path, "state file", limit=STATE_LIMIT)
    except InputError as exc:
        raise StateError(str(exc)) from exc
    return parse_state(data, path)
