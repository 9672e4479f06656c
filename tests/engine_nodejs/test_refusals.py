"""What the check says, with exit 2, when a Node.js program cannot run, and for runtimes it does not run."""

from __future__ import annotations

import os
import shutil
from pathlib import Path

import pytest

from .conftest import PROGRAMS, describe, run_check_command


def test_missing_node_modules_says_run_npm_install(tmp_path: Path) -> None:
    program = tmp_path / "three-trails"
    shutil.copytree(PROGRAMS / "three-trails", program, ignore=shutil.ignore_patterns("node_modules"))
    done = run_check_command(program)
    assert done.returncode == 2, describe(done)
    assert "run npm install first" in done.stderr, describe(done)


def test_node_modules_without_the_sdk_says_run_npm_install(tmp_path: Path) -> None:
    program = tmp_path / "three-trails"
    shutil.copytree(PROGRAMS / "three-trails", program, ignore=shutil.ignore_patterns("node_modules"))
    (tmp_path / "node_modules").mkdir()
    done = run_check_command(program)
    assert done.returncode == 2, describe(done)
    assert "@pulumi/pulumi/cmd/run cannot be found" in done.stderr and "npm install" in done.stderr, describe(done)


def test_node_older_than_18_is_named(tmp_path: Path, place) -> None:
    program = place("three-trails")
    fake = tmp_path / "old-node"
    fake.mkdir()
    (fake / "node").write_text("#!/bin/sh\necho v16.20.2\n")
    (fake / "node").chmod(0o755)
    env = {**os.environ, "PATH": f"{fake}{os.pathsep}{os.environ.get('PATH', '')}"}
    done = run_check_command(program, env=env)
    assert done.returncode == 2, describe(done)
    assert "Node.js v16.20.2" in done.stderr and "18 or newer" in done.stderr, describe(done)


@pytest.mark.parametrize(("runtime", "word"), [("go", "Go"), ("dotnet", ".NET"), ("java", "Java"), ("yaml", "YAML")])
def test_other_runtimes_point_to_the_cli_or_an_export(tmp_path: Path, runtime: str, word: str) -> None:
    (tmp_path / "Pulumi.yaml").write_text(f"name: other\nruntime: {runtime}\n")
    done = run_check_command(tmp_path)
    assert done.returncode == 2, describe(done)
    assert f"{word} programs" in done.stderr, describe(done)
    assert "pulumi preview --policy-pack" in done.stderr and "--state" in done.stderr, describe(done)
