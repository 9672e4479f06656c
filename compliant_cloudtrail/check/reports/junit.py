"""JUnit XML, as Jenkins, GitLab and junitparser read it: a test suite per policy, a test case per resource the
policy applies to (every trail, and every resource a finding names), a failure per violation, and an exempted
finding as a skipped case with its reason."""

from __future__ import annotations

from collections import defaultdict
from xml.etree import ElementTree as ET

from ...policy_pack.policies.trail_fields import AWS_TRAIL, NATIVE_TRAIL
from ..findings import Finding, Findings

__all__ = ["as_junit"]

#: resources every trail policy applies to, finding or not, so a passing trail is a passing test case
_TRAIL_TYPES = frozenset({AWS_TRAIL, NATIVE_TRAIL})


def _case_name(resource_type: str, name: str) -> str:
    return f"{resource_type}::{name}" if resource_type else name or "(the stack)"


def as_junit(report: Findings) -> str:
    by_policy: dict[str, list[Finding]] = defaultdict(list)
    for f in report.findings:
        by_policy[f.policy].append(f)
    trails = [o for o in report.outcome.origins if o.type in _TRAIL_TYPES]
    suites = ET.Element("testsuites", name="cloudtrail-check")
    totals = {"tests": 0, "failures": 0, "skipped": 0}
    for policy in report.policies:
        if policy.level == "disabled":
            continue
        suite = ET.SubElement(suites, "testsuite", name=policy.name)
        counts = {"tests": 0, "failures": 0, "skipped": 0}
        cases: dict[str, list[Finding]] = {o.urn: [] for o in trails}
        names = {o.urn: _case_name(o.type, o.name) for o in trails}
        for f in by_policy.get(policy.name, []):
            cases.setdefault(f.urn, []).append(f)
            names.setdefault(f.urn, _case_name(f.resource_type, f.resource_name))
        for urn, found in cases.items():
            case = ET.SubElement(suite, "testcase", name=names[urn], classname=policy.name)
            located = next((f.location for f in found if f.location is not None), None)
            if located is not None:
                case.set("file", located.path)
                case.set("line", str(located.line))
            counts["tests"] += 1
            failing = [f for f in found if f.counted]
            for f in failing:
                failure = ET.SubElement(case, "failure", message=f.title, type=f.level)
                failure.text = f"{urn}\n{f.message}"
            if failing:
                counts["failures"] += 1
            elif any(f.exempted for f in found):
                exempted = next(f for f in found if f.exempted)
                assert exempted.exemption is not None
                until = f" until {exempted.exemption.expires}" if exempted.exemption.expires else ""
                ET.SubElement(case, "skipped", message=f"EXEMPTED{until}: {exempted.exemption.reason}")
                counts["skipped"] += 1
        for key, value in counts.items():
            suite.set(key, str(value))
            totals[key] += value
        suite.set("errors", "0")
    for key, value in totals.items():
        suites.set(key, str(value))
    suites.set("errors", "0")
    ET.indent(suites)
    return '<?xml version="1.0" encoding="UTF-8"?>\n' + ET.tostring(suites, encoding="unicode")
