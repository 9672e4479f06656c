"""Run every benchmark, print the table, write JSON (and, on a full run, benchmarks/RESULTS.md).

    python -m benchmarks.run [--quick] [--json PATH] [--markdown PATH] [--only GROUP,...]

Groups: startup, analyze, stack, check, filter, state. Each figure compares against a baseline measured in the same
run (see benchmarks/README.md); nothing here asserts, since the numbers belong to the machine.
"""

from __future__ import annotations

import argparse
import os
import sys
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from . import check_figures, filter_figures, machine, pack_figures, state_figures
from .packs import OUR_PACK, REPO_ROOT
from .report import Figure, markdown, to_json, write_json

RESULTS_DIR = REPO_ROOT / "benchmarks" / "results"
DEFAULT_JSON = RESULTS_DIR / "latest.json"
DEFAULT_MARKDOWN = REPO_ROOT / "benchmarks" / "RESULTS.md"
GROUPS = ("startup", "analyze", "stack", "check", "filter", "state")


@dataclass(frozen=True)
class Reps:
    """Repetitions kept per contender (warm-up ones are extra and thrown away)."""

    startup: int
    analyze: int
    stack: int
    example_check: int
    large_check: int
    filter: int
    state: int
    warmup: int
    filter_seconds: float

    def describe(self) -> str:
        return (
            f"Medians of alternating runs (order flipped every repetition; warm-up runs of each contender thrown "
            f"away: {self.warmup + 1} for start-up and the example check, {self.warmup} for the others, none for "
            f"the generated program's check): start-up {self.startup} runs per pack and setting, Analyze "
            f"{self.analyze} passes over the mix, AnalyzeStack {self.stack} runs per pack and size, offline check "
            f"{self.example_check} (example) and {self.large_check} (generated program) runs, filter engine "
            f"{self.filter} runs of at least {self.filter_seconds:g} s each, --state against Checkov "
            f"{self.state} runs each."
        )


FULL = Reps(
    startup=25, analyze=15, stack=4, example_check=7, large_check=3, filter=7, state=5, warmup=1, filter_seconds=0.5
)
QUICK = Reps(
    startup=3, analyze=2, stack=1, example_check=1, large_check=1, filter=2, state=1, warmup=0, filter_seconds=0.2
)


def _enable_bytecode_cache() -> None:
    """Let every pack process cache bytecode, as a user's machine does, in a folder of our own.

    Environments like this sandbox set PYTHONDONTWRITEBYTECODE=1, so a pack's own modules would be compiled at
    every start; the prefix keeps the caches out of the source tree (benchmarks/results/ is git-ignored).
    """
    os.environ["PYTHONDONTWRITEBYTECODE"] = ""
    os.environ["PYTHONPYCACHEPREFIX"] = str(RESULTS_DIR / "pycache")


def _parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.run", description=__doc__.split("\n")[0])
    parser.add_argument("--quick", action="store_true", help="one or two runs per figure: a smoke run")
    parser.add_argument("--json", type=Path, default=DEFAULT_JSON, help=f"default {DEFAULT_JSON}")
    parser.add_argument(
        "--markdown",
        type=Path,
        default=None,
        help=f"where to write the table; default {DEFAULT_MARKDOWN} on a full run of every group, else nowhere",
    )
    parser.add_argument("--only", default=",".join(GROUPS), help=f"comma-separated subset of {','.join(GROUPS)}")
    parser.add_argument("--stack-sizes", default="10000,20000", help="the two AnalyzeStack sizes")
    parser.add_argument(
        "--trails", type=int, default=1000, help="trails in the generated program and in the --state export"
    )
    parser.add_argument(
        "--pack",
        type=Path,
        default=OUR_PACK,
        help="the pack to measure (default policy_pack/); a modified copy shows what a fix would change",
    )
    args = parser.parse_args(argv)
    args.groups = [g.strip() for g in args.only.split(",") if g.strip()]
    unknown = sorted(set(args.groups) - set(GROUPS))
    if unknown:
        parser.error(f"unknown groups {unknown}; choose from {', '.join(GROUPS)}")
    sizes = [int(s) for s in args.stack_sizes.split(",")]
    if len(sizes) != 2 or sizes[0] >= sizes[1]:
        parser.error("--stack-sizes takes two sizes, the smaller first")
    args.sizes = (sizes[0], sizes[1])
    return args


def main(argv: list[str] | None = None) -> int:
    args = _parse_args(argv)
    reps = QUICK if args.quick else FULL
    _enable_bytecode_cache()
    # The generated programs name no virtualenv: the check runs them, as the CLI would, on PULUMI_PYTHON_CMD;
    # this interpreter has pulumi and pulumi-aws.
    os.environ.setdefault("PULUMI_PYTHON_CMD", sys.executable)
    about = machine.describe()
    w = reps.warmup
    ours = args.pack.resolve()
    steps: dict[str, Callable[[], list[Figure]]] = {
        "startup": lambda: pack_figures.startup(reps.startup, w + 1, ours),
        "analyze": lambda: pack_figures.analyze_per_resource(reps.analyze, w, ours),
        "stack": lambda: pack_figures.analyze_stack(reps.stack, w, args.sizes, ours),
        "check": lambda: [
            # The first check imports pulumi-aws (seconds): always warm up on the small example.
            *check_figures.example_stack(reps.example_check, w + 1, ours),
            *check_figures.many_trails(args.trails, reps.large_check, 0, ours),
            *check_figures.engine_against_sdk_mocks(args.trails, reps.large_check, 0, ours),
        ],
        "filter": lambda: filter_figures.filter_engine(reps.filter, w, reps.filter_seconds),
        "state": lambda: state_figures.state_vs_checkov(args.trails, reps.state, w),
    }
    figures: list[Figure] = []
    started = time.perf_counter()
    for group in GROUPS:
        if group not in args.groups:
            continue
        print(f"-- {group} ...", file=sys.stderr, flush=True)
        group_started = time.perf_counter()
        figures += steps[group]()
        print(f"   {time.perf_counter() - group_started:.0f} s", file=sys.stderr, flush=True)
    about["load_average_at_end"] = machine.load_average()
    about["benchmark_seconds"] = round(time.perf_counter() - started, 1)

    measured = "" if ours == OUR_PACK else f" Measured pack: {ours} (not the repository's)."
    table = markdown(figures, about, reps.describe() + measured)
    print(table)
    settings = {
        "quick": args.quick,
        "groups": args.groups,
        "stack_sizes": list(args.sizes),
        "trails": args.trails,
        "pack": str(ours),
        "reps": reps.__dict__,
    }
    write_json(args.json, to_json(figures, about, settings))
    print(f"JSON: {args.json}", file=sys.stderr)
    markdown_path = args.markdown
    if markdown_path is None and not args.quick and args.groups == list(GROUPS) and ours == OUR_PACK:
        markdown_path = DEFAULT_MARKDOWN
    if markdown_path is not None:
        markdown_path.write_text(_results_page(table), encoding="utf-8")
        print(f"Markdown: {markdown_path}", file=sys.stderr)
    return 0


def _results_page(table: str) -> str:
    return (
        "# Benchmark results\n\n"
        "Written by `scripts/bench.sh` (`python -m benchmarks.run`); what each figure means and how to read the "
        "ratios: [README.md](README.md).\n\n" + table
    )


if __name__ == "__main__":
    sys.exit(main())
