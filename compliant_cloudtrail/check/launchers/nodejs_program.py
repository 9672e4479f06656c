"""The program half of a check for a ``runtime: nodejs`` project: pick its Node.js, run it on the offline engine,
and hand back the same :class:`~..program.ProgramResult` a Python program gives."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any, TextIO

from ..engine import RunOptions
from ..engine.invokes import MockAnswer
from ..errors import CheckError
from ..program import ProgramResult, _mocks, _result
from ..project import Project, StackConfig
from .nodejs_host import NodeError, node_command
from .nodejs_run import run_nodejs_program

__all__ = ["run_nodejs_for_check"]


def run_nodejs_for_check(
    project: Project,
    stack_config: StackConfig,
    program_dir: Path,
    *,
    stack: str,
    preview: bool,
    timeout_s: float,
    answers: list[MockAnswer],
    stack_references: dict[str, dict[str, Any]],
    allow_unexpanded: bool,
    echo: TextIO | None,
    on_register: Callable[[int], None] | None,
) -> ProgramResult:
    try:
        node = node_command(project, os.environ)
    except NodeError as exc:
        raise CheckError(f"program {program_dir}: {exc}") from exc
    options = RunOptions(
        stack=stack, preview=preview, timeout_s=timeout_s, answers=answers, stack_reference_outputs=stack_references
    )
    echo = sys.stderr if echo is None else echo
    run = run_nodejs_program(project, stack_config, node, _mocks(stack_config, preview), options, echo=echo,
                             on_register=on_register)  # fmt: skip
    notes = list(stack_config.notes)
    if run.stack_reference_warnings and not preview:
        # As for Python (program.py): unknown referenced outputs only exist in a preview.
        notes.append("a stack reference has no outputs file: the program was judged as in a preview")
        preview = True
        options = RunOptions(**{**options.__dict__, "preview": True})
        run = run_nodejs_program(project, stack_config, node, _mocks(stack_config, True), options, echo=echo,
                                 on_register=on_register)  # fmt: skip
    return _result(run, project, stack_config, program_dir, timeout_s, preview, node.source, notes,
                   allow_unexpanded)  # fmt: skip
