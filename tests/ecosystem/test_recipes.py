"""The files other tools read (issue 19): the pre-commit hook and the CI recipes in examples/ci/, each command run
as written on a program; and ``compliant-cloudtrail pack-copy``, the pack location for read-only site-packages."""

from __future__ import annotations

import json
import os
import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest
import yaml
from junitparser import JUnitXml

from tests.check_cli.conftest import DELIVERY, EXAMPLES, PROGRAM_ENV, check
from tests.check_reports.test_formats import validate_sarif

ROOT = Path(__file__).resolve().parents[2]
BIN = Path(sys.executable).parent  # the test's environment: cloudtrail-check and the program's SDKs


def placed(tmp_path: Path, example: str) -> Path:
    """An example program with a `venv` as the recipes' install step would leave it."""
    program = tmp_path / example
    shutil.copytree(EXAMPLES / example, program)
    (program / "venv").symlink_to(Path(sys.prefix), target_is_directory=True)
    return program


def run_line(command: str, cwd: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(["bash", "-c", command], cwd=cwd, capture_output=True, text=True, timeout=180,
                          env=PROGRAM_ENV)  # fmt: skip


def github_check_step() -> str:
    workflow = yaml.safe_load((ROOT / "examples/ci/github-code-scanning.yml").read_text())
    steps = workflow["jobs"]["cloudtrail-check"]["steps"]
    [step] = [s for s in steps if s.get("name") == "Judge the stack offline"]
    upload = next(s for s in steps if str(s.get("uses", "")).startswith("github/codeql-action/upload-sarif"))
    assert upload["if"] == "always()" and upload["with"]["sarif_file"] in step["run"]
    return str(step["run"])


def gitlab_check_line() -> tuple[str, str]:
    job = yaml.safe_load((ROOT / "examples/ci/gitlab-ci.yml").read_text())["cloudtrail-check"]
    [line] = [s for s in job["script"] if s.startswith("venv/bin/cloudtrail-check")]
    return line, job["artifacts"]["reports"]["junit"]


@pytest.mark.parametrize("example, code", [("bare-trail", 1), ("hand-wired-compliant-trail", 0)])
def test_the_github_recipe_writes_valid_sarif_and_fails_on_a_mandatory_violation(
    tmp_path: Path, example: str, code: int
) -> None:
    program = placed(tmp_path, example)
    done = run_line(github_check_step(), program)
    assert done.returncode == code, done.stderr
    sarif = json.loads((program / "cloudtrail-check.sarif").read_text())
    validate_sarif(sarif)
    errors = [r for r in sarif["runs"][0]["results"] if r["level"] == "error"]
    assert [r["ruleId"] for r in errors] == ([DELIVERY] if code else []), errors
    assert (
        (program / "cloudtrail-check.txt")
        .read_text()
        .strip()
        .splitlines()[-1]
        .startswith("FAILED" if code else "PASSED")
    )


def test_the_gitlab_recipe_writes_the_junit_report_it_declares(tmp_path: Path) -> None:
    program = placed(tmp_path, "bare-trail")
    line, report = gitlab_check_line()
    done = run_line(line, program)
    assert done.returncode == 1, done.stdout + done.stderr
    suites = {suite.name: suite for suite in JUnitXml.fromfile(str(program / report))}
    assert suites[DELIVERY].failures == 1, list(suites)


def test_the_pre_commit_hook_runs_the_check_on_the_program(tmp_path: Path) -> None:
    [hook] = yaml.safe_load((ROOT / ".pre-commit-hooks.yaml").read_text())
    assert hook["id"] == "cloudtrail-check" and hook["pass_filenames"] is False and hook["language"] == "python"
    scripts = yaml.safe_load((ROOT / "pyproject.toml").read_text().split("[project.scripts]")[1].split("[")[0]
                             .replace(" = ", ": "))  # fmt: skip
    assert hook["entry"] in scripts  # the console script pip installs into the hook's environment
    files = re.compile(hook["files"])
    for changed in ("Pulumi.yaml", "Pulumi.dev.yaml", "__main__.py", "infra/index.ts", "policy-config.json"):
        assert files.search(changed), changed
    assert not files.search("README.md")
    program = placed(tmp_path, "bare-trail")
    env = {**PROGRAM_ENV, "PATH": f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}"}
    done = subprocess.run([hook["entry"], *hook["args"]], cwd=program, capture_output=True, text=True, env=env,
                          timeout=180)  # fmt: skip
    assert done.returncode == 1 and f"[mandatory] {DELIVERY}" in done.stdout, done.stdout + done.stderr


def test_pack_copy_gives_a_pack_the_check_and_the_cli_can_use(tmp_path: Path) -> None:
    target = tmp_path / "policy-pack"
    done = subprocess.run([sys.executable, "-m", "compliant_cloudtrail.cli", "pack-copy", str(target)],
                          capture_output=True, text=True, timeout=60)  # fmt: skip
    assert done.returncode == 0 and done.stdout.strip() == str(target.resolve()), done.stderr
    assert (target / "PulumiPolicy.yaml").is_file() and not (target / "venv").exists()
    assert not list(target.rglob("__pycache__"))
    run = check(EXAMPLES / "bare-trail", "--policy-pack", target, "--json")
    assert run.code == 1 and run.json()["policy_pack"]["dir"] == str(target.resolve()), run.describe()
    again = subprocess.run([sys.executable, "-m", "compliant_cloudtrail.cli", "pack-copy", str(target)],
                           capture_output=True, text=True, timeout=60)  # fmt: skip
    assert again.returncode == 2 and "not an empty folder" in again.stderr


@pytest.mark.parametrize("command", ["pack-path", "pack-copy", "version", "check"])
def test_every_subcommand_has_its_own_help(command: str) -> None:
    done = subprocess.run([sys.executable, "-m", "compliant_cloudtrail.cli", command, "--help"],
                          capture_output=True, text=True, timeout=60)  # fmt: skip
    assert done.returncode == 0, done.stderr
    usage = "usage: cloudtrail-check" if command == "check" else f"usage: compliant-cloudtrail {command}"
    assert done.stdout.startswith(usage), done.stdout
