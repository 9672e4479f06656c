"""The program path's overhead (issue 20): a 1,000-trail program run through the offline engine, against the SDK's
own in-process mocks running the same program, in Python and in TypeScript.

``python -m benchmarks.engine_overhead [--trails 1000] [--reps 3] [--only python,typescript]``

- Python: ``program.run_for_check`` (the program in its own process on the program's interpreter, our
  ResourceMonitor and Engine over gRPC on Unix sockets) against ``mock_runtime.run_program`` (``pulumi.runtime.
  set_mocks`` in this process: no process, no gRPC, pulumi-aws already imported after the first round), and
  against the same in a new interpreter (start and imports paid, as the engine's program process pays them);
  the same program from :mod:`benchmarks.program`.
- TypeScript: ``run_for_check`` on the TypeScript program of :mod:`benchmarks.nodejs_program` against
  ``node mocks_run.js`` (written below): ``@pulumi/pulumi``'s own ``runtime.setMocks`` and the same ts-node
  registration as the CLI's ``cmd/run`` (``PULUMI_NODEJS_TRANSPILE_ONLY`` honoured the same way), then the program,
  timed from process start to exit. Both sides transpile only (``--type-check`` for both to type-check).

Neither side starts a policy pack: this is the program part only (the check's pack part is the same whichever way
the program ran). Runs alternate; the registrations counted on both sides must agree. With ``--log-calls``, the
engine's Log calls are counted and timed on the engine's side (what the SDK sends synchronously, about four per
resource in Python).
"""

from __future__ import annotations

import argparse
import contextlib
import io
import json
import os
import statistics
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any

from .nodejs_program import write_ts_program
from .program import write_program

#: @pulumi/pulumi's own mocks, with the CLI's ts-node registration (cmd/run/run.js), then the program.
MOCKS_RUN_JS = r"""
const path = require("path");
const programDir = path.resolve(process.argv[2]);
const req = (m) => require(require.resolve(m, { paths: [programDir] }));
const pulumi = req("@pulumi/pulumi");
let registered = 0;
pulumi.runtime.setMocks({
    newResource: (args) => {
        registered++;
        const service = args.type.split(":")[1].split("/")[0];
        const arn = `arn:aws:${service}:us-east-1:123456789012:${args.name}`;
        return { id: `${args.name}-id`, state: { ...args.inputs, arn } };
    },
    call: (args) => args.inputs,
}, "bench-many-trails", "dev", false);
// cmd/run is not among the package's exports: loaded by its file, next to the package's main module.
const sdkDir = path.dirname(require.resolve("@pulumi/pulumi", { paths: [programDir] }));
const tsutils = require(path.join(sdkDir, "tsutils.js"));
const { tsnodeRequire, typescriptRequire } = tsutils.typeScriptRequireStrings();
const transpileOnly = process.env.PULUMI_NODEJS_TRANSPILE_ONLY === "true";
req(tsnodeRequire).register({ compiler: typescriptRequire, transpileOnly, skipProject: true,
    compilerOptions: { target: "ES2020", module: "commonjs", moduleResolution: "node", sourceMap: "true" } });
process.chdir(programDir);
require(path.join(programDir, "index.ts"));
process.on("beforeExit", () => { console.log(JSON.stringify({ registered })); process.exit(0); });
"""


def _timed(run: Callable[[], int]) -> tuple[float, int]:
    started = time.perf_counter()
    count = run()
    return time.perf_counter() - started, count


def _engine_run(program: Path, env: dict[str, str]) -> Callable[[], int]:
    from compliant_cloudtrail.check.program import run_for_check

    def run() -> int:
        saved = dict(os.environ)
        os.environ.update(env)
        try:
            result = run_for_check(program, stack="dev", config={}, preview=False, timeout_s=1800,
                                   echo=io.StringIO())  # fmt: skip
        finally:
            os.environ.clear()
            os.environ.update(saved)
        return len(result.records)

    return run


def _python_mocks(program: Path) -> Callable[[], int]:
    from compliant_cloudtrail.check.mock_runtime import run_program

    def run() -> int:
        with contextlib.redirect_stderr(io.StringIO()):
            return len(run_program(program))

    return run


def _python_mocks_fresh(program: Path) -> Callable[[], int]:
    """The SDK's mocks in a new interpreter: what a fresh ``pytest`` run of the program pays (start and imports)."""
    code = ("import contextlib, io, sys; from pathlib import Path; "
            "from compliant_cloudtrail.check.mock_runtime import run_program\n"
            "with contextlib.redirect_stderr(io.StringIO()): n = len(run_program(Path(sys.argv[1])))\nprint(n)")

    def run() -> int:
        done = subprocess.run([sys.executable, "-c", code, str(program)], capture_output=True, text=True,
                              timeout=1800)  # fmt: skip
        if done.returncode != 0:
            raise RuntimeError(f"fresh mock run failed: {done.stderr[-1500:]}")
        return int(done.stdout.strip().splitlines()[-1])

    return run


def _node_mocks(script: Path, program: Path, env: dict[str, str]) -> Callable[[], int]:
    def run() -> int:
        done = subprocess.run(["node", str(script), str(program)], capture_output=True, text=True, env=env,
                              timeout=1800)  # fmt: skip
        if done.returncode != 0:
            raise RuntimeError(f"setMocks run failed: {done.stderr[-1500:]}")
        # Every resource but the stack (the mocks are not asked for it): add it, as the engine records it.
        return int(json.loads(done.stdout.strip().splitlines()[-1])["registered"]) + 1

    return run


def _alternate(contenders: dict[str, Callable[[], int]], reps: int) -> dict[str, Any]:
    times: dict[str, list[float]] = {name: [] for name in contenders}
    counts: dict[str, int] = {}
    names = list(contenders)
    for rep in range(reps + 1):  # the first round warms up (imports, bytecode, node's compile cache) and is dropped
        for name in names if rep % 2 == 0 else names[::-1]:
            seconds, counts[name] = _timed(contenders[name])
            if rep:
                times[name].append(seconds)
    if len(set(counts.values())) != 1:
        raise RuntimeError(f"the two runs registered different numbers of resources: {counts}")
    medians = {name: statistics.median(values) for name, values in times.items()}
    return {"seconds": times, "medians": medians, "resources": next(iter(counts.values()))}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m benchmarks.engine_overhead")
    ap.add_argument("--trails", type=int, default=1000)
    ap.add_argument("--reps", type=int, default=3)
    ap.add_argument("--only", default="python,typescript")
    ap.add_argument("--type-check", action="store_true", help="TypeScript: type-check on both sides")
    opts = ap.parse_args(argv)
    out: dict[str, Any] = {"trails": opts.trails, "load_average_before": os.getloadavg()}
    with tempfile.TemporaryDirectory(prefix="bench-engine-") as tmp:
        root = Path(tmp)
        env = {**os.environ, "PULUMI_PYTHON_CMD": sys.executable}
        if "python" in opts.only:
            program = write_program(root / "python", opts.trails)
            result = _alternate({"engine": _engine_run(program, env), "sdk_mocks": _python_mocks(program),
                                 "sdk_mocks_fresh_process": _python_mocks_fresh(program)}, opts.reps)  # fmt: skip
            result["ratio"] = result["medians"]["engine"] / result["medians"]["sdk_mocks"]
            result["ratio_fresh"] = result["medians"]["engine"] / result["medians"]["sdk_mocks_fresh_process"]
            out["python"] = result
        if "typescript" in opts.only:
            from tests.engine_nodejs.conftest import install_fixture_modules

            program = write_ts_program(root / "ts" / "program", opts.trails)
            (root / "ts" / "node_modules").symlink_to(install_fixture_modules(), target_is_directory=True)
            script = root / "ts" / "mocks_run.js"
            script.write_text(MOCKS_RUN_JS)
            ts_env = {**env, "PULUMI_NODEJS_TRANSPILE_ONLY": "false" if opts.type_check else "true"}
            result = _alternate({"engine": _engine_run(program, ts_env),
                                 "sdk_mocks": _node_mocks(script, program, ts_env)}, opts.reps)  # fmt: skip
            result["ratio"] = result["medians"]["engine"] / result["medians"]["sdk_mocks"]
            out["typescript"] = result
    out["load_average_after"] = os.getloadavg()
    print(json.dumps(out, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())
