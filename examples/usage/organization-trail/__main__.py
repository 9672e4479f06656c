"""An organization trail: one trail, in the management account, logging every member account.

CloudTrail writes the member accounts' log files under AWSLogs/<organization id>/ and their events to log
streams named <organization id>_*; the component grants both ("Creating a trail for an organization" in the
CloudTrail User Guide). Deploy it from the management account or a CloudTrail delegated administrator.
"""

import pulumi

from compliant_cloudtrail import CompliantTrail

trail = CompliantTrail("organization", {
    "trail_name": "organization-trail",
    "is_organization_trail": True,
    # Left out, the id is looked up with organizations:DescribeOrganization.
    "organization_id": "o-a1b2c3d4e5",
    "retention_in_days": 731,
    "alarm_emails": ["secops@example.com"],
    "tags": {"owner": "security"},
})

pulumi.export("trailArn", trail.trail_arn)
pulumi.export("bucketName", trail.bucket_name)
