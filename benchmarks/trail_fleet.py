"""One fleet of CloudTrail trails written twice: as a ``pulumi stack export`` and as Terraform.

Each trail comes with its own log group and delivery role; every tenth trail leaves CloudWatch Logs unset
(Security Hub CloudTrail.5 / Checkov CKV2_AWS_10 fail it), the others point at their log group (``:*``) and
role, as CloudTrail's CreateTrail takes them (CloudTrail API Reference: CloudWatchLogsLogGroupArn,
CloudWatchLogsRoleArn). Both files describe the same resources, so the two tools judge the same thing: the
expected verdict is one failing trail in ten on both sides.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

ACCOUNT, REGION = "123456789012", "eu-west-1"
STACK, PROJECT = "fleet", "audit"
TRAILS_PER_TF_FILE = 100
SIG_KEY = "4dabf18193072939515e22adb298388d"  # sdk/go/common/resource/sig/sig.go
ASSUME_ROLE = {
    "Version": "2012-10-17",
    "Statement": [
        {"Effect": "Allow", "Principal": {"Service": "cloudtrail.amazonaws.com"}, "Action": "sts:AssumeRole"}
    ],
}


def delivers(i: int) -> bool:
    return i % 10 != 9


def expected_failures(trails: int) -> int:
    return sum(1 for i in range(trails) if not delivers(i))


def _urn(type_token: str, name: str) -> str:
    return f"urn:pulumi:{STACK}::{PROJECT}::{type_token}::{name}"


def _custom(type_token: str, name: str, inputs: dict[str, Any], extra_outputs: dict[str, Any], prov: str) -> dict:
    return {
        "urn": _urn(type_token, name),
        "custom": True,
        "id": name,
        "type": type_token,
        "inputs": inputs,
        "outputs": {**inputs, **extra_outputs, "id": name},
        "parent": _urn("pulumi:pulumi:Stack", f"{PROJECT}-{STACK}"),
        "provider": prov,
    }


def export(trails: int) -> dict[str, Any]:
    """The stack as ``pulumi stack export`` (deployment version 3) would print it after ``pulumi up``."""
    provider_urn = _urn("pulumi:providers:aws", "default_7_51_1")
    prov = f"{provider_urn}::04f1c2a9-provider"
    resources: list[dict[str, Any]] = [
        {"urn": _urn("pulumi:pulumi:Stack", f"{PROJECT}-{STACK}"), "custom": False, "type": "pulumi:pulumi:Stack"},
        {
            "urn": provider_urn,
            "custom": True,
            "id": "04f1c2a9-provider",
            "type": "pulumi:providers:aws",
            "inputs": {"region": REGION, "version": "7.51.1"},
            "outputs": {"region": REGION, "version": "7.51.1"},
        },
    ]
    for i in range(trails):
        group_arn = f"arn:aws:logs:{REGION}:{ACCOUNT}:log-group:/aws/cloudtrail/trail-{i}"
        role_arn = f"arn:aws:iam::{ACCOUNT}:role/trail-{i}-to-logs"
        group = _custom(
            "aws:cloudwatch/logGroup:LogGroup",
            f"trail-{i}",
            {"name": f"/aws/cloudtrail/trail-{i}", "retentionInDays": 365},
            {"arn": group_arn},
            prov,
        )
        role = _custom(
            "aws:iam/role:Role",
            f"trail-{i}-to-logs",
            {"name": f"trail-{i}-to-logs", "assumeRolePolicy": json.dumps(ASSUME_ROLE)},
            {"arn": role_arn},
            prov,
        )
        inputs: dict[str, Any] = {
            "name": f"trail-{i}",
            "s3BucketName": "audit-logs",
            "isMultiRegionTrail": True,
            "includeGlobalServiceEvents": True,
            "enableLogFileValidation": True,
        }
        if delivers(i):
            inputs["cloudWatchLogsGroupArn"] = f"{group_arn}:*"
            inputs["cloudWatchLogsRoleArn"] = role_arn
        trail = _custom(
            "aws:cloudtrail/trail:Trail",
            f"trail-{i}",
            inputs,
            {"arn": f"arn:aws:cloudtrail:{REGION}:{ACCOUNT}:trail/trail-{i}"},
            prov,
        )
        if delivers(i):
            trail["dependencies"] = [group["urn"], role["urn"]]
            trail["propertyDependencies"] = {
                "cloudWatchLogsGroupArn": [group["urn"]],
                "cloudWatchLogsRoleArn": [role["urn"]],
            }
        resources += [group, role, trail]
    return {
        "version": 3,
        "deployment": {
            "manifest": {"time": "2026-01-05T10:00:00Z", "magic": "", "version": "v3.272.0"},
            "resources": resources,
        },
    }


def _terraform_trail(i: int) -> str:
    delivery = (
        f'  cloud_watch_logs_group_arn = "${{aws_cloudwatch_log_group.trail_{i}.arn}}:*"\n'
        f"  cloud_watch_logs_role_arn  = aws_iam_role.trail_{i}.arn\n"
        if delivers(i)
        else ""
    )
    return (
        f'resource "aws_cloudwatch_log_group" "trail_{i}" {{\n'
        f'  name              = "/aws/cloudtrail/trail-{i}"\n'
        "  retention_in_days = 365\n"
        "}\n\n"
        f'resource "aws_iam_role" "trail_{i}" {{\n'
        f'  name               = "trail-{i}-to-logs"\n'
        f"  assume_role_policy = jsonencode({json.dumps(ASSUME_ROLE)})\n"
        "}\n\n"
        f'resource "aws_cloudtrail" "trail_{i}" {{\n'
        f'  name                          = "trail-{i}"\n'
        '  s3_bucket_name                = "audit-logs"\n'
        "  is_multi_region_trail         = true\n"
        "  include_global_service_events = true\n"
        "  enable_log_file_validation    = true\n"
        f"{delivery}"
        "}\n\n"
    )


def write_terraform(trails: int, directory: Path) -> Path:
    """The same fleet as Terraform (one provider block, files of 100 trails), for Checkov."""
    directory.mkdir(parents=True, exist_ok=True)
    for old in directory.glob("*.tf"):
        old.unlink()
    (directory / "provider.tf").write_text(f'provider "aws" {{\n  region = "{REGION}"\n}}\n')
    for start in range(0, trails, TRAILS_PER_TF_FILE):
        body = "".join(_terraform_trail(i) for i in range(start, min(start + TRAILS_PER_TF_FILE, trails)))
        (directory / f"trails_{start:05d}.tf").write_text(body)
    return directory


def write_export(trails: int, path: Path) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(export(trails)))
    return path
