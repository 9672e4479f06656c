"""What ends a check as the engine would end the deployment, and what the user is shown: exit 2, one error
line, and of the program only its own frames; with --json, one JSON error object on stdout."""

from __future__ import annotations

import json
import os
import platform
import re
from collections.abc import Callable
from pathlib import Path

import pytest

from .conftest import describe, run_check_command

DELIVERY = "cloudtrail-trail-deliver-to-cloudwatch-logs"


def error_line(stderr: str) -> str:
    lines = stderr.strip().splitlines()
    assert lines and lines[-1].startswith("cloudtrail-check: error: "), stderr
    return lines[-1]


def _line_of(path: Path, text: str) -> str:
    return str(next(i for i, line in enumerate(path.read_text().splitlines(), 1) if text in line))


def frames(stderr: str) -> list[tuple[str, str]]:
    return re.findall(r'File "([^"]+)", line (\d+)', stderr)


@pytest.fixture
def program(place: Callable[..., Path], aws7_venv: Path) -> Callable[[str], Path]:
    return lambda name: place(name, aws7_venv)


def test_remote_component_is_named_and_a_definite_violation_elsewhere_still_fails(
    program: Callable[[str], Path],
) -> None:
    # Issue 16 item 2: a definite mandatory violation anywhere is exit 1; the report lists what was NOT CHECKED.
    done = run_check_command(program("remote-component"))
    assert done.returncode == 1, describe(done)
    assert "NOT CHECKED" in done.stdout and "awsx:cloudtrail:Trail 'org-trail'" in done.stdout, describe(done)
    assert "aws:cloudtrail/trail:Trail::plain" in done.stdout, describe(done)


def test_remote_component_allowed_is_reported_not_passed_silently(program: Callable[[str], Path]) -> None:
    done = run_check_command(program("remote-component"), "--allow-unexpanded-components", "--json")
    report = json.loads(done.stdout)
    # the plain trail outside the component is still judged
    assert done.returncode == 1, describe(done)
    assert [v["urn"] for v in report["violations"] if v["level"] == "mandatory"] == [
        "urn:pulumi:dev::remote-component::aws:cloudtrail/trail:Trail::plain"
    ]
    assert report["unexpanded_components"] == [
        {"type": "awsx:cloudtrail:Trail", "name": "org-trail",
         "urn": "urn:pulumi:dev::remote-component::awsx:cloudtrail:Trail::org-trail"}
    ]  # fmt: skip
    text = run_check_command(Path(report["program"]), "--allow-unexpanded-components")
    assert "NOT CHECKED" in text.stdout and "awsx:cloudtrail:Trail 'org-trail'" in text.stdout, describe(text)


def test_duplicate_urn_ends_the_check_with_the_engines_message(program: Callable[[str], Path]) -> None:
    done = run_check_command(program("duplicate-urns"))
    assert done.returncode == 2, describe(done)
    # pulumi/pulumi sdk/go/common/diag/errors.go GetDuplicateResourceURNError, as step_generator.go raises it
    urn = "urn:pulumi:dev::duplicate-urns::aws:cloudwatch/logGroup:LogGroup::audit"
    assert f"Duplicate resource URN '{urn}'; try giving it a unique name" in error_line(done.stderr), describe(done)
    assert "Traceback" not in done.stderr, describe(done)


def test_a_program_that_never_finishes_is_ended_by_the_watchdog(program: Callable[[str], Path]) -> None:
    prog = program("never-finishes")
    done = run_check_command(prog, "--timeout", "3")
    assert done.returncode == 2, describe(done)
    line = error_line(done.stderr)
    assert "made no call to the engine for 3 s" in line, line
    # where it was stuck: the program's own line, innermost first
    assert f"{prog / '__main__.py'}:{_line_of(prog / '__main__.py', 'time.sleep')} in wait_for_approval" in line, line
    # (the program blocks the SDK's event loop, so its log group never reached the engine: as under the CLI)
    assert re.search(r"; \d+ resources registered$", line), line


def test_a_failing_program_shows_only_its_own_frames(program: Callable[[str], Path]) -> None:
    prog = program("fails-in-helper")
    done = run_check_command(prog)
    assert done.returncode == 2, describe(done)
    shown = frames(done.stderr)
    main_line = _line_of(prog / "__main__.py", 'trail_name("")')
    raise_line = _line_of(prog / "lib" / "naming.py", "raise ValueError")
    assert shown == [(str(prog / "__main__.py"), main_line), (str(prog / "lib" / "naming.py"), raise_line)], (
        describe(done)
    )
    assert "ValueError: team must not be empty" in error_line(done.stderr)


def test_an_uncaught_invoke_error_fails_the_program_at_its_line(program: Callable[[str], Path]) -> None:
    prog = program("uncaught-invoke")
    done = run_check_command(prog)
    assert done.returncode == 2, describe(done)
    assert (str(prog / "__main__.py"), _line_of(prog / "__main__.py", "acme:")) in frames(done.stderr), describe(done)
    assert "invocation of acme:index/getThing:getThing returned an error" in error_line(done.stderr)


def test_mocks_file_answers_exactly_and_is_matched_by_args(program: Callable[[str], Path], tmp_path: Path) -> None:
    mocks = tmp_path / "mocks.json"
    mocks.write_text(json.dumps([
        {"token": "acme:index/getThing:getThing", "args": {"vpc": "vpc-nope"}, "error": "must not match"},
        {"token": "acme:index/getThing:getThing", "result": {"value": 1}},
    ]))  # fmt: skip
    prog = program("uncaught-invoke")
    done = run_check_command(prog, "--mocks", mocks, "--json")
    assert done.returncode == 0, describe(done)
    # the first entry's args do not match the program's call, so the second answers; an error entry is raised
    mocks.write_text(json.dumps([{"token": "acme:index/getThing:getThing", "error": "quota exceeded"}]))
    done = run_check_command(prog, "--mocks", mocks)
    assert done.returncode == 2 and "quota exceeded" in error_line(done.stderr), describe(done)


def test_json_mode_prints_one_json_error_object(program: Callable[[str], Path]) -> None:
    done = run_check_command(program("duplicate-urns"), "--json")
    assert done.returncode == 2, describe(done)
    payload = json.loads(done.stdout)
    assert payload["exit_code"] == 2 and "Duplicate resource URN" in payload["error"], payload


def test_missing_virtualenv_is_the_cli_error_with_the_commands(place: Callable[..., Path]) -> None:
    prog = place("duplicate-urns")  # its Pulumi.yaml names `virtualenv: venv`, not created here
    done = run_check_command(prog)
    assert done.returncode == 2, describe(done)
    line = error_line(done.stderr)
    assert "The 'virtualenv' option in Pulumi.yaml is set to 'venv'" in line and "doesn't exist" in line, line


def test_a_main_file_does_not_put_its_folder_on_sys_path_and_the_error_says_so(
    program: Callable[[str], Path],
) -> None:
    # pulumi-language-python-exec runs `main:` with runpy.run_path, which adds a directory to sys.path but not a
    # script file's folder (Python docs, runpy.run_path): `import stacks` fails under the CLI as here, and
    # projects that import beside their main file set PYTHONPATH.
    prog = program("main-file-sibling-package")
    done = run_check_command(prog)
    assert done.returncode == 2, describe(done)
    line = error_line(done.stderr)
    assert "ModuleNotFoundError: No module named 'stacks'" in line, line
    assert f"'stacks' is in {prog}" in line and "PYTHONPATH" in line, line


def test_a_main_file_with_pythonpath_set_gets_its_verdict(program: Callable[[str], Path]) -> None:
    prog = program("main-file-sibling-package")
    done = run_check_command(prog, "--json", env={**os.environ, "PYTHONPATH": str(prog)})
    assert done.returncode == 1, describe(done)
    mandatory = [v["urn"] for v in json.loads(done.stdout)["violations"] if v["level"] == "mandatory"]
    assert mandatory == ["urn:pulumi:dev::main-file-sibling-package::aws:cloudtrail/trail:Trail::audit"], mandatory


def test_a_syntax_error_names_the_python_that_read_it(program: Callable[[str], Path]) -> None:
    # A program written for a newer Python (a PEP 701 f-string under 3.11) fails to parse; which interpreter
    # read it is the one fact the traceback does not show.
    prog = program("syntax-error")
    # written here, not kept as a fixture file: the repository's linters parse every .py file they find
    (prog / "__main__.py").write_text('import pulumi_aws as aws\n\naws.cloudtrail.Trail("audit", s3_bucket_name="b"\n')
    done = run_check_command(prog)
    assert done.returncode == 2, describe(done)
    line = error_line(done.stderr)
    assert "SyntaxError:" in line, line
    assert f"read by Python {platform.python_version()}" in line and str(prog / "venv" / "bin" / "python") in line, (
        line
    )


def test_a_package_missing_from_the_environment_is_named_with_the_python_it_is_missing_from(
    program: Callable[[str], Path],
) -> None:
    prog = program("missing-package")
    done = run_check_command(prog)
    assert done.returncode == 2, describe(done)
    line = error_line(done.stderr)
    assert "No module named 'pulumi_awsx'" in line, line
    assert f"not installed for {prog / 'venv' / 'bin' / 'python'}" in line and "PYTHONPATH" not in line, line


def test_a_passing_report_says_no_trail_was_judged_and_shows_what_the_program_said(
    program: Callable[[str], Path],
) -> None:
    done = run_check_command(program("warns-without-a-trail"), "--json")
    assert done.returncode == 0, describe(done)
    notes = json.loads(done.stdout)["notes"]
    assert any("declared no CloudTrail trail" in note for note in notes), notes
    assert "the program said (warning): CloudTrail is disabled for this stack: set enableTrail to create it" in notes
