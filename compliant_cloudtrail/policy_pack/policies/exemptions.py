"""Per-resource exemptions, in the pack's own config, so ``pulumi preview --policy-pack-config`` and
``cloudtrail-check`` honour the same file the same way.

Each policy accepts ``exemptions``: a list of ``{"resource", "reason", "expires"}``. ``resource`` is a URN or
``<type>::<name>`` (the resource's own type token, not its parents'), either with ``*`` standing for any run of
characters; ``reason`` is required; ``expires`` (optional) is an ISO date, the last day the exemption holds (UTC).

A policy can only report at its own enforcement level, so an exempted violation cannot be shown by the policy it
exempts without blocking. Instead it is handed to the notice policies below, which run last and report it as
an advisory diagnostic that starts ``EXEMPTED from <policy>``: the Pulumi CLI shows it, nothing blocks, and
``cloudtrail-check`` recognises it (:func:`parse_notice`). An expired exemption lets the violation through at its
level, with a line saying it expired. An exemption that matches no resource of the stack is reported by the
stack notice (``UNUSED EXEMPTION``), as a typo in a URN would otherwise exempt nothing without a word.

The hand-over relies on pulumi-policy running a pack's policies in list order, all in the thread of one
``Analyze`` (or ``AnalyzeStack``) call (pulumi_policy/policy.py ``_PolicyAnalyzerServicer``); exempted
violations are kept by resource URN until the notice of that call picks them up.
"""

from __future__ import annotations

import re
import threading
from collections.abc import Callable, Iterable, Mapping
from dataclasses import dataclass
from datetime import UTC, date, datetime
from typing import Any

from pulumi_policy import (
    EnforcementLevel,
    Policy,
    PolicyConfigSchema,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    Severity,
    StackValidationArgs,
    StackValidationPolicy,
)

__all__ = [
    "EXEMPTIONS",
    "EXEMPTIONS_SCHEMA",
    "NOTICE_POLICIES",
    "RESOURCE_NOTICE",
    "STACK_NOTICE",
    "Exemption",
    "Notice",
    "matches",
    "parse_expired",
    "parse_expiry",
    "parse_notice",
    "with_exemptions",
]

EXEMPTIONS = "exemptions"
RESOURCE_NOTICE = "cloudtrail-pack-report-exemptions"
STACK_NOTICE = "cloudtrail-pack-report-stack-exemptions"
NOTICE_POLICIES = (RESOURCE_NOTICE, STACK_NOTICE)

EXEMPTIONS_SCHEMA: dict[str, Any] = {
    "type": "array",
    "default": [],
    "description": "Resources this policy does not count, each with a reason and an optional expiry: resource is "
    'a URN or "<type>::<name>", where * matches any characters; expires is the last day (YYYY-MM-DD, UTC). '
    "An exempted violation is reported as EXEMPTED (advisory) with its reason; an expired one counts again.",
    "items": {
        "type": "object",
        "properties": {
            "resource": {"type": "string", "minLength": 1},
            "reason": {"type": "string", "minLength": 1, "pattern": r"\S"},
            "expires": {"type": "string", "pattern": r"^[0-9]{4}-[0-9]{2}-[0-9]{2}$"},
        },
        "required": ["resource", "reason"],
        "additionalProperties": False,
    },
}

_NOTICE_HEAD = re.compile(r"^EXEMPTED from (?P<policy>\S+) (?:until (?P<expires>\S+)|with no expiry): (?P<reason>.*)$")
_UNUSED_HEAD = re.compile(r"^UNUSED EXEMPTION in (?P<policy>\S+): ")
_EXPIRED_LINE = re.compile(r"^EXEMPTION EXPIRED on (?P<expires>\S+) \(exemption (?P<resource>.*?): (?P<reason>.*)\); ")


@dataclass(frozen=True)
class Exemption:
    resource: str
    reason: str
    expires: str | None = None


@dataclass(frozen=True)
class Notice:
    """What a diagnostic of a notice policy says, read back (see :func:`parse_notice`)."""

    kind: str  # "exempted" | "unused"
    policy: str
    exemption: Exemption | None
    #: the violation as the exempted policy worded it (exempted and expired notices)
    violation: str = ""


def _one_line(text: str) -> str:
    return " ".join(str(text).split())


def exemptions_in(config: Mapping[str, Any]) -> list[Exemption]:
    """The policy's exemptions (the config schema has checked their shape; anything else is skipped)."""
    found = config.get(EXEMPTIONS) or []
    if not isinstance(found, list):
        return []
    return [
        Exemption(_one_line(e["resource"]), _one_line(e["reason"]), e.get("expires") or None)
        for e in found
        if isinstance(e, Mapping) and isinstance(e.get("resource"), str) and isinstance(e.get("reason"), str)
    ]


def _split_urn(urn: str) -> tuple[str, str]:
    """A URN's own type (the last of its qualified types) and name."""
    parts = urn.split("::", 3)
    if len(parts) < 4:
        return "", ""
    return parts[2].rsplit("$", 1)[-1], parts[3]


def _pattern(text: str) -> re.Pattern[str]:
    return re.compile("".join(".*" if c == "*" else re.escape(c) for c in text), re.DOTALL)


def matches(exemption: Exemption, urn: str, type_: str = "", name: str = "") -> bool:
    """Whether ``exemption.resource`` names this resource: a URN pattern, else ``<type>::<name>``."""
    if not type_ or not name:
        type_, name = _split_urn(urn)
    subject = urn if exemption.resource.startswith("urn:") else f"{type_}::{name}"
    return _pattern(exemption.resource).fullmatch(subject) is not None


def parse_expiry(exemption: Exemption) -> date | None:
    """The last day it holds; None when it has no expiry. ValueError for a date that does not exist."""
    return None if exemption.expires is None else date.fromisoformat(exemption.expires)


def _today() -> date:
    return datetime.now(UTC).date()


# Exempted violations waiting for the notice policy of the same call: by URN (resource policies) and by policy
# (stack policies); each policy replaces its own entries, so nothing from an earlier call is reported again.
_lock = threading.Lock()
_waiting: dict[str, dict[str, list[str]]] = {}
_waiting_stack: dict[str, list[tuple[str, str]]] = {}
#: each policy's exemptions as last configured, for the stack notice's unused check
_configured: dict[str, list[Exemption]] = {}


def _notice(policy: str, exemption: Exemption, violation: str) -> str:
    until = f"until {exemption.expires}" if exemption.expires else "with no expiry"
    return (
        f"EXEMPTED from {policy} {until}: {exemption.reason}\nexemption: {exemption.resource}\nviolation: {violation}"
    )


def _expired_line(exemption: Exemption, why: str) -> str:
    return f"\nEXEMPTION EXPIRED on {exemption.expires} (exemption {exemption.resource}: {exemption.reason}); {why}"


def _route(
    policy: str, rules: list[Exemption], urn: str, type_: str, name: str, message: str
) -> tuple[str | None, Exemption | None]:
    """(message to report at the policy's level or None, the exemption that holds or None)."""
    for exemption in rules:
        if not matches(exemption, urn, type_, name):
            continue
        try:
            last_day = parse_expiry(exemption)
        except ValueError:
            return message + _expired_line(exemption, "that is not a date, so the exemption does not hold"), None
        if last_day is not None and last_day < _today():
            return message + _expired_line(exemption, "this violation counts again"), None
        return None, exemption
    return message, None


def _exempting_resource_validate(policy: ResourceValidationPolicy) -> Callable[..., Any]:
    def validate(args: ResourceValidationArgs, report_violation: ReportViolation) -> Any:
        rules = exemptions_in(args.get_config())
        with _lock:
            _configured[policy.name] = rules
            _waiting.setdefault(args.urn, {})[policy.name] = []

        def report(message: str, urn: str | None = None) -> None:
            target = urn or args.urn
            own = target == args.urn
            kept, exemption = _route(
                policy.name, rules, target, args.resource_type if own else "", args.name if own else "", message
            )
            if exemption is not None:
                with _lock:
                    _waiting.setdefault(args.urn, {}).setdefault(policy.name, []).append(
                        _notice(policy.name, exemption, message)
                    )
            else:
                report_violation(kept or message, urn)

        return policy.validate(args, report)

    return validate


def _exempting_stack_validate(policy: StackValidationPolicy) -> Callable[..., Any]:
    def validate(args: StackValidationArgs, report_violation: ReportViolation) -> Any:
        rules = exemptions_in(args.get_config())
        with _lock:
            _configured[policy.name] = rules
            _waiting_stack[policy.name] = []

        def report(message: str, urn: str | None = None) -> None:
            kept, exemption = _route(policy.name, rules, urn or "", "", "", message)
            if exemption is not None:
                with _lock:
                    _waiting_stack.setdefault(policy.name, []).append(
                        (urn or "", _notice(policy.name, exemption, message))
                    )
            else:
                report_violation(kept or message, urn)

        return policy.validate(args, report)

    return validate


def _schema(policy: Policy) -> PolicyConfigSchema:
    schema = policy.config_schema
    properties = dict(schema.properties) if schema is not None else {}
    properties[EXEMPTIONS] = EXEMPTIONS_SCHEMA
    return PolicyConfigSchema(properties=properties, required=schema.required if schema is not None else None)


def with_exemptions(policy: Policy) -> Policy:
    """The same policy, with ``exemptions`` in its config schema and its violations routed through them."""
    common: dict[str, Any] = {
        "name": policy.name, "description": policy.description, "enforcement_level": policy.enforcement_level,
        "config_schema": _schema(policy), "severity": policy.severity, "framework": policy.framework,
        "tags": policy.tags, "remediation_steps": policy.remediation_steps, "url": policy.url,
    }  # fmt: skip
    if isinstance(policy, ResourceValidationPolicy):
        remediate = policy.remediate if policy.has_remediation() else None
        return ResourceValidationPolicy(validate=_exempting_resource_validate(policy), remediate=remediate, **common)
    if isinstance(policy, StackValidationPolicy):
        return StackValidationPolicy(validate=_exempting_stack_validate(policy), **common)
    raise TypeError(f"policy {policy.name}: neither a resource nor a stack validation policy")


# --- the notice policies ------------------------------------------------------------------------------------


def _report_exempted(args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
    with _lock:
        waiting = _waiting.pop(args.urn, {})
    for policy in sorted(waiting):
        for notice in waiting[policy]:
            report_violation(notice, None)


def _unused(resources: Iterable[Any]) -> list[tuple[str, Exemption]]:
    seen = [(r.urn, r.resource_type, r.name) for r in resources]
    with _lock:
        configured = {name: list(rules) for name, rules in _configured.items()}
    return [
        (policy, exemption)
        for policy, rules in sorted(configured.items())
        for exemption in rules
        if not any(matches(exemption, urn, type_, name) for urn, type_, name in seen)
    ]


def _report_stack_exempted(args: StackValidationArgs, report_violation: ReportViolation) -> None:
    with _lock:
        waiting = {name: list(items) for name, items in _waiting_stack.items()}
        _waiting_stack.clear()
    for policy in sorted(waiting):
        for urn, notice in waiting[policy]:
            report_violation(notice, urn or None)
    for policy, exemption in _unused(args.resources):
        report_violation(
            f'UNUSED EXEMPTION in {policy}: "{exemption.resource}" matches no resource of this stack (reason given: '
            f"{exemption.reason}); correct the URN or type::name, or remove it.",
            None,
        )


_NOTICE_DESCRIPTION = (
    "Violations exempted by a policy's exemptions config are reported with their reason and expiry, and "
    "exemptions that match no resource are named."
)
REPORT_EXEMPTIONS = ResourceValidationPolicy(
    name=RESOURCE_NOTICE,
    description=_NOTICE_DESCRIPTION,
    validate=_report_exempted,
    enforcement_level=EnforcementLevel.ADVISORY,
    severity=Severity.LOW,
    remediation_steps="Nothing to fix: review each exemption before it expires; keep this policy advisory.",
    tags=["exemptions"],
)
REPORT_STACK_EXEMPTIONS = StackValidationPolicy(
    name=STACK_NOTICE,
    description=_NOTICE_DESCRIPTION,
    validate=_report_stack_exempted,
    enforcement_level=EnforcementLevel.ADVISORY,
    severity=Severity.LOW,
    remediation_steps="Remove or correct an exemption that matches nothing; keep this policy advisory.",
    tags=["exemptions"],
)


def parse_notice(message: str) -> Notice | None:
    """Read back a notice policy's message (None if it is not one). pulumi-policy puts the policy's description
    before what the policy reported, so the notice's head is looked for line by line."""
    lines = message.splitlines()
    for at, line in enumerate(lines):
        unused = _UNUSED_HEAD.match(line)
        if unused:
            return Notice("unused", unused["policy"], None)
        head = _NOTICE_HEAD.match(line)
        if head is None:
            continue
        resource = lines[at + 1].removeprefix("exemption: ") if at + 1 < len(lines) else ""
        violation = "\n".join(lines[at + 2 :]).removeprefix("violation: ")
        return Notice("exempted", head["policy"], Exemption(resource, head["reason"], head["expires"]), violation)
    return None


def parse_expired(message: str) -> Exemption | None:
    """The expired exemption a violation message mentions (see :func:`_expired_line`), or None."""
    for line in message.splitlines():
        found = _EXPIRED_LINE.match(line)
        if found:
            return Exemption(found["resource"], found["reason"], found["expires"])
    return None
