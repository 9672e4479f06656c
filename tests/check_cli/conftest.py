"""Run the check command the way users run it: a separate process, its exit code, stdout and stderr."""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import pytest

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


#: Programs without a `virtualenv` option run on the Python the CLI would find (PULUMI_PYTHON_CMD, else python3
#: on PATH); here, the test's own, which has pulumi and pulumi-aws.
PROGRAM_ENV = {**os.environ, "PULUMI_PYTHON_CMD": sys.executable}

# The example stack's declared config keys (Pulumi.yaml) have no defaults, so the CLI requires each on the stack
# ("Stack 'dev' is missing configuration values ...", pulumi/pulumi pkg/workspace/config.go); these are the
# defaults the README's config table gives.
ROOT_STACK_CONFIG = """config:
  compliant-cloudtrail:trailName: cloudtrail-dev
  compliant-cloudtrail:retentionInDays: 365
  compliant-cloudtrail:alarmEmails: []
  compliant-cloudtrail:organizationTrail: false
  compliant-cloudtrail:enableKms: true
  compliant-cloudtrail:cisProfiles: [security-hub, cis]
  compliant-cloudtrail:disabledCisItems: []
  compliant-cloudtrail:s3KeyPrefix: ""
  compliant-cloudtrail:allowLogDataDeletion: false
"""


def check(*args: str | Path, cwd: Path = ROOT, command: list[str] | None = None) -> Run:
    argv = [*(command or [sys.executable, "-m", "compliant_cloudtrail.check"]), *map(str, args)]
    done = subprocess.run(argv, cwd=cwd, capture_output=True, text=True, timeout=120, env=PROGRAM_ENV)
    return Run(tuple(argv[1:] if command is None else argv), done.returncode, done.stdout, done.stderr)


@pytest.fixture(scope="session")
def root_stack(tmp_path_factory: pytest.TempPathFactory) -> Path:
    """The example stack as `pulumi up` finds it after `pulumi install`: its `virtualenv: venv` holds this
    repository (here, the test's own environment) and its stack file sets the declared config."""
    stack = tmp_path_factory.mktemp("root-stack")
    shutil.copy(ROOT / "Pulumi.yaml", stack / "Pulumi.yaml")
    shutil.copy(ROOT / "__main__.py", stack / "__main__.py")
    (stack / "venv").symlink_to(Path(sys.prefix), target_is_directory=True)
    (stack / "Pulumi.dev.yaml").write_text(ROOT_STACK_CONFIG)
    return stack


def urn(project: str, type_token: str, name: str, stack: str = "dev") -> str:
    """A top-level resource's URN in Pulumi's documented format."""
    return f"urn:pulumi:{stack}::{project}::{type_token}::{name}"
