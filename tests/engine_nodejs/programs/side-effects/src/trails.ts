import { Trail } from "@pulumi/aws/cloudtrail";
import { LogGroup } from "@pulumi/aws/cloudwatch";
import { Role } from "@pulumi/aws/iam";
import { Bucket, BucketObject } from "@pulumi/aws/s3";
import { asset, interpolate } from "@pulumi/pulumi";
import { auditName, describe } from "./naming";

const created: Trail[] = [];
export function trailCount(): number {
    return created.length;
}

const bucket = new Bucket("logs");
// Assets are sent to the engine as references; an offline run must not fetch them.
new BucketObject("readme", { bucket: bucket.id, source: new asset.RemoteAsset("https://example.invalid/readme.txt") });
new BucketObject("bundle", { bucket: bucket.id, source: new asset.FileArchive("./does-not-exist") });
const group = new LogGroup("events", { retentionInDays: 365 });
const role = new Role("to-logs", {
    assumeRolePolicy: JSON.stringify({
        Version: "2012-10-17",
        Statement: [{ Effect: "Allow", Principal: { Service: "cloudtrail.amazonaws.com" }, Action: "sts:AssumeRole" }],
    }),
});
created.push(new Trail(auditName, {
    s3BucketName: bucket.id,
    cloudWatchLogsGroupArn: interpolate`${group.arn}:*`,
    cloudWatchLogsRoleArn: role.arn,
}));
created.push(new Trail("data-events", { s3BucketName: bucket.id }));
export const summary = describe();
