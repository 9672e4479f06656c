"""One program run against the offline engine: servers up, the program in its own process, a watchdog.

Like ``pulumi up``: the engine serves the ResourceMonitor and Engine over gRPC on localhost; the language host
starts the program with the addresses on its command line; the run ends when the program's process exits.
Whatever the program prints goes to ``echo`` (the checker's stderr, so that stdout keeps only the report).
"""

from __future__ import annotations

import json
import signal
import subprocess
import threading
import time
from collections import deque
from collections.abc import Callable
from concurrent import futures
from contextlib import ExitStack
from dataclasses import dataclass, field
from pathlib import Path
from typing import TextIO

import grpc
from pulumi.runtime.proto import engine_pb2_grpc, resource_pb2_grpc

from ..aws_mocks import AwsMocks
from ..launchers.python_host import EXEC_SCRIPT, PythonCommand, package_locator
from ..private_dir import private_dir
from ..processes import RUN_TOKEN_VAR, kept_command, new_run_token, stop_kept, sweep, tracked
from ..project import Project, StackConfig, program_strings
from .engine_log import EngineLog, LogLine
from .invokes import InvokeRecord, Invokes, MockAnswer
from .monitor import EngineState, OfflineMonitor
from .stack_references import StackReferences

__all__ = ["FINISHED_LINE", "BoundedOutput", "Launch", "ProgramRun", "RunOptions", "python_launch", "run_launched"]

# The CLI dials with a 400 MiB limit (rpcutil); a large program's stack outputs would not fit gRPC's 4 MiB.
_GRPC_OPTIONS = [
    ("grpc.max_receive_message_length", 400 * 1024 * 1024),
    ("grpc.max_send_message_length", 400 * 1024 * 1024),
]
#: what our Python launcher prints last when the program ran to its end (see python_exec.py, FINISHED_VAR)
FINISHED_LINE = "cloudtrail-check: the program ran to its end"
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
    #: with ``preview``: the program is told it is a preview (values the engine cannot know stay unknown), but
    #: the engine answers every resource with its computed outputs, as in an update
    engine_answers_as_update: bool = False


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


class BoundedOutput:
    """What a program printed, kept within a fixed size: its first lines and its last ones.

    A program can print gigabytes; the check needs only the start (what failed first) and the end (the last
    error line, the stack dump the watchdog asks for), so the middle is counted and dropped.
    """

    def __init__(self, head_bytes: int = 64 * 1024, tail_bytes: int = 1024 * 1024) -> None:
        self._head: list[str] = []
        self._head_left = head_bytes
        self._tail: deque[str] = deque()
        self._tail_size, self._tail_limit = 0, tail_bytes
        self.dropped = 0

    def add(self, line: str) -> None:
        if self._head_left > 0:
            self._head.append(line[: self._head_left])
            self._head_left -= len(line)
            return
        self._tail.append(line[-self._tail_limit :])
        self._tail_size += len(self._tail[-1])
        while self._tail_size > self._tail_limit:
            gone = self._tail.popleft()
            self._tail_size -= len(gone)
            self.dropped += len(gone)

    def text(self) -> str:
        gap = [f"... [{self.dropped} characters of output not kept] ...\n"] if self.dropped else []
        return "".join(self._head + gap + list(self._tail))


def _pump(pipe, sink: TextIO | None, keep: BoundedOutput | None) -> None:
    for raw in iter(pipe.readline, b""):
        line = raw.decode("utf-8", "replace")
        if keep is not None:
            keep.add(line)
        if sink is not None:
            sink.write(line)
            sink.flush()
    pipe.close()


class _Activity(grpc.ServerInterceptor):
    """The time of the program's last call to the engine: a program that keeps registering is working, not hung."""

    def __init__(self) -> None:
        self.last = time.monotonic()

    def touch(self) -> None:
        self.last = time.monotonic()

    def intercept_service(self, continuation, handler_call_details):
        self.last = time.monotonic()
        return continuation(handler_call_details)


def _wait_while_active(proc: subprocess.Popen[bytes], activity: _Activity, idle_s: float) -> bool:
    """Wait for the program to end; False if it went ``idle_s`` without a call to the engine (the watchdog)."""
    while True:
        quiet = time.monotonic() - activity.last
        if quiet >= idle_s:
            return proc.poll() is not None
        try:
            proc.wait(timeout=min(idle_s - quiet, 1.0))
            return True
        except subprocess.TimeoutExpired:
            continue


@dataclass(frozen=True)
class Launch:
    """What differs between runtimes: how the program is started against the engine's address, with which
    environment (given the config strings and the secret keys), and where the SDK classes of a package are."""

    argv: Callable[[str, str], list[str]]
    env: Callable[[dict[str, str], list[str]], dict[str, str]]
    package_dirs: Callable[[str], Path | None]
    #: our Python launcher dumps every thread's stack on SIGUSR1; Node.js would open its inspector instead
    dumps_stacks_on_sigusr1: bool = False


def python_launch(project: Project, python: PythonCommand, options: RunOptions) -> Launch:
    def argv(monitor: str, engine: str) -> list[str]:
        return [
            python.python, "-u", str(EXEC_SCRIPT),
            "--monitor", monitor, "--engine", engine, "--project", project.name,
            "--root_directory", str(project.root), "--stack", options.stack, "--pwd", str(project.pwd),
            "--dry_run", "true" if options.preview else "false", "--parallel", str(options.parallel),
            "--organization", "organization", project.entry,
        ]  # fmt: skip

    def env(strings: dict[str, str], secret_keys: list[str]) -> dict[str, str]:
        secrets = json.dumps(secret_keys)
        return {**python.env, "PULUMI_CONFIG": json.dumps(strings), "PULUMI_CONFIG_SECRET_KEYS": secrets,
                "CLOUDTRAIL_CHECK_FINISHED": FINISHED_LINE}  # python_exec.py prints it once the program has ended

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
    socket_dir: Path | None = None,
) -> ProgramRun:
    """Run the program once against a fresh engine; every process it started is gone when this returns.

    The engine listens on a Unix socket in ``socket_dir`` (a private 0700 folder, so no other user can reach
    it; a fresh one is made when none is given), as the SDKs accept ``unix:`` monitor addresses.
    """
    with ExitStack() as cleanup:
        if socket_dir is None:
            socket_dir = cleanup.enter_context(private_dir())
        return _run(project, config, launch, mocks, options, echo, on_register, socket_dir)


def _run(project, config, launch, mocks, options, echo, on_register, socket_dir: Path) -> ProgramRun:
    engine_preview = options.preview and not options.engine_answers_as_update
    state = EngineState(project=project.name, stack=options.stack, preview=engine_preview, on_register=on_register)
    stack_refs = StackReferences(options.stack_reference_outputs)
    invokes = Invokes(mocks, options.answers, builtin={})
    strings = program_strings(config.values)
    activity = _Activity()
    log = EngineLog(on_call=activity.touch)
    server = grpc.server(
        futures.ThreadPoolExecutor(max_workers=max(8, options.parallel)), options=_GRPC_OPTIONS,
        interceptors=[activity],
    )  # fmt: skip
    resource_pb2_grpc.add_ResourceMonitorServicer_to_server(
        OfflineMonitor(state, mocks, invokes, stack_refs, strings, launch.package_dirs), server
    )
    # The Engine service on a server of its own, as under the CLI (the language host gets the engine's and the
    # monitor's addresses apart): a Python SDK makes about four synchronous Log calls per resource (every
    # registration logs at debug level), and each one waits for its answer, so they must not queue behind
    # registrations on the monitor's workers nor pay its interceptor; the Log handler itself marks the activity.
    address = f"unix:{socket_dir / 'monitor.sock'}"
    engine_address = f"unix:{socket_dir / 'engine.sock'}"
    engine_server = grpc.server(futures.ThreadPoolExecutor(max_workers=2), options=_GRPC_OPTIONS)
    engine_pb2_grpc.add_EngineServicer_to_server(log, engine_server)
    engine_server.add_insecure_port(engine_address)
    engine_server.start()
    server.add_insecure_port(address)
    server.start()
    token = new_run_token()
    env = {**launch.env(strings, list(config.secret_keys)), RUN_TOKEN_VAR: token}
    started = time.monotonic()
    stderr = BoundedOutput()
    timed_out = False
    proc: subprocess.Popen[bytes] | None = None
    running = ExitStack()  # what a signal must end if the check is stopped now (processes.stop_everything)
    running.enter_context(tracked("token", token))
    try:
        proc = subprocess.Popen(
            kept_command(launch.argv(address, engine_address)), cwd=project.pwd, env=env, stdin=subprocess.DEVNULL,
            stdout=subprocess.PIPE, stderr=subprocess.PIPE, start_new_session=True,
        )  # fmt: skip
        running.enter_context(tracked("process", proc))
        pumps = [
            threading.Thread(target=_pump, args=(proc.stdout, echo, None), daemon=True),
            threading.Thread(target=_pump, args=(proc.stderr, None, stderr), daemon=True),
        ]
        for t in pumps:
            t.start()
        if not _wait_while_active(proc, activity, options.timeout_s):
            timed_out = True
            if launch.dumps_stacks_on_sigusr1:
                proc.send_signal(signal.SIGUSR1)  # the keeper passes it on; the launcher dumps every thread's stack
                time.sleep(_DUMP_GRACE_S)
        stop_kept(proc)
        for t in pumps:
            t.join(timeout=5)
    finally:
        # However this ends (a normal exit, the watchdog, Ctrl-C, an error here), nothing of the program stays.
        if proc is not None:
            stop_kept(proc)
        sweep(token)
        running.close()
        server.stop(grace=None)
        engine_server.stop(grace=None)
    return ProgramRun(
        state=state,
        logs=list(log.lines),
        invokes=list(invokes.records),
        exit_code=None if timed_out else proc.returncode,
        stderr=stderr.text(),
        timed_out=timed_out,
        elapsed_s=time.monotonic() - started,
        stack_reference_warnings=list(stack_refs.warnings),
    )
