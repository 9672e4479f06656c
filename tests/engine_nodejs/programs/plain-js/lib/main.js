"use strict";
const aws = require("@pulumi/aws");

if (process.execArgv.join(" ") !== "--max-old-space-size=512 --stack-trace-limit=50") {
    throw new Error(`nodeargs not honoured: ${JSON.stringify(process.execArgv)}`);
}
const bucket = new aws.s3.Bucket("logs");
new aws.cloudtrail.Trail("js-bare", { s3BucketName: bucket.id });
