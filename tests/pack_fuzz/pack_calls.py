"""Calls to the running pack that fail the test when the pack fails the call.

What "failing the call" means, from pulumi-policy 1.x (``pulumi_policy/policy.py``, ``Analyze`` and
``AnalyzeStack``):
- an ``UnknownValueError`` escaping a validator (a policy read an unknown through the SDK's proxy) is turned
  into an advisory diagnostic "can't run policy '<name>' from policy pack '<pack>@v<version>' during
  preview: ..." with an empty URN; the pack promises never to produce it (README, "Enforce it");
- any other exception escaping a validator is *not* turned into a diagnostic: it leaves the servicer, gRPC
  answers StatusCode.UNKNOWN "Exception calling application: <message>", so the engine gets an error instead
  of a verdict, while the pack process keeps running. ``AnalyzerClient`` raises ``PolicyPackError`` for it.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from typing import Any

from compliant_cloudtrail.check.analyzer_client import AnalyzerClient, AnalyzeResult, PolicyPackError

CANT_RUN_PREFIX = "can't run policy"

DELIVERY = "cloudtrail-trail-deliver-to-cloudwatch-logs"
MULTI_REGION = "cloudtrail-trail-enable-multi-region"
LOG_FILE_VALIDATION = "cloudtrail-trail-enable-log-file-validation"
KMS = "cloudtrail-trail-enable-kms-encryption"
RETENTION = "cloudwatch-log-group-retain-cloudtrail-logs"
ALARM_COVERAGE = "cloudtrail-trail-alarm-on-cis-events"

# The default enforcement levels the pack documents (policy_pack/README.md, "The policies").
RESOURCE_POLICY_LEVELS = {
    DELIVERY: "mandatory",
    MULTI_REGION: "advisory",
    LOG_FILE_VALIDATION: "advisory",
    KMS: "advisory",
}
STACK_POLICY_LEVELS = {RETENTION: "advisory", ALARM_COVERAGE: "advisory"}

AWS_TRAIL = "aws:cloudtrail/trail:Trail"
NATIVE_TRAIL = "aws-native:cloudtrail:Trail"
# Where each trail type keeps the two delivery fields (pulumi-aws and aws-native schemas).
DELIVERY_FIELDS = {
    AWS_TRAIL: ("cloudWatchLogsGroupArn", "cloudWatchLogsRoleArn"),
    NATIVE_TRAIL: ("cloudWatchLogsLogGroupArn", "cloudWatchLogsRoleArn"),
}
ALL_DELIVERY_KEYS = frozenset(k for pair in DELIVERY_FIELDS.values() for k in pair)


def urn_of(type_: str, name: str) -> str:
    return f"urn:pulumi:dev::fuzz::{type_}::{name}"


def resource(type_: str, name: str, properties: Mapping[str, Any], **extra: Any) -> dict[str, Any]:
    """A resource as ``AnalyzerClient`` sends it; ``extra``: parent, dependencies, property_dependencies."""
    return {"type": type_, "name": name, "urn": urn_of(type_, name), "properties": dict(properties), **extra}


def _answered(pack: AnalyzerClient, call: Callable[[], AnalyzeResult], what: str) -> AnalyzeResult:
    try:
        result = call()
    except PolicyPackError as error:
        raise AssertionError(f"the pack failed the {what} call instead of answering:\n{error}") from None
    assert pack.returncode is None, f"the pack process exited ({pack.returncode}) during {what}"
    crashes = [d for d in result.diagnostics if d.message.startswith(CANT_RUN_PREFIX)]
    assert not crashes, f"{what}: pulumi-policy reported an unknown a policy did not handle: {crashes}"
    return result


def analyze(pack: AnalyzerClient, res: Mapping[str, Any]) -> AnalyzeResult:
    """``Analyze`` one resource; only resource policies may answer, each at its documented level."""
    result = _answered(pack, lambda: pack.analyze(res), "Analyze")
    for d in result.diagnostics:
        assert RESOURCE_POLICY_LEVELS.get(d.policy_name) == d.enforcement_level, d
        assert d.urn == res["urn"], d
    return result


def analyze_stack(pack: AnalyzerClient, resources: Iterable[Mapping[str, Any]]) -> AnalyzeResult:
    """``AnalyzeStack``; only stack policies may answer, at their documented level, on a resource of the stack."""
    resources = list(resources)
    result = _answered(pack, lambda: pack.analyze_stack(resources), "AnalyzeStack")
    urns = {r["urn"] for r in resources}
    for d in result.diagnostics:
        assert STACK_POLICY_LEVELS.get(d.policy_name) == d.enforcement_level, d
        assert d.urn in urns, d
    return result


def of_policy(result: AnalyzeResult, policy: str) -> list[Any]:
    return [d for d in result.diagnostics if d.policy_name == policy]
