"""Profile our pack's AnalyzeStack on a generated stack, in one process, to see where a slow figure comes from.

    python -m benchmarks.profile_stack [--size 10000] [--pack-dir policy_pack] [--top 30] [--no-profile]

The request goes through pulumi-policy's own servicer (``_PolicyAnalyzerServicer``, what ``PolicyPack``
serves over gRPC) with the policies of ``<pack dir>/policies``, without gRPC or a subprocess, so
cProfile sees the SDK's deserialisation and our validators side by side. ``--pack-dir`` may point at a
modified copy of the pack, to try a fix before making it.
"""

from __future__ import annotations

import argparse
import cProfile
import importlib
import importlib.util
import pstats
import sys
import time
from pathlib import Path

from pulumi.runtime.proto import analyzer_pb2
from pulumi_policy import EnforcementLevel
from pulumi_policy.policy import _PolicyAnalyzerServicer

from .pack_figures import _stack_request
from .packs import OUR_PACK
from .stacks import generated_stack, trail_count


def _servicer(pack_dir: Path) -> _PolicyAnalyzerServicer:
    # The pack folder loaded as one package, as its __main__.py does, ahead of the installed copy.
    spec = importlib.util.spec_from_file_location(
        "profiled_pack", pack_dir / "__init__.py", submodule_search_locations=[str(pack_dir)]
    )
    assert spec is not None and spec.loader is not None
    sys.modules["profiled_pack"] = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(sys.modules["profiled_pack"])
    pack = importlib.import_module("profiled_pack.policies.pack")
    print(f"policies from {Path(pack.__file__ or '').parent}", file=sys.stderr)
    return _PolicyAnalyzerServicer(
        pack.PACK_NAME, "0.0.0", pack.policies(), EnforcementLevel.ADVISORY, None, None, None, None, None, None, None
    )


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(prog="python -m benchmarks.profile_stack", description=__doc__.split("\n")[0])
    parser.add_argument("--size", type=int, default=10_000)
    parser.add_argument("--pack-dir", type=Path, default=OUR_PACK)
    parser.add_argument("--top", type=int, default=30)
    parser.add_argument("--no-profile", action="store_true", help="only time the call, twice")
    args = parser.parse_args(argv)

    servicer = _servicer(args.pack_dir.resolve())
    resources = generated_stack(args.size)
    data = _stack_request(resources)
    print(f"{args.size:,} resources, {trail_count(resources)} trails, request {len(data) / 1e6:.1f} MB")
    for attempt in (1, 2):
        request = analyzer_pb2.AnalyzeStackRequest.FromString(data)
        started = time.perf_counter()
        response = servicer.AnalyzeStack(request, None)
        print(f"AnalyzeStack {attempt}: {time.perf_counter() - started:.2f} s, {len(response.diagnostics)} violations")
    if args.no_profile:
        return 0
    profile = cProfile.Profile()
    request = analyzer_pb2.AnalyzeStackRequest.FromString(data)
    profile.enable()
    servicer.AnalyzeStack(request, None)
    profile.disable()
    stats = pstats.Stats(profile)
    stats.sort_stats("cumulative").print_stats(args.top)
    stats.sort_stats("tottime").print_stats(args.top // 2)
    return 0


if __name__ == "__main__":
    sys.exit(main())
