"""Exemptions in the pack's config (issue 19), through the pack's gRPC Analyzer as the Pulumi CLI drives it:
``Configure`` with the policy config, then ``Analyze`` per resource and ``AnalyzeStack`` (``AnalyzerClient``,
which starts the pack as ``python -m pulumi.policy`` does). What the CLI shows is what these calls return: an
exempted violation is no longer a diagnostic of its policy, and an advisory notice says EXEMPTED with the reason;
an expired exemption leaves the violation at its level; an exemption that matches nothing is named.

Dates are far in the past or the future, so the tests do not depend on today's date.
"""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import jsonschema
import pytest

from compliant_cloudtrail.check.analyzer_client import AnalyzerClient, AnalyzeResult
from compliant_cloudtrail.check.policy_config import check_policy_config
from compliant_cloudtrail.policy_pack.policies.exemptions import (
    EXEMPTIONS_SCHEMA,
    RESOURCE_NOTICE,
    STACK_NOTICE,
    Exemption,
    matches,
    parse_expired,
    parse_notice,
)

PACK_DIR = Path(__file__).resolve().parents[2] / "compliant_cloudtrail" / "policy_pack"
DELIVERY = "cloudtrail-trail-deliver-to-cloudwatch-logs"
KMS = "cloudtrail-trail-enable-kms-encryption"
RETENTION = "cloudwatch-log-group-retain-cloudtrail-logs"
TRAIL = "aws:cloudtrail/trail:Trail"
LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup"
FUTURE, PAST = "2999-12-31", "2000-01-01"


def resource(type_: str, name: str, props: dict[str, Any]) -> dict[str, Any]:
    return {"type": type_, "name": name, "urn": f"urn:pulumi:dev::exempt::{type_}::{name}", "properties": props}


#: a trail with no CloudWatch Logs delivery: fails the mandatory policy (Security Hub CloudTrail.5)
BARE = resource(TRAIL, "legacy-audit", {"s3BucketName": "logs", "isMultiRegionTrail": True,
                                         "enableLogFileValidation": True, "kmsKeyId": "alias/trail"})  # fmt: skip
OTHER = resource(TRAIL, "team", {"s3BucketName": "logs", "isMultiRegionTrail": True,
                                 "enableLogFileValidation": True, "kmsKeyId": "alias/trail"})  # fmt: skip


@pytest.fixture(scope="module")
def pack() -> Iterator[AnalyzerClient]:
    with AnalyzerClient(PACK_DIR, project="exempt", stack="dev", dry_run=False) as client:
        client.get_analyzer_info()
        yield client


def configure(pack: AnalyzerClient, config: dict[str, Any]) -> None:
    check_policy_config(pack.get_analyzer_info(), config)  # the schema the CLI validates the file with
    pack.configure(config)


def by_policy(result: AnalyzeResult, policy: str) -> list[str]:
    return [d.message for d in result.diagnostics if d.policy_name == policy]


def delivery_exemption(resource_pattern: str, expires: str | None = FUTURE) -> dict[str, Any]:
    entry = {"resource": resource_pattern, "reason": "SEC-123 moved to the organization trail"}
    if expires is not None:
        entry["expires"] = expires
    return {DELIVERY: {"enforcementLevel": "mandatory", "exemptions": [entry]}}


def test_without_an_exemption_the_bare_trail_fails_the_mandatory_policy(pack: AnalyzerClient) -> None:
    configure(pack, {})
    result = pack.analyze(BARE)
    assert len(by_policy(result, DELIVERY)) == 1 and result.mandatory, result
    assert by_policy(result, RESOURCE_NOTICE) == [], result


@pytest.mark.parametrize(
    "pattern",
    [f"{TRAIL}::legacy-*", f"{TRAIL}::legacy-audit", "urn:pulumi:dev::exempt::*::legacy-audit", "*::legacy-audit"],
)
def test_an_exempted_violation_does_not_count_and_is_reported_as_exempted(pack: AnalyzerClient, pattern: str) -> None:
    configure(pack, delivery_exemption(pattern))
    result = pack.analyze(BARE)
    assert by_policy(result, DELIVERY) == [] and not result.mandatory, f"{BARE['urn']}: {result}"
    notices = [d for d in result.diagnostics if d.policy_name == RESOURCE_NOTICE]
    assert len(notices) == 1 and notices[0].enforcement_level == "advisory", result
    assert notices[0].urn == BARE["urn"]
    notice = parse_notice(notices[0].message)
    assert notice is not None and notice.kind == "exempted" and notice.policy == DELIVERY, notices[0].message
    assert notice.exemption == Exemption(pattern, "SEC-123 moved to the organization trail", FUTURE)
    assert "CloudWatch Logs" in notice.violation  # the violation's own words travel with it
    # the same pattern leaves another trail judged as before
    assert len(by_policy(pack.analyze(OTHER), DELIVERY)) == 1


def test_an_exemption_without_expiry_holds(pack: AnalyzerClient) -> None:
    configure(pack, delivery_exemption(f"{TRAIL}::legacy-audit", expires=None))
    result = pack.analyze(BARE)
    assert by_policy(result, DELIVERY) == [], result
    notice = parse_notice(by_policy(result, RESOURCE_NOTICE)[0])
    assert notice is not None and notice.exemption is not None and notice.exemption.expires is None


def test_an_expired_exemption_counts_again_and_says_it_expired(pack: AnalyzerClient) -> None:
    configure(pack, delivery_exemption(f"{TRAIL}::legacy-*", expires=PAST))
    result = pack.analyze(BARE)
    [message] = by_policy(result, DELIVERY)
    assert result.mandatory and by_policy(result, RESOURCE_NOTICE) == [], result
    expired = parse_expired(message)
    assert expired == Exemption(f"{TRAIL}::legacy-*", "SEC-123 moved to the organization trail", PAST), message


def test_an_exemption_for_one_policy_leaves_the_others(pack: AnalyzerClient) -> None:
    bare_kms = resource(TRAIL, "legacy-audit", {**BARE["properties"], "kmsKeyId": None})
    configure(pack, {KMS: {"exemptions": [{"resource": f"{TRAIL}::legacy-audit", "reason": "no CMK yet"}]}})
    result = pack.analyze(bare_kms)
    assert by_policy(result, KMS) == [] and len(by_policy(result, DELIVERY)) == 1, result
    [notice] = [parse_notice(m) for m in by_policy(result, RESOURCE_NOTICE)]
    assert notice is not None and notice.policy == KMS


def test_stack_policy_violations_are_exempted_and_unused_exemptions_named(pack: AnalyzerClient) -> None:
    group_arn = "arn:aws:logs:us-east-1:123456789012:log-group:/aws/cloudtrail/audit"
    props = {"name": "/aws/cloudtrail/audit", "retentionInDays": 30, "arn": group_arn}
    group = resource(LOG_GROUP, "trail-logs", props)
    trail = resource(TRAIL, "audit", {
        "s3BucketName": "logs", "cloudWatchLogsGroupArn": f"{group_arn}:*",
        "cloudWatchLogsRoleArn": "arn:aws:iam::123456789012:role/to-logs", "isMultiRegionTrail": True,
        "enableLogFileValidation": True, "kmsKeyId": "alias/trail",
    })  # fmt: skip
    configure(pack, {})
    plain = pack.analyze_stack([group, trail])
    assert len(by_policy(plain, RETENTION)) == 1, plain  # 30 days < 365: the baseline fails

    configure(pack, {
        RETENTION: {"exemptions": [{"resource": f"{LOG_GROUP}::trail-logs", "reason": "short-lived sandbox"}]},
        DELIVERY: {"exemptions": [{"resource": f"{TRAIL}::no-such-trail", "reason": "typo"}]},
    })  # fmt: skip
    pack.analyze(trail)  # as the engine does: every resource through Analyze first
    result = pack.analyze_stack([group, trail])
    assert by_policy(result, RETENTION) == [], result
    notices = [parse_notice(m) for m in by_policy(result, STACK_NOTICE)]
    exempted = [n for n in notices if n is not None and n.kind == "exempted"]
    unused = [n for n in notices if n is not None and n.kind == "unused"]
    assert [(n.policy, n.exemption and n.exemption.reason) for n in exempted] == [(RETENTION, "short-lived sandbox")]
    assert [d.urn for d in result.diagnostics if "EXEMPTED from" in d.message] == [group["urn"]]
    assert [n.policy for n in unused] == [DELIVERY], notices


@pytest.mark.parametrize(
    "entry, why",
    [
        ({"resource": "x::y"}, "reason is required"),
        ({"resource": "x::y", "reason": ""}, "an empty reason explains nothing"),
        ({"resource": "x::y", "reason": "ok", "expires": "31/12/2027"}, "expires is an ISO date"),
        ({"resource": "x::y", "reason": "ok", "until": "2027-12-31"}, "a misspelt key is refused"),
        ({"reason": "ok"}, "resource is required"),
    ],
)
def test_the_config_schema_refuses_an_exemption_without_reason_or_with_a_bad_date(
    pack: AnalyzerClient, entry: dict[str, Any], why: str
) -> None:
    with pytest.raises(ValueError):
        check_policy_config(pack.get_analyzer_info(), {DELIVERY: {"exemptions": [entry]}})
    with pytest.raises(jsonschema.ValidationError):
        jsonschema.validate([entry], EXEMPTIONS_SCHEMA)


def test_patterns_match_the_own_type_and_name_or_the_urn_with_star_wildcards() -> None:
    child = "urn:pulumi:dev::p::compliant-cloudtrail:index:CompliantTrail$aws:cloudtrail/trail:Trail::audit-trail"
    assert matches(Exemption(f"{TRAIL}::audit-*", "r"), child)
    assert matches(Exemption("urn:pulumi:dev::p::*::audit-trail", "r"), child)
    assert not matches(Exemption(f"{TRAIL}::audit", "r"), child)  # a whole name, not a prefix
    assert not matches(Exemption("urn:pulumi:prod::p::*", "r"), child)  # another stack
    assert not matches(Exemption(f"{TRAIL}::audit.trail", "r"), child)  # "." is a character, not a wildcard
