"""Property values on the wire: the SDK's special objects (secrets, output values, resource references) as the
engine reads them, and plain values for the AWS answers.

The signatures are the Pulumi wire protocol's (sdk/go/common/resource/plugin/rpc.go); they are taken from the
checker's own Pulumi SDK, which speaks the same protocol as any program's.
"""

from __future__ import annotations

from typing import Any

from google.protobuf import json_format, struct_pb2
from pulumi.runtime import rpc

from ..records import without_resource_references

__all__ = ["SECRET", "UNKNOWN", "from_struct", "normalise", "plain", "secret", "to_struct"]

SIG = rpc._special_sig_key
SECRET = rpc._special_secret_sig
UNKNOWN = rpc.UNKNOWN
_OUTPUT_VALUE = rpc._special_output_value_sig


def from_struct(struct: struct_pb2.Struct) -> dict[str, Any]:
    return json_format.MessageToDict(struct)


def to_struct(value: dict[str, Any]) -> struct_pb2.Struct:
    out = struct_pb2.Struct()
    out.update(value)
    return out


def secret(value: Any) -> dict[str, Any]:
    return {SIG: SECRET, "value": value}


def normalise(value: Any) -> Any:
    """A value as the engine hands it to a provider built on the Terraform bridge and to an analyzer: output values
    become their value, a secret or the unknown sentinel; resource references become the ID or URN
    (:func:`~compliant_cloudtrail.check.records.without_resource_references`).

    (The SDK sends output values only to an engine that claims the ``outputValues`` feature, and resource
    references only to one that claims ``resourceReferences``, as ours does.)
    """
    return without_resource_references(_values(value))


def _values(value: Any) -> Any:
    if isinstance(value, list):
        return [_values(v) for v in value]
    if not isinstance(value, dict):
        return value
    if value.get(SIG) == _OUTPUT_VALUE:
        inner = _values(value["value"]) if "value" in value else UNKNOWN
        return secret(inner) if value.get("secret") else inner
    if value.get(SIG) == SECRET:
        return secret(_values(value.get("value")))
    return {k: _values(v) for k, v in value.items()}


def plain(value: Any) -> tuple[Any, bool]:
    """``(value, is_secret)`` of a value from :func:`normalise`: secrets unwrapped, unknowns kept as :data:`UNKNOWN`,
    assets and archives as sent."""
    if isinstance(value, list):
        pairs = [plain(v) for v in value]
        return [v for v, _ in pairs], any(s for _, s in pairs)
    if not isinstance(value, dict):
        return value, False
    sig = value.get(SIG)
    if sig == SECRET:
        inner, _ = plain(value.get("value"))
        return inner, True
    if sig == _OUTPUT_VALUE:
        inner, was_secret = plain(value["value"]) if "value" in value else (UNKNOWN, False)
        return inner, was_secret or bool(value.get("secret"))
    items = {k: plain(v) for k, v in value.items()}
    return {k: v for k, (v, _) in items.items()}, any(s for _, s in items.values())


def plain_bag(wire: dict[str, Any]) -> tuple[dict[str, Any], frozenset[str]]:
    """A property bag in plain values, and the top-level keys that held a secret anywhere inside."""
    out: dict[str, Any] = {}
    secrets: set[str] = set()
    for key, value in wire.items():
        out[key], is_secret = plain(value)
        if is_secret:
            secrets.add(key)
    return out, frozenset(secrets)
