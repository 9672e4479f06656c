"""What the pack serves: every policy carries the metadata the CLI and Pulumi Cloud show, and starting
the pack imports no pulumi-aws (the pack reads plain property bags and must start fast)."""

from __future__ import annotations

import re
import subprocess
import sys
from pathlib import Path

import pytest
from pulumi_policy import EnforcementLevel, StackValidationPolicy

from compliant_cloudtrail.policy_pack.policies.pack import PACK_NAME, policies

PACK_DIR = Path(__file__).resolve().parents[2] / "compliant_cloudtrail" / "policy_pack"

EXPECTED = {
    # name: (enforcement level, framework reference) as the issue assigns them.
    "cloudtrail-trail-deliver-to-cloudwatch-logs": (EnforcementLevel.MANDATORY, "CloudTrail.5"),
    "cloudtrail-trail-enable-multi-region": (EnforcementLevel.ADVISORY, "CloudTrail.1"),
    "cloudtrail-trail-enable-log-file-validation": (EnforcementLevel.ADVISORY, "CloudTrail.4"),
    "cloudtrail-trail-enable-kms-encryption": (EnforcementLevel.ADVISORY, "CloudTrail.2"),
    # A note, not a rule: organization trails seen from a member account (issue 13).
    "cloudtrail-trail-note-organization-member-view": (EnforcementLevel.ADVISORY, "CloudTrail.5"),
    # A note, not a rule: dynamic-provider resources that look like trails, which no policy can judge (issue 16).
    "cloudtrail-trail-note-dynamic-provider-lookalike": (EnforcementLevel.ADVISORY, "CloudTrail.5"),
    "cloudwatch-log-group-retain-cloudtrail-logs": (EnforcementLevel.ADVISORY, "CloudWatch.16"),
    "cloudtrail-trail-alarm-on-cis-events": (EnforcementLevel.ADVISORY, "4.1-4.15"),
}
#: report what the others exempted (issue 19); they judge nothing, so no framework or control
NOTICES = {"cloudtrail-pack-report-exemptions", "cloudtrail-pack-report-stack-exemptions"}


def test_pack_serves_exactly_the_expected_policies() -> None:
    assert sorted(p.name for p in policies()) == sorted([*EXPECTED, *NOTICES])
    # the notices report what the other policies exempted earlier in the same call, so they come last
    assert [p.name for p in policies()][-2:] == sorted(NOTICES)
    assert re.fullmatch(r"[a-z0-9-]+", PACK_NAME)


@pytest.mark.parametrize("policy", [p for p in policies() if p.name not in NOTICES], ids=lambda p: p.name)
def test_every_policy_has_complete_metadata(policy: object) -> None:
    from pulumi_policy import Policy

    assert isinstance(policy, Policy)
    level, reference = EXPECTED[policy.name]
    assert re.fullmatch(r"[a-z0-9]+(-[a-z0-9]+)+", policy.name), policy.name
    assert policy.description.endswith(".") and policy.description[0].isupper(), policy.name
    assert policy.enforcement_level == level, policy.name
    assert policy.severity is not None, policy.name
    assert policy.framework is not None and policy.framework.reference == reference, policy.name
    assert policy.framework.name in ("AWS Security Hub", "CIS AWS Foundations Benchmark"), policy.name
    assert policy.remediation_steps, policy.name
    assert policy.url and policy.url.startswith("https://docs.aws.amazon.com/securityhub/"), policy.name
    notes = ("cloudtrail-trail-note-organization-member-view", "cloudtrail-trail-note-dynamic-provider-lookalike")
    if policy.name not in notes:  # the notes have nothing to configure
        assert policy.config_schema is not None and policy.config_schema.properties, policy.name
    # every policy that judges can be told to exempt a resource (issue 19)
    assert policy.config_schema is not None and "exemptions" in policy.config_schema.properties, policy.name


@pytest.mark.parametrize("policy", [p for p in policies() if p.name in NOTICES], ids=lambda p: p.name)
def test_notice_policies_are_advisory_and_say_what_they_report(policy: object) -> None:
    from pulumi_policy import Policy

    assert isinstance(policy, Policy)
    assert policy.enforcement_level == EnforcementLevel.ADVISORY, policy.name
    assert policy.description.endswith(".") and "exempt" in policy.description, policy.name


def test_stack_policies_are_stack_policies() -> None:
    stack = {p.name for p in policies() if isinstance(p, StackValidationPolicy)}
    assert stack == {
        "cloudwatch-log-group-retain-cloudtrail-logs",
        "cloudtrail-trail-alarm-on-cis-events",
        "cloudtrail-pack-report-stack-exemptions",
    }


def test_importing_the_pack_and_judging_a_pattern_does_not_import_pulumi_aws() -> None:
    script = (
        # Loaded as the pack's __main__.py loads it when the CLI runs the pack, with no library installed.
        "import importlib, importlib.util, sys\n"
        "spec = importlib.util.spec_from_file_location('p', '__init__.py', submodule_search_locations=['.'])\n"
        "sys.modules['p'] = importlib.util.module_from_spec(spec); spec.loader.exec_module(sys.modules['p'])\n"
        "policies = importlib.import_module('p.policies.pack').policies\n"
        "judge_pattern = importlib.import_module('p.policies.probes').judge_pattern\n"
        "policies(); judge_pattern('{ $.eventName = CreateTrail }')\n"
        "heavy = ('pulumi_aws', 'pulumi_aws_native', 'compliant_cloudtrail')\n"
        "print(sorted(m for m in sys.modules if m.split('.')[0] in heavy))\n"
    )
    result = subprocess.run(
        [sys.executable, "-c", script], cwd=PACK_DIR, capture_output=True, text=True, check=True, timeout=60
    )
    assert result.stdout.strip() == "[]", result.stdout + result.stderr


def test_pack_directory_declares_a_python_runtime_and_no_pulumi_aws_requirement() -> None:
    yaml_text = (PACK_DIR / "PulumiPolicy.yaml").read_text()
    assert re.search(r"^runtime:\s*$\n\s+name: python", yaml_text, re.MULTILINE), yaml_text
    lines = (PACK_DIR / "requirements.txt").read_text().splitlines()
    packages = [line.split("#")[0].strip() for line in lines if line.split("#")[0].strip()]
    assert any(p.startswith("pulumi-policy") for p in packages), packages
    assert not any(p.startswith("pulumi-aws") for p in packages), packages
