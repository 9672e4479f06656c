"""A Node.js program's failure is summarised by its error's own line and its own frames (Node prints the
message first and the frames after it, the reverse of Python's traceback)."""

from __future__ import annotations

from pathlib import Path

from compliant_cloudtrail.check.errors import _node_failure

NODE_ERROR = """Running program '/work/p/index.ts' failed with an unhandled exception:
Error: the bucket name is required
    at Object.<anonymous> (/work/p/lib/trail.ts:12:11)
    at Module._compile (node:internal/modules/cjs/loader:1521:14)
    at Object.runProgram [as init] (/work/p/node_modules/@pulumi/cmd/run/run.ts:541:33)
    at Stack.initializeAndRegisterOutputs (/work/p/node_modules/@pulumi/resource.ts:1687:22)"""


def test_the_summary_is_the_error_line_and_the_frames_are_the_programs() -> None:
    error = _node_failure(Path("/work/p"), NODE_ERROR.splitlines())
    assert str(error).endswith("failed: Error: the bucket name is required"), str(error)
    assert "lib/trail.ts:12:11" in error.detail
    assert "node_modules" not in error.detail and "node:internal" not in error.detail
