"""The whole offline check (program under the mocks, then the pack over gRPC), with our pack and the no-op.

``run_check`` is timed as the command runs it. Inside each call, the program run is timed too: the
benchmark wraps the ``run_prepared`` of ``compliant_cloudtrail.check.program`` that ``cli.run_check`` imports when it
runs a program (the module is not edited), so the pack's share is that same call's time minus its program run,
with no noise from pairing separate runs.
"""

from __future__ import annotations

import contextlib
import io
import tempfile
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any
from unittest import mock

from compliant_cloudtrail.check import program as check_program
from compliant_cloudtrail.check.cli import CheckRequest, run_check

from .packs import NOOP_PACK, OUR_PACK, REPO_ROOT
from .program import write_program
from .report import Figure
from .timing import Samples, alternate


@contextlib.contextmanager
def _quiet() -> Iterator[None]:
    # The example stack warns (no alarm subscriber) on every run; a hundred copies would bury the table.
    with contextlib.redirect_stderr(io.StringIO()):
        yield


@contextlib.contextmanager
def _program_runs_timed(into: list[float]) -> Iterator[None]:
    real = check_program.run_prepared

    def timed(*args: Any, **kwargs: Any) -> Any:
        started = time.perf_counter()
        try:
            return real(*args, **kwargs)
        finally:
            into.append(time.perf_counter() - started)

    with mock.patch.object(check_program, "run_prepared", timed):
        yield


def _check(
    program_dir: Path, pack: Path, role: str, program_seconds: list[float], verdicts: dict[str, int]
) -> Callable[[], float]:
    def run() -> float:
        runs: list[float] = []
        with _quiet(), _program_runs_timed(runs):
            started = time.perf_counter()
            outcome = run_check(CheckRequest(program_dir=program_dir, policy_pack=pack))
            seconds = time.perf_counter() - started
        if len(runs) != 1:
            raise RuntimeError(f"run_check ran the program {len(runs)} times through program.run_prepared, not once")
        program_seconds.append(runs[0])
        verdicts["resources"] = outcome.resources_checked
        verdicts[f"{role}_mandatory"] = len(outcome.mandatory)
        verdicts[f"{role}_advisory"] = len(outcome.advisory)
        return seconds

    return run


def _minus(total: Samples, part: Samples) -> Samples:
    """Per check, its time less its own program run."""
    return Samples(tuple(t - p for t, p in zip(total.values, part.values, strict=True)))


def offline_check(label: str, program_dir: Path, reps: int, warmup: int, ours: Path) -> list[Figure]:
    verdicts: dict[str, int] = {}
    program: dict[str, list[float]] = {"noop": [], "ours": []}
    samples = alternate(
        {
            "noop": _check(program_dir, NOOP_PACK, "noop", program["noop"], verdicts),
            "ours": _check(program_dir, ours, "ours", program["ours"], verdicts),
        },
        reps,
        warmup,
    )
    # The lists also hold the warm-up runs; the kept runs are the last ones.
    runs = {name: Samples(tuple(program[name][-reps:])) for name in program}
    program_median = Samples(runs["noop"].values + runs["ours"].values).median
    resources = verdicts["resources"]
    return [
        Figure(
            f"offline check, {label} ({resources:,} resources)",
            "check with no-op pack",
            samples["noop"],
            samples["ours"],
            "s",
            note=f"run_check end to end; ours reports {verdicts['ours_mandatory']} mandatory and "
            f"{verdicts['ours_advisory']} advisory violations. Running the program under the mocks "
            f"takes {program_median:.2f} s of each check (median over both packs' runs).",
            extra={"program_run_seconds": {name: list(r.values) for name, r in runs.items()}, **verdicts},
        ),
        Figure(
            f"offline check, {label}: the pack's part",
            "no-op pack's part",
            _minus(samples["noop"], runs["noop"]),
            _minus(samples["ours"], runs["ours"]),
            "s",
            note="each check's time minus its own program run: pack start-up, one Analyze per resource, "
            "AnalyzeStack, and the client building requests.",
        ),
    ]


def example_stack(reps: int, warmup: int, ours: Path = OUR_PACK) -> list[Figure]:
    return offline_check("example stack", REPO_ROOT, reps, warmup, ours)


def many_trails(trails: int, reps: int, warmup: int, ours: Path = OUR_PACK) -> list[Figure]:
    with tempfile.TemporaryDirectory(prefix="bench-trails-") as tmp:
        program_dir = write_program(Path(tmp) / "many-trails", trails)
        return offline_check(f"generated program with {trails:,} trails", program_dir, reps, warmup, ours)


def engine_against_sdk_mocks(trails: int, reps: int, warmup: int, ours: Path = OUR_PACK) -> list[Figure]:
    """The program path through our offline engine (its own process, gRPC monitor) against the Pulumi SDK's
    own in-process mock run of the same program plus the pack's part (issue: target <= 1.3x).

    Per repetition: the baseline is the SDK mock run (``mock_runtime.run_program``, in this process) plus that
    repetition's pack part (the check's time less its own program run); the measured side is the whole check.
    """
    from compliant_cloudtrail.check.mock_runtime import run_program

    program: list[float] = []
    verdicts: dict[str, int] = {}
    with tempfile.TemporaryDirectory(prefix="bench-engine-") as tmp:
        program_dir = write_program(Path(tmp) / "many-trails", trails)

        def sdk_mocks() -> float:
            started = time.perf_counter()
            with _quiet():
                run_program(program_dir)
            return time.perf_counter() - started

        samples = alternate({"sdk": sdk_mocks, "engine": _check(program_dir, ours, "ours", program, verdicts)},
                            reps, warmup)
    engine_runs = Samples(tuple(program[-reps:]))
    pack_part = _minus(samples["engine"], engine_runs)
    baseline = Samples(tuple(s + p for s, p in zip(samples["sdk"].values, pack_part.values, strict=True)))
    return [
        Figure(
            f"offline check through the engine, {trails:,} trails ({verdicts['resources']:,} resources)",
            "SDK in-process mocks + pack's part",
            baseline,
            samples["engine"],
            "s",
            target=1.3,
            note=f"the program in its own process against our ResourceMonitor over gRPC takes "
            f"{engine_runs.median:.2f} s; the SDK's in-process mock run of the same program "
            f"{samples['sdk'].median:.2f} s.",
        )
    ]
