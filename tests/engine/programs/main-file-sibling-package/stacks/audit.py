import pulumi_aws as aws


def audit_trail(name: str) -> aws.cloudtrail.Trail:
    # S3 only: no CloudWatch Logs delivery, so a verdict on this program is a violation
    return aws.cloudtrail.Trail(name, s3_bucket_name="audit-logs")
