"""``cloudtrail-check --state`` on a 1,000-trail export against Checkov's CKV2_AWS_10 on the same trails.

Both sides are whole command runs, as a CI job would run them, timed from process start to exit:

- ours: ``python -m compliant_cloudtrail.check --state <export> --json --no-progress`` (reads the export,
  starts the pack, Analyze per resource, AnalyzeStack);
- Checkov: ``checkov -d <dir> --check CKV2_AWS_10 --framework terraform`` ("Ensure CloudTrail trails are
  integrated with CloudWatch Logs", a graph check: an ``aws_cloudtrail`` connected to an
  ``aws_cloudwatch_log_group``), quiet, JSON output, no download from its platform.

Checkov lives in its own virtualenv under /tmp, created here on first use (``CHECKOV_VENV`` to point elsewhere),
never in the project's. Each run's verdict is checked against the fleet's (one trail in ten fails): timing two
tools that disagree would compare nothing.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

from .packs import REPO_ROOT
from .report import Figure
from .timing import alternate
from .trail_fleet import expected_failures, write_export, write_terraform

CHECKOV_VENV = Path(os.environ.get("CHECKOV_VENV", "/tmp/compliant-cloudtrail-checkov-venv"))
CHECKOV_REQUIREMENT = "checkov>=3.2,<4"
CHECK_ID = "CKV2_AWS_10"
WORK = REPO_ROOT / "benchmarks" / "results" / "state"  # git-ignored, like every result


def ensure_checkov() -> tuple[Path, str]:
    """Checkov's executable and version, installing it into its own virtualenv first if needed."""
    exe = CHECKOV_VENV / "bin" / "checkov"
    if not exe.exists():
        print(f"   installing {CHECKOV_REQUIREMENT} into {CHECKOV_VENV} (a few minutes) ...", file=sys.stderr)
        subprocess.run([sys.executable, "-m", "venv", "--clear", str(CHECKOV_VENV)], check=True)
        pip = [str(CHECKOV_VENV / "bin" / "python"), "-m", "pip", "install", "-q", CHECKOV_REQUIREMENT]
        subprocess.run(pip, check=True)
    version = subprocess.run([str(exe), "--version"], capture_output=True, text=True, check=True).stdout.strip()
    return exe, version


def _timed(argv: list[str], cwd: Path) -> tuple[float, subprocess.CompletedProcess[str]]:
    started = time.perf_counter()
    done = subprocess.run(argv, cwd=cwd, capture_output=True, text=True, timeout=1800)
    return time.perf_counter() - started, done


def state_vs_checkov(trails: int, reps: int, warmup: int) -> list[Figure]:
    export = write_export(trails, WORK / f"fleet-{trails}.json")
    terraform = write_terraform(trails, WORK / f"fleet-{trails}-tf")
    checkov, checkov_version = ensure_checkov()
    expected = expected_failures(trails)

    ours_argv = [sys.executable, "-m", "compliant_cloudtrail.check", "--state", str(export), "--json", "--no-progress"]
    checkov_argv = [str(checkov), "-d", str(terraform), "--check", CHECK_ID, "--framework", "terraform"]
    checkov_argv += ["--quiet", "--compact", "-o", "json", "--skip-download"]

    def ours() -> float:
        seconds, done = _timed(ours_argv, REPO_ROOT)
        report = json.loads(done.stdout)
        failing = {v["urn"] for v in report["violations"] if v["level"] == "mandatory"}
        if done.returncode != 1 or len(failing) != expected:
            raise RuntimeError(f"--state found {len(failing)} failing trails, expected {expected}: {done.stderr}")
        return seconds

    def theirs() -> float:
        # From /tmp, so Checkov finds no .checkov.yaml or git repository of ours to read.
        seconds, done = _timed(checkov_argv, Path("/tmp"))
        summary = json.loads(done.stdout)["summary"]
        if summary["failed"] != expected or summary["passed"] != trails - expected:
            raise RuntimeError(f"Checkov {CHECK_ID} summary {summary}, expected {expected} failed")
        return seconds

    samples = alternate({"checkov": theirs, "ours": ours}, reps, warmup)
    resources = 3 * trails + 2
    return [
        Figure(
            name=f"--state, {trails:,} trails vs Checkov {CHECK_ID}",
            baseline_label=f"Checkov {checkov_version} {CHECK_ID}",
            baseline=samples["checkov"],
            measured=samples["ours"],
            unit="s",
            target=0.6,
            note=(
                f"whole commands, process start to exit. Ours: `cloudtrail-check --state` on a stack export of "
                f"{resources:,} resources (each trail with its log group and role, plus stack and provider), all "
                f"six policies; Checkov: `checkov -d` on the same {3 * trails:,} resources as Terraform, the one "
                f"check {CHECK_ID}. Both found the same {expected} failing trails in every run "
                "([`trail_fleet.py`](trail_fleet.py))."
            ),
            extra={"trails": trails, "resources_in_export": resources, "checkov_version": checkov_version},
        )
    ]
