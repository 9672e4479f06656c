"""A fake Pulumi engine for the hosted component: the ResourceMonitor and Engine gRPC services, served in the
test process, recording every registration the provider's ``Construct`` sends.

AWS answers (invokes, computed outputs) come from the project's ``AwsMocks``; in preview mode a resource gets
no id and only its inputs back, so computed outputs stay unknown as in a first ``pulumi preview``.
"""

from __future__ import annotations

import contextlib
import threading
from collections.abc import Iterator
from concurrent import futures
from dataclasses import dataclass, field
from typing import Any

import grpc
from google.protobuf import empty_pb2, json_format, struct_pb2
from pulumi.runtime.mocks import MockCallArgs, MockResourceArgs
from pulumi.runtime.proto import engine_pb2, engine_pb2_grpc, resource_pb2, resource_pb2_grpc

from compliant_cloudtrail.check.mock_runtime import AwsMocks

PROJECT = "consumer"
STACK = "dev"
STACK_URN = f"urn:pulumi:{STACK}::{PROJECT}::pulumi:pulumi:Stack::{PROJECT}-{STACK}"
ACCOUNT = "111122223333"
REGION = "eu-west-1"
ORG_ID = "o-a1b2c3d4e5"


@dataclass(frozen=True)
class Registration:
    urn: str
    type: str
    name: str
    parent: str
    custom: bool
    inputs: dict[str, Any]
    dependencies: list[str]


def _to_dict(struct: struct_pb2.Struct) -> dict[str, Any]:
    return json_format.MessageToDict(struct)


def _to_struct(value: dict[str, Any]) -> struct_pb2.Struct:
    struct = struct_pb2.Struct()
    struct.update(value)
    return struct


@dataclass
class FakeMonitor(resource_pb2_grpc.ResourceMonitorServicer):
    preview: bool
    registrations: list[Registration] = field(default_factory=list)
    outputs: dict[str, dict[str, Any]] = field(default_factory=dict)

    def __post_init__(self) -> None:
        self.mocks = AwsMocks(account_id=ACCOUNT, region=REGION, organization_id=ORG_ID, preview=self.preview)
        self._lock = threading.Lock()

    def one(self, type_token: str) -> Registration:
        found = [r for r in self.registrations if r.type == type_token]
        assert len(found) == 1, f"expected one {type_token}, registered: {sorted(r.type for r in self.registrations)}"
        return found[0]

    # -- ResourceMonitor ---------------------------------------------------------------------------------
    def GetDeploymentInfo(self, request: Any, context: Any) -> resource_pb2.DeploymentInfo:
        # No output values or resource references: registrations then carry plain JSON, easy to read back.
        return resource_pb2.DeploymentInfo(supportedFeatures=[
            resource_pb2.RESOURCE_MONITOR_FEATURE_SECRETS,
            resource_pb2.RESOURCE_MONITOR_FEATURE_ALIAS_SPECS,
            resource_pb2.RESOURCE_MONITOR_FEATURE_DELETED_WITH,
            resource_pb2.RESOURCE_MONITOR_FEATURE_REPLACE_WITH,
        ])

    def SupportsFeature(self, request: Any, context: Any) -> resource_pb2.SupportsFeatureResponse:
        return resource_pb2.SupportsFeatureResponse(
            hasSupport=request.id in {"secrets", "aliasSpecs", "deletedWith", "replaceWith"})

    def Invoke(self, request: Any, context: Any) -> resource_pb2.ResourceInvokeResponse:
        answer, _ = self.mocks.call(MockCallArgs(token=request.tok, args=_to_dict(request.args),
                                                 provider=request.provider))
        return resource_pb2.ResourceInvokeResponse(**{"return": _to_struct(answer)})

    def RegisterResource(self, request: Any, context: Any) -> resource_pb2.RegisterResourceResponse:
        qualified = request.type
        if request.parent and request.parent != STACK_URN:
            qualified = request.parent.split("::")[2] + "$" + request.type
        urn = f"urn:pulumi:{STACK}::{PROJECT}::{qualified}::{request.name}"
        inputs = _to_dict(request.object)
        with self._lock:
            self.registrations.append(Registration(urn=urn, type=request.type, name=request.name,
                                                   parent=request.parent, custom=request.custom, inputs=inputs,
                                                   dependencies=list(request.dependencies)))
        resource_id, outputs = self.mocks.new_resource(MockResourceArgs(
            typ=request.type, name=request.name, inputs=inputs, custom=request.custom))
        return resource_pb2.RegisterResourceResponse(urn=urn, id=resource_id or "", object=_to_struct(outputs))

    def RegisterResourceOutputs(self, request: Any, context: Any) -> empty_pb2.Empty:
        with self._lock:
            self.outputs[request.urn] = _to_dict(request.outputs)
        return empty_pb2.Empty()


class FakeEngine(engine_pb2_grpc.EngineServicer):
    """Where the provider's log messages go (the CLI shows them)."""

    def __init__(self) -> None:
        self.messages: list[tuple[int, str]] = []

    def Log(self, request: Any, context: Any) -> empty_pb2.Empty:
        self.messages.append((request.severity, request.message))
        return empty_pb2.Empty()

    def GetRootResource(self, request: Any, context: Any) -> engine_pb2.GetRootResourceResponse:
        return engine_pb2.GetRootResourceResponse(urn=STACK_URN)

    def SetRootResource(self, request: Any, context: Any) -> engine_pb2.SetRootResourceResponse:
        return engine_pb2.SetRootResourceResponse()


@contextlib.contextmanager
def serving(servicer: Any, add: Any) -> Iterator[str]:
    """Serve one servicer on a free local port; yield its address."""
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=8))
    add(servicer, server)
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    try:
        yield f"127.0.0.1:{port}"
    finally:
        server.stop(grace=None)


def monitor_serving(monitor: FakeMonitor) -> contextlib.AbstractContextManager[str]:
    return serving(monitor, resource_pb2_grpc.add_ResourceMonitorServicer_to_server)


def engine_serving(engine: FakeEngine) -> contextlib.AbstractContextManager[str]:
    return serving(engine, engine_pb2_grpc.add_EngineServicer_to_server)
