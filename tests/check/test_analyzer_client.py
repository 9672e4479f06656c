"""The gRPC Analyzer client against the real policy pack (and a throwaway pack for what the real one
cannot show yet: stack policies, config properties, logs)."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pulumi
import pulumi_aws as aws
import pytest

from compliant_cloudtrail.check.analyzer_client import AnalyzerClient, PolicyPackError
from compliant_cloudtrail.check.mock_runtime import RegisteredResource, mocked_stack

from .conftest import MINIMAL_PACK, REAL_PACK

DELIVERY = "cloudtrail-trail-deliver-to-cloudwatch-logs"


@pytest.fixture(scope="module")
def stack_records() -> list[RegisteredResource]:
    """A bare trail and a compliant one (log group ARN with ":*" and a role), built under the mocks."""
    with mocked_stack(project="harness", stack="dev") as monitor:
        box = pulumi.ComponentResource("test:index:Box", "box")
        bucket = aws.s3.Bucket("logs", opts=pulumi.ResourceOptions(parent=box))
        group = aws.cloudwatch.LogGroup("group")
        role = aws.iam.Role("role", assume_role_policy="{}")
        aws.cloudtrail.Trail("bare", s3_bucket_name=bucket.bucket, opts=pulumi.ResourceOptions(parent=box))
        aws.cloudtrail.Trail(
            "good",
            s3_bucket_name=bucket.bucket,
            cloud_watch_logs_group_arn=group.arn.apply(lambda a: f"{a}:*"),
            cloud_watch_logs_role_arn=role.arn,
        )
    return monitor.resources


def _by_name(records: list[RegisteredResource], name: str) -> RegisteredResource:
    [found] = [r for r in records if r.name == name]
    return found


def test_get_analyzer_info_lists_policies_with_metadata(real_pack: AnalyzerClient) -> None:
    info = real_pack.get_analyzer_info()
    assert info.name == "compliant-cloudtrail" and info.supports_config and info.description
    delivery = info.policy(DELIVERY)
    assert delivery.enforcement_level == "mandatory"
    assert delivery.policy_type == "resource"
    assert delivery.severity == "low"
    assert delivery.description and delivery.remediation_steps and delivery.url
    assert delivery.framework and "CloudTrail.5" in delivery.tags
    assert "quoteValues" in delivery.config_schema["properties"]
    assert real_pack.get_plugin_info()  # the pulumi-policy version


def test_analyze_round_trip(real_pack: AnalyzerClient, stack_records: list[RegisteredResource]) -> None:
    bare, good = _by_name(stack_records, "bare"), _by_name(stack_records, "good")
    result = real_pack.analyze(bare)
    [violation] = [d for d in result.mandatory if d.policy_name == DELIVERY]
    assert violation.urn == bare.urn and violation.reported_urn == ""  # the CLI attributes it to the resource
    assert violation.policy_pack_name == "compliant-cloudtrail" and violation.severity == "low"
    assert "cloudWatchLogsGroupArn" in violation.message
    assert real_pack.analyze(good).mandatory == []
    # plain dicts work too
    as_dict = {
        "type": bare.type,
        "name": "dict-trail",
        "urn": "urn:pulumi:dev::p::aws:cloudtrail/trail:Trail::d",
        "properties": {"s3BucketName": "b"},
    }
    [d] = real_pack.analyze(as_dict).mandatory
    assert d.urn == as_dict["urn"]


def test_analyze_request_carries_inputs_and_options(
    real_pack: AnalyzerClient, stack_records: list[RegisteredResource]
) -> None:
    bare = _by_name(stack_records, "bare")
    request = real_pack.build_analyze_request(bare)
    assert request.type == "aws:cloudtrail/trail:Trail" and request.name == "bare" and request.urn == bare.urn
    assert request.properties == bare.inputs_struct
    assert request.options.parent == bare.parent


def test_analyze_stack_round_trip(real_pack: AnalyzerClient, stack_records: list[RegisteredResource]) -> None:
    request_resources = [real_pack.build_analyzer_resource(r) for r in stack_records]
    good = next(r for r in request_resources if r.name == "good")
    assert good.properties["arn"].startswith("arn:aws:cloudtrail:")  # outputs, not just inputs
    assert set(good.dependencies) == set(_by_name(stack_records, "good").dependencies)
    assert good.propertyDependencies["cloudWatchLogsRoleArn"].urns == [_by_name(stack_records, "role").urn]
    result = real_pack.analyze_stack(stack_records)  # the pack answers; it has no mandatory stack policy today
    assert all(d.enforcement_level != "mandatory" for d in result.diagnostics)


def test_stack_policies_see_parents_and_dependencies(
    minimal_pack: AnalyzerClient, stack_records: list[RegisteredResource]
) -> None:
    result = minimal_pack.analyze_stack(stack_records)
    [d] = result.diagnostics
    bare, box, logs = (_by_name(stack_records, n) for n in ("bare", "box", "logs"))
    assert d.policy_name == "stack-trails-need-log-group" and d.enforcement_level == "advisory"
    assert d.urn == d.reported_urn == bare.urn
    assert f"parent={box.urn}" in d.message and logs.urn in d.message


def test_pack_environment_and_logs(minimal_pack: AnalyzerClient, stack_records: list[RegisteredResource]) -> None:
    [d] = minimal_pack.analyze(_by_name(stack_records, "bare")).diagnostics
    # PULUMI_PROJECT / PULUMI_STACK / PULUMI_DRY_RUN / PULUMI_CONFIG reached the pack
    assert "[harness/qa dry_run=False region=eu-west-1]" in d.message
    result = minimal_pack.analyze(_by_name(stack_records, "logs"))
    assert result.diagnostics == [] and result.not_applicable[0].reason == "not a CloudTrail trail"
    # pulumi.policy never connects to the engine address it is given: pack logs arrive on stderr
    assert "minimal-pack analysed" in minimal_pack.stderr
    assert minimal_pack.engine_logs == []


def test_configure_changes_levels_and_properties(stack_records: list[RegisteredResource]) -> None:
    bare = _by_name(stack_records, "bare")
    with AnalyzerClient(REAL_PACK) as pack:
        request = pack.configure({DELIVERY: "advisory"})
        # as the CLI: every policy sent, levels resolved, schema defaults filled in
        assert set(request.policyConfig) == {p.name for p in pack.get_analyzer_info().policies}
        assert request.policyConfig[DELIVERY].properties["quoteValues"] is True
        assert {d.enforcement_level for d in pack.analyze(bare).diagnostics if d.policy_name == DELIVERY} == {
            "advisory"
        }
        pack.configure({"all": "disabled"})
        assert pack.analyze(bare).diagnostics == []
        pack.configure({DELIVERY: {"enforcementLevel": "mandatory", "quoteValues": False}})
        assert [d.policy_name for d in pack.analyze(bare).mandatory] == [DELIVERY]
    with AnalyzerClient(MINIMAL_PACK) as pack:
        pack.configure({"trail-needs-log-group": {"messagePrefix": "CONFIGURED: "}})
        [d] = pack.analyze(bare).diagnostics
        assert "CONFIGURED: trail bare" in d.message


def test_configure_refuses_what_the_cli_refuses(real_pack: AnalyzerClient) -> None:
    with pytest.raises(ValueError, match="no policies"):
        real_pack.build_configure_request({"no-such-policy": "mandatory"})
    with pytest.raises(ValueError, match="unknown enforcement level"):
        real_pack.build_configure_request({DELIVERY: "strict"})


def test_handshake_and_configure_stack(real_pack: AnalyzerClient) -> None:
    assert real_pack.handshake() is False  # pulumi-policy 1.21 leaves Handshake unimplemented: CLI falls back
    # What the CLI sends: the engine it started the pack with, and the pack's folder as root and program.
    request = real_pack.build_handshake_request()
    assert request.engine_address == real_pack.engine_address and real_pack.engine_address
    assert request.root_directory == request.program_directory == str(REAL_PACK.resolve())
    real_pack.configure_stack(tags={"team": "sec"}, config={"aws:region": "us-east-1"})


def _pack(tmp_path: Path, main: str) -> Path:
    (tmp_path / "__main__.py").write_text(textwrap.dedent(main))
    return tmp_path


def test_pack_that_crashes_gives_its_stderr(tmp_path: Path) -> None:
    pack_dir = _pack(tmp_path, "raise RuntimeError('pack is broken on purpose')\n")
    with pytest.raises(PolicyPackError) as err:
        AnalyzerClient(pack_dir).start()
    message = str(err.value)
    assert "did not start" in message and "exited before printing its port" in message
    assert "pack is broken on purpose" in message and str(pack_dir) in message


def test_pack_that_prints_no_port_times_out_and_is_killed(tmp_path: Path) -> None:
    pack_dir = _pack(tmp_path, "import sys, time\nprint('starting', file=sys.stderr, flush=True)\ntime.sleep(60)\n")
    client = AnalyzerClient(pack_dir, start_timeout=1.5)
    with pytest.raises(PolicyPackError, match="printed no port within 2 s") as err:
        client.start()
    assert "starting" in str(err.value)
    assert client.returncode is not None  # terminated


def test_directory_without_pack(tmp_path: Path) -> None:
    with pytest.raises(PolicyPackError, match="can't find '__main__' module"):
        AnalyzerClient(tmp_path).start()
    with pytest.raises(PolicyPackError, match="does not exist"):
        AnalyzerClient(tmp_path / "missing").start()


def test_process_is_terminated_even_on_error() -> None:
    client = AnalyzerClient(MINIMAL_PACK)
    with pytest.raises(ZeroDivisionError), client:
        assert client.returncode is None and client.address
        assert client.startup_seconds is not None and client.startup_seconds < 30
        1 / 0  # noqa: B018
    assert client.returncode is not None
    with pytest.raises(PolicyPackError, match="not running"):
        client.get_analyzer_info()


def test_config_values_are_passed_as_json_strings(tmp_path: Path) -> None:
    pack_dir = _pack(
        tmp_path,
        """
        import json, os, sys
        sys.stderr.write("CONFIG=" + os.environ["PULUMI_CONFIG"] + "\\n")
        sys.stderr.write("DRY=" + os.environ["PULUMI_DRY_RUN"] + "\\n")
        sys.stderr.flush()
        raise SystemExit(3)
        """,
    )
    with pytest.raises(PolicyPackError) as err:
        AnalyzerClient(pack_dir, dry_run=True, config={"p:list": [1, 2], "p:s": "x"}).start()
    config_line = next(line for line in str(err.value).splitlines() if line.startswith("CONFIG="))
    assert json.loads(config_line.removeprefix("CONFIG=")) == {"p:list": "[1, 2]", "p:s": "x"}
    assert "DRY=true" in str(err.value) and "exit code 3" in str(err.value)


def test_an_answer_over_grpc_default_4_mib_comes_through_as_under_the_cli(minimal_pack: AnalyzerClient) -> None:
    # Each violation carries its resource's URN; 100 URNs of 50,000 characters make an answer of about 5 MB,
    # over gRPC's default receive limit and well under the CLI's 400 MiB.
    long_name = "t" * 50_000
    trails = [
        {
            "type": "aws:cloudtrail/trail:Trail",
            "name": f"{long_name}{i}",
            "urn": f"urn:pulumi:qa::harness::aws:cloudtrail/trail:Trail::{long_name}{i}",
            "properties": {},
        }
        for i in range(100)
    ]
    result = minimal_pack.analyze_stack(trails)
    assert sorted(d.urn for d in result.diagnostics) == sorted(t["urn"] for t in trails)
    assert sum(len(d.urn) for d in result.diagnostics) > 4 * 1024 * 1024


def test_both_calls_describe_the_provider_by_its_inputs_as_the_engine_does(real_pack: AnalyzerClient) -> None:
    """pulumi/pulumi pkg/resource/deploy/step_generator.go (Analyze, AnalyzeStack) and analyze_snapshot.go
    (`policy analyze`): AnalyzerProviderResource.Properties = providerResource.Inputs, never its outputs."""
    import dataclasses

    from google.protobuf import json_format as jf

    from compliant_cloudtrail.check.mock_runtime import mocked_stack

    with mocked_stack() as monitor:
        provider = aws.Provider("london", region="eu-west-2")
        aws.s3.Bucket("logs", opts=pulumi.ResourceOptions(provider=provider))
    [recorded_provider] = [r for r in monitor.resources if r.type == "pulumi:providers:aws"]
    # What a real provider reports back differs from what it was given (defaults, computed fields).
    prov = dataclasses.replace(recorded_provider, outputs={"region": "us-east-1", "version": "7.51.0"})
    bucket = next(r for r in monitor.resources if r.type == "aws:s3/bucket:Bucket")
    known = {prov.urn: prov}
    for request in (real_pack.build_analyze_request(bucket, known=known),
                    real_pack.build_analyzer_resource(bucket, known=known)):
        assert request.provider.urn == prov.urn
        assert jf.MessageToDict(request.provider.properties)["region"] == "eu-west-2"
