"""The Engine service a program's SDK (``pulumi.log``, the launcher's error) or a policy pack logs to."""

from __future__ import annotations

import threading
from collections.abc import Callable
from dataclasses import dataclass

from google.protobuf import empty_pb2
from pulumi.runtime.proto import engine_pb2, engine_pb2_grpc

__all__ = ["EngineLog", "LogLine"]

_SEVERITIES = {
    engine_pb2.DEBUG: "debug",
    engine_pb2.INFO: "info",
    engine_pb2.WARNING: "warning",
    engine_pb2.ERROR: "error",
}


@dataclass(frozen=True)
class LogLine:
    severity: str
    message: str
    urn: str
    stream_id: int = 0


class EngineLog(engine_pb2_grpc.EngineServicer):
    def __init__(self, on_call: Callable[[], None] | None = None) -> None:
        self.lines: list[LogLine] = []
        self._lock = threading.Lock()
        self._root = ""
        #: told of every Log call (the watchdog counts a program that logs as working)
        self._on_call = on_call

    def Log(self, request, context):
        if self._on_call is not None:
            self._on_call()
        with self._lock:
            self.lines.append(
                LogLine(_SEVERITIES.get(request.severity, "info"), request.message, request.urn, request.streamId)
            )
        return empty_pb2.Empty()

    def GetRootResource(self, request, context):
        return engine_pb2.GetRootResourceResponse(urn=self._root)

    def SetRootResource(self, request, context):
        self._root = request.urn
        return engine_pb2.SetRootResourceResponse()

    def RequirePulumiVersion(self, request, context):
        # No CLI here: any range a program requires is accepted, and the check says nothing about the CLI.
        return engine_pb2.RequirePulumiVersionResponse()

    def errors(self) -> list[str]:
        return [line.message for line in self.lines if line.severity == "error"]
