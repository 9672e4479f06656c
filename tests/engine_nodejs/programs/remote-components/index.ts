import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

// Stands for a multi-language component such as awsx.ec2.Vpc or awsx.cloudtrail.Trail: its SDK class registers
// it with remote=true, and its outputs come from the provider's Construct, which the offline engine cannot run.
class Remote extends pulumi.ComponentResource {
    public readonly logGroupArn!: pulumi.Output<string>;
    public readonly roleArn!: pulumi.Output<string>;
    constructor(type: string, name: string) {
        super(type, name, { logGroupArn: undefined, roleArn: undefined }, {}, true);
    }
}

new Remote("awsx:ec2:Vpc", "network");
const config = new pulumi.Config();

if (config.getBoolean("fedTrail")) {
    // A trail whose delivery comes from a remote component's outputs: unknown offline.
    const logs = new Remote("acme:logging:Delivery", "delivery");
    new aws.cloudtrail.Trail("fed", {
        s3BucketName: "audit-logs",
        cloudWatchLogsGroupArn: logs.logGroupArn,
        cloudWatchLogsRoleArn: logs.roleArn,
    });
}
if (config.getBoolean("bareTrail")) {
    new aws.cloudtrail.Trail("bare", { s3BucketName: "audit-logs" });
}
