"""Programs that attack the check that runs them, run the way users run the check: a separate process.

Each program is written to its own folder; programs run on this test's Python (it has pulumi and pulumi-aws), as
the CLI would with ``PULUMI_PYTHON_CMD``. Every process a program starts carries a marker of the test in its
command line, so a test can look for survivors of its own program without touching anything else on the
machine.
"""

from __future__ import annotations

import os
import secrets
import signal
import subprocess
import sys
import time
from collections.abc import Callable
from pathlib import Path

import pytest

# The command as every suite runs it (tests/check_cli/conftest.py), with programs on this test's Python.
from tests.check_cli.conftest import PROGRAM_ENV as ENV
from tests.check_cli.conftest import ROOT
from tests.check_cli.conftest import check as run_check  # noqa: F401 - this suite's tests import it from here

CHECK = [sys.executable, "-m", "compliant_cloudtrail.check"]


@pytest.fixture
def marker() -> str:
    """A word no other process on the machine has in its command line."""
    return f"ctc-test-{secrets.token_hex(6)}"


@pytest.fixture
def write_program(tmp_path: Path) -> Callable[[str, str], Path]:
    def write(name: str, main: str) -> Path:
        program = tmp_path / name
        program.mkdir()
        (program / "Pulumi.yaml").write_text(f"name: {name}\nruntime: python\n")
        (program / "__main__.py").write_text(main)
        return program

    return write


def start_check(*args: str | Path) -> subprocess.Popen[str]:
    # Its own group and the default SIGINT (a shell's background job would ignore it), as in a terminal.
    return subprocess.Popen(
        [*CHECK, *map(str, args)], stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True, env=ENV, cwd=ROOT,
        start_new_session=True, preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )  # fmt: skip


def processes_with(word: str) -> list[str]:
    """Command lines of live (not zombie) processes that carry ``word``."""
    found = []
    for entry in os.listdir("/proc"):
        if not entry.isdigit() or int(entry) == os.getpid():
            continue
        try:
            cmdline = Path(f"/proc/{entry}/cmdline").read_bytes().replace(b"\0", b" ").decode(errors="replace")
            state = Path(f"/proc/{entry}/stat").read_text().rsplit(")", 1)[1].split()[0]
        except OSError:
            continue
        if word in cmdline and state != "Z":
            found.append(f"{entry}: {cmdline}")
    return found


def gone(word: str, within_s: float = 15.0) -> list[str]:
    """Waits (bounded) for processes carrying ``word`` to end; the ones still alive at the end."""
    deadline = time.monotonic() + within_s
    while (alive := processes_with(word)) and time.monotonic() < deadline:
        time.sleep(0.1)
    return alive


def wait_for(path: Path, within_s: float = 60.0) -> bool:
    deadline = time.monotonic() + within_s
    while not path.exists() and time.monotonic() < deadline:
        time.sleep(0.05)
    return path.exists()
