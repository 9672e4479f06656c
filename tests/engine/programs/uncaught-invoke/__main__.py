import pulumi
import pulumi_aws as aws

vpc = aws.ec2.get_vpc(default=True)  # answered offline
thing = pulumi.runtime.invoke("acme:index/getThing:getThing", {"vpc": vpc.id})  # cannot be
