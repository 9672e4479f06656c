"""The offline check: run a Pulumi program on the offline engine and judge it with a policy pack, as the CLI would.

``pulumi preview/up --policy-pack DIR`` needs the Pulumi CLI and credentials; this gives the same verdict from
a clone: the program runs in its own process and environment against the offline engine
(:func:`~compliant_cloudtrail.check.program.run_for_check`), the pack is started and driven over its gRPC Analyzer
protocol by :class:`~compliant_cloudtrail.check.analyzer_client.AnalyzerClient` (every resource through
``Analyze``, then the whole stack through ``AnalyzeStack``).

Everything that stops a check before a verdict (the project, the program, the engine, the pack, its config file)
is raised as :class:`CheckError` with a one-line message, so the command never shows the checker's traceback.
"""

from __future__ import annotations

import contextlib
import os
import shutil
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import TYPE_CHECKING, Any

import yaml

from ..policy_pack import PACK_DIR
from .analyzer_client import (
    AnalyzerClient,
    AnalyzeResult,
    AnalyzerInfo,
    Diagnostic,
    NotApplicable,
    PolicyPackError,
    ResourceLike,
)
from .canary import DELIVERY_POLICY, Canary
from .errors import CheckError
from .inputs import InputError
from .policy_config import ALL, check_policy_config, load_policy_config_file, parse_policy_config
from .private_dir import private_dir
from .progress import ProgressLine
from .records import ResourceOrigin, origins
from .redaction import Redactor
from .state import StackState, StateError, read_state

if TYPE_CHECKING:
    from .program import PreparedProgram

__all__ = [
    "DEFAULT_POLICY_PACK",
    "CheckError",
    "CheckOutcome",
    "CheckRequest",
    "PackSession",
    "load_policy_config",
    "open_pack",
    "run_check",
]

#: The pack that ships inside this package, found from any install (wheel or editable).
DEFAULT_POLICY_PACK = PACK_DIR
PASSED, FAILED, INCOMPLETE = "PASSED", "FAILED", "NOT JUDGED"
#: how a pack's policy says, through Analyze's not_applicable, that it could not judge a resource
NOT_JUDGED = "NOT JUDGED:"
#: what a policy pack folder may hold; a larger one is not a pack but a mistake (or a trap)
_PACK_COPY_LIMIT = 64 * 1024 * 1024


@dataclass(frozen=True)
class CheckRequest:
    program_dir: Path
    stack: str = "dev"
    #: ``--config`` values, over ``Pulumi.<stack>.yaml``; keys without a namespace get the project's
    config: Mapping[str, Any] = field(default_factory=dict)
    #: ``--secret-config`` values: given to the program as secrets, never shown in a report
    secret_config: Mapping[str, Any] = field(default_factory=dict)
    preview: bool = False
    policy_pack: Path = DEFAULT_POLICY_PACK
    #: a ``--policy-pack-config`` file (see :func:`load_policy_config`); None means the pack's own levels
    policy_config_file: Path | None = None
    #: the watchdog: a program still running after this many seconds ends the check (exit 2)
    timeout_s: float = 300.0
    #: ``--mocks FILE``: exact invoke answers
    mocks_file: Path | None = None
    #: ``--stack-reference NAME=FILE``: outputs of referenced stacks (``pulumi stack output --json --show-secrets``)
    stack_references: Mapping[str, Path] = field(default_factory=dict)
    #: accept that remote components are not expanded offline (they are NOT CHECKED either way; without this, a
    #: program that has them and no violation elsewhere gets no verdict)
    allow_unexpanded_components: bool = False
    #: an interpreter for programs without a virtualenv option, as PULUMI_PYTHON_CMD (None: the CLI's choice)
    python: str | None = None
    #: ``--state FILE``: judge this ``pulumi stack export`` instead of running a program (program_dir unused)
    state_file: Path | None = None


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
    #: every policy the pack evaluated, with its effective enforcement level: (name, level)
    policies: list[tuple[str, str]] = field(default_factory=list)
    #: remote components that were not expanded (only with allow_unexpanded_components): (type, name, URN)
    unexpanded: list[tuple[str, str, str]] = field(default_factory=list)
    #: what the reader should know about how the program was run (stack file, stack references, mode)
    notes: list[str] = field(default_factory=list)
    #: how the program's interpreter was chosen
    interpreter: str = ""
    #: what a mandatory policy said it could not judge (the pack's ``NOT JUDGED: why``), by resource
    not_judged: list[NotApplicable] = field(default_factory=list)
    #: remote components were allowed to stay unexpanded (--allow-unexpanded-components)
    unexpanded_allowed: bool = False
    #: what the pack says of itself and its policies (severity, controls, remediation), for the reports
    pack_info: AnalyzerInfo | None = None
    #: every resource judged: URN, type, name, parent and where the program declared it (no property values)
    origins: list[ResourceOrigin] = field(default_factory=list)

    @property
    def verdict(self) -> str:
        """FAILED if any mandatory violation (as ``pulumi up`` blocks), else INCOMPLETE if anything that could
        fail was not seen (a trail not judged, remote components not allowed), else PASSED."""
        if self.mandatory:
            return FAILED
        if self.not_judged or (self.unexpanded and not self.unexpanded_allowed):
            return INCOMPLETE
        return PASSED

    @property
    def incomplete_reason(self) -> str:
        """One line saying what was not seen, for a verdict of INCOMPLETE."""
        parts = []
        if self.not_judged:
            why = self.not_judged[0].reason.removeprefix(NOT_JUDGED).strip()
            parts.append(f"{len(self.not_judged)} resource(s) NOT JUDGED (first: {why})")
        if self.unexpanded and not self.unexpanded_allowed:
            named = ", ".join(f"{typ} '{name}'" for typ, name, _ in self.unexpanded[:3])
            more = f" and {len(self.unexpanded) - 3} more" if len(self.unexpanded) > 3 else ""
            parts.append(
                f"{len(self.unexpanded)} remote component(s) cannot be expanded offline, so the resources inside them "
                f"were NOT CHECKED: {named}{more} (pass --allow-unexpanded-components to accept that)"
            )
        return "; ".join(parts)

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
        return self.verdict == PASSED


def _first_line(text: str) -> str:
    return text.strip().splitlines()[0] if text.strip() else ""


def load_policy_config(path: Path) -> dict[str, Any]:
    """A ``--policy-pack-config`` file (see :func:`.policy_config.load_policy_config_file`), or CheckError.

    Levels and shapes are checked here; policy names and properties later, against the running pack.
    """
    try:
        return load_policy_config_file(path)
    except InputError as exc:  # PolicyConfigError too: its message names the file
        raise CheckError(str(exc)) from exc


def check_pack_dir(pack_dir: Path) -> None:
    # The CLI refuses a folder without PulumiPolicy.yaml before starting anything; saying so beats the
    # Python runtime's "can't find '__main__' module" from a pack process.
    if not pack_dir.is_dir():
        raise CheckError(f"policy pack {pack_dir}: no such directory")
    if not (pack_dir / "PulumiPolicy.yaml").is_file():
        raise CheckError(f"policy pack {pack_dir}: not a policy pack (no PulumiPolicy.yaml)")


def state_notes(state: StackState) -> list[str]:
    notes = [f"judged the deployed stack in {state.source} (deployment version {state.version}); no program ran"]
    if state.skipped_deleted:
        notes.append(f"{state.skipped_deleted} resource(s) pending deletion not judged, as `pulumi policy analyze`")
    if state.unreadable_secrets:
        notes.append(
            f"{state.unreadable_secrets} secret value(s) are encrypted (exported without --show-secrets): unknown "
            "here, so a trail whose delivery depends on one is NOT JUDGED; export with --show-secrets to judge them"
        )
    from .trail_types import TRAIL_TYPES

    if not any(r.type in TRAIL_TYPES for r in state.resources):
        notes.append("the export holds no CloudTrail trail the pack can see: nothing was there for the trail policies "
                     "to judge")  # fmt: skip
    return notes


def _effective_levels(info: AnalyzerInfo, policy_config: Mapping[str, Any]) -> list[tuple[str, str]]:
    """Each policy's level after the config: its own entry, else ``all``, else the pack's (as the CLI resolves)."""
    settings = parse_policy_config(policy_config)  # already checked by load_policy_config
    default = settings[ALL].level if ALL in settings else None
    return [
        (policy.name, (settings[policy.name].level if policy.name in settings else None) or default
         or policy.enforcement_level)
        for policy in info.policies
    ]


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


def _private_copy(pack_dir: Path, into: Path) -> Path:
    """The pack as it is now, copied where the program cannot change it before the pack loads it."""
    copied = 0

    def copy(src: str, dst: str) -> None:
        nonlocal copied
        copied += os.stat(src).st_size
        if copied > _PACK_COPY_LIMIT:
            limit = _PACK_COPY_LIMIT // 2**20
            raise CheckError(f"policy pack {pack_dir}: holds more than {limit} MiB of files; is it a policy pack?")
        shutil.copy2(src, dst)

    try:
        # Not the CLI's pack virtualenv nor caches: the pack runs on the check's own interpreter.
        skipped = shutil.ignore_patterns("venv", ".venv", "__pycache__", "node_modules", ".git")
        shutil.copytree(pack_dir, into, symlinks=False, copy_function=copy, ignore=skipped)
    except (OSError, shutil.Error) as exc:
        raise CheckError(f"policy pack {pack_dir}: cannot read it: {exc}") from exc
    return into


def _configure(
    pack: AnalyzerClient, policy_config_file: Path | None, policy_config: Mapping[str, Any],
    stack_config: Mapping[str, Any],
) -> AnalyzerInfo:
    # The CLI's order (pulumi/pulumi, NewPolicyAnalyzer then the plugin host): Handshake, which packs may leave
    # unimplemented, and ConfigureStack as the pack starts; GetAnalyzerInfo; Configure.
    pack.handshake()
    pack.configure_stack(config=stack_config)
    info = pack.get_analyzer_info()
    try:
        check_policy_config(info, policy_config)  # the CLI's schema rules, before Configure
        pack.configure(policy_config)
    except ValueError as exc:
        raise CheckError(f"policy pack config {policy_config_file} does not fit pack {info.name}: {exc}") from exc
    return info


def _not_judged(result: AnalyzeResult, levels: Mapping[str, str]) -> list[NotApplicable]:
    return [n for n in result.not_applicable
            if n.reason.startswith(NOT_JUDGED) and levels.get(n.policy_name) == "mandatory"]  # fmt: skip


@dataclass
class PackSession:
    """A pack started from a private copy, configured, with its canary's answers recorded: what judging needs, for
    one stack or, in turn, many (see :mod:`.many`)."""

    pack: AnalyzerClient
    info: AnalyzerInfo
    #: every policy's effective level, by name
    levels: dict[str, str]
    canary: Canary
    pack_dir: Path
    #: the version the report shows (PulumiPolicy.yaml's, as the CLI reports it)
    pack_version: str
    policy_config: Mapping[str, Any]
    policy_config_file: Path | None

    def configure(self, stack_config: Mapping[str, Any]) -> None:
        _configure(self.pack, self.policy_config_file, self.policy_config, stack_config)

    def judge(
        self, analyzed: Sequence[ResourceLike], stacked: Sequence[ResourceLike], progress: ProgressLine | None = None
    ) -> AnalyzeResult:
        """Analyze each registration, then AnalyzeStack over everything, then the canary again."""
        # The engine runs Analyze on registrations only, never on a read (pulumi/pulumi
        # pkg/resource/deploy/step_generator.go: GenerateReadSteps has no analyzeAll); reads are in
        # AnalyzeStack with the rest.
        analyzed = [r for r in analyzed if not getattr(r, "read", False)]
        each = self.pack.analyze_each(analyzed, on_each=progress.analyzed if progress is not None else None)
        if progress is not None:
            progress.analyzing_stack(len(stacked))
        result = each + self.pack.analyze_stack(stacked)
        self.canary.verify("while the resources were judged")
        return result

    def not_judged(self, result: AnalyzeResult) -> list[NotApplicable]:
        return _not_judged(result, self.levels)


@contextlib.contextmanager
def open_pack(
    pack_dir: Path, private: Path, *, project: str, stack: str, preview: bool, stack_config: Mapping[str, Any],
    policy_config: Mapping[str, Any], policy_config_file: Path | None,
) -> Iterator[PackSession]:
    """Copy ``pack_dir`` into ``private``, start the copy there on a Unix socket, configure it and record the
    canary's answers. A pack failure (here or in the ``with`` body) becomes one CheckError naming ``pack_dir``."""
    copy = _private_copy(pack_dir, private / "pack")
    try:
        with AnalyzerClient(copy, project=project, stack=stack, dry_run=preview, config=stack_config,
                            socket_dir=private) as pack:  # fmt: skip
            info = _configure(pack, policy_config_file, policy_config, stack_config)
            levels = dict(_effective_levels(info, policy_config))
            canary = Canary(pack, project, stack)
            canary.baseline(levels.get(DELIVERY_POLICY))
            yield PackSession(
                pack, info, levels, canary, pack_dir, _declared_version(pack_dir) or info.version, policy_config,
                policy_config_file,
            )  # fmt: skip
    except PolicyPackError as exc:
        raise CheckError(_pack_failure(exc).replace(str(copy), str(pack_dir))) from exc


def run_check(request: CheckRequest, progress: ProgressLine | None = None) -> CheckOutcome:
    """Judge a program (or an export) with the pack the way ``pulumi up`` (or ``preview``) does.

    Untrusted code is contained in time: every input is read and refused first; the pack is started from a
    private copy and configured, and its answers for a canary trail recorded, before any of the program's code
    runs; the program then runs and everything it started is ended; only then does the pack see a resource,
    configured again, with the canary checked before and after. ``progress`` is told each phase.
    """
    # The cheap checks first, so a typo in a path does not wait for the program and the pack.
    policy_config = load_policy_config(request.policy_config_file) if request.policy_config_file else {}
    pack_dir = request.policy_pack.resolve()
    check_pack_dir(pack_dir)
    state: StackState | None = None
    prepared: PreparedProgram | None = None
    analyzed: Sequence[ResourceLike]
    stacked: Sequence[ResourceLike]
    if request.state_file is not None:
        # pulumi policy analyze --file: Analyze gets inputs, AnalyzeStack outputs (see state.py)
        program_dir = request.state_file.resolve()
        try:
            state = read_state(request.state_file)
        except StateError as exc:
            raise CheckError(str(exc)) from exc
        project, stack, stack_config = state.project, state.stack, {}
    else:
        program_dir = request.program_dir.resolve()
        # Imported here: the program path's modules (engine, launchers, mocks) are not needed to judge an export.
        from .program import prepare_program

        prepared = prepare_program(
            program_dir, stack=request.stack, config=request.config, preview=request.preview,
            timeout_s=request.timeout_s, mocks_file=request.mocks_file,
            stack_reference_files=request.stack_references, python=request.python,
            secret_config=request.secret_config,
        )  # fmt: skip
        project, stack, stack_config = prepared.project.name, request.stack, dict(prepared.stack_config.values)
    redact = Redactor()
    redact.add_values(request.secret_config.values())
    try:
        with private_dir() as private, open_pack(
            pack_dir, private, project=project, stack=stack, preview=request.preview, stack_config=stack_config,
            policy_config=policy_config, policy_config_file=request.policy_config_file,
        ) as session:  # fmt: skip
            unexpanded: list[tuple[str, str, str]] = []
            if state is not None:
                notes, interpreter = state_notes(state), ""
                analyzed, stacked = state.analyze_resources(), state.stack_resources()
            else:
                assert prepared is not None
                from .program import run_prepared

                ran = run_prepared(
                    prepared, socket_dir=private, on_register=progress.registered if progress is not None else None
                )
                notes, interpreter, unexpanded = ran.notes, ran.interpreter, ran.unexpanded
                analyzed = stacked = ran.records
            redact.add_resources(analyzed)
            if stacked is not analyzed:  # an export's outputs; a program's records are one list for both calls
                redact.add_resources(stacked)
            if progress is not None:
                progress.program_ran(len(analyzed))
            # Nothing of the program runs any more: configure again, in case it reached the pack while it ran.
            session.configure(stack_config)
            session.canary.verify("before the resources were judged")
            result = session.judge(analyzed, stacked, progress)
    except CheckError as exc:
        raise CheckError(redact(str(exc)), redact(exc.detail)) from exc
    return redacted(CheckOutcome(
        program_dir=program_dir,
        project=project,
        stack=stack,
        preview=request.preview,
        pack_dir=pack_dir,
        pack_name=session.info.name,
        pack_version=session.pack_version,
        resources_checked=len(stacked),
        analysis=result,
        policies=list(session.levels.items()),
        unexpanded=unexpanded,
        notes=notes,
        interpreter=interpreter,
        not_judged=session.not_judged(result),
        unexpanded_allowed=request.allow_unexpanded_components,
        pack_info=session.info,
        origins=origins(stacked),
    ), redact)


def redacted(outcome: CheckOutcome, redact: Redactor) -> CheckOutcome:
    """The outcome with every secret value the redactor knows replaced in the pack's messages."""
    def clean(d: Diagnostic) -> Diagnostic:
        return replace(d, message=redact(d.message), description=redact(d.description))

    analysis = AnalyzeResult(
        [clean(d) for d in outcome.analysis.diagnostics],
        [replace(n, reason=redact(n.reason)) for n in outcome.analysis.not_applicable],
    )
    return replace(
        outcome, analysis=analysis, notes=[redact(n) for n in outcome.notes],
        not_judged=[replace(n, reason=redact(n.reason)) for n in outcome.not_judged],
    )  # fmt: skip
