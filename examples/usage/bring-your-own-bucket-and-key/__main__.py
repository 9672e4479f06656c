"""Deliver to a log bucket and encrypt with a KMS key that already exist (a central log archive, say).

The component never changes a bucket or key it did not create: their policies must already carry the grants
it would have written (see the README, "Bringing your own parts"). It still creates the log group, the
delivery role, the trail, and the alarms with their topic, encrypted with your key.
"""

import pulumi

from compliant_cloudtrail import CompliantTrail

config = pulumi.Config()

trail = CompliantTrail("audit", {
    "existing_bucket_name": config.require("logBucket"),
    # A key ARN in the trail's region, not an alias.
    "kms_key_arn": config.require("kmsKeyArn"),
    "s3_key_prefix": "audit",
    "alarm_emails": ["secops@example.com"],
})

pulumi.export("trailArn", trail.trail_arn)
pulumi.export("logGroupName", trail.log_group_name)
