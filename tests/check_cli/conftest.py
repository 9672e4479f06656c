"""Run the check command the way users run it: a separate process, its exit code, stdout and stderr."""

from __future__ import annotations

import json
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parents[2]
EXAMPLES = ROOT / "examples" / "judged"
DELIVERY = "cloudtrail-trail-deliver-to-cloudwatch-logs"


@dataclass(frozen=True)
class Run:
    args: tuple[str, ...]
    code: int
    stdout: str
    stderr: str

    def json(self) -> dict[str, Any]:
        data = json.loads(self.stdout)
        assert isinstance(data, dict), f"--json printed {type(data).__name__}, not one object: {self.stdout[:200]}"
        return data

    def describe(self) -> str:
        command = " ".join(self.args)
        return f"`{command}` exited {self.code}\n--- stdout ---\n{self.stdout}\n--- stderr ---\n{self.stderr}"


def check(*args: str | Path, cwd: Path = ROOT, command: list[str] | None = None) -> Run:
    argv = [*(command or [sys.executable, "-m", "compliant_cloudtrail.check"]), *map(str, args)]
    done = subprocess.run(argv, cwd=cwd, capture_output=True, text=True, timeout=120)
    return Run(tuple(argv[1:] if command is None else argv), done.returncode, done.stdout, done.stderr)


def urn(project: str, type_token: str, name: str, stack: str = "dev") -> str:
    """A top-level resource's URN in Pulumi's documented format."""
    return f"urn:pulumi:{stack}::{project}::{type_token}::{name}"
