"""Advisory note for an organization trail seen from a member account.

``cloudtrail-trail-deliver-to-cloudwatch-logs`` does not judge such a trail (see ``member_account``); this
policy says so, so the skipped check stays visible instead of silently passing. It is advisory by default:
nothing a member account can do changes the trail.

Where the trail is judged: in the stack that creates it. That is the management account's, or a CloudTrail
delegated administrator's: "The management account remains the owner of any CloudTrail organization resources
the delegated administrator creates" (CloudTrail User Guide, "Organization delegated administrator"), so the
ARN names the management account even then, and the log group and role must be in the creating account
("Prepare for creating a trail for your organization").
"""

from __future__ import annotations

from pulumi_policy import (
    EnforcementLevel,
    ReportViolation,
    ResourceValidationArgs,
    ResourceValidationPolicy,
    Severity,
)

from . import metadata
from .member_account import member_view

NOTE_NAME = "cloudtrail-trail-note-organization-member-view"


def validate_member_view_note(args: ResourceValidationArgs, report_violation: ReportViolation) -> None:
    view = member_view(args)
    if view is None:
        return
    report_violation(
        f"{metadata.trail_label(args.name)} is an organization trail of account {view.trail_account}, which this "
        f"stack reads from another account ({view.evidence}). Member accounts can see an organization trail but "
        'not change it (CloudTrail User Guide, "Creating a trail for an organization"), so '
        "cloudtrail-trail-deliver-to-cloudwatch-logs does not judge it here.\n"
        "Judge it in the stack that creates it: in the management account, or in the account of the CloudTrail "
        f"delegated administrator that created it (the trail's ARN names account {view.trail_account} either way); "
        "its log group and delivery role are in that creating account.",
        None,
    )


ORGANIZATION_MEMBER_VIEW = ResourceValidationPolicy(
    name=NOTE_NAME,
    description="Organization trails seen from a member account are noted, and judged in their management account.",
    validate=validate_member_view_note,
    enforcement_level=EnforcementLevel.ADVISORY,
    severity=Severity.LOW,
    framework=metadata.security_hub(
        "CloudTrail.5", "CloudTrail trails should be integrated with Amazon CloudWatch Logs."
    ),
    tags=["cloudtrail", "CloudTrail.5", "organization"],
    remediation_steps="None in this account: change the trail in the organization's management account.",
    url=metadata.control_url("CloudTrail.5"),
)
