"""TypeScript and JavaScript programs of our own, each run with a ``node_modules`` of its own as the CLI's Node.js
host would run them.

One ``package.json``/``package-lock.json`` (in ``programs/``) pins ``@pulumi/pulumi`` and ``@pulumi/aws`` for all of
them. ``npm ci`` installs it once into ``~/.cache/compliant-cloudtrail/node-fixtures/<hash of the lock file>/`` (or
``$COMPLIANT_CLOUDTRAIL_CACHE``): a fresh machine pays for it once (npm registry needed), later sessions reuse it.
Each test copies its program to a temp dir whose ``node_modules`` links to that install; node resolves upward.
"""

from __future__ import annotations

import fcntl
import hashlib
import os
import shutil
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest

PROGRAMS = Path(__file__).resolve().parent / "programs"
LOCK = PROGRAMS / "package-lock.json"


def _cache_root() -> Path:
    configured = os.environ.get("COMPLIANT_CLOUDTRAIL_CACHE")
    return Path(configured) if configured else Path.home() / ".cache" / "compliant-cloudtrail"


def install_fixture_modules() -> Path:
    """The ``node_modules`` of ``programs/package-lock.json``, installed with ``npm ci`` when not yet cached."""
    key = hashlib.sha256(LOCK.read_bytes() + (PROGRAMS / "package.json").read_bytes()).hexdigest()[:16]
    base = _cache_root() / "node-fixtures"
    base.mkdir(parents=True, exist_ok=True)
    target = base / key
    with open(base / f"{key}.lock", "w") as lock:
        fcntl.flock(lock, fcntl.LOCK_EX)  # two sessions at once install it once
        if (target / ".complete").exists():
            return target / "node_modules"
        shutil.rmtree(target, ignore_errors=True)
        target.mkdir()
        for name in ("package.json", "package-lock.json"):
            shutil.copy2(PROGRAMS / name, target / name)
        npm = shutil.which("npm")
        if npm is None:
            pytest.fail("npm is not on PATH: Node.js 18+ with npm is needed for tests/engine_nodejs")
        done = subprocess.run(
            [npm, "ci", "--no-audit", "--no-fund", "--loglevel=error"],
            cwd=target, capture_output=True, text=True, timeout=900,
        )  # fmt: skip
        if done.returncode != 0:
            pytest.fail(f"npm ci failed (the npm registry is needed once):\n{done.stderr[-2000:]}")
        (target / ".complete").write_text(LOCK.name)
    return target / "node_modules"


@pytest.fixture(scope="session")
def node_modules() -> Path:
    return install_fixture_modules()


@pytest.fixture
def place(tmp_path: Path, node_modules: Path) -> Callable[[str], Path]:
    """Copy ``programs/<name>`` to a temp dir beside a ``node_modules`` link to the cached install."""

    def _place(name: str) -> Path:
        root = tmp_path / "programs"
        root.mkdir(exist_ok=True)
        if not (root / "node_modules").exists():
            (root / "node_modules").symlink_to(node_modules, target_is_directory=True)
        target = root / name
        shutil.copytree(PROGRAMS / name, target, ignore=shutil.ignore_patterns("node_modules"))
        return target

    return _place


def run_check_command(*args: str | Path, env: dict[str, str] | None = None) -> subprocess.CompletedProcess[str]:
    argv = [sys.executable, "-m", "compliant_cloudtrail.check", *map(str, args)]
    return subprocess.run(argv, capture_output=True, text=True, timeout=180, env=env)


def describe(done: subprocess.CompletedProcess[str]) -> str:
    return f"exit {done.returncode}\n--- stdout ---\n{done.stdout}\n--- stderr ---\n{done.stderr}"
