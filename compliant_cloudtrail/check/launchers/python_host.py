"""Which Python runs a program, and with what command line: the choices of the CLI's Python language host.

From pulumi/pulumi ``sdk/python/cmd/pulumi-language-python/main.go`` and ``sdk/python/toolchain/``:

* ``runtime.options.toolchain`` ``pip`` (the default) with ``virtualenv``: ``<virtualenv>/bin/python``, the path
  relative to the project root; the environment is "activated" (``VIRTUAL_ENV``, its ``bin`` first on ``PATH``,
  no ``PYTHONHOME``). A ``virtualenv`` that is not a virtual environment is an error, with the commands that
  create it (``NewVirtualEnvError``).
* no ``virtualenv``: ``PULUMI_PYTHON_CMD`` if set, else ``python3``, else ``python``, looked up on ``PATH`` (so an
  activated virtual environment wins, as its ``bin`` is first).
* ``uv``: the ``virtualenv`` option, else ``UV_PROJECT_ENVIRONMENT``, else ``.venv`` beside the nearest ``uv.lock``
  or ``pyproject.toml`` (else in the project root).
* ``poetry``: the environment ``poetry env info --path`` names.
* no ``toolchain``: ``uv`` when a ``uv.lock`` is found upward from the program, ``poetry`` for ``poetry.lock``.

The check does not create environments or install packages: it says which commands would (as the CLI does
when ``pulumi install`` has not been run).
"""

from __future__ import annotations

import functools
import importlib.util
import json
import os
import shutil
import subprocess
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

from ..project import Project

__all__ = ["EXEC_SCRIPT", "InterpreterError", "PythonCommand", "package_locator", "python_command"]

EXEC_SCRIPT = Path(__file__).with_name("python_exec.py")


class InterpreterError(RuntimeError):
    """No interpreter for the program; the message says how the CLI would want it set up."""


@dataclass(frozen=True)
class PythonCommand:
    python: str
    env: dict[str, str]
    #: how it was chosen, for the report ("virtualenv venv", "python3 on PATH", ...)
    source: str


def _search_up(start: Path, name: str) -> Path | None:
    for folder in (start, *start.parents):
        if (folder / name).exists():
            return folder
    return None


def _activated(env: dict[str, str], venv: Path) -> dict[str, str]:
    out = {k: v for k, v in env.items() if k != "PYTHONHOME"}
    out["VIRTUAL_ENV"] = str(venv)
    out["PATH"] = os.pathsep.join([str(venv / "bin"), env.get("PATH", "")])
    return out


def _is_venv(path: Path) -> bool:
    return (path / "bin" / "python").is_file()


def _venv_error(option: str, path: Path) -> InterpreterError:
    state = "doesn't exist" if not path.exists() else "doesn't appear to be a virtual environment"
    return InterpreterError(
        f"The 'virtualenv' option in Pulumi.yaml is set to {option!r}, but {str(path)!r} {state}; create it with: "
        f"python3 -m venv {path} && {path}/bin/python -m pip install -r requirements.txt"
    )


def _toolchain(project: Project) -> str:
    chosen = str(project.options.get("toolchain") or "").lower()
    if chosen:
        if chosen not in ("pip", "uv", "poetry"):
            raise InterpreterError(f"unsupported toolchain option: {chosen}")
        return chosen
    if _search_up(project.pwd, "uv.lock"):
        return "uv"
    if _search_up(project.pwd, "poetry.lock"):
        return "poetry"
    return "pip"


def _uv_venv(project: Project, env: dict[str, str]) -> Path:
    option = project.options.get("virtualenv")
    if option:
        return (project.root / str(option)).resolve()
    base = _search_up(project.root, "uv.lock") or _search_up(project.root, "pyproject.toml") or project.root
    configured = env.get("UV_PROJECT_ENVIRONMENT")
    return (base / configured).resolve() if configured else base / ".venv"


def _poetry_venv(project: Project, env: dict[str, str]) -> Path:
    poetry = shutil.which("poetry", path=env.get("PATH"))
    if poetry is None:
        raise InterpreterError(
            "Could not find `poetry` executable; install poetry, or set the toolchain option in Pulumi.yaml to `pip`"
        )
    done = subprocess.run(
        [poetry, "env", "info", "--path"], cwd=project.pwd, capture_output=True, text=True, env=env, timeout=60
    )
    if done.returncode != 0 or not done.stdout.strip():
        raise InterpreterError(f"poetry has no environment for {project.pwd}; run `poetry install` there")
    return Path(done.stdout.strip())


def python_command(project: Project, environ: dict[str, str] | None = None) -> PythonCommand:
    env = dict(os.environ if environ is None else environ)
    toolchain = _toolchain(project)
    if toolchain == "poetry":
        venv = _poetry_venv(project, env)
    elif toolchain == "uv":
        venv = _uv_venv(project, env)
    elif project.options.get("virtualenv"):
        option = str(project.options["virtualenv"])
        venv = (project.root / option) if not os.path.isabs(option) else Path(option)
        if not _is_venv(venv):
            raise _venv_error(option, venv)
    else:
        given = env.get("PULUMI_PYTHON_CMD")
        names = [given] if given else ["python3", "python"]
        for name in names:
            found = shutil.which(name, path=env.get("PATH"))
            if found:
                source = f"PULUMI_PYTHON_CMD={name}" if given else f"{name} on PATH"
                return PythonCommand(found, env, f"{found} ({source})")
        raise InterpreterError(f"failed to locate any of {names} on your PATH; have you installed Python 3?")
    if not _is_venv(venv):
        raise _venv_error(str(project.options.get("virtualenv") or venv), venv)
    return PythonCommand(str(venv / "bin" / "python"), _activated(env, venv), f"{toolchain} virtualenv {venv}")


def package_locator(python: PythonCommand) -> Callable[[str], Path | None]:
    """Where the program's environment has the SDK of a Pulumi package (``aws`` -> ``.../pulumi_aws``): asked of
    the program's interpreter once; for ``aws``, the checker's own pulumi-aws when the program's is not found."""
    done = subprocess.run(
        [python.python, "-c", "import json, sys; print(json.dumps(sys.path))"],
        capture_output=True, text=True, env=python.env, timeout=60,
    )  # fmt: skip
    try:
        paths = [Path(p) for p in json.loads(done.stdout) if p] if done.returncode == 0 else []
    except json.JSONDecodeError:
        paths = []

    @functools.cache
    def locate(package: str) -> Path | None:
        module = "pulumi_" + package.replace("-", "_")
        for path in paths:
            if (path / module / "__init__.py").is_file():
                return path / module
        if package == "aws":
            spec = importlib.util.find_spec("pulumi_aws")
            if spec is not None and spec.submodule_search_locations:
                return Path(next(iter(spec.submodule_search_locations)))
        return None

    return locate
