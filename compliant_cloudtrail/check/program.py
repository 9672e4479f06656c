"""The program half of a check: read the project, build its config, pick its Python, run it on the offline engine.

Returns the registrations the policy pack is to judge, or raises :class:`~.errors.CheckError` for everything that
leaves no verdict (the project, its config, its environment, the program, the engine's refusals, the watchdog,
remote components that cannot be expanded offline).
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, TextIO

import yaml

from .aws_mocks import AwsMocks
from .engine import ProgramRun, RunOptions
from .engine.invokes import MockAnswer, load_mock_answers
from .engine.run import Launch, python_launch, run_launched
from .engine.stack_references import load_stack_reference
from .errors import CheckError, program_failure
from .launchers.python_host import InterpreterError, python_command
from .launchers.runtimes import unsupported_runtime
from .project import ConfigError, Project, StackConfig, build_config, load_project
from .records import RegisteredResource

__all__ = ["ProgramResult", "partition_of", "run_for_check"]


@dataclass(frozen=True)
class ProgramResult:
    project: str
    #: the stack config as the pack is told it (namespaced keys, plain values)
    config: dict[str, Any]
    records: list[RegisteredResource]
    preview: bool
    interpreter: str
    #: (type, name, URN) of each remote component that could not be expanded offline
    unexpanded: list[tuple[str, str, str]] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)
    stack_outputs: dict[str, Any] = field(default_factory=dict)


def partition_of(region: str) -> str:
    """The AWS partition a region belongs to (AWS General Reference, "Regions and Zones" / ARN partitions)."""
    if region.startswith("cn-"):
        return "aws-cn"
    if region.startswith("us-gov-"):
        return "aws-us-gov"
    if region.startswith("us-iso-"):
        return "aws-iso"
    if region.startswith("us-isob-"):
        return "aws-iso-b"
    return "aws"


def _answers(path: Path | None) -> list[MockAnswer]:
    if path is None:
        return []
    try:
        return load_mock_answers(path)
    except OSError as exc:
        raise CheckError(f"mocks file {path}: cannot read it: {exc.strerror or exc}") from exc
    except (ValueError, yaml.YAMLError) as exc:
        raise CheckError(f"mocks file {path}: {str(exc).strip().splitlines()[0]}") from exc


def _stack_references(files: Mapping[str, Path]) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for name, path in files.items():
        try:
            out[name] = load_stack_reference(path)
        except OSError as exc:
            raise CheckError(f"stack reference {name}: cannot read {path}: {exc.strerror or exc}") from exc
        except (ValueError, json.JSONDecodeError) as exc:
            raise CheckError(f"stack reference {name}: {path} is not `pulumi stack output --json`: {exc}") from exc
    return out


def _mocks(config: StackConfig, preview: bool) -> AwsMocks:
    region = config.values.get("aws:region")
    region = region if isinstance(region, str) and region else "us-east-1"
    return AwsMocks(region=region, partition=partition_of(region), preview=preview)


def run_for_check(
    program_dir: Path,
    *,
    stack: str,
    config: Mapping[str, Any],
    preview: bool,
    timeout_s: float,
    mocks_file: Path | None = None,
    stack_reference_files: Mapping[str, Path] | None = None,
    allow_unexpanded_components: bool = False,
    python: str | None = None,
    echo: TextIO | None = None,
    on_register: Callable[[int], None] | None = None,
) -> ProgramResult:
    if not program_dir.is_dir():
        raise CheckError(f"program {program_dir}: no such directory")
    try:
        project = load_project(program_dir)
        stack_config = build_config(project, stack, config)
    except ConfigError as exc:
        raise CheckError(f"program {program_dir}: {exc}") from exc
    environ = dict(os.environ)
    if python:
        environ["PULUMI_PYTHON_CMD"] = python
    launcher, source = _launcher(project, program_dir, environ)
    options = RunOptions(
        stack=stack,
        preview=preview,
        timeout_s=timeout_s,
        answers=_answers(mocks_file),
        stack_reference_outputs=_stack_references(stack_reference_files or {}),
    )
    echo = sys.stderr if echo is None else echo
    run = run_launched(project, stack_config, launcher(options), _mocks(stack_config, preview), options, echo=echo,
                       on_register=on_register)  # fmt: skip
    notes = list(stack_config.notes)
    if run.stack_reference_warnings and not preview:
        # An update cannot carry unknown values (the SDK resolves them as None), and a referenced stack's outputs
        # are unknown without its file: judge the program as a preview, where they are unknown, as `pulumi
        # preview` would see them before the referenced stack exists.
        notes.append("a stack reference has no outputs file: the program was judged as in a preview")
        preview = True
        options = RunOptions(**{**options.__dict__, "preview": True})
        run = run_launched(project, stack_config, launcher(options), _mocks(stack_config, True), options,
                           echo=echo, on_register=on_register)  # fmt: skip
    return _result(run, project, stack_config, program_dir, timeout_s, preview, source, notes,
                   allow_unexpanded_components)  # fmt: skip


def _launcher(
    project: Project, program_dir: Path, environ: dict[str, str]
) -> tuple[Callable[[RunOptions], Launch], str]:
    """How this project's runtime starts it, as the CLI's language host for that runtime would, and a line
    saying which interpreter was chosen and why."""
    if project.runtime == "nodejs":
        from .launchers.nodejs_host import NodeError, node_command
        from .launchers.nodejs_run import nodejs_launch

        try:
            node = node_command(project, environ)
        except NodeError as exc:
            raise CheckError(f"program {program_dir}: {exc}") from exc
        return (lambda options: nodejs_launch(node, project, options)), node.source
    if project.runtime != "python":
        raise CheckError(f"program {program_dir}: {unsupported_runtime(project.runtime)}")
    if project.entry == "." and not (project.pwd / "__main__.py").is_file():
        raise CheckError(f"program {program_dir}: unable to find main python program `__main__.py` in `{project.pwd}`")
    try:
        interpreter = python_command(project, environ)
    except InterpreterError as exc:
        raise CheckError(f"program {program_dir}: {exc}") from exc
    return (lambda options: python_launch(project, interpreter, options)), interpreter.source


def _result(
    run: ProgramRun,
    project: Project,
    stack_config: StackConfig,
    program_dir: Path,
    timeout_s: float,
    preview: bool,
    interpreter: str,
    notes: list[str],
    allow_unexpanded: bool,
) -> ProgramResult:
    failure = program_failure(run, program_dir, project.root, timeout_s)
    if failure is not None:
        raise failure
    notes = notes + list(dict.fromkeys(run.stack_reference_warnings)) + _program_said(run)
    if not any(record.type in TRAIL_TYPES for record in run.state.resources):
        notes.append("the program declared no CloudTrail trail: nothing was there for the trail policies to judge")
    unexpanded = list(run.state.unexpanded)
    if unexpanded and not allow_unexpanded:
        named = ", ".join(f"{typ} '{name}'" for typ, name, _ in unexpanded[:5])
        more = f" and {len(unexpanded) - 5} more" if len(unexpanded) > 5 else ""
        raise CheckError(
            f"program {program_dir}: {len(unexpanded)} remote component(s) cannot be expanded offline, so the "
            f"resources inside them are not checked: {named}{more}; give no verdict (or pass "
            "--allow-unexpanded-components to check the rest)"
        )
    stack_outputs: dict[str, Any] = {}
    for record in run.state.resources:
        if record.is_stack:
            stack_outputs = run.state.registered_outputs.get(record.urn, {})
    return ProgramResult(
        project=project.name,
        config=dict(stack_config.values),
        records=list(run.state.resources),
        preview=preview,
        interpreter=interpreter,
        unexpanded=unexpanded,
        notes=notes,
        stack_outputs=stack_outputs,
    )


#: The trail resources the pack judges (the policy pack's type tokens).
TRAIL_TYPES = ("aws:cloudtrail/trail:Trail", "aws-native:cloudtrail:Trail")
_MOST_SAID = 10


def _program_said(run: ProgramRun) -> list[str]:
    """The program's own warnings and errors (``pulumi.log.warn``...), which the CLI shows: they often say why a
    resource is missing. The first line of each, once, at most ten."""
    said: dict[str, str] = {}
    for line in run.logs:
        if line.severity in ("warning", "error") and line.message.strip():
            said.setdefault(line.message.strip().splitlines()[0][:300], line.severity)
    notes = [f"the program said ({severity}): {text}" for text, severity in list(said.items())[:_MOST_SAID]]
    if len(said) > _MOST_SAID:
        notes.append(f"... and {len(said) - _MOST_SAID} more messages from the program")
    return notes
