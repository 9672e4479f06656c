import * as aws from "@pulumi/aws";
import * as pulumi from "@pulumi/pulumi";

// A local component whose own inputs hold resource objects, nested in an array and a map.
class Delivery extends pulumi.ComponentResource {
    constructor(name: string, props: pulumi.Inputs, opts?: pulumi.ComponentResourceOptions) {
        super("acme:audit:Delivery", name, props, opts);
        this.registerOutputs({});
    }
}

const group = new aws.cloudwatch.LogGroup("trail-logs", { retentionInDays: 365 });
const role = new aws.iam.Role("trail-logs-role", {
    assumeRolePolicy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { Service: "cloudtrail.amazonaws.com" }, Action: "sts:AssumeRole" }],
    }),
});
const holder = new Delivery("holder", { roles: [role], settings: { group } });
const delivery = new Delivery("delivery", { parts: [holder, { group, role }], owner: holder });

// The role's ARN output: what CloudTrail needs.
new aws.cloudtrail.Trail("by-arn", {
    s3BucketName: "audit-logs",
    cloudWatchLogsGroupArn: group.arn.apply(arn => `${arn}:*`),
    cloudWatchLogsRoleArn: role.arn,
}, { dependsOn: [delivery] });

// The role object where a string was expected (a component passing its Role on): the engine turns it into the
// role's ID, its name, which is no ARN.
new aws.cloudtrail.Trail("by-object", {
    s3BucketName: "audit-logs",
    cloudWatchLogsGroupArn: group.arn.apply(arn => `${arn}:*`),
    cloudWatchLogsRoleArn: role as unknown as pulumi.Input<string>,
});
