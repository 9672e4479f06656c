import pulumi_aws as aws

aws.cloudwatch.LogGroup("audit", retention_in_days=365)
aws.cloudwatch.LogGroup("audit", retention_in_days=365)
