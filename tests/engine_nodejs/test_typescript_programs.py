"""Our TypeScript/JavaScript programs through `cloudtrail-check`: exit 1 with the mandatory violation on exactly
the trails that do not deliver to CloudWatch Logs, exit 0 where every trail does.

What makes a trail fail (Security Hub CloudTrail.5, "CloudTrail trails should be integrated with Amazon
CloudWatch Logs"; CloudTrail API: a log group ARN needs a role ARN, and the ARN ends in ':*').
"""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from compliant_cloudtrail.check.aws_mocks import AwsMocks
from compliant_cloudtrail.check.program import run_for_check

from .conftest import describe, run_check_command

DELIVERY = "cloudtrail-trail-deliver-to-cloudwatch-logs"
#: ts-node type-checks by default, as under the CLI (run.ts: transpileOnly unset); that is ~7 s a program, so only
#: three-trails keeps it and the others set PULUMI_NODEJS_TRANSPILE_ONLY, which run.ts reads for exactly this.
TYPE_CHECKED = {"three-trails"}
TRAIL = "aws:cloudtrail/trail:Trail"


def mandatory_trails(done) -> set[str]:
    report = json.loads(done.stdout)
    assert all(v["policy"] == DELIVERY for v in report["violations"] if v["level"] == "mandatory"), describe(done)
    return {v["urn"].rsplit("::", 1)[1] for v in report["violations"] if v["level"] == "mandatory"}


@pytest.mark.parametrize(
    ("name", "args", "failing"),
    [
        # bare: no log group at all; no-wildcard: LogGroup.arn without ':*'
        ("three-trails", [], {"bare", "no-wildcard"}),
        # trails in a module imported for its side effects, named imports, a circular import, assets
        ("side-effects", [], {"data-events"}),
        # Pulumi.dev.yaml says deliverToLogs: false
        ("reads-config", [], {"audit"}),
        ("reads-config", ["--config", "deliverToLogs=true"], set()),
        # plain JavaScript, main: lib/main.js, typescript: false, nodeargs (the program throws if they are lost)
        ("plain-js", [], {"js-bare"}),
        # nested components on explicit providers, every trail wired
        ("nested-components", [], set()),
        # ARNs built from aws.getCallerIdentity as a Promise and as an Output
        ("caller-identity", [], set()),
        # a Role object as an input reaches the pack as the role's ID (never as a resource reference, which the
        # engine does not send an analyzer: pkg/resource/plugin/analyzer_plugin.go), and that is no role ARN
        ("resource-references", [], {"by-object"}),
    ],
)
def test_exit_code_and_mandatory_violations_on_exactly_the_failing_trails(
    place: Callable[[str], Path], name: str, args: list[str], failing: set[str]
) -> None:
    env = dict(os.environ)
    if name in TYPE_CHECKED:
        env.pop("PULUMI_NODEJS_TRANSPILE_ONLY", None)
    done = run_check_command(place(name), "--json", *args, env=env)
    assert done.returncode == (1 if failing else 0), describe(done)
    assert mandatory_trails(done) == failing, describe(done)
    report = json.loads(done.stdout)
    assert report["interpreter"].startswith("node v"), report["interpreter"]


@pytest.fixture(autouse=True)
def _transpile_only_but_three_trails(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PULUMI_NODEJS_TRANSPILE_ONLY", "true")


def run(program: Path, **kwargs):
    return run_for_check(program, **{"stack": "dev", "config": {}, "preview": False, "timeout_s": 120, **kwargs})


def test_nested_components_keep_their_parents_and_explicit_providers(place: Callable[[str], Path]) -> None:
    result = run(place("nested-components"))
    trails = {r.name: r for r in result.records if r.type == TRAIL}
    assert set(trails) == {"security", "platform"}
    by_urn = {r.urn: r for r in result.records}
    for name, provider in (("security", "eu-west"), ("platform", "us-east")):
        trail = trails[name]
        assert by_urn[trail.parent].type == "acme:audit:AuditTrail", trail.parent
        # `providers: {aws}` and `provider:` on the component both reach the trail inside it
        assert f"::pulumi:providers:aws::{provider}::" in trail.provider, trail.provider
        assert trail.inputs["cloudWatchLogsGroupArn"].endswith(":*"), trail.inputs


def test_get_caller_identity_as_promise_and_output_answer_the_mocked_account(place: Callable[[str], Path]) -> None:
    result = run(place("caller-identity"))
    account = AwsMocks(region="eu-central-1", partition="aws", preview=False).account_id
    assert result.stack_outputs["accountFromPromise"] == account, result.stack_outputs
    assert result.stack_outputs["accountFromOutput"] == account, result.stack_outputs
    arns = {r.name: r.inputs["cloudWatchLogsGroupArn"] for r in result.records if r.type == TRAIL}
    expected = f"arn:aws:logs:eu-central-1:{account}:log-group:org-trail-events:*"
    assert arns == {"from-promise": expected, "from-output": expected}


def test_config_reaches_the_program_typed_and_namespaced(place: Callable[[str], Path]) -> None:
    result = run(place("reads-config"), config={"retentionDays": 731})
    # Pulumi.yaml declares retentionDays an integer: the program's requireNumber read the override
    assert result.stack_outputs["retentionDays"] == 731, result.stack_outputs
    assert {r.name for r in result.records if r.type == TRAIL} == {"audit"}  # trailName from Pulumi.dev.yaml


def test_assets_are_passed_on_without_being_fetched(place: Callable[[str], Path]) -> None:
    result = run(place("side-effects"))
    sources = {r.name: r.inputs.get("source") for r in result.records if r.type == "aws:s3/bucketObject:BucketObject"}
    # a RemoteAsset on an unresolvable host and a FileArchive of a missing path: neither was read
    assert set(sources) == {"readme", "bundle"}, sources
    assert result.stack_outputs == {"auditName": "org-audit"}, result.stack_outputs


def test_resource_references_become_the_custom_resources_id_and_the_components_urn(
    place: Callable[[str], Path],
) -> None:
    # sdk/go/common/resource/plugin/rpc.go MarshalPropertyValue with KeepResources false, as analyzer_plugin.go
    # marshals Analyze's inputs: the ID of a custom resource, the URN of a component, at any depth
    result = run(place("resource-references"))
    by_name = {r.name: r for r in result.records}
    role, group, holder = by_name["trail-logs-role"], by_name["trail-logs"], by_name["holder"]
    assert holder.inputs == {"roles": [role.id], "settings": {"group": group.id}}, holder.inputs
    delivery = by_name["delivery"].inputs
    assert delivery == {"parts": [holder.urn, {"group": group.id, "role": role.id}], "owner": holder.urn}, delivery
    assert by_name["by-object"].inputs["cloudWatchLogsRoleArn"] == role.id


@pytest.mark.parametrize(("config", "code", "not_judged"), [
    ([], 2, []),                                            # nothing failed, a remote component not seen
    (["--config", "bareTrail=true"], 1, []),               # a definite violation wins over what was not seen
    (["--config", "fedTrail=true"], 2, ["fed"]),           # the trail's ARNs are the component's unknown outputs
])  # fmt: skip
def test_remote_components_in_typescript_are_not_checked_and_what_they_feed_is_not_judged(
    place: Callable[[str], Path], config: list[str], code: int, not_judged: list[str]
) -> None:
    # Issue 16 item 2: a remote component's registration is answered with unknown outputs, so the program runs on.
    done = run_check_command(place("remote-components"), "--json", *config)
    assert done.returncode == code, describe(done)
    report = json.loads(done.stdout)
    assert [c["name"] for c in report["unexpanded_components"]][:1] == ["network"], report["unexpanded_components"]
    assert [n["urn"].rsplit("::", 1)[1] for n in report["not_judged"]] == not_judged, report["not_judged"]


def test_an_error_with_its_own_properties_is_summarised_by_its_message(place: Callable[[str], Path]) -> None:
    # Node prints an error's own properties after its frames ("{ promise: ... }"); the summary took the closing
    # brace for the message (seen on a real program whose registration failed).
    program = place("plain-js")
    (program / "lib" / "main.js").write_text(
        'const e = new Error("the registration failed: bad tags"); e.promise = Promise.resolve(1); e.code = 7;\n'
        "throw e;\n"
    )
    done = run_check_command(program)
    assert done.returncode == 2, describe(done)
    line = done.stderr.strip().splitlines()[-1]
    assert line.endswith("failed: Error: the registration failed: bad tags"), line
