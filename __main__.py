"""The example stack: one CompliantTrail, configured from this stack's config (see Pulumi.yaml)."""

import pulumi

from compliant_cloudtrail import CompliantTrail, CompliantTrailArgs

config = pulumi.Config()

args: CompliantTrailArgs = {
    "trail_name": config.get("trailName") or f"cloudtrail-{pulumi.get_stack()}",
    "retention_in_days": config.get_int("retentionInDays", 365),
    "alarm_emails": config.get_object("alarmEmails", []),
    "is_organization_trail": config.get_bool("organizationTrail", False),
    "enable_kms": config.get_bool("enableKms", True),
    "allow_log_data_deletion": config.get_bool("allowLogDataDeletion", False),
    "tags": {"managed-by": "pulumi", "stack": pulumi.get_stack()},
}
# Unset keys stay out of args so the component's own defaults apply.
for key, arg in (("cisProfiles", "cis_profiles"), ("disabledCisItems", "disabled_cis_items")):
    value = config.get_object(key)
    if value is not None:
        args[arg] = value  # type: ignore[literal-required]
if config.get("s3KeyPrefix"):
    args["s3_key_prefix"] = config.require("s3KeyPrefix")

trail = CompliantTrail("compliant-cloudtrail", args)

pulumi.export("trailArn", trail.trail_arn)
pulumi.export("trailName", trail.trail_name)
pulumi.export("bucketName", trail.bucket_name)
pulumi.export("bucketArn", trail.bucket_arn)
pulumi.export("logGroupName", trail.log_group_name)
pulumi.export("logGroupArn", trail.log_group_arn)
pulumi.export("roleArn", trail.role_arn)
pulumi.export("kmsKeyArn", trail.kms_key_arn)
pulumi.export("topicArn", trail.topic_arn)
pulumi.export("alarmArns", trail.alarm_arns)
