"""The program half of a check: read the project, build its config, pick its Python, run it on the offline engine.

Returns the registrations the policy pack is to judge, or raises :class:`~.errors.CheckError` for everything that
leaves no verdict (the project, its config, its environment, the program, the engine's refusals, the watchdog,
remote components that cannot be expanded offline).
"""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Mapping
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any, TextIO

from .aws_mocks import AwsMocks
from .engine import ProgramRun, RunOptions
from .engine.invokes import MockAnswer, load_mock_answers
from .engine.run import FINISHED_LINE, Launch, python_launch, run_launched
from .engine.stack_references import load_stack_reference
from .errors import CheckError, program_failure
from .inputs import InputError
from .launchers.python_host import InterpreterError, python_command
from .launchers.runtimes import unsupported_runtime
from .project import ConfigError, Project, StackConfig, build_config, load_project
from .records import RegisteredResource
from .trail_types import DYNAMIC_TYPES, TRAIL_TYPES

__all__ = ["PreparedProgram", "ProgramResult", "partition_of", "prepare_program", "run_for_check", "run_prepared"]


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
    except InputError as exc:  # its message names the file and what is wrong
        raise CheckError(str(exc)) from exc


def _stack_references(files: Mapping[str, Path]) -> dict[str, dict[str, Any]]:
    out: dict[str, dict[str, Any]] = {}
    for name, path in files.items():
        try:
            out[name] = load_stack_reference(path, name)
        except InputError as exc:
            raise CheckError(str(exc)) from exc
    return out


def _mocks(config: StackConfig, preview: bool) -> AwsMocks:
    region = config.values.get("aws:region")
    region = region if isinstance(region, str) and region else "us-east-1"
    return AwsMocks(region=region, partition=partition_of(region), preview=preview)


@dataclass(frozen=True)
class PreparedProgram:
    """Everything about a program that can be known, and refused, before any of its code runs."""

    program_dir: Path
    project: Project
    stack_config: StackConfig
    launcher: Callable[[RunOptions], Launch]
    interpreter: str
    options: RunOptions
    #: the user's --preview: computed values unknown, as in a first ``pulumi preview``
    preview: bool


def prepare_program(
    program_dir: Path,
    *,
    stack: str,
    config: Mapping[str, Any],
    preview: bool,
    timeout_s: float,
    mocks_file: Path | None = None,
    stack_reference_files: Mapping[str, Path] | None = None,
    python: str | None = None,
    secret_config: Mapping[str, Any] | None = None,
) -> PreparedProgram:
    """Read the project, its config and every input file, and pick the program's interpreter; CheckError if any
    of it is wrong. Nothing of the program runs here."""
    if not program_dir.is_dir():
        raise CheckError(f"program {program_dir}: no such directory")
    try:
        project = load_project(program_dir)
        stack_config = build_config(project, stack, config, secret_config)
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
    return PreparedProgram(program_dir, project, stack_config, launcher, source, options, preview)


def run_prepared(
    prepared: PreparedProgram,
    *,
    echo: TextIO | None = None,
    on_register: Callable[[int], None] | None = None,
    socket_dir: Path | None = None,
) -> ProgramResult:
    """Run the program on the offline engine; every process it started has ended when this returns."""
    options, preview = prepared.options, prepared.preview
    echo = sys.stderr if echo is None else echo

    def run(options: RunOptions) -> ProgramRun:
        mocks = _mocks(prepared.stack_config, preview)
        return run_launched(prepared.project, prepared.stack_config, prepared.launcher(options), mocks, options,
                            echo=echo, on_register=on_register, socket_dir=socket_dir)  # fmt: skip

    ran = run(options)
    notes = list(prepared.stack_config.notes)
    if not preview and (ran.stack_reference_warnings or ran.state.unexpanded):
        # In an update the SDK resolves a value the engine does not know as None (pulumi/runtime/rpc.py), so a
        # stack reference without its file, or a remote component's outputs, would reach the trail as *missing*
        # and fail it falsely, or crash the program. Run it again told it is a preview, where such values stay
        # unknown, while the engine still answers every resource it creates as in an update: only what could
        # not be seen is unknown, and the pack says NOT JUDGED where a trail depends on it.
        unseen = "a stack reference has no outputs file" if ran.stack_reference_warnings else (
            "a remote component cannot be expanded offline")
        notes.append(f"{unseen}: the program was run again with those values unknown (as in a preview); "
                     "the rest of the stack was answered as in an update")  # fmt: skip
        options = replace(options, preview=True, engine_answers_as_update=True)
        ran = run(options)
    return _result(ran, prepared, notes)


def run_for_check(
    program_dir: Path,
    *,
    echo: TextIO | None = None,
    on_register: Callable[[int], None] | None = None,
    **options: Any,
) -> ProgramResult:
    """Prepare and run a program in one call (the check itself starts its pack between the two); ``options`` are
    :func:`prepare_program`'s."""
    return run_prepared(prepare_program(program_dir, **options), echo=echo, on_register=on_register)


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


def _result(run: ProgramRun, prepared: PreparedProgram, notes: list[str]) -> ProgramResult:
    program_dir, project = prepared.program_dir, prepared.project
    failure = program_failure(run, program_dir, project.root, prepared.options.timeout_s)
    if failure is not None:
        raise failure
    stack = next((record for record in run.state.resources if record.is_stack), None)
    finished = stack is not None and (stack.urn in run.state.registered_outputs or FINISHED_LINE in run.stderr)
    if not finished:
        # Every SDK registers the stack first and sends its outputs last (Python run_in_stack, Node.js
        # runInPulumiStack); exit code 0 without them means the program left early (os._exit(0), a crash of
        # the interpreter reported as success) and what it declared after that point was never seen.
        raise CheckError(
            f"program {program_dir} exited with code 0 before it finished: the SDK never "
            f"{'registered the stack' if stack is None else 'sent the stack outputs'}, so some of its resources may "
            f"not have been seen ({len(run.state.resources)} registered)"
        )
    assert stack is not None
    notes = notes + list(dict.fromkeys(run.stack_reference_warnings)) + _program_said(run)
    notes += _trail_notes(run)
    return ProgramResult(
        project=project.name,
        config=dict(prepared.stack_config.values),
        records=list(run.state.resources),
        preview=prepared.preview,
        interpreter=prepared.interpreter,
        unexpanded=list(run.state.unexpanded),
        notes=notes,
        stack_outputs=run.state.registered_outputs.get(stack.urn, {}),
    )




def _trail_notes(run: ProgramRun) -> list[str]:
    """What the report should say about trails the pack could not see: inside remote components, behind dynamic
    providers, or none at all (a pass then judged nothing)."""
    remote = [f"{typ} '{name}'" for typ, name, _ in run.state.unexpanded if "cloudtrail" in typ.lower()]
    dynamic = [r.name for r in run.state.resources if r.type in DYNAMIC_TYPES]
    notes = []
    if remote:
        notes.append(f"trail components built by their provider, so NOT CHECKED here: {', '.join(remote)}")
    if dynamic:
        notes.append(
            f"{len(dynamic)} dynamic-provider resource(s) ({', '.join(dynamic[:3])}): what their provider code creates "
            "is not seen by any policy; a trail created that way is not judged"
        )
    if not remote and not any(record.type in TRAIL_TYPES for record in run.state.resources):
        notes.append(
            "the program declared no CloudTrail trail the pack can see: nothing was there for the trail policies to "
            "judge"
        )
    return notes
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
