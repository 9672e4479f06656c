import * as pulumi from "@pulumi/pulumi";
import * as aws from "@pulumi/aws";

const region = aws.config.region!;
const groupName = "org-trail-events";
const roleName = "org-trail-to-logs";

// Promise form: the account id before any resource exists.
const fromPromise = aws.getCallerIdentity().then(id => id.accountId);
// Output form.
const fromOutput = aws.getCallerIdentityOutput().accountId;

const bucket = new aws.s3.Bucket("logs");
new aws.cloudwatch.LogGroup("events", { name: groupName, retentionInDays: 365 });
new aws.iam.Role("to-logs", {
    name: roleName,
    assumeRolePolicy: aws.iam.assumeRolePolicyForPrincipal({ Service: "cloudtrail.amazonaws.com" }),
});

new aws.cloudtrail.Trail("from-promise", {
    s3BucketName: bucket.id,
    cloudWatchLogsGroupArn: fromPromise.then(a => `arn:aws:logs:${region}:${a}:log-group:${groupName}:*`),
    cloudWatchLogsRoleArn: fromPromise.then(a => `arn:aws:iam::${a}:role/${roleName}`),
});
new aws.cloudtrail.Trail("from-output", {
    s3BucketName: bucket.id,
    cloudWatchLogsGroupArn: pulumi.interpolate`arn:aws:logs:${region}:${fromOutput}:log-group:${groupName}:*`,
    cloudWatchLogsRoleArn: pulumi.interpolate`arn:aws:iam::${fromOutput}:role/${roleName}`,
});
export const accountFromPromise = fromPromise;
export const accountFromOutput = fromOutput;
