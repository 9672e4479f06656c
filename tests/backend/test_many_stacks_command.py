"""`cloudtrail-check --backend` / `--state` with several stacks, run as users run it: exit code, stdout, stderr."""

from __future__ import annotations

import json
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

from .synthetic import EXPECTED, write_backend, write_payments_export

ROOT = Path(__file__).resolve().parents[2]


def check(*args: str | Path) -> subprocess.CompletedProcess[str]:
    argv = [sys.executable, "-m", "compliant_cloudtrail.check", *map(str, args)]
    return subprocess.run(argv, cwd=ROOT, capture_output=True, text=True, timeout=300)


@pytest.fixture(scope="module")
def places(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    tmp = tmp_path_factory.mktemp("command")
    return write_backend(tmp / "state"), write_payments_export(tmp / "exports" / "live.json")


def test_a_backend_and_an_export_folder_in_one_run_exit_1_naming_the_unjudged_stack(places: tuple[Path, Path]) -> None:
    backend, export = places
    done = check("--backend", f"file://{backend}", "--state", export.parent, "--json")
    assert done.returncode == 1, done.stderr
    report = json.loads(done.stdout)
    assert {(s["project"], s["stack"]): s["verdict"] for s in report["stacks"]} == EXPECTED
    (line,) = done.stderr.strip().splitlines()
    assert "no verdict for 1 stack(s): audit/broken" in line and "broken.json" in line


def test_no_failing_stack_but_a_corrupt_one_is_exit_2(places: tuple[Path, Path], tmp_path: Path) -> None:
    backend, _ = places
    copy = shutil.copytree(backend, tmp_path / "state")
    for failing in ("audit/dev.json.gz",):
        (copy / ".pulumi" / "stacks" / failing).unlink()
    done = check("--backend", copy)
    assert done.returncode == 2, done.stdout + done.stderr
    assert "audit/broken" in done.stderr.strip().splitlines()[-1]
    assert "summary by project:" in done.stdout


def test_all_passing_is_exit_0(places: tuple[Path, Path]) -> None:
    backend, _ = places
    done = check("--state", backend / ".pulumi" / "stacks" / "network", backend / ".pulumi" / "stacks" / "old.json")
    assert done.returncode == 0, done.stdout + done.stderr
    assert done.stdout.strip().splitlines()[-1].startswith("PASSED: 0 of 3 stack(s)")


@pytest.mark.parametrize(
    ("args", "says"),
    [
        (("--backend", "s3://state-bucket"), "only file:// backends are read offline"),
        (("--backend", "{backend}", "--format", "sarif"), "--format text or json only"),
        (("--backend", "{backend}", "--preview"), "--preview: only for a program"),
        (("--backend", "{backend}", "."), "give a program directory or --state/--backend (one of them)"),
    ],
)
def test_what_cannot_be_done_is_exit_2_with_one_line(places: tuple[Path, Path], args: tuple[str, ...],
                                                     says: str) -> None:  # fmt: skip
    backend, _ = places
    done = check(*(a.format(backend=backend) for a in args))
    assert done.returncode == 2 and done.stdout == ""
    (line,) = done.stderr.strip().splitlines()
    assert says in line, line
