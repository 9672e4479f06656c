"""The two packs under test, started as the CLI starts them, and timed gRPC calls with pre-built requests.

Both packs run on the interpreter running the benchmark (``AnalyzerClient(python=sys.executable)``), so
they share one virtualenv whatever ``PulumiPolicy.yaml`` declares: under the CLI each would get its own,
built from the same ``requirements.txt``.

Timed calls send bytes serialised before the clock starts, over a channel with the CLI's receive limit;
so a figure holds the transfer and the pack's work, not the harness building protobuf messages.
"""

from __future__ import annotations

import contextlib
import resource
import sys
import time
from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path

import grpc
from pulumi.runtime.proto import analyzer_pb2

from compliant_cloudtrail.check.analyzer_client import AnalyzerClient

REPO_ROOT = Path(__file__).resolve().parents[1]
OUR_PACK = REPO_ROOT / "compliant_cloudtrail" / "policy_pack"
NOOP_PACK = REPO_ROOT / "benchmarks" / "noop_pack"

#: Environment that makes the no-op pack the shape of ours: 4 resource policies and 2 stack policies.
OUR_SHAPE = {"NOOP_RESOURCE_POLICIES": "4", "NOOP_STACK_POLICIES": "2"}

# The CLI dials plugins with a 400 MiB receive limit (pulumi/pulumi sdk/go/common/util/rpcutil,
# GrpcChannelOptions); gRPC's default would be 4 MiB.
CLI_RECEIVE_LIMIT = 400 * 1024 * 1024
CALL_TIMEOUT = 900.0


@dataclass
class RunningPack:
    client: AnalyzerClient
    channel: grpc.Channel

    def timed(self, method: str, request: bytes) -> tuple[float, analyzer_pb2.AnalyzeResponse]:
        """Seconds one ``Analyze`` or ``AnalyzeStack`` call takes, and the pack's answer."""
        call = self.channel.unary_unary(
            f"/pulumirpc.Analyzer/{method}",
            request_serializer=None,
            response_deserializer=analyzer_pb2.AnalyzeResponse.FromString,
        )
        started = time.perf_counter()
        response = call(request, timeout=CALL_TIMEOUT)
        return time.perf_counter() - started, response


@contextlib.contextmanager
def running(pack_dir: Path, env: Mapping[str, str] | None = None) -> Iterator[RunningPack]:
    """A started pack, configured in the CLI's order with no policy config (every policy at its default)."""
    client = AnalyzerClient(
        pack_dir, project="bench", stack="bench", python=sys.executable, env=env, call_timeout=CALL_TIMEOUT
    )
    with client:
        client.handshake()
        client.configure_stack()
        client.get_analyzer_info()
        client.configure({})
        assert client.address is not None
        channel = grpc.insecure_channel(
            client.address, options=[("grpc.max_receive_message_length", CLI_RECEIVE_LIMIT)]
        )
        try:
            yield RunningPack(client, channel)
        finally:
            channel.close()


def startup_times(pack_dir: Path, env: Mapping[str, str] | None = None) -> tuple[float, float]:
    """Wall seconds from process start to port printed (as ``AnalyzerClient`` measures it), and the CPU
    seconds (user + system) the pack process used in its whole life.

    The pack idles once it has printed its port and dies at once on SIGTERM, so its CPU time is its start-up's;
    unlike wall time, other processes competing for the cores barely change it.
    """
    before = resource.getrusage(resource.RUSAGE_CHILDREN)
    with AnalyzerClient(pack_dir, python=sys.executable, env=env) as client:
        wall = client.startup_seconds
    after = resource.getrusage(resource.RUSAGE_CHILDREN)  # the pack has been waited for: close() reaps it
    assert wall is not None
    return wall, (after.ru_utime - before.ru_utime) + (after.ru_stime - before.ru_stime)
