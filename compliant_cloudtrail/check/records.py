"""What the engine is sent for one resource, as a record both runtimes produce (in-process mocks and the engine).

``inputs`` are plain values: secrets unwrapped (their keys kept apart), values not known yet replaced by the
:data:`UNKNOWN` sentinel; ``inputs_struct`` keeps the wire form for the policy pack, less resource references.

An analyzer is never sent a resource reference: the engine marshals its inputs with ``KeepResources`` false
(pulumi/pulumi pkg/resource/plugin/analyzer_plugin.go ``Analyze``/``AnalyzeStack``:
``MarshalOptions{KeepUnknowns: true, KeepSecrets: true, SkipInternalKeys: true}``), and
sdk/go/common/resource/plugin/rpc.go ``MarshalPropertyValue`` then writes a reference as its ID (a custom
resource; unknown while the ID is) or else its URN (a component). pulumi-policy has no reader for the reference
signature and fails the whole Analyze call on one.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

from google.protobuf import json_format, struct_pb2
from pulumi.output import Unknown
from pulumi.runtime import rpc

__all__ = [
    "STACK_TYPE",
    "UNKNOWN",
    "RegisteredResource",
    "ResourceOrigin",
    "origins",
    "source_position_of",
    "without_resource_references",
]

#: The value the SDK sends to the engine in place of a value that is not known yet (preview).
UNKNOWN: str = rpc.UNKNOWN
_SECRET_SIG_KEY = rpc._special_sig_key
_SECRET_SIG = rpc._special_secret_sig
_RESOURCE_SIG = rpc._special_resource_sig

STACK_TYPE = "pulumi:pulumi:Stack"

@dataclass(frozen=True)
class RegisteredResource:
    """One resource as the engine would have received it.

    ``inputs`` are the deserialised inputs with secrets unwrapped (their top-level keys are in
    ``secret_inputs``) and values not known yet (preview) replaced by the :data:`UNKNOWN` sentinel string.
    ``inputs_struct`` is the raw protobuf ``Struct`` exactly as sent: unknown sentinels and secret wrappers
    intact. ``outputs`` is what the mock answered (empty for the stack resource and, in preview, the inputs
    only).
    """

    urn: str
    type: str
    name: str
    custom: bool
    parent: str
    dependencies: list[str]
    property_dependencies: dict[str, list[str]]
    inputs: dict[str, Any]
    inputs_struct: struct_pb2.Struct
    outputs: dict[str, Any]
    protect: bool
    retain_on_delete: bool
    ignore_changes: list[str]
    aliases: list[dict[str, Any]]
    provider: str
    delete_before_replace: bool
    id: str = ""
    delete_before_replace_defined: bool = False
    additional_secret_outputs: list[str] = field(default_factory=list)
    replace_on_changes: list[str] = field(default_factory=list)
    custom_timeouts: dict[str, str] = field(default_factory=dict)
    deleted_with: str = ""
    import_id: str = ""
    version: str = ""
    secret_inputs: frozenset[str] = frozenset()
    read: bool = False
    """True when the resource came from ``ReadResource`` (``Resource.get``), not a registration."""
    source_position: tuple[str, int] | None = None
    """Where the program declared it, as its SDK sent it (``sourcePosition``: a file URI and a line), if sent."""

    __hash__ = None  # type: ignore[assignment]  # holds lists and dicts

    @property
    def is_stack(self) -> bool:
        return self.type == STACK_TYPE

    @classmethod
    def from_registration(
        cls, request: Any, *, urn: str, id: str, inputs: dict[str, Any], inputs_struct: struct_pb2.Struct,
        outputs: dict[str, Any], secret_inputs: frozenset[str],
    ) -> RegisteredResource:
        """A ``RegisterResourceRequest`` as recorded, whoever answered it (the SDK's mock monitor or ours)."""
        aliases = [json_format.MessageToDict(a) for a in request.aliases]
        aliases += [{"urn": u} for u in request.aliasURNs]
        timeouts = json_format.MessageToDict(request.customTimeouts) if request.HasField("customTimeouts") else {}
        return cls(
            urn=urn, type=request.type, name=request.name, custom=bool(request.custom), parent=request.parent,
            dependencies=list(request.dependencies),
            property_dependencies={k: list(v.urns) for k, v in request.propertyDependencies.items()},
            inputs=inputs, inputs_struct=inputs_struct, outputs=outputs, protect=bool(request.protect),
            retain_on_delete=bool(request.retainOnDelete), ignore_changes=list(request.ignoreChanges),
            aliases=aliases, provider=request.provider, delete_before_replace=bool(request.deleteBeforeReplace),
            id=id, delete_before_replace_defined=bool(request.deleteBeforeReplaceDefined),
            additional_secret_outputs=list(request.additionalSecretOutputs),
            replace_on_changes=list(request.replaceOnChanges), custom_timeouts=timeouts,
            deleted_with=request.deletedWith, import_id=request.importId, version=request.version,
            secret_inputs=secret_inputs, source_position=source_position_of(request),
        )  # fmt: skip


def source_position_of(request: Any) -> tuple[str, int] | None:
    """The ``sourcePosition`` of a Register/ReadResourceRequest (pulumi/pulumi proto/pulumi/resource.proto): the
    Python SDK (runtime/resource.py ``_get_source_position``) and the Node.js SDK (resource.ts, the frame below the
    resource's constructor) send the caller's file URI and line; older SDKs send none."""
    if not request.HasField("sourcePosition") or not request.sourcePosition.uri:
        return None
    return request.sourcePosition.uri, int(request.sourcePosition.line)


@dataclass(frozen=True)
class ResourceOrigin:
    """What the reports need of a resource besides the pack's verdict: where it sits and where it was declared."""

    urn: str
    type: str
    name: str
    parent: str
    source_position: tuple[str, int] | None = None


def origins(resources: Any) -> list[ResourceOrigin]:
    """Each resource's origin: :class:`RegisteredResource` records, or the dict form of an export's resources."""
    out = []
    for r in resources:
        if isinstance(r, RegisteredResource):
            out.append(ResourceOrigin(r.urn, r.type, r.name, r.parent, r.source_position))
        else:
            out.append(ResourceOrigin(str(r.get("urn", "")), str(r.get("type", "")), str(r.get("name", "")),
                                      str(r.get("parent") or "")))  # fmt: skip
    return out


def without_resource_references(value: Any) -> Any:
    """A JSON-form property value with each resource reference, at any depth, as an analyzer receives it: the
    custom resource's ID (unknown when the ID is empty or unknown, as rpc.go's unmarshaling reads it), else the
    component's URN. Secrets, unknowns and output values are left as they are."""
    if isinstance(value, list):
        return [without_resource_references(v) for v in value]
    if not isinstance(value, dict):
        return value
    if value.get(_SECRET_SIG_KEY) == _RESOURCE_SIG:
        if "id" not in value:
            return value.get("urn", "")
        rid = value["id"]
        return rid if isinstance(rid, str) and rid else UNKNOWN
    return {k: without_resource_references(v) for k, v in value.items()}


def analyzer_struct(struct: struct_pb2.Struct) -> struct_pb2.Struct:
    """A copy of a wire ``Struct`` without resource references (:func:`without_resource_references`)."""
    out = struct_pb2.Struct()
    out.update(without_resource_references(json_format.MessageToDict(struct)))
    return out


def _plain(value: Any) -> Any:
    """Deserialised property value -> plain Python value (unknowns -> UNKNOWN, secrets unwrapped)."""
    if isinstance(value, Unknown):
        return UNKNOWN
    if rpc.is_rpc_secret(value):
        return _plain(rpc.unwrap_rpc_secret(value))
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _deserialise(struct: struct_pb2.Struct) -> tuple[dict[str, Any], frozenset[str]]:
    raw = rpc.deserialize_properties(struct, keep_unknowns=True)
    if not isinstance(raw, dict):  # an asset or archive at top level: not a property bag
        return {}, frozenset()
    secrets = frozenset(k for k, v in raw.items() if rpc.is_rpc_secret(v))
    return {k: _plain(v) for k, v in raw.items()}, secrets


def _copy_struct(struct: struct_pb2.Struct) -> struct_pb2.Struct:
    out = struct_pb2.Struct()
    out.CopyFrom(struct)
    return out
