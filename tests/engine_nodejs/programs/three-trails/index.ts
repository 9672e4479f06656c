import * as aws from "@pulumi/aws";

interface Retention {
    days: number;
}
const retention: Retention = { days: 365 };

const bucket = new aws.s3.Bucket("trail-logs");
const group = new aws.cloudwatch.LogGroup("trail-events", { retentionInDays: retention.days });
const role = new aws.iam.Role("trail-to-logs", {
    assumeRolePolicy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { Service: "cloudtrail.amazonaws.com" }, Action: "sts:AssumeRole" }],
    }),
});

export const compliantArn = new aws.cloudtrail.Trail("compliant", {
    s3BucketName: bucket.id,
    cloudWatchLogsGroupArn: group.arn.apply(arn => `${arn}:*`),
    cloudWatchLogsRoleArn: role.arn,
    isMultiRegionTrail: true,
    includeGlobalServiceEvents: true,
    enableLogFileValidation: true,
}).arn;

new aws.cloudtrail.Trail("bare", { s3BucketName: bucket.id });

// Without ':*' CloudTrail refuses the ARN (CloudTrail User Guide, "Sending events to CloudWatch Logs").
new aws.cloudtrail.Trail("no-wildcard", {
    s3BucketName: bucket.id,
    cloudWatchLogsGroupArn: group.arn,
    cloudWatchLogsRoleArn: role.arn,
});
