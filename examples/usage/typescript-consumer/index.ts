// CompliantTrail from TypeScript: the SDK is generated locally by `pulumi package add` (see Pulumi.yaml), and
// `pulumi up` starts the Python component provider to build the trail. Numbers are plain TypeScript numbers;
// the component accepts whole ones where it wants an integer.
import * as compliantCloudtrail from "@pulumi/compliant-cloudtrail";

const trail = new compliantCloudtrail.CompliantTrail("audit", {
    trailName: "audit-trail",
    retentionInDays: 731,
    alarmEmails: ["secops@example.com"],
    customFilters: [{ name: "AccessKeyCreated", pattern: '{ $.eventName = "CreateAccessKey" }' }],
    objectLock: { mode: "GOVERNANCE", days: 365 },
    tags: { owner: "security" },
});

export const trailArn = trail.trailArn;
export const logGroupArn = trail.logGroupArn;
export const alarmArns = trail.alarmArns;
