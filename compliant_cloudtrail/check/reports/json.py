"""One JSON object for scripts and CI: the keys of earlier versions, each finding as structured fields."""

from __future__ import annotations

import json
from typing import Any

from ..cli import INCOMPLETE
from ..findings import Finding, Findings, PolicyMeta

__all__ = ["as_json", "finding_object", "policy_object"]


def finding_object(f: Finding) -> dict[str, Any]:
    return {
        "level": f.level,
        "policy": f.policy,
        "urn": f.urn,
        "message": f.message,
        "severity": f.severity,
        "policy_pack": None,  # filled by as_json: the pack's name
        "type": f.resource_type,
        "name": f.resource_name,
        "title": f.title,
        "properties": list(f.properties),
        "controls": list(f.controls),
        "fix": f.fix,
        "location": None if f.location is None else {"path": f.location.path, "line": f.location.line},
        "exemption": None
        if f.exemption is None
        else {
            "resource": f.exemption.resource,
            "reason": f.exemption.reason,
            "expires": f.exemption.expires,
            "expired": f.expired,
        },
    }


def policy_object(p: PolicyMeta) -> dict[str, Any]:
    return {
        "name": p.name,
        "level": p.level,
        "severity": p.severity,
        "rated_severity": p.rated_severity,
        "controls": list(p.controls),
        "description": p.description,
        "fix": p.fix,
        "url": p.url,
        "kind": p.kind,
    }


def as_json(report: Findings) -> str:
    outcome = report.outcome

    def finding(f: Finding) -> dict[str, Any]:
        return {**finding_object(f), "policy_pack": outcome.pack_name}

    return json.dumps(
        {
            "program": str(outcome.program_dir),
            "project": outcome.project,
            "stack": outcome.stack,
            "mode": "preview" if outcome.preview else "update",
            "policy_pack": {"name": outcome.pack_name, "version": outcome.pack_version, "dir": str(outcome.pack_dir)},
            "resources_checked": outcome.resources_checked,
            "violations": [finding(f) for f in report.violations],
            "exempted": [finding(f) for f in report.exempted],
            "mandatory": len(report.mandatory),
            "advisory": len(report.advisory),
            "passed": outcome.passed,
            "verdict": outcome.verdict,
            "not_judged": [{"urn": n.urn, "policy": n.policy_name, "reason": n.reason} for n in outcome.not_judged],
            **({"error": f"no verdict: {outcome.incomplete_reason}"} if outcome.verdict == INCOMPLETE else {}),
            "policies": [policy_object(p) for p in report.policies],
            "unexpanded_components": [{"type": typ, "name": name, "urn": urn} for typ, name, urn in outcome.unexpanded],
            "notes": list(outcome.notes) + ([report.positions_note] if report.positions_note else []),
            "warnings": list(report.warnings),
            "interpreter": outcome.interpreter,
        },
        indent=2,
    )
