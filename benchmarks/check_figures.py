"""The whole offline check (program under the mocks, then the pack over gRPC), with our pack and the no-op.

``run_check`` is timed as the command runs it. The program run is timed on its own in the same repetitions
(``run_program``, as ``run_check`` calls it), so the pack's share is the check minus the program run.
"""

from __future__ import annotations

import contextlib
import io
import tempfile
import time
from collections.abc import Callable
from pathlib import Path

from cloudtrail_check.cli import CheckRequest, run_check
from cloudtrail_check.mock_runtime import run_program

from .packs import NOOP_PACK, OUR_PACK, REPO_ROOT
from .program import write_program
from .report import Figure
from .timing import Samples, alternate


def _quiet() -> contextlib.AbstractContextManager[object]:
    # The example stack warns (no alarm subscriber) on every run; a hundred copies would bury the table.
    return contextlib.redirect_stderr(io.StringIO())


def _check(program_dir: Path, pack: Path, verdicts: dict[str, int]) -> Callable[[], float]:
    def run() -> float:
        with _quiet():
            started = time.perf_counter()
            outcome = run_check(CheckRequest(program_dir=program_dir, policy_pack=pack))
            seconds = time.perf_counter() - started
        verdicts["resources"] = outcome.resources_checked
        verdicts[f"{pack.name}_mandatory"] = len(outcome.mandatory)
        verdicts[f"{pack.name}_advisory"] = len(outcome.advisory)
        return seconds

    return run


def _program(program_dir: Path) -> Callable[[], float]:
    def run() -> float:
        with _quiet():
            started = time.perf_counter()
            run_program(program_dir)
            return time.perf_counter() - started

    return run


def _minus(total: Samples, part: Samples) -> Samples:
    """Per repetition, the check's time less that repetition's program run."""
    return Samples(tuple(t - p for t, p in zip(total.values, part.values, strict=True)))


def offline_check(label: str, program_dir: Path, reps: int, warmup: int) -> list[Figure]:
    verdicts: dict[str, int] = {}
    samples = alternate(
        {
            "noop": _check(program_dir, NOOP_PACK, verdicts),
            "ours": _check(program_dir, OUR_PACK, verdicts),
            "program": _program(program_dir),
        },
        reps,
        warmup,
    )
    resources = verdicts["resources"]
    return [
        Figure(
            f"offline check, {label} ({resources:,} resources)",
            "check with no-op pack",
            samples["noop"],
            samples["ours"],
            "s",
            note=f"run_check end to end; ours reports {verdicts['policy_pack_mandatory']} mandatory and "
            f"{verdicts['policy_pack_advisory']} advisory violations. The program run alone (run_program) "
            f"takes {samples['program'].median:.2f} s of it.",
            extra={"program_run_seconds": list(samples["program"].values), **verdicts},
        ),
        Figure(
            f"offline check, {label}: the pack's part",
            "no-op pack's part",
            _minus(samples["noop"], samples["program"]),
            _minus(samples["ours"], samples["program"]),
            "s",
            note="check time minus the program run of the same repetition: pack start-up, one Analyze per "
            "resource, AnalyzeStack, and the client building requests.",
        ),
    ]


def example_stack(reps: int, warmup: int) -> list[Figure]:
    return offline_check("example stack", REPO_ROOT, reps, warmup)


def many_trails(trails: int, reps: int, warmup: int) -> list[Figure]:
    with tempfile.TemporaryDirectory(prefix="bench-trails-") as tmp:
        program_dir = write_program(Path(tmp) / "many-trails", trails)
        return offline_check(f"generated program with {trails:,} trails", program_dir, reps, warmup)
