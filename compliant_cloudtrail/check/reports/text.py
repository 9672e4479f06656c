"""The report for people: what was checked, each violation with its resource, line and fix, then the verdict."""

from __future__ import annotations

from collections import Counter

from ..cli import INCOMPLETE, NOT_JUDGED
from ..findings import Finding, Findings

__all__ = ["as_compact", "as_text", "summary_line"]


def summary_line(report: Findings) -> str:
    outcome = report.outcome
    exempted = f"; {len(report.exempted)} exempted" if report.exempted else ""
    return (
        f"{outcome.verdict}: {len(report.mandatory)} mandatory and {len(report.advisory)} advisory violation(s) "
        f"in {outcome.resources_checked} resource(s){exempted}"
    )


def _header(report: Findings) -> list[str]:
    outcome = report.outcome
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
    if report.positions_note:
        lines.append(f"note:               {report.positions_note}")
    lines += [f"warning:            {warning}" for warning in report.warnings]
    return lines


def _unseen(report: Findings) -> list[str]:
    outcome, lines = report.outcome, []
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
    return lines


def _detail(f: Finding) -> str:
    parts = [f"severity {f.severity}"]
    if f.controls:
        parts.append(", ".join(f.controls))
    if f.location is not None:
        parts.insert(0, f"declared at {f.location}")
    return "; ".join(parts)


def _block(f: Finding) -> list[str]:
    lines = [f"[{'exempted' if f.exempted else f.level}] {f.policy}", f"    resource: {f.urn or '(the stack)'}"]
    lines.append(f"    {_detail(f)}")
    if f.exempted and f.exemption is not None:
        until = f"until {f.exemption.expires}" if f.exemption.expires else "with no expiry"
        lines.append(f"    EXEMPTED ({f.exemption.resource}) {until}: {f.exemption.reason}; not counted")
    # Pack messages span lines (what is wrong, then Fix:); indent them all under their finding.
    lines += [f"    {line}" if line else "" for line in f.message.strip().splitlines()]
    return [*lines, ""]


def as_text(report: Findings) -> str:
    outcome = report.outcome
    lines = _header(report) + _unseen(report)
    if report.policies:
        lines.append("policies evaluated:")
        lines += [f"    {p.name} ({p.level})" for p in report.policies]
    lines.append("")
    if not report.findings:
        lines += ["no violations", ""]
    for f in report.findings:
        lines += _block(f)
    lines.append(summary_line(report))
    if outcome.verdict == INCOMPLETE:
        lines.append(f"no verdict: {outcome.incomplete_reason}")
    return "\n".join(lines)


def as_compact(report: Findings) -> str:
    """One line per violation (and per exempted finding), a line per policy that had any, then the verdict."""
    outcome = report.outcome
    lines = [f"note: {report.positions_note}"] if report.positions_note else []
    lines += [f"warning: {warning}" for warning in report.warnings]
    lines += [line.strip() for line in _unseen(report)]
    for f in report.findings:
        where = f" {f.location}" if f.location is not None else ""
        tag = "exempted" if f.exempted else f.level
        lines.append(f"[{tag}] {f.policy} {f.resource_type}::{f.resource_name}{where}: {f.title}")
    counted = Counter(f.policy for f in report.violations)
    exempted = Counter(f.policy for f in report.exempted)
    for p in report.policies:
        if counted[p.name] or exempted[p.name]:
            lines.append(f"{p.name} ({p.level}): {counted[p.name]} violation(s), {exempted[p.name]} exempted")
    lines.append(summary_line(report))
    if outcome.verdict == INCOMPLETE:
        lines.append(f"no verdict: {outcome.incomplete_reason}")
    return "\n".join(lines)
