"use strict";
const aws = require("@pulumi/aws");

new aws.cloudwatch.LogGroup("trail-logs", { retentionInDays: 365 });
throw new Error("the audit bucket name is not configured");
