"""Figures about the pack itself, over its gRPC protocol: start-up, Analyze per resource, AnalyzeStack."""

from __future__ import annotations

import contextlib
import io
from collections.abc import Callable, Mapping, Sequence
from pathlib import Path
from typing import Any

from pulumi.runtime.proto import analyzer_pb2

from compliant_cloudtrail.check.analyzer_client import AnalyzerClient, ResourceLike
from compliant_cloudtrail.check.mock_runtime import RegisteredResource, run_program

from .packs import NOOP_PACK, OUR_PACK, OUR_SHAPE, REPO_ROOT, RunningPack, running, startup_times
from .report import Figure
from .stacks import analyze_mix, generated_stack, trail_count
from .timing import Samples, alternate

#: The environment of a pack process that compiles its modules at every start, as under this sandbox's
#: PYTHONDONTWRITEBYTECODE=1 (an empty PYTHONPYCACHEPREFIX means "none": the source tree's caches are read).
NO_BYTECODE_CACHE = {"PYTHONDONTWRITEBYTECODE": "1", "PYTHONPYCACHEPREFIX": ""}


def _startup(pack_dir: Path, cpu: list[float], env: Mapping[str, str] | None = None) -> Callable[[], float]:
    def run() -> float:
        wall, used = startup_times(pack_dir, env)
        cpu.append(used)
        return wall

    return run


def startup(reps: int, warmup: int, ours: Path = OUR_PACK) -> list[Figure]:
    cpu: dict[str, list[float]] = {key: [] for key in ("noop", "ours", "noop_uncached", "ours_uncached")}
    wall = alternate(
        {
            "noop": _startup(NOOP_PACK, cpu["noop"]),
            "ours": _startup(ours, cpu["ours"]),
            "noop_uncached": _startup(NOOP_PACK, cpu["noop_uncached"], NO_BYTECODE_CACHE),
            "ours_uncached": _startup(ours, cpu["ours_uncached"], NO_BYTECODE_CACHE),
        },
        reps,
        warmup,
    )
    kept = {key: Samples(tuple(values[-reps:])) for key, values in cpu.items()}  # warm-up runs come first
    return [
        Figure(
            "pack start-up (process start to port printed)",
            "no-op pack",
            wall["noop"],
            wall["ours"],
            "ms",
            target=1.15,
            note="wall time; bytecode caches on, as on a user's machine (the benchmark gives its packs a cache "
            "folder). On a busy machine it swings with the other processes: see the CPU row.",
        ),
        Figure(
            "pack start-up, CPU time of the pack process",
            "no-op pack",
            kept["noop"],
            kept["ours"],
            "ms",
            note="user + system seconds of the pack process (it idles after printing its port), from the same "
            "runs: hardly moved by other processes competing for the cores.",
        ),
        Figure(
            "pack start-up, CPU time, no bytecode cache written",
            "no-op pack",
            kept["noop_uncached"],
            kept["ours_uncached"],
            "ms",
            note="PYTHONDONTWRITEBYTECODE=1, as this sandbox sets it: our pack's ~15 modules are compiled from "
            "source at every start (the no-op pack has only its __main__.py, which is always compiled).",
            extra={"wall_seconds": {"noop": list(wall["noop_uncached"].values),
                                    "ours": list(wall["ours_uncached"].values)}},
        ),
    ]


def _serialised_analyze_requests(client: AnalyzerClient, mix: Sequence[ResourceLike]) -> list[bytes]:
    known = {r.urn: r for r in mix if isinstance(r, RegisteredResource)}
    return [client.build_analyze_request(r, known=known).SerializeToString() for r in mix]


def _per_call(pack: RunningPack, requests: Sequence[bytes]) -> float:
    return sum(pack.timed("Analyze", request)[0] for request in requests) / len(requests)


def _violations(pack: RunningPack, requests: Sequence[bytes]) -> int:
    return sum(len(pack.timed("Analyze", request)[1].diagnostics) for request in requests)


def analyze_per_resource(reps: int, warmup: int, ours_dir: Path = OUR_PACK) -> list[Figure]:
    with contextlib.redirect_stderr(io.StringIO()):  # the example stack's own warning, not ours to show
        example = run_program(REPO_ROOT)
    generated = analyze_mix(trails=48, unrelated=48)
    mix: list[ResourceLike] = [*example, *generated]
    with running(NOOP_PACK) as noop, running(ours_dir) as ours, running(NOOP_PACK, OUR_SHAPE) as shaped:
        requests = _serialised_analyze_requests(ours.client, mix)
        contenders: dict[str, Callable[[], float]] = {
            "noop": lambda: _per_call(noop, requests),
            "ours": lambda: _per_call(ours, requests),
            "shaped": lambda: _per_call(shaped, requests),
        }
        samples = alternate(contenders, reps, warmup)
        violations = _violations(ours, requests)
    what = (
        f"{len(mix)} resources, one Analyze call each: the example stack's {len(example)} registrations and "
        f"{len(generated)} generated ones ({sum(1 for r in generated if r['type'].endswith('Trail'))} trails of "
        f"four kinds, the rest unrelated); our pack reports {violations} violations on them."
    )
    extra = {"resources": len(mix), "violations": violations}
    return [
        Figure("Analyze, per resource", "no-op pack", samples["noop"], samples["ours"], "ms", 1.2, what, extra),
        Figure(
            "Analyze, per resource, vs a no-op pack of our shape",
            "no-op, 4 resource policies",
            samples["shaped"],
            samples["ours"],
            "ms",
            note="pulumi-policy deserialises the request once per resource policy, and ours has 4: this baseline "
            "pays that too, so the ratio is what our validators add.",
        ),
    ]


def _stack_request(resources: Sequence[Mapping[str, Any]]) -> bytes:
    client = AnalyzerClient(OUR_PACK)  # only its request builder; never started
    request = analyzer_pb2.AnalyzeStackRequest(resources=[client.build_analyzer_resource(r) for r in resources])
    return request.SerializeToString()


def analyze_stack(reps: int, warmup: int, sizes: tuple[int, int], ours: Path = OUR_PACK) -> list[Figure]:
    small, large = sizes
    stacks = {n: generated_stack(n) for n in sizes}
    requests = {n: _stack_request(stacks[n]) for n in sizes}
    answers: dict[str, int] = {}

    def one(pack_dir: Path, n: int, key: str, env: Mapping[str, str] | None = None) -> Callable[[], float]:
        def run() -> float:
            # A fresh pack per call: the CLI starts the pack for an update and sends AnalyzeStack once.
            with running(pack_dir, env) as pack:
                seconds, response = pack.timed("AnalyzeStack", requests[n])
            answers[key] = len(response.diagnostics)
            return seconds

        return run

    samples = alternate(
        {
            "noop_small": one(NOOP_PACK, small, "noop_small"),
            "ours_small": one(ours, small, "ours_small"),
            "shaped_small": one(NOOP_PACK, small, "shaped_small", OUR_SHAPE),
            "noop_large": one(NOOP_PACK, large, "noop_large"),
            "ours_large": one(ours, large, "ours_large"),
        },
        reps,
        warmup,
    )
    extra = {
        str(n): {
            "resources": n,
            "trails": trail_count(stacks[n]),
            "request_bytes": len(requests[n]),
        }
        for n in sizes
    }
    extra["violations_reported"] = answers
    mb = {n: len(requests[n]) / 1e6 for n in sizes}
    return [
        Figure(
            f"AnalyzeStack, {small:,} resources",
            "no-op pack",
            samples["noop_small"],
            samples["ours_small"],
            "s",
            1.5,
            f"generated stack, {trail_count(stacks[small])} trails among {small:,} resources; request "
            f"{mb[small]:.1f} MB ({mb[large]:.1f} MB at {large:,}), above gRPC's 4 MiB default and accepted: "
            "pulumi-policy's server takes up to 400 MiB. A fresh pack per call; only the call is timed.",
            extra,
        ),
        Figure(
            f"AnalyzeStack, {large:,} vs {small:,} resources (ours)",
            f"ours at {small:,}",
            samples["ours_small"],
            samples["ours_large"],
            "s",
            2.2,
            f"linear would be {large / small:.1f}; {trail_count(stacks[large])} trails at {large:,}.",
        ),
        Figure(
            f"AnalyzeStack, {large:,} vs {small:,} resources (no-op, for reference)",
            f"no-op at {small:,}",
            samples["noop_small"],
            samples["noop_large"],
            "s",
            note="the runtime alone (deserialising, building PolicyResource objects) on the same stacks.",
        ),
        Figure(
            f"AnalyzeStack, {large:,} resources",
            "no-op pack",
            samples["noop_large"],
            samples["ours_large"],
            "s",
        ),
        Figure(
            f"AnalyzeStack, {small:,} resources, vs a no-op pack of our shape",
            "no-op, 2 stack policies",
            samples["shaped_small"],
            samples["ours_small"],
            "s",
            note="pulumi-policy deserialises the whole stack once per stack policy, and ours has 2: this "
            "baseline pays that too, so the ratio is what our validators add.",
        ),
    ]

