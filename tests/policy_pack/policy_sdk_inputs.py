"""Validator inputs built the way pulumi-policy builds them, so tests see what the CLI's calls produce.

Properties go through a protobuf ``Struct`` (numbers become floats), ``deserialize_properties`` (secrets
unwrapped) and ``unknown_checking_proxy`` (unknowns raise on read), as ``Analyze`` and ``AnalyzeStack`` do.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from typing import Any

from google.protobuf import json_format, struct_pb2
from pulumi.runtime import proto
from pulumi_policy import (
    EnforcementLevel,
    Policy,
    PolicyCustomTimeouts,
    PolicyProviderResource,
    PolicyResource,
    PolicyResourceOptions,
    ResourceValidationArgs,
    StackValidationArgs,
)
from pulumi_policy.deserialize import SPECIAL_SECRET_SIG, SPECIAL_SIG_KEY, deserialize_properties
from pulumi_policy.policy import _PolicyAnalyzerServicer
from pulumi_policy.proxy import (
    UNKNOWN_ARRAY_VALUE,
    UNKNOWN_BOOLEAN_VALUE,
    UNKNOWN_STRING_VALUE,
    unknown_checking_proxy,
)

UNKNOWN_STRING = UNKNOWN_STRING_VALUE
UNKNOWN_BOOL = UNKNOWN_BOOLEAN_VALUE
UNKNOWN_ARRAY = UNKNOWN_ARRAY_VALUE


def secret(value: Any) -> dict[str, Any]:
    """A value marked secret on the wire, as the engine sends it."""
    return {SPECIAL_SIG_KEY: SPECIAL_SECRET_SIG, "value": value}


def to_struct(props: Mapping[str, Any]) -> struct_pb2.Struct:
    struct = struct_pb2.Struct()
    struct.update(dict(props))
    return struct


def as_sdk_props(props: Mapping[str, Any]) -> Mapping[str, Any]:
    return unknown_checking_proxy(deserialize_properties(json_format.MessageToDict(to_struct(props))))


def urn_of(resource_type: str, name: str) -> str:
    return f"urn:pulumi:test::compliant-cloudtrail::{resource_type}::{name}"


def _options() -> PolicyResourceOptions:
    return PolicyResourceOptions(False, [], None, [], PolicyCustomTimeouts(0, 0, 0), [], None)


def provider(props: Mapping[str, Any], provider_type: str = "pulumi:providers:aws") -> PolicyProviderResource:
    """The resource's provider as ``Analyze`` describes it: its inputs, read through the same proxy."""
    return PolicyProviderResource(provider_type, as_sdk_props(props), urn_of(provider_type, "default"), "default")


def resource_args(
    resource_type: str,
    props: Mapping[str, Any],
    name: str = "audit-trail",
    config: Mapping[str, Any] | None = None,
    provider: PolicyProviderResource | None = None,
) -> ResourceValidationArgs:
    return ResourceValidationArgs(
        resource_type, as_sdk_props(props), urn_of(resource_type, name), name, _options(), provider, config
    )


@dataclass
class StackResource:
    """One resource of a stack snapshot as the test writes it: outputs, plus property dependencies by name."""

    type: str
    name: str
    props: dict[str, Any]
    property_dependencies: dict[str, list[str]] = field(default_factory=dict)

    @property
    def urn(self) -> str:
        return urn_of(self.type, self.name)


def stack_args(resources: list[StackResource], config: Mapping[str, Any] | None = None) -> StackValidationArgs:
    built = {
        r.name: PolicyResource(r.type, as_sdk_props(r.props), r.urn, r.name, _options(), None, None, [], {})
        for r in resources
    }
    for r in resources:
        built[r.name].property_dependencies = {
            key: [built[dep] for dep in deps] for key, deps in r.property_dependencies.items()
        }
    return StackValidationArgs(list(built.values()), config)


@dataclass
class Reports:
    """Collects report_violation calls: (message, urn)."""

    calls: list[tuple[str, str | None]] = field(default_factory=list)

    def __call__(self, message: str, urn: str | None = None) -> None:
        self.calls.append((message, urn))

    @property
    def messages(self) -> list[str]:
        return [message for message, _ in self.calls]

    def text(self) -> str:
        return "\n".join(self.messages)


def analyze_through_sdk(
    policy: Policy, resource_type: str, props: Mapping[str, Any], name: str = "audit-trail"
) -> list[Any]:
    """The diagnostics the SDK's own Analyze handler returns, generic preview advisories included."""
    servicer = _PolicyAnalyzerServicer("compliant-cloudtrail", "0.1.0", [policy], EnforcementLevel.ADVISORY)
    request = proto.AnalyzeRequest(
        type=resource_type, properties=to_struct(props), urn=urn_of(resource_type, name), name=name
    )
    return list(servicer.Analyze(request, None).diagnostics)


def analyze_stack_through_sdk(
    policy: Policy, resources: list[StackResource], config: Mapping[str, Any] | None = None
) -> list[Any]:
    """The diagnostics the SDK's own AnalyzeStack handler returns for a stack snapshot."""
    servicer = _PolicyAnalyzerServicer("compliant-cloudtrail", "0.1.0", [policy], EnforcementLevel.ADVISORY)
    if config is not None:
        configure = proto.ConfigureAnalyzerRequest()
        configure.policyConfig[policy.name].properties.update(dict(config))
        configure.policyConfig[policy.name].enforcementLevel = proto.ADVISORY
        servicer.Configure(configure, None)
    by_name = {r.name: r for r in resources}
    request = proto.AnalyzeStackRequest()
    for r in resources:
        entry = request.resources.add(type=r.type, properties=to_struct(r.props), urn=r.urn, name=r.name)
        for key, deps in r.property_dependencies.items():
            entry.propertyDependencies[key].urns.extend(by_name[d].urn for d in deps)
    return list(servicer.AnalyzeStack(request, None).diagnostics)


@dataclass
class Verdict:
    """What one Analyze call answers for one policy: its violations (the SDK puts the policy description and a
    newline before each message) and its not-applicable reasons."""

    messages: list[str]
    not_applicable: list[str]


def verdict_through_sdk(
    policy: Policy,
    resource_type: str,
    props: Mapping[str, Any],
    name: str = "audit-trail",
    config: Mapping[str, Any] | None = None,
) -> Verdict:
    """``Analyze`` through the SDK's own handler, keeping what ``args.not_applicable`` answered."""
    servicer = _PolicyAnalyzerServicer("compliant-cloudtrail", "0.1.0", [policy], EnforcementLevel.ADVISORY)
    if config is not None:
        configure = proto.ConfigureAnalyzerRequest()
        configure.policyConfig[policy.name].properties.update(dict(config))
        configure.policyConfig[policy.name].enforcementLevel = proto.MANDATORY
        servicer.Configure(configure, None)
    request = proto.AnalyzeRequest(
        type=resource_type, properties=to_struct(props), urn=urn_of(resource_type, name), name=name
    )
    response = servicer.Analyze(request, None)
    return Verdict([d.message for d in response.diagnostics], [n.reason for n in response.not_applicable])
