import pulumi
import pulumi_aws as aws

aws.s3.Bucket("audit-logs")
pulumi.log.warn("CloudTrail is disabled for this stack: set enableTrail to create it")
