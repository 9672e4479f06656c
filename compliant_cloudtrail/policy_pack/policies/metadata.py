"""Who says so: the frameworks, controls and documentation each policy points at."""

from __future__ import annotations

from pulumi_policy import PolicyComplianceFramework

SECURITY_HUB = "AWS Security Hub"
SECURITY_HUB_VERSION = "Foundational Security Best Practices v1.0.0"
CIS = "CIS AWS Foundations Benchmark"
CIS_VERSION = "1.4.0"

_CLOUDTRAIL_CONTROLS = "https://docs.aws.amazon.com/securityhub/latest/userguide/cloudtrail-controls.html"
_CLOUDWATCH_CONTROLS = "https://docs.aws.amazon.com/securityhub/latest/userguide/cloudwatch-controls.html"


def security_hub(control: str, specification: str) -> PolicyComplianceFramework:
    return PolicyComplianceFramework(
        name=SECURITY_HUB, version=SECURITY_HUB_VERSION, reference=control, specification=specification
    )


def cis(item: str, specification: str) -> PolicyComplianceFramework:
    return PolicyComplianceFramework(name=CIS, version=CIS_VERSION, reference=item, specification=specification)


def control_url(control: str) -> str:
    """The Security Hub documentation anchor of a control such as ``CloudTrail.5``."""
    service, _, number = control.partition(".")
    page = _CLOUDTRAIL_CONTROLS if service == "CloudTrail" else _CLOUDWATCH_CONTROLS
    return f"{page}#{service.lower()}-{number}"


COMPONENT_HINT = (
    "Build the trail with compliant_cloudtrail.CompliantTrail, which wires the log group, the delivery role and "
    "the CIS alarms"
)


def trail_label(name: str) -> str:
    """How every violation message names a trail, so messages read alike across policies."""
    return f'CloudTrail trail "{name}"'


def problem_list(problems: list[str]) -> str:
    """The problems of one trail, one indented bullet per line, as every multi-problem message shows them."""
    return "\n".join(f"  - {problem}" for problem in problems)
