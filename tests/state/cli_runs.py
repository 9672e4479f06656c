"""Run ``cloudtrail-check`` as users do: a separate process, its exit code, stdout and stderr."""

from __future__ import annotations

import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]


@dataclass(frozen=True)
class Run:
    code: int
    stdout: str
    stderr: str

    def describe(self) -> str:
        return f"exit {self.code}\n--- stdout ---\n{self.stdout}\n--- stderr ---\n{self.stderr}"


def check(*args: str | Path) -> Run:
    argv = [sys.executable, "-m", "compliant_cloudtrail.check", *map(str, args)]
    done = subprocess.run(argv, cwd=ROOT, capture_output=True, text=True, timeout=120)
    return Run(done.returncode, done.stdout, done.stderr)
