"""awsx.ec2.Vpc is built by the awsx provider's Construct, which needs its plugin: offline it is not expanded,
and the rest of the program must still run."""

import pulumi
import pulumi_aws as aws
import pulumi_awsx as awsx

vpc = awsx.ec2.Vpc(
    "vpc",
    cidr_block="10.0.0.0/16",
    nat_gateways=awsx.ec2.NatGatewayConfigurationArgs(strategy=awsx.ec2.NatGatewayStrategy.SINGLE),
)
aws.cloudtrail.Trail("bare", s3_bucket_name="audit-logs")
pulumi.export("natGateways", vpc.nat_gateways)
