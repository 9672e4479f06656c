"""Start the component provider the way the Pulumi CLI starts a source-based Python plugin, and talk to it.

The CLI's Python language host runs ``python <plugin folder> <engine address>`` with the user's program folder
as working directory, and reads the provider's gRPC port from the first line of its stdout (``RunPlugin`` in
``sdk/python/cmd/pulumi-language-python/main.go``; the port line is ``pulumi.provider.server.main``'s).
"""

from __future__ import annotations

import contextlib
import json
import subprocess
import sys
import tempfile
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import grpc
from google.protobuf import struct_pb2
from pulumi.runtime.proto import provider_pb2, provider_pb2_grpc

from .fake_engine import PROJECT, REGION, STACK, STACK_URN

REPO = Path(__file__).resolve().parents[2]
PLUGIN_DIR = REPO / "compliant_cloudtrail" / "provider"
TYPE_TOKEN = "compliant-cloudtrail:index:CompliantTrail"


@dataclass
class RunningProvider:
    process: subprocess.Popen[bytes]
    stub: provider_pb2_grpc.ResourceProviderStub
    stderr_path: Path

    def stderr(self) -> str:
        return self.stderr_path.read_text(errors="replace")

    def schema(self) -> dict[str, Any]:
        response = self.stub.GetSchema(provider_pb2.GetSchemaRequest(version=0))
        return json.loads(response.schema)

    def construct(self, inputs: dict[str, Any], *, monitor_address: str, preview: bool,
                  name: str = "audit") -> provider_pb2.ConstructResponse:
        """What the engine sends when a TypeScript or YAML program declares the component."""
        struct = struct_pb2.Struct()
        struct.update(inputs)
        return self.stub.Construct(provider_pb2.ConstructRequest(
            project=PROJECT, stack=STACK, organization="organization", dryRun=preview,
            monitorEndpoint=monitor_address, type=TYPE_TOKEN, name=name, parent=STACK_URN, inputs=struct,
            config={"aws:region": REGION}, accepts_output_values=False,
        ))


@contextlib.contextmanager
def started_provider(engine_address: str) -> Iterator[RunningProvider]:
    with tempfile.TemporaryDirectory(prefix="consumer-program-") as program_dir:
        stderr_path = Path(program_dir) / "provider.stderr"
        with stderr_path.open("wb") as stderr:
            process = subprocess.Popen([sys.executable, str(PLUGIN_DIR), engine_address], cwd=program_dir,
                                       stdout=subprocess.PIPE, stderr=stderr)
        try:
            assert process.stdout is not None
            line = process.stdout.readline().decode().strip()
            assert line.isdigit(), f"the provider printed {line!r}, not a port; stderr:\n{stderr_path.read_text()}"
            with grpc.insecure_channel(f"127.0.0.1:{line}") as channel:
                yield RunningProvider(process, provider_pb2_grpc.ResourceProviderStub(channel), stderr_path)
        finally:
            process.kill()
            process.wait()
