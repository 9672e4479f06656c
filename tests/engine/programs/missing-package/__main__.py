import pulumi_aws as aws
import pulumi_awsx as awsx

aws.cloudtrail.Trail("audit", s3_bucket_name="audit-logs")
awsx.cloudtrail.Trail("org", enable_logging=True)
