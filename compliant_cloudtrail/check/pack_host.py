"""Start a Python policy pack exactly as ``python -m pulumi.policy`` does, but listening on a private Unix socket.

Run by the check as ``python -u pack_host.py SOCKET PARENT_PID ENGINE_ADDRESS PACK_DIR`` on the interpreter
that has pulumi-policy. pulumi-policy's ``PolicyPack`` always serves its Analyzer on ``127.0.0.1:0``
(pulumi_policy/policy.py), a port every local user can connect to and re-``Configure``; here the one server it
creates listens on ``unix:SOCKET`` instead, inside the check's private 0700 folder. Nothing else differs: the
same module runs the pack, and it prints a first line (the check reads it as "ready").

The host also arms a parent-death signal (prctl(2) ``PR_SET_PDEATHSIG``), so the pack never outlives the check,
even one killed by SIGKILL, and on SIGTERM removes the check's private folder, which such a check cannot.
Standard library and grpc only; this file's folder is taken off ``sys.path``.
"""

import contextlib
import ctypes
import os
import runpy
import shutil
import signal
import sys

_HERE = os.path.dirname(os.path.abspath(__file__))
sys.path[:] = [p for p in sys.path if os.path.abspath(p or ".") != _HERE]

PR_SET_PDEATHSIG = 1


def _die_with(parent, private_folder):
    """End with the check; on the way out, remove the check's private folder (its sockets, its copy of the pack),
    which a check killed by SIGKILL could not remove itself."""

    def end(_signum, _frame):
        shutil.rmtree(private_folder, ignore_errors=True)
        os._exit(0)

    signal.signal(signal.SIGTERM, end)
    with contextlib.suppress(OSError, AttributeError):
        ctypes.CDLL(None, use_errno=True).prctl(PR_SET_PDEATHSIG, signal.SIGTERM, 0, 0, 0)
    if os.getppid() != parent:  # the check ended before the signal was armed
        end(None, None)


def _serve_on(socket_path):
    import grpc

    make_server = grpc.server

    def server(*args, **kwargs):
        made = make_server(*args, **kwargs)
        bind = made.add_insecure_port

        def on_private_socket(address=None):
            # pulumi-policy asks for 127.0.0.1:0 and prints what this returns as its "port": our first line.
            return bind(f"unix:{socket_path}")

        made.add_insecure_port = on_private_socket
        return made

    grpc.server = server


def main():
    socket_path, parent, engine, pack_dir = sys.argv[1], int(sys.argv[2]), sys.argv[3], sys.argv[4]
    _die_with(parent, os.path.dirname(socket_path))
    _serve_on(socket_path)
    sys.argv = [sys.argv[0], engine, pack_dir]
    runpy.run_module("pulumi.policy", run_name="__main__", alter_sys=True)


if __name__ == "__main__":
    main()
