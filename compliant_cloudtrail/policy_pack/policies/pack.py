"""The policy pack's contents, kept importable so tests see exactly what ``__main__`` serves."""

from __future__ import annotations

from pathlib import Path

from pulumi_policy import Policy

from .dynamic_note import DYNAMIC_PROVIDER_LOOKALIKE
from .exemptions import REPORT_EXEMPTIONS, REPORT_STACK_EXEMPTIONS, with_exemptions
from .member_view_note import ORGANIZATION_MEMBER_VIEW
from .retention import RETAIN_CLOUDTRAIL_LOGS
from .stack_coverage import ALARM_ON_CIS_EVENTS
from .trail_policies import TRAIL_POLICIES

PACK_NAME = "compliant-cloudtrail"
PACK_DESCRIPTION = (
    "Every CloudTrail trail delivers to CloudWatch Logs, and its security events raise alarms "
    "(AWS Security Hub CloudTrail.1, .2, .4, .5, CloudWatch.1-.14, .16; CIS AWS Foundations v1.4.0 3.4, 4.1-4.15)."
)

PACK_DISPLAY_NAME = "Compliant CloudTrail: CloudWatch Logs delivery and CIS alarms"
# pulumi-policy documents ``provider`` as the cloud the pack is about ("e.g. AWS, Azure"); the pack judges
# pulumi-aws and aws-native resources only.
PACK_PROVIDER = "aws"
PACK_TAGS = ["aws", "cloudtrail", "cloudwatch", "security-hub", "cis-aws-foundations", "compliance"]
# Where the pack's source is published; replace with the URL that hosts your fork.
PACK_REPOSITORY = "https://github.com/example-org/compliant-cloudtrail"
# The pack's README travels with the folder that ``pulumi policy publish`` uploads.
README_PATH = Path(__file__).resolve().parent.parent / "README.md"


def pack_readme() -> str:
    """The README shown for the pack, read from the pack's own folder (empty if it was not shipped)."""
    try:
        return README_PATH.read_text(encoding="utf-8")
    except OSError:
        return ""


def policies() -> list[Policy]:
    """Every policy, each taking ``exemptions`` in its config; the two notice policies last, since they report
    what the others exempted during the same call (see :mod:`.exemptions`)."""
    judged = [
        *TRAIL_POLICIES,
        ORGANIZATION_MEMBER_VIEW,
        DYNAMIC_PROVIDER_LOOKALIKE,
        RETAIN_CLOUDTRAIL_LOGS,
        ALARM_ON_CIS_EVENTS,
    ]
    return [*(with_exemptions(p) for p in judged), REPORT_EXEMPTIONS, REPORT_STACK_EXEMPTIONS]
