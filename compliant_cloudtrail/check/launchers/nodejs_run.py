"""One Node.js program run against the offline engine: the same servers, state, invokes and watchdog as a Python
run (``engine/run.py``, ``run_launched``); only the command line, its environment and where SDK classes are
found differ: this module's ``Launch``.

No language host sits between the engine and the program: the CLI's Node.js host only proxies the
ResourceMonitor and starts ``node`` (``execRuntime`` in pulumi-language-nodejs/main.go), so the program dials the
offline monitor directly.
"""

from __future__ import annotations

import functools
import importlib.util
from pathlib import Path

from ..engine.run import Launch, RunOptions
from ..project import Project
from .nodejs_host import NodeCommand, config_env, nodejs_argv

__all__ = ["nodejs_launch"]


@functools.cache
def _checker_sdk(package: str) -> Path | None:
    """Output shapes come from the Python SDK of the same provider schema the program's JS SDK was generated from;
    only the checker's own pulumi-aws is at hand (a Node.js program has no Python SDK)."""
    if package != "aws":
        return None
    spec = importlib.util.find_spec("pulumi_aws")
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


def nodejs_launch(node: NodeCommand, project: Project, options: RunOptions) -> Launch:
    # No stack dump on timeout: SIGUSR1 would open Node's inspector, not print where the program waits.
    return Launch(
        argv=lambda monitor, engine: nodejs_argv(node, project, monitor, options, engine=engine),
        env=lambda strings, secret_keys: config_env(node, strings, secret_keys),
        package_dirs=_checker_sdk,
    )
