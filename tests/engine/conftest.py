"""Programs that look like real ones, each run in its own virtualenv, as the CLI would run them.

Virtualenvs are built once per requirements set and kept in the system's temp folder between sessions (keyed by
a hash of the requirements and this Python's version): the first session pays for ``pip install`` from PyPI,
later ones reuse them. Programs that can share a virtualenv do.
"""

from __future__ import annotations

import fcntl
import hashlib
import shutil
import subprocess
import sys
import tempfile
from collections.abc import Callable
from pathlib import Path

import pulumi
import pytest

ROOT = Path(__file__).resolve().parents[2]
PROGRAMS = Path(__file__).resolve().parent / "programs"
PULUMI_VERSION = pulumi.__version__ if hasattr(pulumi, "__version__") else "3.272.0"

#: pulumi-aws 7 (this repository's) with pulumi-random, the extra package real programs bring
AWS7 = ("pulumi==3.272.0", "pulumi-aws==7.51.1", "pulumi-random>=4.16,<5")
#: pulumi-aws 6, for programs written before v7 (no per-resource region, BucketV2 names)
AWS6 = ("pulumi==3.272.0", "pulumi-aws>=6.60,<7")


def _build(requirements: tuple[str, ...]) -> Path:
    key = hashlib.sha256("\n".join([sys.version, *sorted(requirements)]).encode()).hexdigest()[:16]
    base = Path(tempfile.gettempdir()) / "compliant-cloudtrail-test-venvs"
    base.mkdir(exist_ok=True)
    venv = base / key
    with open(base / f"{key}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # two sessions at once build it once
        if (venv / ".complete").exists():
            return venv
        shutil.rmtree(venv, ignore_errors=True)
        subprocess.run([sys.executable, "-m", "venv", str(venv)], check=True, capture_output=True)
        done = subprocess.run(
            [str(venv / "bin" / "python"), "-m", "pip", "install", "-q", "--disable-pip-version-check",
             *requirements],
            capture_output=True, text=True, timeout=900,
        )  # fmt: skip
        if done.returncode != 0:
            pytest.fail(f"pip install {' '.join(requirements)} failed (PyPI needed once):\n{done.stderr[-2000:]}")
        (venv / ".complete").write_text("\n".join(requirements))
    return venv


@pytest.fixture(scope="session")
def aws7_venv() -> Path:
    return _build(AWS7)


@pytest.fixture(scope="session")
def aws6_venv() -> Path:
    return _build(AWS6)


#: pulumi-awsx's Python SDK (a remote component package) and the SDKs it imports; pulumi and pulumi-aws come from
#: the AWS7 virtualenv. Nothing of it needs the network or a plugin when a program runs.
AWSX = ("pulumi-awsx==3.11.0", "pulumi-docker==4.11.1", "pulumi-docker-build==0.0.15", "parver==0.5",
        "arpeggio==2.0.3", "attrs==25.3.0", "semver==3.0.4")  # fmt: skip


@pytest.fixture(scope="session")
def awsx_site() -> Path:
    """A folder to put on PYTHONPATH beside the AWS7 virtualenv: ``pip install --target --no-deps`` of :data:`AWSX`."""
    key = hashlib.sha256("\n".join(["awsx-site", sys.version, *sorted(AWSX)]).encode()).hexdigest()[:16]
    base = Path(tempfile.gettempdir()) / "compliant-cloudtrail-test-venvs"
    base.mkdir(exist_ok=True)
    site = base / key
    with open(base / f"{key}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)
        if (site / ".complete").exists():
            return site
        shutil.rmtree(site, ignore_errors=True)
        done = subprocess.run(
            [sys.executable, "-m", "pip", "install", "-q", "--disable-pip-version-check", "--no-deps",
             "--target", str(site), *AWSX],
            capture_output=True, text=True, timeout=900,
        )  # fmt: skip
        if done.returncode != 0:
            pytest.fail(f"pip install --target {site} {' '.join(AWSX)} failed (PyPI needed once):\n"
                        f"{done.stderr[-2000:]}")
        (site / ".complete").write_text("\n".join(AWSX))
    return site


@pytest.fixture
def place(tmp_path: Path) -> Callable[[str, Path | None], Path]:
    """Copy a program from ``programs/`` to a temp dir; link its ``venv`` (the Pulumi.yaml option) to ``venv``."""

    def _place(name: str, venv: Path | None = None) -> Path:
        target = tmp_path / name
        shutil.copytree(PROGRAMS / name, target)
        if venv is not None:
            (target / "venv").symlink_to(venv, target_is_directory=True)
        return target

    return _place


def run_check_command(*args: str | Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    argv = [sys.executable, "-m", "compliant_cloudtrail.check", *map(str, args)]
    return subprocess.run(argv, capture_output=True, text=True, timeout=180, env=env)


def describe(done: subprocess.CompletedProcess[str]) -> str:
    return f"exit {done.returncode}\n--- stdout ---\n{done.stdout}\n--- stderr ---\n{done.stderr}"
