"""How a check's outcome is shown: a report for people, or one JSON object for scripts and CI."""

from __future__ import annotations

import json
from typing import Any

from .analyzer_client import Diagnostic
from .cli import INCOMPLETE, NOT_JUDGED, CheckOutcome

__all__ = ["as_json", "as_text"]

# Mandatory first: those are the ones that block an update, so they should not scroll out of view.
_LEVEL_ORDER = {"mandatory": 0, "advisory": 1}


def _mode(outcome: CheckOutcome) -> str:
    return "preview" if outcome.preview else "update"


def _ordered(violations: list[Diagnostic]) -> list[Diagnostic]:
    return sorted(violations, key=lambda d: _LEVEL_ORDER.get(d.enforcement_level, 2))


def _summary(outcome: CheckOutcome) -> str:
    mandatory, advisory = len(outcome.mandatory), len(outcome.advisory)
    return (
        f"{outcome.verdict}: {mandatory} mandatory and {advisory} advisory violation(s) "
        f"in {outcome.resources_checked} resource(s)"
    )


def as_text(outcome: CheckOutcome) -> str:
    mode = "preview (computed values unknown, as in a first `pulumi preview`)" if outcome.preview else "update"
    lines = [
        f"program:            {outcome.program_dir} (project {outcome.project})",
        f"stack:              {outcome.stack}",
        f"mode:               {mode}",
        f"policy pack:        {outcome.pack_name} {outcome.pack_version} ({outcome.pack_dir})",
        f"resources checked:  {outcome.resources_checked}",
    ]
    if outcome.interpreter:
        lines.append(f"interpreter:        {outcome.interpreter}")
    lines += [f"note:               {note}" for note in outcome.notes]
    if outcome.unexpanded:
        allowed = " (--allow-unexpanded-components)" if outcome.unexpanded_allowed else ""
        lines.append(
            f"NOT CHECKED:        {len(outcome.unexpanded)} remote component(s) not expanded offline{allowed}; "
            "the resources inside them were not judged:"
        )
        lines += [f"    {typ} '{name}' ({urn})" for typ, name, urn in outcome.unexpanded]
    if outcome.not_judged:
        lines.append(f"NOT JUDGED:         {len(outcome.not_judged)} resource(s) a mandatory policy could not judge:")
        lines += [f"    {n.urn or '(the stack)'}: {n.policy_name}: {n.reason.removeprefix(NOT_JUDGED).strip()}"
                  for n in outcome.not_judged]  # fmt: skip
    if outcome.policies:
        lines.append("policies evaluated:")
        lines += [f"    {name} ({level})" for name, level in outcome.policies]
    lines.append("")
    if not outcome.violations:
        lines += ["no violations", ""]
    for d in _ordered(outcome.violations):
        lines.append(f"[{d.enforcement_level}] {d.policy_name}")
        lines.append(f"    resource: {d.urn or '(the stack)'}")
        # Pack messages can span lines (description, then detail); indent them all under their violation.
        lines += [f"    {line}" if line else "" for line in d.message.strip().splitlines()]
        lines.append("")
    lines.append(_summary(outcome))
    if outcome.verdict == INCOMPLETE:
        lines.append(f"no verdict: {outcome.incomplete_reason}")
    return "\n".join(lines)


def _violation(d: Diagnostic) -> dict[str, Any]:
    return {
        "level": d.enforcement_level,
        "policy": d.policy_name,
        "urn": d.urn,
        "message": d.message,
        "severity": d.severity,
        "policy_pack": d.policy_pack_name,
    }


def as_json(outcome: CheckOutcome) -> str:
    return json.dumps(
        {
            "program": str(outcome.program_dir),
            "project": outcome.project,
            "stack": outcome.stack,
            "mode": _mode(outcome),
            "policy_pack": {"name": outcome.pack_name, "version": outcome.pack_version, "dir": str(outcome.pack_dir)},
            "resources_checked": outcome.resources_checked,
            "violations": [_violation(d) for d in _ordered(outcome.violations)],
            "mandatory": len(outcome.mandatory),
            "advisory": len(outcome.advisory),
            "passed": outcome.passed,
            "verdict": outcome.verdict,
            "not_judged": [{"urn": n.urn, "policy": n.policy_name, "reason": n.reason} for n in outcome.not_judged],
            **({"error": f"no verdict: {outcome.incomplete_reason}"} if outcome.verdict == INCOMPLETE else {}),
            "policies": [{"name": name, "level": level} for name, level in outcome.policies],
            "unexpanded_components": [{"type": typ, "name": name, "urn": urn} for typ, name, urn in outcome.unexpanded],
            "notes": list(outcome.notes),
            "interpreter": outcome.interpreter,
        },
        indent=2,
    )
