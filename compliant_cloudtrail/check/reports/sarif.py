"""SARIF 2.1.0 (OASIS), as GitHub code scanning and other SARIF viewers read it.

One rule per policy (its id the policy's name; ``properties.security-severity`` is what GitHub ranks alerts by),
one result per finding with the resource as a logical location and the program's line as a physical one, and
exempted findings as results with an accepted external suppression carrying the reason.
"""

from __future__ import annotations

import hashlib
import json
from typing import Any

from ... import __version__
from ..cli import INCOMPLETE
from ..findings import Finding, Findings, PolicyMeta, from_export

__all__ = ["SARIF_SCHEMA_URI", "as_sarif"]

SARIF_SCHEMA_URI = "https://docs.oasis-open.org/sarif/sarif/v2.1.0/errata01/os/schemas/sarif-schema-2.1.0.json"
#: GitHub's ranges: over 9.0 critical, 7.0 to 8.9 high, 4.0 to 6.9 medium, 0.1 to 3.9 low
_SECURITY_SEVERITY = {"critical": "9.5", "high": "8.0", "medium": "5.5", "low": "3.0"}
_LEVEL = {"mandatory": "error", "advisory": "warning"}
ROOT = "PROGRAMROOT"
FINGERPRINT = "cloudtrailCheck/v1"


def _rule(p: PolicyMeta) -> dict[str, Any]:
    controls = f" ({', '.join(p.controls)})" if p.controls else ""
    rule: dict[str, Any] = {
        "id": p.name,
        "name": "".join(word.capitalize() for word in p.name.split("-")),
        "shortDescription": {"text": p.description or p.name},
        "fullDescription": {"text": f"{p.description}{controls}".strip() or p.name},
        "help": {"text": f"Fix: {p.fix}" if p.fix else (p.description or p.name)},
        "defaultConfiguration": {"level": _LEVEL.get(p.level, "note")},
        "properties": {"tags": ["security", "cloudtrail", *p.controls], "enforcementLevel": p.level},
    }
    if p.severity in _SECURITY_SEVERITY:
        rule["properties"]["security-severity"] = _SECURITY_SEVERITY[p.severity]
    if p.url:
        rule["helpUri"] = p.url
    return rule


def _fingerprint(f: Finding) -> str:
    # Stable across runs and machines: what failed and where, never the run's paths or order.
    return hashlib.sha256(f"{f.policy}\0{f.urn}\0{f.title}".encode()).hexdigest()[:32]


def _physical(f: Finding, report: Findings) -> dict[str, Any]:
    if f.location is not None:
        return {
            "artifactLocation": {"uri": f.location.path, "uriBaseId": ROOT},
            "region": {"startLine": f.location.line},
        }
    # No line was sent (or an export was judged): the finding belongs to the project file (or the export) as a whole.
    artifact = report.outcome.program_dir.name if from_export(report.outcome) else "Pulumi.yaml"
    return {"artifactLocation": {"uri": artifact, "uriBaseId": ROOT}}


def _result(f: Finding, index: dict[str, int], report: Findings) -> dict[str, Any]:
    where = f" ({f.location})" if f.location is not None else ""
    result: dict[str, Any] = {
        "ruleId": f.policy,
        "level": _LEVEL.get(f.level, "note"),
        "message": {"text": f"{f.resource_type} '{f.resource_name}'{where}: {f.message}"},
        "locations": [
            {
                "physicalLocation": _physical(f, report),
                "logicalLocations": [{"name": f.resource_name, "fullyQualifiedName": f.urn, "kind": "resource"}],
            }
        ],
        "partialFingerprints": {FINGERPRINT: _fingerprint(f)},
        "properties": {"resourceType": f.resource_type, "properties": list(f.properties), "fix": f.fix},
    }
    if f.policy in index:
        result["ruleIndex"] = index[f.policy]
    if f.exempted and f.exemption is not None:
        until = f" (until {f.exemption.expires})" if f.exemption.expires else ""
        result["suppressions"] = [
            {"kind": "external", "status": "accepted", "justification": f"{f.exemption.reason}{until}"}
        ]
    return result


def as_sarif(report: Findings) -> str:
    outcome = report.outcome
    rules = [_rule(p) for p in report.policies]
    index = {rule["id"]: i for i, rule in enumerate(rules)}
    root = outcome.program_dir.parent if from_export(outcome) else outcome.program_dir
    notifications = [{"level": "warning", "message": {"text": w}} for w in report.warnings]
    if outcome.verdict == INCOMPLETE:
        notifications.append({"level": "error", "message": {"text": f"no verdict: {outcome.incomplete_reason}"}})
    run = {
        "tool": {
            "driver": {
                "name": "cloudtrail-check",
                "version": __version__,
                "informationUri": "https://github.com/example-org/compliant-cloudtrail",
                "rules": rules,
            }
        },
        "originalUriBaseIds": {ROOT: {"uri": root.as_uri() + "/"}},
        "results": [_result(f, index, report) for f in report.findings],
        "invocations": [
            {"executionSuccessful": outcome.verdict != INCOMPLETE, "toolExecutionNotifications": notifications}
        ],
        "properties": {"verdict": outcome.verdict, "stack": outcome.stack, "project": outcome.project},
    }
    return json.dumps({"$schema": SARIF_SCHEMA_URI, "version": "2.1.0", "runs": [run]}, indent=2)
