"""The offline check: run a Pulumi program under the mocks and judge it with a policy pack, as the CLI would.

``pulumi preview/up --policy-pack DIR`` needs the Pulumi CLI and credentials; this gives the same verdict from
a clone: the program runs under :func:`~compliant_cloudtrail.check.mock_runtime.run_program`, the pack is started and
driven over its gRPC Analyzer protocol by :class:`~compliant_cloudtrail.check.analyzer_client.AnalyzerClient` (every
resource through ``Analyze``, then the whole stack through ``AnalyzeStack``).

Everything that stops a check before a verdict (the program, an invoke the mocks cannot answer, the pack, its
config file) is raised as :class:`CheckError` with a one-line message, so the command never shows a traceback.
"""

from __future__ import annotations

import contextlib
import dataclasses
import json
import sys
from collections.abc import Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import yaml

from ..policy_pack import PACK_DIR
from .analyzer_client import AnalyzerClient, AnalyzeResult, Diagnostic, PolicyPackError
from .mock_runtime import ProgramError, RegisteredResource, UnknownInvokeError, load_stack_config, run_program
from .progress import ProgressLine

__all__ = [
    "DEFAULT_POLICY_PACK",
    "CheckError",
    "CheckOutcome",
    "CheckRequest",
    "load_policy_config",
    "run_check",
]

#: The pack that ships inside this package, found from any install (wheel or editable).
DEFAULT_POLICY_PACK = PACK_DIR


class CheckError(Exception):
    """The check could not reach a verdict; the message is one line naming what failed."""


@dataclass(frozen=True)
class CheckRequest:
    program_dir: Path
    stack: str = "dev"
    #: ``--config`` values, over ``Pulumi.<stack>.yaml``; keys without a namespace get the project's
    config: Mapping[str, Any] = field(default_factory=dict)
    preview: bool = False
    policy_pack: Path = DEFAULT_POLICY_PACK
    #: a ``--policy-pack-config`` file (see :func:`load_policy_config`); None means the pack's own levels
    policy_config_file: Path | None = None


@dataclass(frozen=True)
class CheckOutcome:
    program_dir: Path
    project: str
    stack: str
    preview: bool
    pack_dir: Path
    pack_name: str
    pack_version: str
    resources_checked: int
    analysis: AnalyzeResult
    """What the pack answered to Analyze (every resource) and AnalyzeStack, together."""

    @property
    def violations(self) -> list[Diagnostic]:
        return self.analysis.diagnostics

    @property
    def mandatory(self) -> list[Diagnostic]:
        return self.analysis.mandatory

    @property
    def advisory(self) -> list[Diagnostic]:
        return self.analysis.advisory

    @property
    def passed(self) -> bool:
        """As ``pulumi up`` decides: only a mandatory violation blocks the update."""
        return not self.mandatory


def _first_line(text: str) -> str:
    return text.strip().splitlines()[0] if text.strip() else ""


def load_policy_config(path: Path) -> dict[str, Any]:
    """A ``--policy-pack-config`` file: a JSON object of policy name (or ``all``) to a level or an object.

    Policy names and levels are checked later against the running pack, as the CLI checks them.
    """
    try:
        data = json.loads(path.read_text())
    except OSError as exc:
        raise CheckError(f"policy pack config {path}: cannot read it: {exc.strerror or exc}") from exc
    except json.JSONDecodeError as exc:
        raise CheckError(f"policy pack config {path}: not JSON: {exc}") from exc
    if not isinstance(data, dict):
        raise CheckError(f"policy pack config {path}: must be a JSON object of policy names, not {type(data).__name__}")
    return data


def _check_pack_dir(pack_dir: Path) -> None:
    # The CLI refuses a folder without PulumiPolicy.yaml before starting anything; saying so beats the
    # Python runtime's "can't find '__main__' module" from a pack process.
    if not pack_dir.is_dir():
        raise CheckError(f"policy pack {pack_dir}: no such directory")
    if not (pack_dir / "PulumiPolicy.yaml").is_file():
        raise CheckError(f"policy pack {pack_dir}: not a policy pack (no PulumiPolicy.yaml)")


def _namespaced(project: str, config: Mapping[str, Any]) -> dict[str, Any]:
    return {(key if ":" in key else f"{project}:{key}"): value for key, value in config.items()}


@contextlib.contextmanager
def _program_output_to_stderr() -> Iterator[None]:
    # A program's print() must not end up in the report (and never inside --json output).
    with contextlib.redirect_stdout(sys.stderr):
        yield


def _run(request: CheckRequest) -> tuple[str, dict[str, Any], list[RegisteredResource]]:
    """The program's project, its effective stack config (as the pack is told it) and its registrations."""
    program_dir = request.program_dir
    if not program_dir.is_dir():
        raise CheckError(f"program {program_dir}: no such directory")
    try:
        project, file_config, _secret_keys = load_stack_config(program_dir, request.stack)
        with _program_output_to_stderr():
            records = run_program(program_dir, stack=request.stack, config=request.config, preview=request.preview)
    except ProgramError as exc:
        cause = exc.__cause__
        if isinstance(cause, UnknownInvokeError):
            raise CheckError(f"program {program_dir}: an invoke cannot be answered offline: {cause}") from exc
        raise CheckError(_first_line(str(exc))) from exc
    except yaml.YAMLError as exc:
        raise CheckError(f"program {program_dir}: a Pulumi YAML file does not parse: {_first_line(str(exc))}") from exc
    except SystemExit as exc:
        # Otherwise a program's sys.exit(1) would pass for a mandatory violation.
        raise CheckError(f"program {program_dir}: exited with code {exc.code!r} instead of finishing") from exc
    return project, {**file_config, **_namespaced(project, request.config)}, records


def _declared_version(pack_dir: Path) -> str | None:
    """The CLI reports a Python pack's version from ``PulumiPolicy.yaml``; pulumi-policy itself always says 0.0.1."""
    try:
        declared = yaml.safe_load((pack_dir / "PulumiPolicy.yaml").read_text()) or {}
    except (OSError, yaml.YAMLError):
        return None
    version = declared.get("version") if isinstance(declared, dict) else None
    return str(version) if version is not None else None


def _pack_failure(exc: PolicyPackError) -> str:
    """One line from the client's message; the pack's last stderr line usually says why it failed."""
    text = str(exc)
    head, _, pack_stderr = text.partition("--- pack stderr ---")
    line = _first_line(head).split("; command:", 1)[0]
    said = [ln for ln in pack_stderr.strip().splitlines() if ln.strip() and ln.strip() != "(empty)"]
    return f"{line}: {said[-1].strip()}" if said else line


def run_check(request: CheckRequest, progress: ProgressLine | None = None) -> CheckOutcome:
    """Run the program, then send its resources to the pack the way ``pulumi up`` (or ``preview``) does.

    ``progress`` is told each phase; it shows a progress line for large programs.
    """
    # The cheap checks first, so a typo in a path does not wait for the program and the pack.
    policy_config = load_policy_config(request.policy_config_file) if request.policy_config_file else {}
    pack_dir = request.policy_pack.resolve()
    _check_pack_dir(pack_dir)
    program_dir = request.program_dir.resolve()
    project, stack_config, records = _run(dataclasses.replace(request, program_dir=program_dir))
    if progress is not None:
        progress.program_ran(len(records))
    try:
        with AnalyzerClient(
            pack_dir, project=project, stack=request.stack, dry_run=request.preview, config=stack_config
        ) as pack:
            # The CLI's order (pulumi/pulumi, NewPolicyAnalyzer then the plugin host): Handshake, which packs
            # may leave unimplemented, and ConfigureStack as the pack starts; GetAnalyzerInfo; Configure.
            pack.handshake()
            pack.configure_stack(config=stack_config)
            info = pack.get_analyzer_info()
            try:
                pack.configure(policy_config)
            except ValueError as exc:
                raise CheckError(
                    f"policy pack config {request.policy_config_file} does not fit pack {info.name}: {exc}"
                ) from exc
            each = pack.analyze_each(records, on_each=progress.analyzed if progress is not None else None)
            if progress is not None:
                progress.analyzing_stack(len(records))
            result = each + pack.analyze_stack(records)
    except PolicyPackError as exc:
        raise CheckError(_pack_failure(exc)) from exc
    return CheckOutcome(
        program_dir=program_dir,
        project=project,
        stack=request.stack,
        preview=request.preview,
        pack_dir=pack_dir,
        pack_name=info.name,
        pack_version=_declared_version(pack_dir) or info.version,
        resources_checked=len(records),
        analysis=result,
    )
