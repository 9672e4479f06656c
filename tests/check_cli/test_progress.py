"""The progress line: shown on stderr for large programs only, never mixed into the report or --json."""

from __future__ import annotations

import io
import re
from pathlib import Path

import pytest

from compliant_cloudtrail.check.progress import LARGE_PROGRAM, ProgressLine

from .conftest import DELIVERY, check

# One bare trail among many log groups: large enough for a progress line, with one known violation to report.
LOG_GROUPS = LARGE_PROGRAM + 20
RESOURCES = LOG_GROUPS + 2  # and the trail, and the pulumi:pulumi:Stack every program has
LARGE_PROGRAM_SOURCE = f'''
import pulumi_aws as aws

for i in range({LOG_GROUPS}):
    aws.cloudwatch.LogGroup(f"group-{{i}}", retention_in_days=365)
aws.cloudtrail.Trail("bare", s3_bucket_name="some-bucket")
'''


@pytest.fixture(scope="module")
def large_program(tmp_path_factory: pytest.TempPathFactory) -> Path:
    program = tmp_path_factory.mktemp("large")
    (program / "Pulumi.yaml").write_text("name: large\nruntime: python\n")
    (program / "__main__.py").write_text(LARGE_PROGRAM_SOURCE)
    return program


def _progress_lines(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("checking:")]


def test_large_program_shows_each_phase_on_stderr(large_program: Path) -> None:
    run = check(large_program, "--json")
    resources = RESOURCES
    assert run.code == 1, run.describe()
    report = run.json()  # stdout stays one JSON object: the progress line went to stderr
    assert report["resources_checked"] == resources
    assert [v["policy"] for v in report["violations"] if v["level"] == "mandatory"] == [DELIVERY]
    lines = _progress_lines(run.stderr)
    assert lines, run.describe()
    # while the program runs: a line at the threshold (the next milestone, 500, is above this program's size)
    assert re.match(rf"checking: running the program: {LARGE_PROGRAM} resources registered \(\d+\.\d s\)$", lines[0])
    lines = lines[1:]
    assert re.match(rf"checking: the program registered {resources} resources \(\d+\.\d s\)$", lines[0]), lines
    counts = [int(m.group(1)) for line in lines if (m := re.match(rf"checking: Analyze (\d+)/{resources} ", line))]
    # Not a terminal: one line per tenth (plus the first call), rising, ending with every resource analyzed.
    assert counts == sorted(counts) and counts[-1] == resources, lines
    assert 10 <= len(counts) <= 11, lines
    assert lines[-1].startswith(f"checking: AnalyzeStack over {resources} resources"), lines


def test_no_progress_option_silences_it(large_program: Path) -> None:
    run = check(large_program, "--no-progress")
    assert run.code == 1, run.describe()
    assert _progress_lines(run.stderr) == [], run.describe()
    assert f"resources checked:  {RESOURCES}" in run.stdout


def test_small_program_prints_no_progress(root_stack: Path) -> None:
    run = check(root_stack)
    assert run.code == 0, run.describe()
    assert _progress_lines(run.stderr) == [], run.describe()


class _Terminal(io.StringIO):
    def isatty(self) -> bool:
        return True


def test_on_a_terminal_the_count_is_redrawn_in_place_then_ends_the_line() -> None:
    terminal = _Terminal()
    progress = ProgressLine(terminal, threshold=3)
    progress.program_ran(4)
    for done in range(1, 5):
        progress.analyzed(done, 4)
    progress.analyzing_stack(4)
    text = terminal.getvalue()
    assert text.count("\r") == 4  # one redraw per resource, no new line between them
    redraws = text.split("\n")[1].split("\r")[1:]
    assert len(redraws) == 4
    for n, redraw in enumerate(redraws, start=1):
        assert re.fullmatch(rf"checking: Analyze {n}/4 resources \(\d+\.\d s\)", redraw), text
    assert text.splitlines()[-1].startswith("checking: AnalyzeStack over 4 resources")


def test_below_the_threshold_nothing_is_written() -> None:
    stream = io.StringIO()
    progress = ProgressLine(stream, threshold=3)
    progress.program_ran(2)
    progress.analyzed(1, 2)
    progress.analyzed(2, 2)
    progress.analyzing_stack(2)
    assert stream.getvalue() == ""
