"""Many stacks in one run (issue 20): a self-managed backend of N stacks against the same trails in one export,
and against one ``--state`` run per stack.

``python -m benchmarks.many_stacks [--stacks 1000] [--trails-per-stack 10] [--reps 3] [--sample 20]``

The backend holds ``--stacks`` stacks in the project layout (``.pulumi/stacks/<project>/<stack>.json``, ten
projects), each a checkpoint with its Stack resource, its aws provider and ``--trails-per-stack`` trails, each
trail with its log group and delivery role (as :mod:`benchmarks.trail_fleet`: one trail in ten without CloudWatch
Logs). The one export is :func:`benchmarks.trail_fleet.export` of all those trails. Every contender is a whole
command, process start to exit, as a CI job runs it:

- many stacks: ``python -m benchmarks.many_stacks judge <backend>`` (``run_many`` and the JSON report: what the
  command does once its flags are wired);
- one export: ``python -m compliant_cloudtrail.check --state <export> --json --no-progress``;
- separate runs: the same command on one stack's checkpoint, for ``--sample`` stacks; the time of all N runs is
  extrapolated from the sample's median (N x median): running a thousand would take most of an hour and say
  nothing more.

Each run's verdicts are checked (the failing trails counted on every side), and the many-stack run's peak RSS is
read from ``getrusage`` (its own, and its largest child's: the pack).
"""

from __future__ import annotations

import argparse
import json
import os
import resource
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from .trail_fleet import ASSUME_ROLE, delivers, export

ACCOUNT, REGION = "123456789012", "eu-west-1"
PROJECTS = 10


def _stack_checkpoint(project: str, stack: str, first_trail: int, trails: int) -> dict[str, Any]:
    """One stack as the diy backend saves it: trails ``first_trail`` .. ``first_trail + trails - 1`` of the fleet."""

    def urn(type_token: str, name: str) -> str:
        return f"urn:pulumi:{stack}::{project}::{type_token}::{name}"

    root = urn("pulumi:pulumi:Stack", f"{project}-{stack}")
    provider = urn("pulumi:providers:aws", "default_7_51_1")
    prov = f"{provider}::04f1c2a9-provider"
    resources: list[dict[str, Any]] = [
        {"urn": root, "custom": False, "type": "pulumi:pulumi:Stack"},
        {"urn": provider, "custom": True, "id": "04f1c2a9-provider", "type": "pulumi:providers:aws",
         "inputs": {"region": REGION, "version": "7.51.1"}, "outputs": {"region": REGION, "version": "7.51.1"}},
    ]  # fmt: skip

    def custom(type_token: str, name: str, inputs: dict[str, Any], outputs: dict[str, Any]) -> dict[str, Any]:
        return {"urn": urn(type_token, name), "custom": True, "id": name, "type": type_token, "inputs": inputs,
                "outputs": {**inputs, **outputs, "id": name}, "parent": root, "provider": prov}  # fmt: skip

    for i in range(first_trail, first_trail + trails):
        group_arn = f"arn:aws:logs:{REGION}:{ACCOUNT}:log-group:/aws/cloudtrail/trail-{i}"
        role_arn = f"arn:aws:iam::{ACCOUNT}:role/trail-{i}-to-logs"
        group = custom("aws:cloudwatch/logGroup:LogGroup", f"trail-{i}",
                       {"name": f"/aws/cloudtrail/trail-{i}", "retentionInDays": 365}, {"arn": group_arn})
        role = custom("aws:iam/role:Role", f"trail-{i}-to-logs",
                      {"name": f"trail-{i}-to-logs", "assumeRolePolicy": json.dumps(ASSUME_ROLE)}, {"arn": role_arn})
        inputs: dict[str, Any] = {"name": f"trail-{i}", "s3BucketName": "audit-logs", "isMultiRegionTrail": True,
                                  "includeGlobalServiceEvents": True, "enableLogFileValidation": True}
        if delivers(i):
            inputs |= {"cloudWatchLogsGroupArn": f"{group_arn}:*", "cloudWatchLogsRoleArn": role_arn}
        trail = custom("aws:cloudtrail/trail:Trail", f"trail-{i}", inputs,
                       {"arn": f"arn:aws:cloudtrail:{REGION}:{ACCOUNT}:trail/trail-{i}"})  # fmt: skip
        if delivers(i):
            trail["dependencies"] = [group["urn"], role["urn"]]
            trail["propertyDependencies"] = {"cloudWatchLogsGroupArn": [group["urn"]],
                                             "cloudWatchLogsRoleArn": [role["urn"]]}  # fmt: skip
        resources += [group, role, trail]
    deployment = {"manifest": {"time": "2026-12-05T10:00:00Z", "magic": "", "version": "v3.272.0"},
                  "resources": resources}  # fmt: skip
    return {"version": 3, "checkpoint": {"stack": stack, "latest": deployment}}


def write_backend(root: Path, stacks: int, trails_per_stack: int) -> list[Path]:
    """``stacks`` checkpoints under ``root/.pulumi/stacks/project-<k>/stack-<n>.json``; returns their paths."""
    (root / ".pulumi").mkdir(parents=True, exist_ok=True)
    (root / ".pulumi" / "meta.yaml").write_text("version: 1\n")
    paths = []
    for n in range(stacks):
        project, stack = f"project-{n % PROJECTS}", f"stack-{n:05d}"
        path = root / ".pulumi" / "stacks" / project / f"{stack}.json"
        path.parent.mkdir(parents=True, exist_ok=True)
        # The diy backend writes compact JSON (state.go, compactJSONMarshaler).
        path.write_text(json.dumps(_stack_checkpoint(project, stack, n * trails_per_stack, trails_per_stack),
                                   separators=(",", ":")))  # fmt: skip
        paths.append(path)
    return paths


def _timed(argv: list[str]) -> tuple[float, subprocess.CompletedProcess[str]]:
    started = time.perf_counter()
    done = subprocess.run(argv, capture_output=True, text=True, timeout=7200)
    return time.perf_counter() - started, done


def _failing_trails(report: dict[str, Any]) -> int:
    """Mandatory violations: counted by the many-stack driver (``failing_trails``), or in a single check's report."""
    if "failing_trails" in report:
        return int(report["failing_trails"])
    return sum(1 for v in report["violations"] if v["level"] == "mandatory")


def judge(locations: list[str]) -> int:
    """What ``cloudtrail-check --backend``/``--state`` with several locations does: the run, the JSON report."""
    from compliant_cloudtrail.check.many import ManyRequest, run_many
    from compliant_cloudtrail.check.many_report import write_json

    outcome = run_many(ManyRequest(locations))
    # The report is rendered as the command renders it (its memory and time count), then counted from the outcome:
    # parsing it back would double the peak this run is there to measure.
    with open(os.devnull, "w") as sink:
        write_json(outcome, sink)
    own = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
    children = resource.getrusage(resource.RUSAGE_CHILDREN).ru_maxrss
    failing = sum(len(r.outcome.mandatory) for r in outcome.stacks if r.outcome is not None)
    print(json.dumps({"failing_trails": failing, "stacks": len(outcome.stacks),
                      "peak_rss_kib": {"checker": own, "largest_child": children}}))  # fmt: skip
    return outcome.exit_code


def measure(stacks: int, trails_per_stack: int, reps: int, sample: int, work: Path) -> dict[str, Any]:
    trails = stacks * trails_per_stack
    expected = sum(1 for i in range(trails) if not delivers(i))
    paths = write_backend(work / "backend", stacks, trails_per_stack)
    one = work / f"fleet-{trails}.json"
    one.write_text(json.dumps(export(trails), separators=(",", ":")))
    python = sys.executable
    many_argv = [python, "-m", "benchmarks.many_stacks", "judge", f"file://{work / 'backend'}"]
    one_argv = [python, "-m", "compliant_cloudtrail.check", "--state", str(one), "--json", "--no-progress"]

    times: dict[str, list[float]] = {"many": [], "one": []}
    rss: list[dict[str, int]] = []
    for rep in range(reps):
        for name in (("many", "one") if rep % 2 == 0 else ("one", "many")):
            seconds, done = _timed(many_argv if name == "many" else one_argv)
            report = json.loads(done.stdout)
            if _failing_trails(report) != expected:
                raise RuntimeError(f"{name}: {_failing_trails(report)} failing trails, expected {expected}: "
                                   f"{done.stderr[-500:]}")  # fmt: skip
            if name == "many":
                rss.append(report["peak_rss_kib"])
            times[name].append(seconds)
    separate: list[float] = []
    step = max(1, len(paths) // sample)
    for path in paths[::step][:sample]:
        seconds, done = _timed([python, "-m", "compliant_cloudtrail.check", "--state", str(path), "--json",
                                "--no-progress"])  # fmt: skip
        if done.returncode not in (0, 1):
            raise RuntimeError(f"separate run on {path}: exit {done.returncode}: {done.stderr[-500:]}")
        separate.append(seconds)
    many, single = statistics.median(times["many"]), statistics.median(times["one"])
    per_run = statistics.median(separate)
    return {
        "stacks": stacks,
        "trails_per_stack": trails_per_stack,
        "resources": stacks * (2 + 3 * trails_per_stack),
        "many_s": times["many"],
        "one_export_s": times["one"],
        "separate_sample_s": separate,
        "separate_extrapolated_s": per_run * stacks,
        "many_vs_one_export": many / single,
        "many_vs_separate": many / (per_run * stacks),
        "peak_rss_kib": rss,
        "load_average": os.getloadavg(),
    }


def main(argv: list[str] | None = None) -> int:
    args = sys.argv[1:] if argv is None else argv
    if args[:1] == ["judge"]:
        return judge(args[1:])
    ap = argparse.ArgumentParser(prog="python -m benchmarks.many_stacks")
    ap.add_argument("--stacks", type=int, default=1000)
    ap.add_argument("--trails-per-stack", type=int, default=10)
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--sample", type=int, default=20)
    ap.add_argument("--only-many", action="store_true", help="only the many-stack run, once (for the memory figure)")
    opts = ap.parse_args(args)
    with tempfile.TemporaryDirectory(prefix="bench-many-") as tmp:
        work = Path(tmp)
        if opts.only_many:
            write_backend(work / "backend", opts.stacks, opts.trails_per_stack)
            seconds, done = _timed([sys.executable, "-m", "benchmarks.many_stacks", "judge",
                                    f"file://{work / 'backend'}"])  # fmt: skip
            report = json.loads(done.stdout)
            print(json.dumps({"stacks": opts.stacks, "seconds": seconds, "peak_rss_kib": report["peak_rss_kib"],
                              "failing_trails": _failing_trails(report), "load_average": os.getloadavg()}))
            return 0
        load_before = os.getloadavg()
        result = measure(opts.stacks, opts.trails_per_stack, opts.reps, opts.sample, work)
        result["load_average_before"] = load_before
        print(json.dumps(result, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
