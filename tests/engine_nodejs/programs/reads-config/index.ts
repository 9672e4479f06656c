import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";

const config = new pulumi.Config();
const deliver = config.requireBoolean("deliverToLogs");
const retention = config.requireNumber("retentionDays");
const name = config.require("trailName");

const bucket = new aws.s3.Bucket("logs");
const group = new aws.cloudwatch.LogGroup("events", { retentionInDays: retention });
const role = new aws.iam.Role("to-logs", {
    assumeRolePolicy: aws.iam.assumeRolePolicyForPrincipal({ Service: "cloudtrail.amazonaws.com" }),
});
new aws.cloudtrail.Trail(name, {
    s3BucketName: bucket.id,
    isMultiRegionTrail: true,
    enableLogFileValidation: true,
    ...(deliver ? { cloudWatchLogsGroupArn: pulumi.interpolate`${group.arn}:*`, cloudWatchLogsRoleArn: role.arn } : {}),
});
export const retentionDays = group.retentionInDays;
