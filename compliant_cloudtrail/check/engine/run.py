"""One program run against the offline engine: servers up, the program in its own process, a watchdog.

Like ``pulumi up``: the engine serves the ResourceMonitor and Engine over gRPC on localhost; the language host
starts the program with the addresses on its command line; the run ends when the program's process exits.
Whatever the program prints goes to ``echo`` (the checker's stderr, so that stdout keeps only the report).
"""

from __future__ import annotations

import json
import os
import signal
import subprocess
import threading
import time
from collections.abc import Callable
from concurrent import futures
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

import grpc
from pulumi.runtime.proto import engine_pb2_grpc, resource_pb2_grpc

from ..aws_mocks import AwsMocks
from ..launchers.python_host import EXEC_SCRIPT, PythonCommand, package_locator
from ..project import Project, StackConfig, program_strings
from .engine_log import EngineLog, LogLine
from .invokes import InvokeRecord, Invokes, MockAnswer
from .monitor import EngineState, OfflineMonitor
from .stack_references import StackReferences

__all__ = ["Launch", "ProgramRun", "RunOptions", "python_launch", "run_launched"]

# The CLI dials with a 400 MiB limit (rpcutil); a large program's stack outputs would not fit gRPC's 4 MiB.
_GRPC_OPTIONS = [
    ("grpc.max_receive_message_length", 400 * 1024 * 1024),
    ("grpc.max_send_message_length", 400 * 1024 * 1024),
]
#: time the program gets to dump its threads' stacks when the watchdog fires
_DUMP_GRACE_S = 2.0


@dataclass(frozen=True)
class RunOptions:
    stack: str
    preview: bool
    timeout_s: float
    answers: list[MockAnswer] = field(default_factory=list)
    stack_reference_outputs: dict[str, dict] = field(default_factory=dict)
    parallel: int = 16


@dataclass
class ProgramRun:
    state: EngineState
    logs: list[LogLine]
    invokes: list[InvokeRecord]
    exit_code: int | None
    stderr: str
    timed_out: bool
    elapsed_s: float
    stack_reference_warnings: list[str]


def _pump(pipe, sink: TextIO | None, keep: list[str] | None) -> None:
    for raw in iter(pipe.readline, b""):
        line = raw.decode("utf-8", "replace")
        if keep is not None:
            keep.append(line)
        if sink is not None:
            sink.write(line)
            sink.flush()
    pipe.close()


def _kill_group(proc: subprocess.Popen[bytes]) -> None:
    try:
        os.killpg(proc.pid, signal.SIGKILL)
    except (ProcessLookupError, PermissionError):
        proc.kill()


@dataclass(frozen=True)
class Launch:
    """What differs between runtimes: how the program is started against the engine's address, with which
    environment (given the config strings and the secret keys), and where the SDK classes of a package are."""

    argv: Callable[[str], list[str]]
    env: Callable[[dict[str, str], list[str]], dict[str, str]]
    package_dirs: Callable[[str], Path | None]
    #: our Python launcher dumps every thread's stack on SIGUSR1; Node.js would open its inspector instead
    dumps_stacks_on_sigusr1: bool = False


def python_launch(project: Project, python: PythonCommand, options: RunOptions) -> Launch:
    def argv(address: str) -> list[str]:
        return [
            python.python, "-u", str(EXEC_SCRIPT),
            "--monitor", address, "--engine", address, "--project", project.name,
            "--root_directory", str(project.root), "--stack", options.stack, "--pwd", str(project.pwd),
            "--dry_run", "true" if options.preview else "false", "--parallel", str(options.parallel),
            "--organization", "organization", project.entry,
        ]  # fmt: skip

    def env(strings: dict[str, str], secret_keys: list[str]) -> dict[str, str]:
        secrets = json.dumps(secret_keys)
        return {**python.env, "PULUMI_CONFIG": json.dumps(strings), "PULUMI_CONFIG_SECRET_KEYS": secrets}

    return Launch(argv, env, package_locator(python), dumps_stacks_on_sigusr1=hasattr(signal, "SIGUSR1"))


def run_launched(
    project: Project,
    config: StackConfig,
    launch: Launch,
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
        OfflineMonitor(state, mocks, invokes, stack_refs, strings, launch.package_dirs), server
    )
    engine_pb2_grpc.add_EngineServicer_to_server(log, server)
    port = server.add_insecure_port("127.0.0.1:0")
    server.start()
    address = f"127.0.0.1:{port}"
    argv = launch.argv(address)
    env = launch.env(strings, list(config.secret_keys))
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
            timed_out = True
            if launch.dumps_stacks_on_sigusr1:
                proc.send_signal(signal.SIGUSR1)  # the launcher dumps every thread's stack to stderr
                time.sleep(_DUMP_GRACE_S)
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
