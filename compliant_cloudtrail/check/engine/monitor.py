"""The ResourceMonitor the program's SDK talks to: records each registration and answers as AWS would.

What the real engine does (pulumi/pulumi pkg/resource/deploy/source_eval.go and step_generator.go) and what this
one does instead:

* ``RegisterResource``: the engine builds the URN, refuses one it has seen ("Duplicate resource URN '...'; try
  giving it a unique name"), has the provider ``Check`` the inputs, then runs the analyzers' ``Analyze`` on the
  checked inputs (step_generator.go: ``prov.Check`` before ``analyzeAll``), then asks for a create (update) or a
  diff (preview). A provider's Check returns only the inputs its schema declares, so a key the program made up
  (an ``arn`` input on a trail) never reaches a policy; here the declared inputs come from the program's SDK
  class for the type (its ``<Class>Args``). Here the outputs come
  from :class:`~compliant_cloudtrail.check.aws_mocks.AwsMocks`; in a preview only the inputs go back, so
  computed outputs are unknown, as in a first ``pulumi preview``.
* ``remote=True`` (a multi-language component: awsx, eks...): the engine calls the provider's ``Construct``,
  which registers the children. That needs the provider's plugin, so it cannot happen offline: the component is
  recorded as *unexpanded* and every output of it is unknown (inputs and the outputs its SDK class declares), so
  the rest of the program runs; what the check then concludes is the caller's business.
* ``ReadResource``: ``pulumi:pulumi:StackReference`` reads get the referenced stack's outputs (see
  :mod:`.stack_references`); other reads get what a read of that id would return.
* ``Invoke``: :class:`~.invokes.Invokes`; ``Call``: refused with the engine's kind of error.
"""

from __future__ import annotations

import threading
import uuid
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import grpc
from google.protobuf import empty_pb2
from pulumi.runtime.proto import resource_pb2, resource_pb2_grpc

from ..aws_mocks import AwsMocks
from ..records import STACK_TYPE, RegisteredResource, source_position_of
from . import wire
from .aws_invokes import AwsContext, fill_outputs
from .invokes import InvokeError, Invokes
from .result_shapes import declared_inputs, resource_shape
from .stack_references import StackReferences

__all__ = ["SUPPORTED_FEATURES", "EngineState", "OfflineMonitor"]

# What this engine really does, so that the SDK behaves as under the CLI. Transforms, hooks and state migrations
# need the engine to call back into the program (the Callbacks service); they are not claimed, and the SDK
# then says "The Pulumi CLI does not support transforms" itself.
SUPPORTED_FEATURES: dict[str, Any] = {
    "secrets": resource_pb2.RESOURCE_MONITOR_FEATURE_SECRETS,
    "resourceReferences": resource_pb2.RESOURCE_MONITOR_FEATURE_RESOURCE_REFERENCES,
    "outputValues": resource_pb2.RESOURCE_MONITOR_FEATURE_OUTPUT_VALUES,
    "aliasSpecs": resource_pb2.RESOURCE_MONITOR_FEATURE_ALIAS_SPECS,
    "deletedWith": resource_pb2.RESOURCE_MONITOR_FEATURE_DELETED_WITH,
    "replaceWith": resource_pb2.RESOURCE_MONITOR_FEATURE_REPLACE_WITH,
    "parameterization": resource_pb2.RESOURCE_MONITOR_FEATURE_PARAMETERIZATION,
    "invokeDependsOn": resource_pb2.RESOURCE_MONITOR_FEATURE_INVOKE_DEPENDS_ON,
}

STACK_REFERENCE_TYPE = "pulumi:pulumi:StackReference"


@dataclass
class EngineState:
    """Everything one run produced, filled in by the servers' threads."""

    project: str
    stack: str
    preview: bool
    resources: list[RegisteredResource] = field(default_factory=list)
    by_urn: dict[str, RegisteredResource] = field(default_factory=dict)
    #: every URN a registration has claimed, set before it is answered: two registrations of one URN arrive on
    #: concurrent threads, and ``by_urn`` is only filled once the first one has been answered
    claimed: set[str] = field(default_factory=set)
    #: outputs registered with RegisterResourceOutputs, by URN (the stack's exports under the stack's URN)
    registered_outputs: dict[str, dict[str, Any]] = field(default_factory=dict)
    #: errors the engine itself raised (duplicate URNs), in order
    engine_errors: list[str] = field(default_factory=list)
    #: remote components that could not be constructed offline: (type, name, urn)
    unexpanded: list[tuple[str, str, str]] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)
    provider_regions: dict[str, str] = field(default_factory=dict)
    lock: threading.Lock = field(default_factory=threading.Lock)
    #: called after each registration with the number so far (the progress line)
    on_register: Callable[[int], None] | None = None


def _qualified_type(parent_urn: str, typ: str) -> str:
    """The engine's URN type part: the parent's qualified type + "$" + type, none under the root stack."""
    if not parent_urn:
        return typ
    parent_type = parent_urn.split("::")[2]
    return typ if parent_type == STACK_TYPE else f"{parent_type}${typ}"


class OfflineMonitor(resource_pb2_grpc.ResourceMonitorServicer):
    def __init__(
        self,
        state: EngineState,
        mocks: AwsMocks,
        invokes: Invokes,
        stack_refs: StackReferences,
        config: dict[str, str],
        package_dirs: Callable[[str], Path | None] = lambda _pkg: None,
    ) -> None:
        self.state, self.mocks, self.invokes, self.stack_refs = state, mocks, invokes, stack_refs
        self.config = config
        #: the program's SDK package of a Pulumi package ("random" -> .../site-packages/pulumi_random)
        self.package_dirs = package_dirs

    def _checked(self, request: Any, wire_in: dict[str, Any]) -> dict[str, Any]:
        """The inputs a provider's Check would keep: those the type declares. Components and providers, and types
        whose SDK class is not found, keep what was sent."""
        if not request.custom or request.remote or request.type.startswith("pulumi:providers:"):
            return wire_in
        package_dir = self.package_dirs(request.type.split(":", 1)[0])
        declared = declared_inputs(request.type, package_dir) if package_dir is not None else None
        if declared is None:
            return wire_in
        return {k: v for k, v in wire_in.items() if k in declared}

    def _unconstructed_outputs(self, token: str, wire_in: dict[str, Any]) -> dict[str, Any]:
        """A remote component's outputs, which only its provider's Construct could give: every one unknown, as a
        preview shows what it cannot compute, so that the rest of the program runs on. That is each input key (an
        input echoed back has the input's type, not the output's: awsx.ec2.Vpc's ``natGateways`` is a strategy
        going in and a list of NatGateway resources coming out, and the SDK refuses the dict) and each output
        its SDK class declares (the SDK would take a missing one for a known empty value in an update)."""
        package_dir = self.package_dirs(token.split(":", 1)[0])
        shape = resource_shape(token, package_dir) if package_dir is not None else None
        names = [*wire_in, *(f.name for f in shape.fields)] if shape is not None else list(wire_in)
        return dict.fromkeys(names, wire.UNKNOWN)

    def _provider_computed(self, token: str, outputs: dict[str, Any], region: str | None) -> dict[str, Any]:
        """Outputs the provider would always compute and the AWS answers did not give (any package: their names
        and types come from the program's own SDK class for the type)."""
        package_dir = self.package_dirs(token.split(":", 1)[0])
        shape = resource_shape(token, package_dir) if package_dir is not None else None
        if shape is None:
            return outputs
        m = self.mocks
        context = AwsContext(m.account_id, region or m.region, m.partition, m.dns_suffix)
        return fill_outputs(token, outputs, shape, context, declared_inputs(token, package_dir) or frozenset())

    # -- capabilities ----------------------------------------------------------------------------------------
    def SupportsFeature(self, request, context):
        return resource_pb2.SupportsFeatureResponse(hasSupport=request.id in SUPPORTED_FEATURES)

    def GetDeploymentInfo(self, request, context):
        return resource_pb2.DeploymentInfo(
            project=self.state.project,
            stack=self.state.stack,
            organization="organization",
            config=self.config,
            dryRun=self.state.preview,
            supportedFeatures=list(SUPPORTED_FEATURES.values()),
        )

    def SignalAndWaitForShutdown(self, request, context):
        return empty_pb2.Empty()

    def RegisterPackage(self, request, context):
        return resource_pb2.RegisterPackageResponse(ref=str(uuid.uuid5(uuid.NAMESPACE_URL, request.name)))

    # -- helpers -----------------------------------------------------------------------------------------------
    def _urn(self, parent: str, typ: str, name: str) -> str:
        st = self.state
        return f"urn:pulumi:{st.stack}::{st.project}::{_qualified_type(parent, typ)}::{name}"

    def _claim(self, urn: str, context: grpc.ServicerContext) -> None:
        """The step generator's check: one URN, one resource, per deployment."""
        with self.state.lock:
            if urn in self.state.claimed:
                message = f"Duplicate resource URN '{urn}'; try giving it a unique name"
                self.state.engine_errors.append(message)
            else:
                self.state.claimed.add(urn)
                return
        context.abort(grpc.StatusCode.INVALID_ARGUMENT, message)

    def _region(self, provider_ref: str) -> str | None:
        return self.state.provider_regions.get(provider_ref)

    def _add(self, record: RegisteredResource) -> None:
        with self.state.lock:
            self.state.resources.append(record)
            self.state.by_urn[record.urn] = record
            count = len(self.state.resources)
        if self.state.on_register is not None:
            self.state.on_register(count)

    def _outputs(self, wire_in: dict[str, Any], plain_in: dict[str, Any], computed: dict[str, Any]) -> dict[str, Any]:
        """Inputs as sent (secrets kept), overlaid with what the provider computed or changed."""
        out = dict(wire_in)
        for key, value in computed.items():
            if key not in plain_in or plain_in[key] != value:
                out[key] = value
        return out

    # -- registrations ----------------------------------------------------------------------------------------
    def RegisterResource(self, request, context):
        urn = self._urn(request.parent, request.type, request.name)
        self._claim(urn, context)
        wire_in = self._checked(request, wire.normalise(wire.from_struct(request.object)))
        plain_in, secret_keys = wire.plain_bag(wire_in)
        rid, out = self._answer_registration(request, urn, wire_in, plain_in)
        self._add(self._record(request, urn, rid, wire_in, plain_in, secret_keys, out))
        return resource_pb2.RegisterResourceResponse(urn=urn, id=rid, object=wire.to_struct(out))

    def _answer_registration(
        self, request: Any, urn: str, wire_in: dict[str, Any], plain_in: dict[str, Any]
    ) -> tuple[str, dict[str, Any]]:
        if request.remote:
            with self.state.lock:
                self.state.unexpanded.append((request.type, request.name, urn))
            return "", self._unconstructed_outputs(request.type, wire_in)
        if not request.custom:
            return "", {}
        if request.type.startswith("pulumi:providers:"):
            rid = str(uuid.uuid5(uuid.NAMESPACE_URL, urn))
            region = plain_in.get("region")
            if isinstance(region, str) and region != wire.UNKNOWN:
                with self.state.lock:
                    self.state.provider_regions[f"{urn}::{rid}"] = region
            return rid, wire_in
        if self.state.preview and not request.importId:
            return "", wire_in
        region = self._region(request.provider)
        rid, computed = self.mocks.computed(
            request.type, request.name, plain_in, resource_id=request.importId or None, region=region
        )
        computed = self._provider_computed(request.type, computed, region)
        return rid, self._outputs(wire_in, plain_in, computed)

    def _record(
        self,
        request: Any,
        urn: str,
        rid: str,
        wire_in: dict[str, Any],
        plain_in: dict[str, Any],
        secret_keys: frozenset[str],
        out: dict[str, Any],
    ) -> RegisteredResource:
        return RegisteredResource.from_registration(
            request, urn=urn, id=rid, inputs=plain_in, inputs_struct=wire.to_struct(wire_in),
            outputs=wire.plain_bag(out)[0], secret_inputs=secret_keys,
        )

    def RegisterResourceOutputs(self, request, context):
        # An SDK with nothing to export may leave the field out (pulumi 2.x with protobuf 3.20 does): still the
        # stack's last call, which says the program finished.
        outputs = wire.plain_bag(wire.normalise(wire.from_struct(request.outputs)))[0] if request.HasField(
            "outputs") else {}
        with self.state.lock:
            self.state.registered_outputs[request.urn] = outputs
        return empty_pb2.Empty()

    def ReadResource(self, request, context):
        urn = self._urn(request.parent, request.type, request.name)
        self._claim(urn, context)
        wire_in = wire.normalise(wire.from_struct(request.properties))
        plain_in, secret_keys = wire.plain_bag(wire_in)
        if request.type == STACK_REFERENCE_TYPE:
            out = self.stack_refs.read(request.name, request.id)
        else:
            region = self._region(request.provider)
            _, computed = self.mocks.computed(
                request.type, request.name, plain_in, resource_id=request.id, region=region
            )
            out = self._outputs(wire_in, plain_in, self._provider_computed(request.type, computed, region))
        record = RegisteredResource(
            urn=urn, type=request.type, name=request.name, custom=True, parent=request.parent,
            dependencies=list(request.dependencies), property_dependencies={}, inputs=plain_in,
            inputs_struct=wire.to_struct(wire_in), outputs=wire.plain_bag(out)[0], protect=False,
            retain_on_delete=False, ignore_changes=[], aliases=[], provider=request.provider,
            delete_before_replace=False, id=request.id, version=request.version, secret_inputs=secret_keys,
            read=True, source_position=source_position_of(request),
        )  # fmt: skip
        self._add(record)
        return resource_pb2.ReadResourceResponse(urn=urn, properties=wire.to_struct(out))

    # -- functions -----------------------------------------------------------------------------------------------
    def Invoke(self, request, context):
        args = wire.plain_bag(wire.normalise(wire.from_struct(request.args)))[0]
        try:
            if request.tok == "pulumi:pulumi:getResource":
                result = self._get_resource(str(args.get("urn", "")))
            else:
                result = self.invokes.answer(request.tok, args, self._region(request.provider))
        except InvokeError as exc:
            context.abort(grpc.StatusCode.UNKNOWN, str(exc))
        return resource_pb2.ResourceInvokeResponse(**{"return": wire.to_struct(result)})

    def _get_resource(self, urn: str) -> dict[str, Any]:
        record = self.state.by_urn.get(urn)
        if record is None:
            raise InvokeError(f"invocation of pulumi:pulumi:getResource returned an error: unknown resource {urn}")
        return {"urn": urn, "id": record.id, "state": record.outputs}

    def Call(self, request, context):
        context.abort(
            grpc.StatusCode.UNKNOWN,
            f"call of {request.tok} returned an error: the offline engine cannot run provider methods "
            "(they need the provider's plugin)",
        )
