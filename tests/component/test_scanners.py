"""The example stack, run under mocks with its default config, passes what the scanners check.

Security Hub CloudWatch.1 to .14 compare a filter's pattern to a fixed string (white space tolerated);
Prowler's 15 CIS checks want a filter on a trail's log group whose pattern contains every clause they
list, and an alarm on that filter's metric. Both specifications are kept as data beside this test,
with their sources.
"""

from __future__ import annotations

import json
import re
from pathlib import Path
from typing import Any

import pytest

from compliant_cloudtrail.check.mock_runtime import RegisteredResource, run_program

HERE = Path(__file__).parent
REPO = HERE.parents[1]
TRAIL = "aws:cloudtrail/trail:Trail"
METRIC_FILTER = "aws:cloudwatch/logMetricFilter:LogMetricFilter"
ALARM = "aws:cloudwatch/metricAlarm:MetricAlarm"


@pytest.fixture(scope="module")
def example_stack() -> list[RegisteredResource]:
    return run_program(REPO, stack="dev")


def _watched_filters(resources: list[RegisteredResource]) -> list[RegisteredResource]:
    """Filters on a log group some trail delivers to, which have an alarm with an action on their metric."""
    trail_groups = {r.inputs["cloudWatchLogsGroupArn"].split(":")[6] for r in resources if r.type == TRAIL}
    alarmed = {
        (a.inputs["metricName"], a.inputs["namespace"])
        for a in resources
        if a.type == ALARM and a.inputs.get("alarmActions")
    }
    return [
        f for f in resources
        if f.type == METRIC_FILTER
        and f.inputs["logGroupName"] in trail_groups
        and (f.inputs["metricTransformation"]["name"], f.inputs["metricTransformation"]["namespace"]) in alarmed
    ]


def _squeeze(pattern: str) -> str:
    return re.sub(r"\s+", "", pattern)


def test_security_hub_cloudwatch_1_to_14_find_their_exact_pattern(example_stack: list[RegisteredResource]) -> None:
    controls = json.loads((HERE / "security_hub_patterns.json").read_text())["controls"]
    assert len(controls) == 14
    deployed = {_squeeze(f.inputs["pattern"]) for f in _watched_filters(example_stack)}
    for control in controls:
        assert _squeeze(control["pattern"]) in deployed, \
            f"Security Hub {control['control']} (CIS {control['cis']}) finds no filter with its exact pattern"


def _prowler_regex(check: dict[str, Any]) -> str:
    """One lookahead per clause, as Prowler's check builder composes them."""
    if "regex" in check:
        return str(check["regex"])
    parts = []
    if check["event_source"]:
        parts.append(rf"(?=.*\$\.eventSource\s*=\s*.?{re.escape(check['event_source'])})")
    for name in check["event_names"]:
        parts.append(rf"(?=.*\$\.eventName\s*=\s*.?{re.escape(name)}\b)")
    for field, operator, value in check["extra_clauses"]:
        op = r"\s*!=\s*" if operator == "!=" else r"\s*=\s*"
        parts.append(rf"(?=.*\$\.{re.escape(field)}{op}.?{re.escape(value)})")
    return "".join(parts)


def test_all_15_prowler_cis_checks_pass(example_stack: list[RegisteredResource]) -> None:
    checks = json.loads((HERE / "prowler_checks.json").read_text())["checks"]
    assert sorted(c["cis"] for c in checks) == sorted(f"4.{n}" for n in range(1, 16))
    patterns = [f.inputs["pattern"] for f in _watched_filters(example_stack)]
    for check in checks:
        regex = _prowler_regex(check)
        assert any(re.search(regex, p, flags=re.DOTALL) for p in patterns), \
            f"Prowler {check['check']} (CIS {check['cis']}) finds no watched filter"


def test_the_scanner_rules_reject_the_wordings_they_should(example_stack: list[RegisteredResource]) -> None:
    """Guards the two checks above: without its CIS wordings the stack would fail Prowler 4.13 and 4.15."""
    checks = {c["cis"]: c for c in json.loads((HERE / "prowler_checks.json").read_text())["checks"]}
    security_hub_only = [
        f.inputs["pattern"] for f in _watched_filters(example_stack)
        if not f.inputs["metricTransformation"]["name"].endswith("Cis")
        and f.inputs["metricTransformation"]["name"] != "OrganizationsChanges"
    ]
    for item in ("4.13", "4.15"):
        regex = _prowler_regex(checks[item])
        assert not any(re.search(regex, p, flags=re.DOTALL) for p in security_hub_only), item


def test_example_stack_declares_the_whole_component(example_stack: list[RegisteredResource]) -> None:
    types = {r.type for r in example_stack}
    for expected in ("compliant-cloudtrail:index:CompliantTrail", TRAIL, "aws:s3/bucket:Bucket",
                     "aws:s3/bucketPolicy:BucketPolicy", "aws:cloudwatch/logGroup:LogGroup", "aws:iam/role:Role",
                     "aws:iam/rolePolicy:RolePolicy", "aws:kms/key:Key", "aws:sns/topic:Topic", METRIC_FILTER, ALARM):
        assert expected in types, f"the example stack declares no {expected}"
    [trail] = [r for r in example_stack if r.type == TRAIL]
    assert trail.inputs["name"] == "cloudtrail-dev"


def test_example_stack_reads_its_config(tmp_path: Path) -> None:
    resources = run_program(REPO, stack="dev", config={
        # Typed as Pulumi.yaml declares them: the CLI refuses a string for an array or boolean key.
        "trailName": "org-trail", "retentionInDays": 731, "alarmEmails": ["secops@example.com"],
        "organizationTrail": True, "enableKms": False, "disabledCisItems": ["4.15"],
    })
    by_type: dict[str, list[RegisteredResource]] = {}
    for r in resources:
        by_type.setdefault(r.type, []).append(r)
    [trail] = by_type[TRAIL]
    assert trail.inputs["name"] == "org-trail"
    assert trail.inputs["isOrganizationTrail"] is True
    assert "kmsKeyId" not in trail.inputs
    assert by_type["aws:cloudwatch/logGroup:LogGroup"][0].inputs["retentionInDays"] == 731
    assert [s.inputs["endpoint"] for s in by_type["aws:sns/topicSubscription:TopicSubscription"]] == \
        ["secops@example.com"]
    assert "aws:kms/key:Key" not in by_type
    assert all(f.inputs["metricTransformation"]["name"] != "OrganizationsChanges" for f in by_type[METRIC_FILTER])
