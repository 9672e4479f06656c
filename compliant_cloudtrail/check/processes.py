"""The check's hold on the processes it starts: nothing the program started may outlive it or see the verdict made.

Three layers, each catching what the one before can miss (the program is untrusted code run as our own user):
1. the program runs under :mod:`.process_keeper`, a subreaper with a parent-death signal, which ends the
   program's whole tree when the program exits, when the check stops it, and when the check dies;
2. every process of the run carries :data:`RUN_TOKEN_VAR` in its environment, so :func:`sweep` finds one that
   escaped the keeper (the program killed its keeper) by what it inherited, wherever it was re-parented;
3. the ``cloudtrail-check`` command makes itself a subreaper too (:func:`become_subreaper`), so such an escapee
   is re-parented to the check rather than to init while the check runs.
"""

from __future__ import annotations

import contextlib
import os
import secrets
import shutil
import signal
import subprocess
import sys
import time
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import Any

from . import process_keeper

__all__ = [
    "KEEPER",
    "RUN_TOKEN_VAR",
    "become_subreaper",
    "kept_command",
    "new_run_token",
    "stop_everything",
    "stop_kept",
    "sweep",
    "tracked",
]

#: the environment variable that marks every process of one program run
RUN_TOKEN_VAR = "CLOUDTRAIL_CHECK_RUN"
KEEPER = Path(process_keeper.__file__).resolve()
#: how long a keeper gets to end its tree after SIGTERM before its whole group is killed
_KEEPER_GRACE_S = 5.0


def new_run_token() -> str:
    return secrets.token_hex(16)


def become_subreaper() -> bool:
    """Make this process the reaper of its orphaned descendants (Linux only; False where it is not available)."""
    return process_keeper._prctl(process_keeper.PR_SET_CHILD_SUBREAPER, 1)


def kept_command(argv: list[str]) -> list[str]:
    """``argv`` run under the process keeper, on this interpreter in isolated mode (no site, no user paths)."""
    return [sys.executable, "-I", "-S", str(KEEPER), str(os.getpid()), "--", *argv]


def stop_kept(proc: subprocess.Popen[bytes]) -> None:
    """End a kept run and everything below it: the keeper kills its tree on SIGTERM; its group is the backstop."""
    if proc.poll() is None:
        try:
            proc.send_signal(signal.SIGTERM)
            proc.wait(timeout=_KEEPER_GRACE_S)
        except (subprocess.TimeoutExpired, ProcessLookupError):
            pass
    with contextlib.suppress(ProcessLookupError, PermissionError):
        os.killpg(proc.pid, signal.SIGKILL)
    if proc.poll() is None:
        proc.kill()
    proc.wait()


def _carries(pid: int, marker: bytes) -> bool:
    try:
        with open(f"/proc/{pid}/environ", "rb") as f:
            return marker in f.read().split(b"\0")
    except OSError:
        return False


def sweep(token: str) -> list[int]:
    """Kill every process that carries this run's token, and everything below them; the pids killed."""
    marker = f"{RUN_TOKEN_VAR}={token}".encode()
    me = os.getpid()
    killed: list[int] = []
    for _ in range(50):
        marked = [int(e) for e in os.listdir("/proc") if e.isdigit() and int(e) != me and _carries(int(e), marker)]
        if not marked:
            break
        for pid in marked:
            for victim in [pid, *process_keeper.descendants(pid)]:
                try:
                    os.kill(victim, signal.SIGKILL)
                    killed.append(victim)
                except OSError:
                    pass
        _reap_orphans(killed)
    return sorted(set(killed))


def _reap_orphans(pids: list[int]) -> None:
    # Processes re-parented to this subreaper become zombies here once killed; reap only those, never a child
    # some other part of this process is waiting for.
    for pid in pids:
        with contextlib.suppress(ChildProcessError, OSError):
            os.waitpid(pid, os.WNOHANG)


# What the check has running right now, so that a signal can end all of it at once. A stopped check must not unwind
# through whatever it was doing (an exception raised inside gRPC's or threading's internals could leave it waiting
# forever: found re-running the review's SIGTERM row); it ends everything here, then exits.
_running: dict[int, tuple[str, Any]] = {}


@contextmanager
def tracked(kind: str, thing: Any) -> Iterator[None]:
    """``kind`` is "process" (a Popen started in a session of its own), "token" (a run token) or "folder"."""
    _running[id(thing)] = (kind, thing)
    try:
        yield
    finally:
        _running.pop(id(thing), None)


def stop_everything(grace_s: float = 3.0) -> None:
    """End every process the check started (the keeper ends the program's tree; the pack removes the private
    folder on SIGTERM), then kill what is left, sweep each run's token and remove the private folders."""
    things = list(_running.values())
    processes = [p for kind, p in things if kind == "process"]
    for proc in processes:
        with contextlib.suppress(OSError):
            proc.send_signal(signal.SIGTERM)
    deadline = time.monotonic() + grace_s
    for proc in processes:
        with contextlib.suppress(subprocess.TimeoutExpired, OSError):
            proc.wait(timeout=max(0.0, deadline - time.monotonic()))
        with contextlib.suppress(OSError):
            os.killpg(proc.pid, signal.SIGKILL)
    for kind, thing in things:
        if kind == "token":
            sweep(thing)
        elif kind == "folder":
            shutil.rmtree(thing, ignore_errors=True)
