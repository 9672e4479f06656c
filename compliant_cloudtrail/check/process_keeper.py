"""Run one command and take everything it starts down with it: the program's process keeper.

Started by the check as ``python -I -S process_keeper.py PARENT_PID -- COMMAND...`` (the checker's own
interpreter, standard library only). A Pulumi program is untrusted code: it may leave helpers behind (a
``setsid`` daemon, a child that inherits its pipes, a process that waits for the policy pack to start). Linux
gives two tools for this, and the keeper uses both:

- it is a *child subreaper* (``prctl(PR_SET_CHILD_SUBREAPER)``, prctl(2)): every process the program starts
  that loses its parent is re-parented to the keeper, not to init, so it is still found below the keeper;
- it has a *parent-death signal* (``prctl(PR_SET_PDEATHSIG, SIGTERM)``): if the check dies, even by SIGKILL,
  the keeper is told, and ends the whole tree.

When the program exits (or the keeper is told to stop: SIGTERM, SIGINT, SIGHUP), every process left below the
keeper is killed before the keeper exits, so the check's pipes close and nothing of the program outlives it.
The keeper then exits as the program did: its exit code, or the signal that ended it.
"""

import contextlib
import ctypes
import os
import signal
import subprocess
import sys
import time

PR_SET_PDEATHSIG = 1
PR_SET_CHILD_SUBREAPER = 36
#: rounds of "list descendants, kill them" before giving up on a process that keeps forking
_KILL_ROUNDS = 200


def _prctl(option, value):
    try:
        libc = ctypes.CDLL(None, use_errno=True)
        return libc.prctl(option, value, 0, 0, 0) == 0
    except (OSError, AttributeError):
        return False


def _children_map():
    """Parent pid -> child pids, for every process this user can see in /proc."""
    children: dict[int, list[int]] = {}
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            with open(f"/proc/{entry}/stat", "rb") as f:
                stat = f.read()
        except OSError:
            continue
        # The command name (2nd field) is in parentheses and may itself hold spaces or parentheses.
        fields = stat[stat.rfind(b")") + 2 :].split()
        if len(fields) > 1:
            children.setdefault(int(fields[1]), []).append(int(entry))
    return children


def descendants(pid):
    tree = _children_map()
    found, todo = [], list(tree.get(pid, []))
    while todo:
        child = todo.pop()
        found.append(child)
        todo.extend(tree.get(child, []))
    return found


def _reap():
    while True:
        try:
            pid, _ = os.waitpid(-1, os.WNOHANG)
        except ChildProcessError:
            return
        if pid == 0:
            return


def kill_tree(pid):
    """SIGKILL every process below ``pid`` until none is left (a forking process is caught on a later round)."""
    for _ in range(_KILL_ROUNDS):
        below = descendants(pid)
        if not below:
            return
        for child in below:
            with contextlib.suppress(OSError):
                os.kill(child, signal.SIGKILL)
        _reap()
        time.sleep(0.005)


def main(argv):
    if len(argv) < 4 or argv[2] != "--":
        print("usage: process_keeper.py PARENT_PID -- COMMAND...", file=sys.stderr)
        return 2
    parent = int(argv[1])
    _prctl(PR_SET_CHILD_SUBREAPER, 1)
    _prctl(PR_SET_PDEATHSIG, signal.SIGTERM)
    if os.getppid() != parent:  # the check died before the parent-death signal was armed
        return 2
    me = os.getpid()
    program = None

    def stop(signum, _frame):
        kill_tree(me)
        os._exit(128 + signum)

    for sig in (signal.SIGTERM, signal.SIGINT, signal.SIGHUP):
        signal.signal(sig, stop)
    # The watchdog asks the program (not the keeper) for its threads' stacks before ending a hung run.
    signal.signal(signal.SIGUSR1, lambda *_: program is not None and program.send_signal(signal.SIGUSR1))
    try:
        program = subprocess.Popen(argv[3:])
    except OSError as exc:
        print(f"cannot start {argv[3]}: {exc.strerror or exc}", file=sys.stderr)
        return 127
    code = program.wait()
    kill_tree(me)
    if code < 0:  # ended by a signal: end the same way, so the check reads the same cause
        signal.signal(-code, signal.SIG_DFL)
        os.kill(me, -code)
    return code


if __name__ == "__main__":
    sys.exit(main(sys.argv))
