"""The usage examples under examples/usage/ run: the Python ones under the recording mocks, the YAML
consumer's resource block through Construct with the same property names, and the TypeScript consumer's
property names against the schema (it needs the SDK `pulumi package add` generates to run)."""

from __future__ import annotations

import json
import re
from typing import Any

import yaml

from compliant_cloudtrail.check.mock_runtime import RegisteredResource, run_program

from .fake_engine import FakeMonitor, monitor_serving
from .provider_process import REPO, TYPE_TOKEN, RunningProvider

USAGE = REPO / "examples" / "usage"
ACCOUNT = "111122223333"
ORG_ID = "o-a1b2c3d4e5"
TRAIL = "aws:cloudtrail/trail:Trail"


def _of_type(resources: list[RegisteredResource], type_token: str) -> list[RegisteredResource]:
    return [r for r in resources if r.type == type_token]


def _one(resources: list[RegisteredResource], type_token: str) -> RegisteredResource:
    found = _of_type(resources, type_token)
    assert len(found) == 1, f"expected one {type_token}, got {[r.name for r in found]}"
    return found[0]


def test_the_organization_trail_lets_cloudtrail_write_under_the_organization_id() -> None:
    # CloudTrail User Guide, "Amazon S3 bucket policy for CloudTrail", organization trails: PutObject on
    # AWSLogs/<organization id>/* as well as AWSLogs/<management account id>/*.
    resources = run_program(USAGE / "organization-trail", aws={"account_id": ACCOUNT, "organization_id": ORG_ID})
    assert _one(resources, TRAIL).inputs["isOrganizationTrail"] is True
    policy = json.loads(_one(resources, "aws:s3/bucketPolicy:BucketPolicy").inputs["policy"])
    writes = [s["Resource"] for s in policy["Statement"] if s["Action"] == "s3:PutObject" and s["Effect"] == "Allow"]
    assert any(str(resource).endswith(f"/AWSLogs/{ORG_ID}/*") for resource in writes), writes
    assert any(str(resource).endswith(f"/AWSLogs/{ACCOUNT}/*") for resource in writes), writes


def test_bring_your_own_bucket_and_key_creates_neither_and_uses_both() -> None:
    resources = run_program(USAGE / "bring-your-own-bucket-and-key", aws={"account_id": ACCOUNT})
    config = yaml.safe_load((USAGE / "bring-your-own-bucket-and-key" / "Pulumi.dev.yaml").read_text())["config"]
    bucket, key = (config[f"bring-your-own-bucket-and-key:{k}"] for k in ("logBucket", "kmsKeyArn"))
    created = {r.type for r in resources}
    assert not created & {"aws:s3/bucket:Bucket", "aws:s3/bucketPolicy:BucketPolicy", "aws:kms/key:Key"}
    trail = _one(resources, TRAIL).inputs
    assert (trail["s3BucketName"], trail["kmsKeyId"]) == (bucket, key)
    assert _one(resources, "aws:cloudwatch/logGroup:LogGroup").inputs["kmsKeyId"] == key


def test_each_custom_filter_gets_its_metric_filter_and_an_alarm_on_its_metric() -> None:
    resources = run_program(USAGE / "custom-filters")
    filters = {r.inputs["metricTransformation"]["name"]: r.inputs["pattern"]
               for r in _of_type(resources, "aws:cloudwatch/logMetricFilter:LogMetricFilter")}
    assert filters["AccessKeyCreated"] == '{ $.eventName = "CreateAccessKey" }'
    assert "guardduty.amazonaws.com" in filters["GuardDutyDetectorChanges"]
    alarmed = {r.inputs["metricName"] for r in _of_type(resources, "aws:cloudwatch/metricAlarm:MetricAlarm")}
    assert {"AccessKeyCreated", "GuardDutyDetectorChanges"} <= alarmed


def _yaml_block() -> dict[str, Any]:
    program = yaml.safe_load((USAGE / "yaml-consumer" / "Pulumi.yaml").read_text())
    (block,) = [r for r in program["resources"].values() if r["type"] == TYPE_TOKEN]
    return block["properties"]


def _floats(value: Any) -> Any:
    """Numbers as the engine sends them: doubles."""
    if isinstance(value, bool) or not isinstance(value, (int, dict, list)):
        return value
    if isinstance(value, int):
        return float(value)
    if isinstance(value, dict):
        return {k: _floats(v) for k, v in value.items()}
    return [_floats(v) for v in value]


def test_the_yaml_consumer_block_is_built_by_the_provider(provider: RunningProvider) -> None:
    properties = _yaml_block()
    assert set(properties) <= set(provider.schema()["resources"][TYPE_TOKEN]["inputProperties"])
    monitor = FakeMonitor(preview=False)
    with monitor_serving(monitor) as address:
        provider.construct(_floats(properties), monitor_address=address, preview=False)
    trail = monitor.one(TRAIL).inputs
    assert trail["name"] == properties["trailName"]
    assert trail["cloudWatchLogsGroupArn"].endswith(":*")
    assert monitor.one("aws:cloudwatch/logGroup:LogGroup").inputs["retentionInDays"] == properties["retentionInDays"]


def test_the_typescript_consumer_uses_only_schema_names(provider: RunningProvider) -> None:
    source = (USAGE / "typescript-consumer" / "index.ts").read_text()
    declaration = re.search(r"new compliantCloudtrail\.CompliantTrail\(\"[^\"]+\", \{\n(.*?)\n\}\);", source, re.S)
    assert declaration is not None
    names = set(re.findall(r"^ {4}(\w+):", declaration.group(1), re.M))
    component = provider.schema()["resources"][TYPE_TOKEN]
    assert names and names <= set(component["inputProperties"]), names
    exported = set(re.findall(r"= trail\.(\w+);", source))
    assert exported and exported <= set(component["properties"])
