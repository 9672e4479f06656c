import pulumi_aws as aws
from lib.naming import trail_name

aws.cloudtrail.Trail("audit", name=trail_name(""), s3_bucket_name="b")
