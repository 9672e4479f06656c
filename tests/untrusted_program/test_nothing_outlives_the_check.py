"""No process of the program (nor anything it started) or of the pack survives the check, however it ends.

Security review M3: after Ctrl-C, SIGTERM or SIGKILL of the check the program kept running (and on SIGTERM the
pack), and even after a normal exit, processes the program had started kept running.
"""

from __future__ import annotations

import os
import signal
import subprocess
import time
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest

from .conftest import gone, processes_with, run_check, start_check, wait_for

# A child that inherits the program's pipes, a child in a session of its own, and a double-forked daemon: the
# three ways a program's helper outlived the check in the review.
LEAVES_HELPERS = '''
import os, subprocess, sys, time
import pulumi_aws as aws

def helper(name):
    # Marks its start in a file, then waits; the marker in its arguments is how the test finds it.
    return [sys.executable, "-c", "import sys, time; open(sys.argv[1], 'w').close(); time.sleep(1000)",
            os.path.join({started!r}, name), "{marker}-" + name]

aws.cloudtrail.Trail("no-delivery", s3_bucket_name="some-bucket")
subprocess.Popen(helper("inherits-pipes"))
subprocess.Popen(helper("own-session"), start_new_session=True, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
if os.fork() == 0:
    os.setsid()
    if os.fork() == 0:
        os.execv(sys.executable, helper("daemon"))
    os._exit(0)
while len(os.listdir({started!r})) < 3:  # every helper is running before the program goes on
    time.sleep(0.01)
{then}
'''


def _program(write_program: Callable[..., Path], tmp_path: Path, marker: str, then: str = "") -> Path:
    started = tmp_path / "started"
    started.mkdir()
    return write_program("leaves-helpers", LEAVES_HELPERS.format(marker=marker, started=str(started), then=then))


def _pid_of_pack(check_pid: int) -> int | None:
    for entry in os.listdir("/proc"):
        if not entry.isdigit():
            continue
        try:
            stat = Path(f"/proc/{entry}/stat").read_text()
            cmdline = Path(f"/proc/{entry}/cmdline").read_bytes()
        except OSError:
            continue
        if int(stat.rsplit(")", 1)[1].split()[1]) == check_pid and b"pack_host.py" in cmdline:
            return int(entry)
    return None


def _private_folder(pack: int) -> Path:
    """The check's private folder: where the pack's socket is (the first argument of pack_host.py)."""
    argv = Path(f"/proc/{pack}/cmdline").read_bytes().split(b"\0")
    socket = next(arg for arg in argv if arg.endswith(b"/pack.sock"))
    return Path(socket.decode()).parent


def _alive(pid: int) -> bool:
    try:
        state = Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0]
    except OSError:
        return False
    return state != "Z"


def _ended(pid: int, within_s: float = 15.0) -> bool:
    deadline = time.monotonic() + within_s
    while _alive(pid) and time.monotonic() < deadline:
        time.sleep(0.1)
    return not _alive(pid)


def test_a_program_that_exits_normally_leaves_nothing_running(
    write_program: Callable[..., Path], marker: str, tmp_path: Path
) -> None:
    program = _program(write_program, tmp_path, marker)
    done = run_check(program, "--no-progress")
    assert done.code == 1, done.describe()  # its trail has no CloudWatch Logs delivery: judged, and failed
    assert gone(marker, within_s=5) == [], "the program's helpers outlived the check"


@contextmanager
def _check_with_program_running(write_program: Callable[..., Path], marker: str, tmp_path: Path) -> Iterator[
    tuple[subprocess.Popen[str], int]
]:
    """A check whose program is asleep with its three helpers running; yields the check and its pack's pid."""
    ready = tmp_path / "ready"
    then = f"open({str(ready)!r}, 'w').close()\ntime.sleep(600)"
    check = start_check(_program(write_program, tmp_path, marker, then), "--no-progress")
    try:
        assert wait_for(ready), "the program never got to its sleep"
        pack = _pid_of_pack(check.pid)
        assert pack is not None, "the pack is started before the program runs"
        assert len(processes_with(marker)) == 3, "the helpers are running"
        yield check, pack
    finally:
        if check.poll() is None:
            check.kill()


@pytest.mark.parametrize(("signum", "code", "said"), [
    (signal.SIGTERM, 143, "stopped by SIGTERM"),
    (signal.SIGINT, 130, "interrupted (SIGINT)"),
    (signal.SIGHUP, 129, "stopped by SIGHUP"),
])  # fmt: skip
def test_a_stopped_check_ends_the_program_its_helpers_and_the_pack(
    write_program: Callable[..., Path], marker: str, tmp_path: Path, signum: int, code: int, said: str
) -> None:
    with _check_with_program_running(write_program, marker, tmp_path) as (check, pack):
        private = _private_folder(pack)
        check.send_signal(signum)
        stdout, stderr = check.communicate(timeout=60)
    assert stdout == "", "a stopped check prints no report"
    assert check.returncode == code, stderr
    lines = stderr.strip().splitlines()
    assert len(lines) == 1 and said in lines[0] and "Traceback" not in stderr, stderr
    assert gone(marker) == [], "the program's processes outlived the check"
    assert _ended(pack), "the pack outlived the check"
    assert not private.exists(), f"the check's private folder {private} outlived it"


def test_a_killed_check_takes_the_program_and_the_pack_with_it(
    write_program: Callable[..., Path], marker: str, tmp_path: Path
) -> None:
    with _check_with_program_running(write_program, marker, tmp_path) as (check, pack):
        private = _private_folder(pack)
        assert private.is_dir()
        check.kill()  # SIGKILL: no handler runs; only the parent-death signals are left to act
        check.communicate(timeout=30)
    assert gone(marker) == [], "the program's processes outlived a killed check"
    assert _ended(pack), "the pack outlived a killed check"
    assert not private.exists(), f"the check's private folder {private} outlived it"


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGINT])
def test_a_check_stopped_while_the_pack_judges_ends_at_once(
    write_program: Callable[..., Path], signum: int
) -> None:
    # The review's pack-phase rows (3,000 resources, then the signal): one run in five used to hang for good.
    program = write_program("many", '''
import pulumi_aws as aws
for i in range(1500):
    aws.sns.Topic(f"filler-{i}")
aws.cloudtrail.Trail("no-delivery", s3_bucket_name="some-bucket")
''')
    check = start_check(program)  # with the progress line, which says when Analyze has begun
    assert check.stderr is not None
    try:
        for line in check.stderr:
            if "Analyze " in line:
                break
        else:
            pytest.fail("the check ended before judging")
        check.send_signal(signum)
        stdout, rest = check.communicate(timeout=60)  # a hang fails here
    finally:
        if check.poll() is None:
            check.kill()
    assert check.returncode == 128 + signum, rest
    assert stdout == "" and "Traceback" not in rest, rest
    assert rest.strip().splitlines()[-1].startswith("cloudtrail-check: error: "), rest
