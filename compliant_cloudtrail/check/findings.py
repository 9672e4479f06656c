"""One findings model: every report (text, JSON, SARIF, JUnit) renders this and nothing else.

A :class:`Findings` is built once from a :class:`~.cli.CheckOutcome` (what the pack answered, already redacted)
and the pack's own metadata (``GetAnalyzerInfo``: severity, framework, remediation, URL). Each violation becomes a
:class:`Finding` with the resource's type and name, the properties the message names, the controls, the fix, the
line of the program that declared the resource, and the exemption that set it aside, if any. The pack reports an
exempted violation through its notice policies (``policy_pack/policies/exemptions.py``); here such a notice
turns back into the finding of the policy it exempts, marked exempted and not counted.
"""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from urllib.parse import unquote, urlparse

from ..policy_pack.policies.exemptions import NOTICE_POLICIES, Exemption, parse_expired, parse_notice
from .analyzer_client import AnalyzerInfo, Diagnostic, PolicyInfo
from .cli import CheckOutcome
from .records import STACK_TYPE, ResourceOrigin

__all__ = ["Finding", "Findings", "PolicyMeta", "SourceLocation", "build_findings"]

SEVERITIES = ("unspecified", "low", "medium", "high", "critical")
#: A violation that blocks the deployment ranks at least this high in every report, whatever the pack's own rating
#: (the delivery policy carries Security Hub's "low" for CloudTrail.5, yet it is the one that stops `pulumi up`).
BLOCKING_SEVERITY = "high"
_LEVEL_ORDER = {"mandatory": 0, "advisory": 1}
# Folders that hold installed code, never the user's own: an SDK's or a library's frames are not a finding's line.
_INSTALLED = frozenset({"site-packages", "dist-packages", "node_modules", "venv", ".venv", "__pypackages__"})
# The property a problem names: "  - cloudWatchLogsGroupArn is not set", "...(CloudTrail.4): enableLogFileValidation
# defaults to false", 'kmsKeyId "..." is not...'.
_PROPERTY = re.compile(r'(?:^\s*-\s+|\):\s+)([A-Za-z][A-Za-z0-9]*)(?= (?:is |defaults |"))', re.MULTILINE)
_CIS_ITEM = re.compile(r"CIS AWS Foundations v[\d.]+ (\d+(?:\.\d+)?(?:-\d+(?:\.\d+)?)?)")
_FRAMEWORK_SHORT = {"AWS Security Hub": "Security Hub", "CIS AWS Foundations Benchmark": "CIS"}


@dataclass(frozen=True)
class SourceLocation:
    """A line of the program: ``path`` relative to the program's directory (``/``-separated)."""

    path: str
    line: int

    def __str__(self) -> str:
        return f"{self.path}:{self.line}"


@dataclass(frozen=True)
class PolicyMeta:
    name: str
    #: the effective enforcement level (after the policy config)
    level: str
    #: how reports rank it: the pack's rating, raised to BLOCKING_SEVERITY when the policy is mandatory
    severity: str
    #: the pack's own rating
    rated_severity: str
    description: str
    controls: tuple[str, ...]
    fix: str
    url: str
    kind: str  # resource | stack | unknown


@dataclass(frozen=True)
class Finding:
    policy: str
    level: str
    severity: str
    urn: str
    resource_type: str
    resource_name: str
    #: the first line of what the policy reported (the policy's description removed)
    title: str
    #: everything the pack said about this resource (pulumi-policy puts the policy's description first)
    message: str
    properties: tuple[str, ...]
    controls: tuple[str, ...]
    fix: str
    location: SourceLocation | None
    exemption: Exemption | None = None
    #: the exemption has expired: the finding counts again
    expired: bool = False

    @property
    def exempted(self) -> bool:
        return self.exemption is not None and not self.expired

    @property
    def counted(self) -> bool:
        return not self.exempted and self.level in _LEVEL_ORDER


@dataclass(frozen=True)
class Findings:
    outcome: CheckOutcome
    policies: list[PolicyMeta]
    #: counted violations first (mandatory, then advisory), then the exempted ones
    findings: list[Finding]
    #: exemptions that matched nothing, as the pack worded it
    warnings: list[str] = field(default_factory=list)
    #: said once when the program's SDK sent no source positions (or an export was judged), else ""
    positions_note: str = ""

    @property
    def violations(self) -> list[Finding]:
        return [f for f in self.findings if f.counted]

    @property
    def exempted(self) -> list[Finding]:
        return [f for f in self.findings if f.exempted]

    @property
    def mandatory(self) -> list[Finding]:
        return [f for f in self.violations if f.level == "mandatory"]

    @property
    def advisory(self) -> list[Finding]:
        return [f for f in self.violations if f.level == "advisory"]

    def policy(self, name: str) -> PolicyMeta | None:
        return next((p for p in self.policies if p.name == name), None)


def _controls(info: PolicyInfo | None) -> tuple[str, ...]:
    if info is None or not info.framework:
        return ()
    name, reference = info.framework.get("name", ""), info.framework.get("reference", "")
    controls = [f"{_FRAMEWORK_SHORT.get(name, name)} {reference}".strip()] if reference else []
    controls += [f"CIS {item}" for item in _CIS_ITEM.findall(info.framework.get("specification", ""))]
    return tuple(dict.fromkeys(controls))


def _ranked(severity: str, level: str) -> str:
    if level == "mandatory" and SEVERITIES.index(severity if severity in SEVERITIES else "unspecified") < 3:
        return BLOCKING_SEVERITY
    return severity


def policy_metas(levels: Sequence[tuple[str, str]], info: AnalyzerInfo | None) -> list[PolicyMeta]:
    """Each policy with its effective level (``levels``: name, level) and the pack's metadata for it."""
    infos = {p.name: p for p in info.policies} if info is not None else {}
    metas = []
    for name, level in levels:
        policy = infos.get(name)
        rated = policy.severity if policy is not None else "unspecified"
        meta = PolicyMeta(
            name=name, level=level, severity=_ranked(rated, level), rated_severity=rated,
            description=policy.description if policy is not None else "", controls=_controls(policy),
            fix=policy.remediation_steps if policy is not None else "", url=policy.url if policy is not None else "",
            kind=policy.policy_type if policy is not None else "unknown",
        )  # fmt: skip
        metas.append(meta)
    return metas


def _split_urn(urn: str) -> tuple[str, str]:
    parts = urn.split("::", 3)
    return (parts[2].rsplit("$", 1)[-1], parts[3]) if len(parts) == 4 else ("", "")


def _user_line(position: tuple[str, int] | None, program_dir: Path) -> SourceLocation | None:
    """The position as a line of the program's own files; None for an SDK's or an installed library's frame."""
    if position is None or position[1] <= 0:
        return None
    uri, line = position
    parsed = urlparse(uri)
    if parsed.scheme != "file":
        return None
    try:
        relative = Path(unquote(parsed.path)).resolve().relative_to(program_dir)
    except (ValueError, OSError):
        return None
    if any(part in _INSTALLED for part in relative.parts):
        return None
    return SourceLocation(relative.as_posix(), line)


def locations(origins: Sequence[ResourceOrigin], program_dir: Path) -> dict[str, SourceLocation]:
    """Each resource's line in the program: for a resource inside components, the line that created the outermost
    component (what the user wrote), falling back inwards when that one is not a line of the program."""
    by_urn = {o.urn: o for o in origins}
    found: dict[str, SourceLocation] = {}
    for origin in origins:
        chain: list[ResourceOrigin] = []
        current: ResourceOrigin | None = origin
        while current is not None and current.type != STACK_TYPE and current not in chain:
            chain.append(current)
            current = by_urn.get(current.parent)
        for ancestor in reversed(chain):  # outermost first
            where = _user_line(ancestor.source_position, program_dir)
            if where is not None:
                found[origin.urn] = where
                break
    return found


def _body(d: Diagnostic) -> str:
    """What the policy reported: pulumi-policy puts the policy's description first, on a line of its own."""
    message = d.message.strip()
    if d.description and message.startswith(d.description.strip()):
        message = message[len(d.description.strip()) :].strip()
    return message or d.description.strip()


def _fix(body: str, meta: PolicyMeta | None) -> str:
    for line in body.splitlines():
        if line.startswith("Fix: "):
            return line.removeprefix("Fix: ").strip()
    return meta.fix if meta is not None else ""


def _finding(
    policy: str, level: str, urn: str, message: str, body: str, metas: Mapping[str, PolicyMeta],
    where: Mapping[str, SourceLocation], rated: str, exemption: Exemption | None = None,
) -> Finding:  # fmt: skip
    meta = metas.get(policy)
    type_, name = _split_urn(urn)
    expired = parse_expired(body) if exemption is None else None
    return Finding(
        policy=policy, level=level, severity=meta.severity if meta is not None else _ranked(rated, level),
        urn=urn, resource_type=type_, resource_name=name, title=(body.splitlines() or [""])[0],
        message=message, properties=tuple(dict.fromkeys(_PROPERTY.findall(body))),
        controls=meta.controls if meta is not None else (), fix=_fix(body, meta), location=where.get(urn),
        exemption=exemption or expired, expired=expired is not None,
    )  # fmt: skip


def from_export(outcome: CheckOutcome) -> bool:
    """Whether a ``pulumi stack export`` was judged (``program_dir`` is then the export file), not a program."""
    return outcome.program_dir.is_file()


def _positions_note(outcome: CheckOutcome) -> str:
    if from_export(outcome):
        return "an export holds no source positions, so findings name no line of a program"
    declared = [o for o in outcome.origins if o.type != STACK_TYPE]
    if declared and not any(o.source_position for o in declared):
        return "the program's Pulumi SDK sent no source positions, so findings name no line of the program"
    return ""


def build_findings(outcome: CheckOutcome) -> Findings:
    metas = {m.name: m for m in policy_metas(outcome.policies, outcome.pack_info)}
    where = {} if from_export(outcome) else locations(outcome.origins, outcome.program_dir)
    findings: list[Finding] = []
    warnings: list[str] = []
    for d in outcome.violations:
        body = _body(d)
        notice = parse_notice(body) if d.policy_name in NOTICE_POLICIES else None
        if notice is not None and notice.kind == "unused":
            warnings.append(body.splitlines()[0])
        elif notice is not None and notice.exemption is not None:
            level = metas[notice.policy].level if notice.policy in metas else "advisory"
            exempted = notice.violation
            findings.append(_finding(notice.policy, level, d.urn, exempted, exempted, metas, where, d.severity,
                                     notice.exemption))  # fmt: skip
        if notice is None or d.mandatory:
            # A mandatory notice blocks `pulumi up` like any violation (see the pack README), so it counts here too.
            findings.append(
                _finding(d.policy_name, d.enforcement_level, d.urn, d.message.strip(), body, metas, where, d.severity)
            )
    findings.sort(key=lambda f: (f.exempted, _LEVEL_ORDER.get(f.level, 2)))
    return Findings(outcome, list(metas.values()), findings, warnings, _positions_note(outcome))
