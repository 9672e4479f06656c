"""The requests AWS services make for a CompliantTrail stack, each from the AWS page that documents it.

Each request names the policy AWS judges it by: a resource policy (``bucket``, ``key``, ``topic``, ``trust``)
and/or identity policies (the delivery role's ``role-policy``; ``account-admin`` is an administrator of the
account with ``*`` on ``*``, not something the component declares, used to show what the account keeps).
"""

from __future__ import annotations

from dataclasses import dataclass

from .declared import ACCOUNT, DNS_SUFFIX, OTHER_ACCOUNT, Declared
from .evaluator import Call, ContextValue, Decision, Policy, Principal, evaluate

S3_POLICY = "Amazon S3 bucket policy for CloudTrail"
S3_ORG = "Amazon S3 bucket policy for CloudTrail (organization trail)"
S3_TLS = "Amazon S3 user guide: Bucket policy examples, managing access based on HTTP or HTTPS requests"
KMS_TRAIL = "Configure AWS KMS key policies for CloudTrail"
KMS_ROOT = "AWS KMS developer guide: Default key policy, allows access to the AWS account and enables IAM policies"
LOGS_TO_CWL = "Sending events to CloudWatch Logs"
ROLE_POLICY = "Role policy document for CloudTrail to use CloudWatch Logs for monitoring"
STREAM_NAMES = "CloudWatch log group and log stream naming for CloudTrail"
LOGS_KMS = "Encrypt log data in CloudWatch Logs using AWS KMS"
LOGS_PRINCIPAL = "terraform-provider-aws names/names.go ServicePrincipalNameForPartition (logs in aws-cn)"
SNS_ALARMS = "Amazon SNS developer guide: Encrypting SNS topics for event sources from AWS services (CloudWatch)"
SNS_CONFUSED = "Amazon SNS developer guide: Cross-service confused deputy prevention"

ADMIN = Policy("account-admin", {"Version": "2012-10-17",
                                 "Statement": [{"Sid": "Admin", "Effect": "Allow", "Action": "*", "Resource": "*"}]})


@dataclass(frozen=True)
class Request:
    name: str
    call: Call
    resource_policy: str | None
    """Name of the resource policy AWS judges this by (None: identity policies only)."""
    identity: tuple[str, ...]
    expect_allowed: bool
    source: str


def judge(request: Request, policies: dict[str, Policy]) -> Decision:
    everything = {**policies, ADMIN.name: ADMIN}
    resource = everything.get(request.resource_policy) if request.resource_policy else None
    return evaluate(
        request.call,
        resource,
        [everything[name] for name in request.identity if name in everything],
        kms_key=request.resource_policy == "key",
    )


def build_requests(d: Declared) -> list[Request]:
    v = d.variant
    p, region, owner = v.partition, v.region, v.trail_owner
    trail = f"arn:{p}:cloudtrail:{region}:{owner}:trail/{d.trail_name}"
    other_trail = f"arn:{p}:cloudtrail:{region}:{owner}:trail/not-{d.trail_name}"
    foreign_trail = f"arn:{p}:cloudtrail:{region}:{OTHER_ACCOUNT}:trail/{d.trail_name}"
    bucket = f"arn:{p}:s3:::{d.bucket_name}"
    prefix = f"{v.args['s3_key_prefix']}/" if v.args.get("s3_key_prefix") else ""
    key = f"arn:{p}:kms:{region}:{ACCOUNT}:key/00000000-0000-0000-0000-000000000000"
    group = f"arn:{p}:logs:{region}:{ACCOUNT}:log-group:{d.log_group_name}"
    alarm = f"arn:{p}:cloudwatch:{region}:{ACCOUNT}:alarm:{d.alarm_names[0]}"
    foreign_alarm = f"arn:{p}:cloudwatch:{region}:{OTHER_ACCOUNT}:alarm:{d.alarm_names[0]}"
    cloudtrail = Principal(service="cloudtrail.amazonaws.com")
    cloudwatch = Principal(service="cloudwatch.amazonaws.com")
    suffix = DNS_SUFFIX[p] if p == "aws-cn" else "amazonaws.com"
    logs = Principal(service=f"logs.{region}.{suffix}")
    role = Principal(arn=d.role_arn, account=ACCOUNT)
    admin = Principal(arn=f"arn:{p}:iam::{ACCOUNT}:role/Administrator", account=ACCOUNT)
    found: list[Request] = []

    def add(name: str, who: Principal, action: str, resource: str, context: dict[str, ContextValue],
            policy: str | None, expect: bool, source: str, identity: tuple[str, ...] = ()) -> None:
        call = Call(who, action, resource, context, resource_account=ACCOUNT)
        found.append(Request(name, call, policy, identity, expect, source))

    def by_trail(source_arn: str, account: str, **more: ContextValue) -> dict[str, ContextValue]:
        return {"aws:SourceArn": source_arn, "aws:SourceAccount": account, "aws:SecureTransport": "true", **more}

    log_file = f"CloudTrail/{region}/2026/12/02/{owner}_CloudTrail_{region}_20261202T0000Z_a1b2.json.gz"
    acl = {"s3:x-amz-acl": "bucket-owner-full-control"}
    if d.bucket is not None:
        def put(name: str, path: str, ctx: dict[str, ContextValue], expect: bool, source: str = S3_POLICY) -> None:
            add(name, cloudtrail, "s3:PutObject", f"{bucket}/{prefix}AWSLogs/{path}", ctx, "bucket", expect, source)

        add("cloudtrail GetBucketAcl", cloudtrail, "s3:GetBucketAcl", bucket, by_trail(trail, owner),
            "bucket", True, S3_POLICY)
        put("cloudtrail PutObject log file", f"{owner}/{log_file}", by_trail(trail, owner, **acl), True)
        put("cloudtrail PutObject digest file",
            f"{owner}/CloudTrail-Digest/{region}/2026/12/02/{owner}_CloudTrail-Digest_{region}_x.json.gz",
            by_trail(trail, owner, **acl), True)
        if v.organization_trail:
            put("cloudtrail PutObject member account's log file", f"{v.args['organization_id']}/{OTHER_ACCOUNT}/"
                f"{log_file}", by_trail(trail, owner, **acl), True, S3_ORG)
            member = f"{v.args['organization_id']}/{OTHER_ACCOUNT}/{log_file}"
            put("DENY PutObject under another organization's prefix", f"o-zzzzzzzzzz/{OTHER_ACCOUNT}/{log_file}",
                by_trail(trail, owner, **acl), False, S3_ORG)
            put("DENY PutObject member account's log file for another trail", member,
                by_trail(other_trail, owner, **acl), False, S3_ORG)
            put("DENY PutObject member account's log file without the ACL", member, by_trail(trail, owner), False,
                S3_ORG)
        add("DENY GetBucketAcl for another trail", cloudtrail, "s3:GetBucketAcl", bucket,
            by_trail(other_trail, owner), "bucket", False, S3_POLICY)
        put("DENY PutObject for another trail", f"{owner}/{log_file}", by_trail(other_trail, owner, **acl), False)
        put("DENY PutObject for another account's trail", f"{owner}/{log_file}",
            by_trail(foreign_trail, OTHER_ACCOUNT, **acl), False)
        put("DENY PutObject without the bucket-owner-full-control ACL", f"{owner}/{log_file}",
            by_trail(trail, owner), False)
        put("DENY PutObject under another account's prefix", f"{OTHER_ACCOUNT}/{log_file}",
            by_trail(trail, owner, **acl), False)
        put("DENY PutObject over plain HTTP", f"{owner}/{log_file}",
            {**by_trail(trail, owner, **acl), "aws:SecureTransport": "false"}, False, S3_TLS)
        add("account admin GetObject over TLS", admin, "s3:GetObject", f"{bucket}/{prefix}AWSLogs/{owner}/{log_file}",
            {"aws:SecureTransport": "true"}, "bucket", True, S3_TLS, ("account-admin",))
        add("DENY account admin GetObject over plain HTTP", admin, "s3:GetObject",
            f"{bucket}/{prefix}AWSLogs/{owner}/{log_file}", {"aws:SecureTransport": "false"}, "bucket", False,
            S3_TLS, ("account-admin",))

    if d.key is not None:
        def trail_key(name: str, action: str, source_arn: str, account: str, expect: bool) -> None:
            ctx = by_trail(source_arn, account)
            if action == "kms:GenerateDataKey":
                ctx["kms:EncryptionContext:aws:cloudtrail:arn"] = source_arn
            add(name, cloudtrail, action, key, ctx, "key", expect, KMS_TRAIL)

        trail_key("cloudtrail GenerateDataKey", "kms:GenerateDataKey", trail, owner, True)
        trail_key("cloudtrail DescribeKey", "kms:DescribeKey", trail, owner, True)
        trail_key("cloudtrail Decrypt (S3 Bucket Key)", "kms:Decrypt", trail, owner, True)
        trail_key("DENY GenerateDataKey for another trail", "kms:GenerateDataKey", other_trail, owner, False)
        trail_key("DENY GenerateDataKey for another account's trail", "kms:GenerateDataKey", foreign_trail,
                  OTHER_ACCOUNT, False)
        trail_key("DENY Decrypt for another trail", "kms:Decrypt", other_trail, owner, False)
        trail_key("DENY DescribeKey for another trail", "kms:DescribeKey", other_trail, owner, False)
        add("account admin PutKeyPolicy (IAM enabled)", admin, "kms:PutKeyPolicy", key, {}, "key", True,
            KMS_ROOT, ("account-admin",))
        if d.key_encrypts_log_group:
            for action in ("kms:GenerateDataKey", "kms:Decrypt"):
                add(f"CloudWatch Logs {action.split(':')[1]}", logs, action, key,
                    {"kms:EncryptionContext:aws:logs:arn": group}, "key", True, f"{LOGS_KMS}; {LOGS_PRINCIPAL}")
            add("DENY CloudWatch Logs for another log group", logs, "kms:GenerateDataKey", key,
                {"kms:EncryptionContext:aws:logs:arn": f"{group}-other"}, "key", False, LOGS_KMS)
            add("DENY CloudWatch Logs of another region", Principal(service=f"logs.us-east-2.{suffix}"),
                "kms:GenerateDataKey", key, {"kms:EncryptionContext:aws:logs:arn": group}, "key", False, LOGS_KMS)
        if d.topic_uses_key:
            for action in ("kms:GenerateDataKey", "kms:Decrypt"):
                add(f"CloudWatch alarm {action.split(':')[1]}", cloudwatch, action, key,
                    {"aws:SourceArn": alarm, "aws:SourceAccount": ACCOUNT}, "key", True, SNS_ALARMS)
            add("DENY another account's alarm GenerateDataKey", cloudwatch, "kms:GenerateDataKey", key,
                {"aws:SourceArn": foreign_alarm, "aws:SourceAccount": OTHER_ACCOUNT}, "key", False, SNS_CONFUSED)

    if d.topic is not None:
        add("CloudWatch alarm Publish", cloudwatch, "sns:Publish", d.topic_arn,
            {"aws:SourceArn": alarm, "aws:SourceAccount": ACCOUNT}, "topic", True, SNS_ALARMS)
        add("DENY another account's alarm Publish", cloudwatch, "sns:Publish", d.topic_arn,
            {"aws:SourceArn": foreign_alarm, "aws:SourceAccount": OTHER_ACCOUNT}, "topic", False, SNS_CONFUSED)

    add("cloudtrail AssumeRole", cloudtrail, "sts:AssumeRole", d.role_arn, {}, "trust", True, LOGS_TO_CWL)
    add("DENY another service AssumeRole", Principal(service="ec2.amazonaws.com"), "sts:AssumeRole",
        d.role_arn, {}, "trust", False, LOGS_TO_CWL)
    streams = [(f"{owner}_CloudTrail_{region}", True), (f"{owner}_CloudTrail_{region}_2", True),
               (f"{OTHER_ACCOUNT}_CloudTrail_{region}", False)]
    if v.organization_trail:
        org = v.args["organization_id"]
        streams += [(f"{org}_{OTHER_ACCOUNT}_CloudTrail_{region}", True),
                    (f"o-zzzzzzzzzz_{OTHER_ACCOUNT}_CloudTrail_{region}", False)]
    for stream, expect in streams:
        for action in ("logs:CreateLogStream", "logs:PutLogEvents"):
            add(f"{'' if expect else 'DENY '}role {action.split(':')[1]} {stream}", role, action,
                f"{group}:log-stream:{stream}", {}, None, expect, f"{ROLE_POLICY}; {STREAM_NAMES}",
                ("role-policy",))
    add("DENY role PutLogEvents in another log group", role, "logs:PutLogEvents",
        f"{group}-other:log-stream:{owner}_CloudTrail_{region}", {}, None, False, ROLE_POLICY, ("role-policy",))
    return found
