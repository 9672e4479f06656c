"""No verdict: exit 2 with one clear line on stderr naming what failed; never the checker's traceback, and of a
failing program only its own frames."""

from __future__ import annotations

import json
import re
import textwrap
from pathlib import Path

import pytest

from .conftest import DELIVERY, EXAMPLES, ROOT, Run, check

BARE = EXAMPLES / "bare-trail"


def program_frames(stderr: str) -> list[str]:
    return re.findall(r'File "([^"]+)", line \d+', stderr)


def assert_no_verdict(run: Run, *mentions: str, program: Path | None = None) -> str:
    """Exit 2, nothing on stdout, and a last stderr line that is the error and names each of ``mentions``.

    A traceback may appear only for a failing ``program``, and then with only that program's frames.
    """
    assert run.code == 2, run.describe()
    assert run.stdout == "", run.describe()
    if program is None:
        assert "Traceback" not in run.stderr, run.describe()
    else:
        frames = program_frames(run.stderr)
        assert frames, f"no frame of the program is shown\n{run.describe()}"
        outside = [f for f in frames if not Path(f).resolve().is_relative_to(program.resolve())]
        assert not outside, f"frames outside the program {program}: {outside}\n{run.describe()}"
    error = run.stderr.strip().splitlines()[-1] if run.stderr.strip() else ""
    assert error.startswith("cloudtrail-check: error: "), run.describe()
    for mention in mentions:
        assert mention in error, f"error line does not name {mention!r}\n{run.describe()}"
    return error


def program(tmp_path: Path, main: str | None, name: str = "scratch") -> Path:
    (tmp_path / "Pulumi.yaml").write_text(f"name: {name}\nruntime: python\n")
    if main is not None:
        (tmp_path / "__main__.py").write_text(textwrap.dedent(main))
    return tmp_path


def test_program_directory_without_main(tmp_path: Path) -> None:
    assert_no_verdict(check(program(tmp_path, None)), str(tmp_path), "__main__.py")


@pytest.mark.parametrize("name", ["${PROJECT}", "my project", "a" * 101])
def test_a_project_name_the_cli_refuses_is_refused(tmp_path: Path, name: str) -> None:
    """pulumi/pulumi sdk/go/common/tokens/project.go ValidateProjectName: alphanumerics, '-', '_', '.', 1 to 100."""
    (tmp_path / "Pulumi.yaml").write_text(f"name: '{name}'\nruntime: python\n")
    (tmp_path / "__main__.py").write_text("import pulumi\n")
    assert_no_verdict(check(tmp_path), "project name", "alphanumerics")


def test_program_that_raises(tmp_path: Path) -> None:
    prog = program(tmp_path, "x = 1\nraise RuntimeError('the program is broken on purpose')\n")
    run = check(prog)
    assert_no_verdict(run, str(tmp_path), "RuntimeError", "the program is broken on purpose", program=prog)
    # the line that raised, as file:line
    assert f'File "{prog / "__main__.py"}", line 2' in run.stderr, run.describe()


def test_program_whose_invoke_cannot_be_answered(tmp_path: Path) -> None:
    # A package the offline engine has no answers for; the engine's error reaches the program, which does not
    # catch it. (Invokes of the engine: pulumi/pulumi source_eval.go, "invocation of %v returned an error".)
    prog = program(tmp_path, "import pulumi\npulumi.runtime.invoke('acme:index/getThing:getThing', {})\n")
    run = check(prog)
    error = assert_no_verdict(run, str(tmp_path), "acme:index/getThing:getThing", program=prog)
    assert "invocation of acme:index/getThing:getThing returned an error" in error, error


def test_missing_program_directory(tmp_path: Path) -> None:
    assert_no_verdict(check(tmp_path / "nowhere"), str(tmp_path / "nowhere"))


@pytest.mark.parametrize(
    ("content", "mention"),
    [
        ('{"cloudtrail-trail-deliver-to-cloudwatch-logs": ', "not JSON"),
        ('["advisory"]', "JSON object"),
        ('{"no-such-policy": "advisory"}', "no-such-policy"),
        (json.dumps({DELIVERY: "strict"}), "strict"),
    ],
    ids=["truncated", "not-an-object", "unknown-policy", "unknown-level"],
)
def test_bad_policy_pack_config_file(tmp_path: Path, content: str, mention: str) -> None:
    config = tmp_path / "policy-config.json"
    config.write_text(content)
    assert_no_verdict(check(BARE, "--policy-pack-config", config), str(config), mention)


def test_missing_policy_pack_config_file(tmp_path: Path) -> None:
    assert_no_verdict(check(BARE, "--policy-pack-config", tmp_path / "absent.json"), str(tmp_path / "absent.json"))


def test_policy_pack_directory_that_is_not_a_pack() -> None:
    # the examples folder: a real directory, but no PulumiPolicy.yaml
    assert_no_verdict(check(BARE, "--policy-pack", EXAMPLES), str(EXAMPLES), "PulumiPolicy.yaml")


def test_policy_pack_that_does_not_start(tmp_path: Path) -> None:
    (tmp_path / "PulumiPolicy.yaml").write_text("runtime: python\n")
    (tmp_path / "__main__.py").write_text("raise ImportError('the pack is broken on purpose')\n")
    error = assert_no_verdict(check(BARE, "--policy-pack", tmp_path), str(tmp_path), "did not start")
    # the pack's own last word says why
    assert "the pack is broken on purpose" in error, error


@pytest.mark.parametrize(
    "args",
    [[], ["--config", "novalue"], ["--config", "=value"], ["--no-such-option"]],
    ids=["no-program", "config-without-equals", "config-without-key", "unknown-option"],
)
def test_usage_errors_exit_2(args: list[str]) -> None:
    run = check(ROOT, *args) if args else check()
    assert run.code == 2, run.describe()
    # The exit-code contract: one line on stderr, saying what was wrong and where to read more.
    lines = run.stderr.strip().splitlines()
    assert len(lines) == 1 and lines[0].startswith("cloudtrail-check: error:"), run.describe()
    assert "--help" in lines[0] and run.stdout == "", run.describe()
