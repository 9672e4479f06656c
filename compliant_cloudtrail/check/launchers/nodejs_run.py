"""One Node.js program run against the offline engine: the same servers, state, invokes and watchdog as a Python
run (``engine/run.py``); only the command line, its environment and where SDK classes are found differ.

No language host sits between the engine and the program: the CLI's Node.js host only proxies the
ResourceMonitor and starts ``node`` (``execRuntime`` in pulumi-language-nodejs/main.go), so the program dials the
offline monitor directly.
"""

from __future__ import annotations

import functools
import importlib.util
import subprocess
import threading
import time
from concurrent import futures
from pathlib import Path
from typing import TextIO

import grpc
from pulumi.runtime.proto import engine_pb2_grpc, resource_pb2_grpc

from ..aws_mocks import AwsMocks
from ..engine.engine_log import EngineLog
from ..engine.invokes import Invokes
from ..engine.monitor import EngineState, OfflineMonitor
from ..engine.run import _GRPC_OPTIONS, ProgramRun, RunOptions, _kill_group, _pump
from ..engine.stack_references import StackReferences
from ..project import Project, StackConfig, program_strings
from .nodejs_host import NodeCommand, config_env, nodejs_argv

__all__ = ["run_nodejs_program"]


@functools.cache
def _checker_sdk(package: str) -> Path | None:
    """Output shapes come from the Python SDK of the same provider schema the program's JS SDK was generated from;
    only the checker's own pulumi-aws is at hand (a Node.js program has no Python SDK)."""
    if package != "aws":
        return None
    spec = importlib.util.find_spec("pulumi_aws")
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


def run_nodejs_program(
    project: Project,
    config: StackConfig,
    node: NodeCommand,
    mocks: AwsMocks,
    options: RunOptions,
    *,
    echo: TextIO | None = None,
    on_register=None,
) -> ProgramRun:
    state = EngineState(project=project.name, stack=options.stack, preview=options.preview, on_register=on_register)
    stack_refs = StackReferences(options.stack_reference_outputs)
    invokes = Invokes(mocks, options.answers, builtin={})
    strings = program_strings(config.values)
    log = EngineLog()
    server = grpc.server(futures.ThreadPoolExecutor(max_workers=max(8, options.parallel)), options=_GRPC_OPTIONS)
    resource_pb2_grpc.add_ResourceMonitorServicer_to_server(
        OfflineMonitor(state, mocks, invokes, stack_refs, strings, _checker_sdk), server
    )
    engine_pb2_grpc.add_EngineServicer_to_server(log, server)
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    address = f"127.0.0.1:{port}"
    argv = nodejs_argv(node, project, address, options)
    env = config_env(node, strings, config.secret_keys)
    started = time.monotonic()
    stderr_lines: list[str] = []
    timed_out = False
    try:
        proc = subprocess.Popen(
            argv, cwd=project.pwd, env=env, stdin=subprocess.DEVNULL, stdout=subprocess.PIPE,
            stderr=subprocess.PIPE, start_new_session=True,
        )  # fmt: skip
        pumps = [
            threading.Thread(target=_pump, args=(proc.stdout, echo, None), daemon=True),
            threading.Thread(target=_pump, args=(proc.stderr, None, stderr_lines), daemon=True),
        ]
        for t in pumps:
            t.start()
        try:
            proc.wait(timeout=options.timeout_s)
        except subprocess.TimeoutExpired:
            # No stack dump: SIGUSR1 would open Node's inspector, not print where the program waits.
            timed_out = True
            _kill_group(proc)
            proc.wait()
        for t in pumps:
            t.join(timeout=5)
    finally:
        server.stop(grace=None)
    return ProgramRun(
        state=state,
        logs=list(log.lines),
        invokes=list(invokes.records),
        exit_code=None if timed_out else proc.returncode,
        stderr="".join(stderr_lines),
        timed_out=timed_out,
        elapsed_s=time.monotonic() - started,
        stack_reference_warnings=list(stack_refs.warnings),
    )
