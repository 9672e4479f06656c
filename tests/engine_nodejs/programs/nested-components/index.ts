import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";

class Delivery extends pulumi.ComponentResource {
    readonly groupArn: pulumi.Output<string>;
    readonly roleArn: pulumi.Output<string>;

    constructor(name: string, opts: pulumi.ComponentResourceOptions) {
        super("acme:audit:Delivery", name, {}, opts);
        const group = new aws.cloudwatch.LogGroup(`${name}-events`, { retentionInDays: 400 }, { parent: this });
        const role = new aws.iam.Role(`${name}-role`, {
            assumeRolePolicy: aws.iam.assumeRolePolicyForPrincipal({ Service: "cloudtrail.amazonaws.com" }),
        }, { parent: this });
        this.groupArn = pulumi.interpolate`${group.arn}:*`;
        this.roleArn = role.arn;
        this.registerOutputs({});
    }
}

class AuditTrail extends pulumi.ComponentResource {
    constructor(name: string, opts: pulumi.ComponentResourceOptions) {
        super("acme:audit:AuditTrail", name, {}, opts);
        const bucket = new aws.s3.Bucket(`${name}-logs`, {}, { parent: this });
        const delivery = new Delivery(`${name}-delivery`, { parent: this });
        new aws.cloudtrail.Trail(name, {
            s3BucketName: bucket.id,
            cloudWatchLogsGroupArn: delivery.groupArn,
            cloudWatchLogsRoleArn: delivery.roleArn,
            isMultiRegionTrail: true,
            includeGlobalServiceEvents: true,
            enableLogFileValidation: true,
        }, { parent: this });
        this.registerOutputs({});
    }
}

const euWest = new aws.Provider("eu-west", { region: "eu-west-1" });
const usEast = new aws.Provider("us-east", { region: "us-east-1" });
new AuditTrail("security", { providers: { aws: euWest } });
new AuditTrail("platform", { provider: usEast });
