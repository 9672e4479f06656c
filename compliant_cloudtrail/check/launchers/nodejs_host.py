"""Which Node.js runs a program, and with what command line: the choices of the CLI's Node.js language host.

From pulumi/pulumi ``sdk/nodejs/cmd/pulumi-language-nodejs/main.go`` (``Run``, ``execRuntime``,
``constructArguments``, ``constructConfig``, ``parseOptions``, ``locateModule``):

* the binary is ``node`` looked up on ``PATH`` ("could not find node on the $PATH");
* the run entry is ``@pulumi/pulumi/cmd/run`` (or ``PULUMI_LANGUAGE_NODEJS_RUN_PATH``), resolved with
  ``require.resolve`` from the program directory: the program's own ``node_modules`` provides it;
* the command line is ``node <nodeargs...> <run entry> --monitor A --engine A --organization O --project P
  --root-directory R --stack S --pwd D [--dry-run] --parallel N <entry>``;
* ``runtime.options``: ``typescript`` (default true) sets ``PULUMI_NODEJS_TYPESCRIPT=true``, ``tsconfig`` sets
  ``PULUMI_NODEJS_TSCONFIG_PATH``, ``nodeargs`` is split like a shell would;
* config goes in ``PULUMI_CONFIG`` with keys in the old ``<namespace>:config:<name>`` form (newer SDKs read both),
  secret keys in ``PULUMI_CONFIG_SECRET_KEYS``.

The check installs nothing: a program without ``node_modules`` is refused with the command that would install it.

One addition of the check's own: ``--require nodejs_preload.js`` in ``NODE_OPTIONS``, so that an error the program
throws is reported in seconds rather than after Node 20.20's coloured ``util.inspect`` has spun for half a minute
(the file says why).
"""

from __future__ import annotations

import json
import re
import shlex
import shutil
import subprocess
from collections.abc import Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..project import Project

__all__ = ["MIN_NODE_MAJOR", "NodeCommand", "NodeError", "node_command", "node_config", "nodejs_argv"]

#: @pulumi/pulumi declares ``engines.node >= 18`` in its package.json; older versions fail inside the SDK.
MIN_NODE_MAJOR = 18
DEFAULT_RUN_PATH = "@pulumi/pulumi/cmd/run"
PRELOAD = Path(__file__).with_name("nodejs_preload.js")

_RESOLVE = (
    "try { console.log(require.resolve(process.argv[1])); } catch (e) { "
    "console.error(e.code === 'MODULE_NOT_FOUND' ? 'MODULE_NOT_FOUND' : e.message); process.exit(1); }"
)


class NodeError(RuntimeError):
    """No usable Node.js or SDK for the program; the message says what to install or run."""


@dataclass(frozen=True)
class NodeCommand:
    node: str
    version: str
    #: ``nodeargs`` then the run entry: what goes between ``node`` and ``--monitor``
    prefix: list[str]
    env: dict[str, str]
    #: for the report: "node v20.1.0 on PATH, TypeScript"
    source: str


def _options(project: Project) -> tuple[bool, str, list[str]]:
    opts = project.options
    typescript = opts.get("typescript", True)
    if not isinstance(typescript, bool):
        raise NodeError("typescript option must be a boolean")
    tsconfig = opts.get("tsconfig", "")
    if not isinstance(tsconfig, str):
        raise NodeError("tsconfigpath option must be a string")
    nodeargs = opts.get("nodeargs", "")
    if not isinstance(nodeargs, str):
        raise NodeError("nodeargs option must be a string")
    try:
        return typescript, tsconfig, shlex.split(nodeargs)
    except ValueError as exc:
        raise NodeError(f"nodeargs option {nodeargs!r} does not parse: {exc}") from exc


def _node_version(node: str, env: Mapping[str, str]) -> str:
    done = subprocess.run([node, "--version"], capture_output=True, text=True, env=dict(env), timeout=60)
    version = done.stdout.strip()
    if done.returncode != 0 or not re.match(r"v\d+", version):
        raise NodeError(f"{node} --version did not answer a version: {(done.stderr or done.stdout).strip()}")
    major = int(re.match(r"v(\d+)", version).group(1))  # type: ignore[union-attr]
    if major < MIN_NODE_MAJOR:
        raise NodeError(
            f"Node.js {version} ({node}) is too old: @pulumi/pulumi needs Node.js {MIN_NODE_MAJOR} or newer"
        )
    return version


def _has_node_modules(start: Path) -> bool:
    return any((folder / "node_modules").is_dir() for folder in (start, *start.parents))


def _run_entry(node: str, project: Project, env: Mapping[str, str]) -> str:
    module = env.get("PULUMI_LANGUAGE_NODEJS_RUN_PATH") or DEFAULT_RUN_PATH
    if not _has_node_modules(project.pwd):
        raise NodeError(f"no node_modules in {project.pwd} or above it: run npm install first (in {project.root})")
    done = subprocess.run(
        [node, "-e", _RESOLVE, module], cwd=project.pwd, capture_output=True, text=True, env=dict(env), timeout=60
    )
    if done.returncode != 0:
        said = done.stderr.strip()
        if said == "MODULE_NOT_FOUND":
            raise NodeError(
                f"{module} cannot be found from {project.pwd}: the Pulumi SDK is not installed; run npm install first "
                f"(in {project.root})"
            )
        raise NodeError(f"{module} cannot be loaded from {project.pwd}: {said}")
    return done.stdout.strip()


def node_command(project: Project, environ: Mapping[str, str]) -> NodeCommand:
    typescript, tsconfig, nodeargs = _options(project)
    env = dict(environ)
    node = shutil.which("node", path=env.get("PATH"))
    if node is None:
        raise NodeError("could not find node on the $PATH; install Node.js 18 or newer")
    version = _node_version(node, env)
    run_entry = _run_entry(node, project, env)
    if typescript:
        env["PULUMI_NODEJS_TYPESCRIPT"] = "true"
    if tsconfig:
        env["PULUMI_NODEJS_TSCONFIG_PATH"] = tsconfig
    kind = "TypeScript" if typescript else "JavaScript"
    # Through NODE_OPTIONS, not the command line: a program sees its own nodeargs in process.execArgv, exactly as
    # under the CLI (a real program may check them). Node reads double-quoted values there (node --help).
    preload = f'--require "{PRELOAD}"'
    env["NODE_OPTIONS"] = f"{env['NODE_OPTIONS']} {preload}" if env.get("NODE_OPTIONS") else preload
    prefix = [*nodeargs, run_entry]
    return NodeCommand(node, version, prefix, env, f"node {version} on PATH, {kind}")


def node_config(values: Mapping[str, str]) -> dict[str, str]:
    """``ns:name`` -> ``ns:config:name``, as ``constructConfig`` hands config to the SDK."""
    out: dict[str, str] = {}
    for key, value in values.items():
        namespace, _, name = key.partition(":")
        out[f"{namespace}:config:{name}" if name else key] = value
    return out


def nodejs_argv(cmd: NodeCommand, project: Project, address: str, run: Any, *, engine: str | None = None) -> list[str]:
    """``run`` carries ``stack``, ``preview`` and ``parallel`` (the engine's RunOptions); ``address`` is the
    ResourceMonitor's, ``engine`` the Engine service's (the monitor's when not given)."""
    argv = [
        cmd.node, *cmd.prefix,
        "--monitor", address, "--engine", engine or address, "--organization", "organization",
        "--project", project.name, "--root-directory", str(project.root), "--stack", run.stack,
        "--pwd", str(project.pwd),
    ]  # fmt: skip
    if run.preview:
        argv.append("--dry-run")
    argv += ["--parallel", str(run.parallel), project.entry]
    return argv


def config_env(cmd: NodeCommand, strings: Mapping[str, str], secret_keys: list[str]) -> dict[str, str]:
    env = dict(cmd.env)
    env["PULUMI_CONFIG"] = json.dumps(node_config(strings))
    env["PULUMI_CONFIG_SECRET_KEYS"] = json.dumps(secret_keys)
    return env
