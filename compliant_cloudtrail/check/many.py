"""Judge many stacks in one run, with one policy pack: a whole self-managed backend, or several exports.

Each stack is judged as ``--state`` judges one (``pulumi policy analyze``'s messages: ``Analyze`` with each
resource's inputs, ``AnalyzeStack`` with the outputs; see :mod:`.state`), but the pack is started, copied and
configured once for the run, not once per stack: that is most of the time a single check takes. The pack keeps no
state between calls (pulumi-policy's ``Analyze`` and ``AnalyzeStack`` read only the request and the configuration),
so sharing it changes no answer. What could change one is a pack re-configured behind the check's back: the canary
(:mod:`.canary`) is recorded once and judged again after every stack, so no stack's verdict rests on answers the
pack gave under another configuration.

A stack whose file cannot be read (corrupt, cut short, too large, zstd) is named with the reason and counted as not
judged; the others are judged all the same. Exit code: 1 if any stack has a mandatory violation, else 2 if any
stack was not judged (or was judged NOT JUDGED), else 0.
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Protocol

from .backend import StackFile, find_stacks, read_stack
from .cli import (
    DEFAULT_POLICY_PACK,
    FAILED,
    INCOMPLETE,
    PASSED,
    CheckOutcome,
    check_pack_dir,
    load_policy_config,
    open_pack,
    redacted,
    state_notes,
)
from .private_dir import private_dir
from .records import origins
from .redaction import Redactor
from .state import StateError

__all__ = ["ManyOutcome", "ManyRequest", "ProjectCounts", "StackResult", "run_many"]

EXIT_PASSED, EXIT_MANDATORY_VIOLATION, EXIT_NO_VERDICT = 0, 1, 2
#: the identity the shared pack is started with, as ``pulumi policy analyze`` names a file of several stacks
MANY = "multiple"


@dataclass(frozen=True)
class ManyRequest:
    #: backends (``file://PATH``, a folder holding ``.pulumi``, or that ``.pulumi``), folders of exports, exports
    locations: Sequence[str | Path]
    policy_pack: Path = DEFAULT_POLICY_PACK
    policy_config_file: Path | None = None


@dataclass(frozen=True)
class StackResult:
    """One stack: its outcome, or why it could not be judged."""

    source: Path
    project: str
    stack: str
    outcome: CheckOutcome | None = None
    #: why the stack's file could not be read (then ``outcome`` is None)
    error: str = ""
    #: encrypted secret values judged as unknown
    unreadable_secrets: int = 0

    @property
    def verdict(self) -> str:
        return self.outcome.verdict if self.outcome is not None else INCOMPLETE

    @property
    def reason(self) -> str:
        """For a stack NOT JUDGED: why, in one line."""
        if self.outcome is None:
            return self.error
        return self.outcome.incomplete_reason if self.verdict == INCOMPLETE else ""

    @property
    def name(self) -> str:
        return f"{self.project}/{self.stack}"


@dataclass
class ProjectCounts:
    stacks: int = 0
    passed: int = 0
    failed: int = 0
    not_judged: int = 0
    resources: int = 0
    mandatory: int = 0
    advisory: int = 0
    unreadable_secrets: int = 0


@dataclass(frozen=True)
class ManyOutcome:
    stacks: list[StackResult]
    pack_dir: Path
    pack_name: str
    pack_version: str
    #: every policy and its effective level, the same for every stack
    policies: list[tuple[str, str]] = field(default_factory=list)
    elapsed_s: float = 0.0

    def by_project(self) -> dict[str, ProjectCounts]:
        counts: dict[str, ProjectCounts] = {}
        for result in self.stacks:
            c = counts.setdefault(result.project, ProjectCounts())
            c.stacks += 1
            c.unreadable_secrets += result.unreadable_secrets
            verdict = result.verdict
            c.passed += verdict == PASSED
            c.failed += verdict == FAILED
            c.not_judged += verdict == INCOMPLETE
            if result.outcome is not None:
                c.resources += result.outcome.resources_checked
                c.mandatory += len(result.outcome.mandatory)
                c.advisory += len(result.outcome.advisory)
        return dict(sorted(counts.items()))

    def total(self) -> ProjectCounts:
        total = ProjectCounts()
        for c in self.by_project().values():
            for name in vars(total):
                setattr(total, name, getattr(total, name) + getattr(c, name))
        return total

    @property
    def failing(self) -> list[StackResult]:
        return [r for r in self.stacks if r.verdict == FAILED]

    @property
    def not_judged(self) -> list[StackResult]:
        return [r for r in self.stacks if r.verdict == INCOMPLETE]

    @property
    def exit_code(self) -> int:
        """1 if any stack has a mandatory violation (its update would be blocked), else 2 if any stack could not
        be judged, else 0."""
        if self.failing:
            return EXIT_MANDATORY_VIOLATION
        if self.not_judged:
            return EXIT_NO_VERDICT
        return EXIT_PASSED


class StacksProgressLike(Protocol):
    """What :func:`run_many` tells a progress line (see :class:`.progress.StacksProgress`)."""

    def stack_judged(self, done: int, total: int, resources: int) -> None: ...

    def finished(self) -> None: ...


def _identity(found: StackFile, project: str, stack: str) -> tuple[str, str]:
    # The backend's layout names a checkpoint (folder and file name, as the CLI lists it); an export only its URNs.
    return found.project or project, found.stack or stack


def _unread(found: StackFile, error: str) -> StackResult:
    name = found.path.name.split(".", 1)[0] if found.stack is None else found.stack
    return StackResult(found.path, found.project or "(unknown)", name, error=error)


def run_many(request: ManyRequest, progress: StacksProgressLike | None = None) -> ManyOutcome:
    """Judge every stack behind ``request.locations`` with one pack; see the module's docstring.

    Raises CheckError (or InputError) only for what stops the whole run: a location that does not exist or
    holds no stack, the pack or its config, the canary's answers changing. A stack's own bad file is its result.
    """
    started = time.monotonic()
    policy_config: Mapping[str, Any] = (
        load_policy_config(request.policy_config_file) if request.policy_config_file else {}
    )
    pack_dir = request.policy_pack.resolve()
    check_pack_dir(pack_dir)
    found = find_stacks(request.locations)
    results: list[StackResult] = []
    resources = 0
    with private_dir() as private, open_pack(
        pack_dir, private, project=MANY, stack=MANY, preview=False, stack_config={},
        policy_config=policy_config, policy_config_file=request.policy_config_file,
    ) as session:  # fmt: skip
        policies = list(session.levels.items())  # one list for every stack's outcome: they share the pack

        def judge(one: StackFile) -> StackResult:
            try:
                state = read_stack(one)
            except StateError as exc:
                return _unread(one, str(exc))
            project, stack = _identity(one, state.project, state.stack)
            analyzed, stacked = state.analyze_resources(), state.stack_resources()
            redact = Redactor()
            redact.add_resources(analyzed)
            redact.add_resources(stacked)
            # No ConfigureStack per stack: pulumi-policy keeps only the stack's tags from it, and a state file
            # carries none, so every stack would send the same (empty) request.
            result = session.judge(analyzed, stacked)
            outcome = redacted(CheckOutcome(
                program_dir=one.path, project=project, stack=stack, preview=False, pack_dir=pack_dir,
                pack_name=session.info.name, pack_version=session.pack_version, resources_checked=len(stacked),
                analysis=result, policies=policies, notes=state_notes(state),
                not_judged=session.not_judged(result),
                pack_info=session.info, origins=origins(stacked),
            ), redact)  # fmt: skip
            return StackResult(one.path, project, stack, outcome, unreadable_secrets=state.unreadable_secrets)

        for done, one in enumerate(found, start=1):
            results.append(judge(one))
            if results[-1].outcome is not None:
                resources += results[-1].outcome.resources_checked
            if progress is not None:
                progress.stack_judged(done, len(found), resources)
        info, version, levels = session.info, session.pack_version, list(session.levels.items())
    if progress is not None:
        progress.finished()
    return ManyOutcome(results, pack_dir, info.name, version, levels, time.monotonic() - started)
