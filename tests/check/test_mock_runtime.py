"""The recording mock runtime: what it records, what AWS answers it gives, preview unknowns, isolation."""

from __future__ import annotations

import json
import textwrap
from pathlib import Path

import pulumi
import pulumi_aws as aws
import pytest
from pulumi.runtime import rpc

from compliant_cloudtrail.check.mock_runtime import (
    UNKNOWN,
    AwsMocks,
    ProgramError,
    UnknownInvokeError,
    mocked_stack,
    run_program,
)

from .conftest import EXAMPLES

SECRET_KEY = rpc._special_sig_key
SECRET_SIG = rpc._special_secret_sig


class Box(pulumi.ComponentResource):
    def __init__(self, name: str, opts: pulumi.ResourceOptions | None = None) -> None:
        super().__init__("test:index:Box", name, None, opts)
        self.register_outputs({})


def _small_program() -> None:
    """A bucket and a log group inside a component, a role and its policy, a trail depending on both."""
    box = Box("box")
    bucket = aws.s3.Bucket("logs", opts=pulumi.ResourceOptions(parent=box, protect=True))
    group = aws.cloudwatch.LogGroup(
        "group",
        retention_in_days=365,
        opts=pulumi.ResourceOptions(parent=box, retain_on_delete=True, ignore_changes=["tags"]),
    )
    role = aws.iam.Role(
        "role",
        assume_role_policy=json.dumps({"Version": "2012-10-17", "Statement": []}),
        opts=pulumi.ResourceOptions(aliases=[pulumi.Alias(name="old-role")], delete_before_replace=True),
    )
    role_policy = aws.iam.RolePolicy("role-policy", role=role.id, policy=json.dumps({"Statement": []}))
    aws.cloudtrail.Trail(
        "trail",
        s3_bucket_name=bucket.bucket,
        cloud_watch_logs_group_arn=group.arn.apply(lambda arn: f"{arn}:*"),
        cloud_watch_logs_role_arn=pulumi.Output.secret(role.arn),  # type: ignore[arg-type]
        opts=pulumi.ResourceOptions(depends_on=[role_policy], custom_timeouts=pulumi.CustomTimeouts(create="5m")),
    )


def test_records_what_the_program_declared() -> None:
    with mocked_stack(project="proj", stack="dev") as monitor:
        _small_program()

    names = [r.name for r in monitor.resources]
    assert names[0] == "proj-dev"  # the stack is registered first
    assert monitor.resources[0].is_stack and not monitor.resources[0].custom
    assert set(names) == {"proj-dev", "box", "logs", "group", "role", "role-policy", "trail"}

    stack, box = monitor.by_name("proj-dev"), monitor.by_name("box")
    bucket, group = monitor.by_name("logs"), monitor.by_name("group")
    role, role_policy, trail = monitor.by_name("role"), monitor.by_name("role-policy"), monitor.by_name("trail")

    # URNs as the engine builds them: no stack type in root children, the component's type in its children
    assert box.urn == "urn:pulumi:dev::proj::test:index:Box::box"
    assert bucket.urn == "urn:pulumi:dev::proj::test:index:Box$aws:s3/bucket:Bucket::logs"
    assert trail.urn == "urn:pulumi:dev::proj::aws:cloudtrail/trail:Trail::trail"

    assert box.parent == stack.urn and bucket.parent == box.urn and group.parent == box.urn
    assert trail.parent == stack.urn
    assert not box.custom and bucket.custom and box.id == ""

    assert bucket.protect and not group.protect and not trail.protect
    assert group.retain_on_delete and not bucket.retain_on_delete
    assert group.ignore_changes == ["tags"]
    assert role.delete_before_replace and role.delete_before_replace_defined
    assert {"spec": {"name": "old-role", "parentUrn": ""}} in role.aliases
    assert trail.custom_timeouts.get("create") == "5m"

    # explicit depends_on plus every resource an input came from
    assert set(trail.dependencies) == {bucket.urn, group.urn, role.urn, role_policy.urn}
    assert trail.property_dependencies["s3BucketName"] == [bucket.urn]
    assert trail.property_dependencies["cloudWatchLogsGroupArn"] == [group.urn]
    assert trail.property_dependencies["cloudWatchLogsRoleArn"] == [role.urn]
    assert role_policy.property_dependencies["role"] == [role.urn]

    assert monitor.by_type("aws:cloudtrail/trail:Trail") == [trail]
    with pytest.raises(KeyError, match="no resource named 'nope'"):
        monitor.by_name("nope")


def test_inputs_as_sent_secrets_wrapped_in_struct() -> None:
    with mocked_stack() as monitor:
        _small_program()
    trail = monitor.by_name("trail")
    assert trail.inputs["cloudWatchLogsGroupArn"] == (
        "arn:aws:logs:us-east-1:123456789012:log-group:group-" + AwsMocks.physical_name("group")[-7:] + ":*"
    )
    # the struct keeps the secret wrapper; inputs unwrap it and name the secret key
    role_arn = trail.inputs_struct["cloudWatchLogsRoleArn"]
    assert role_arn[SECRET_KEY] == SECRET_SIG
    assert role_arn["value"] == trail.inputs["cloudWatchLogsRoleArn"]
    assert trail.secret_inputs == frozenset({"cloudWatchLogsRoleArn"})
    assert not rpc.struct_contains_unknowns(trail.inputs_struct)


def test_preview_sends_unknown_sentinels() -> None:
    with mocked_stack(preview=True) as monitor:
        _small_program()
    trail, group = monitor.by_name("trail"), monitor.by_name("group")
    assert UNKNOWN == "04da6b54-80e4-46f7-96ec-b56ff0331ba9"
    # values computed by resources of the same update reach the trail as the unknown sentinel...
    assert trail.inputs_struct["s3BucketName"] == UNKNOWN
    assert trail.inputs_struct["cloudWatchLogsGroupArn"] == UNKNOWN
    # ...inside the secret wrapper when the value is secret
    assert trail.inputs_struct["cloudWatchLogsRoleArn"][SECRET_KEY] == SECRET_SIG
    assert trail.inputs_struct["cloudWatchLogsRoleArn"]["value"] == UNKNOWN
    assert trail.inputs["cloudWatchLogsGroupArn"] == UNKNOWN
    # literal inputs stay known; no ids and no computed outputs in a first preview
    assert group.inputs_struct["retentionInDays"] == 365
    assert group.id == "" and group.outputs == group.inputs
    assert "arn" not in group.outputs
    assert monitor.by_name("role-policy").inputs["role"] == UNKNOWN


def test_computed_outputs_use_real_arn_formats_and_the_given_account() -> None:
    acct, region, part = "210987654321", "us-gov-west-1", "aws-us-gov"
    with mocked_stack(account_id=acct, region=region, partition=part) as monitor:
        bucket = aws.s3.Bucket("b")
        group = aws.cloudwatch.LogGroup("g")
        role = aws.iam.Role("r", assume_role_policy="{}", path="/service/")
        aws.iam.RolePolicy("rp", role=role.name, policy="{}")
        key = aws.kms.Key("k")
        aws.kms.Alias("a", name="alias/trail", target_key_id=key.key_id)
        topic = aws.sns.Topic("t")
        aws.sns.TopicSubscription("s", topic=topic.arn, protocol="email", endpoint="sec@example.com")
        aws.cloudtrail.Trail("tr", name="audit", s3_bucket_name=bucket.bucket)
        aws.cloudwatch.LogMetricFilter(
            "mf",
            log_group_name=group.name,
            pattern="{ $.eventName = ConsoleLogin }",
            metric_transformation={"name": "m", "namespace": "CIS", "value": "1"},
        )
        aws.cloudwatch.MetricAlarm("al", comparison_operator="GreaterThanOrEqualToThreshold", evaluation_periods=1)
    out = {r.name: r for r in monitor.resources}
    b, g = out["b"].outputs, out["g"].outputs
    assert b["bucket"] == AwsMocks.physical_name("b") and b["arn"] == f"arn:{part}:s3:::{b['bucket']}"
    assert out["b"].id == b["bucket"]
    assert g["arn"] == f"arn:{part}:logs:{region}:{acct}:log-group:{g['name']}"  # no ":*"
    assert out["r"].outputs["arn"] == f"arn:{part}:iam::{acct}:role/service/{out['r'].outputs['name']}"
    assert out["rp"].id == f"{out['r'].outputs['name']}:{out['rp'].outputs['name']}"
    k = out["k"].outputs
    assert k["arn"] == f"arn:{part}:kms:{region}:{acct}:key/{k['keyId']}" and out["k"].id == k["keyId"]
    assert out["a"].outputs["arn"] == f"arn:{part}:kms:{region}:{acct}:alias/trail"
    assert out["a"].outputs["targetKeyArn"] == k["arn"]
    t = out["t"].outputs
    assert t["arn"] == f"arn:{part}:sns:{region}:{acct}:{t['name']}"
    assert out["s"].outputs["arn"].startswith(t["arn"] + ":") and out["s"].outputs["pendingConfirmation"]
    assert out["tr"].outputs["arn"] == f"arn:{part}:cloudtrail:{region}:{acct}:trail/audit"
    assert out["tr"].outputs["homeRegion"] == region
    assert out["mf"].id == out["mf"].outputs["name"] == AwsMocks.physical_name("mf")
    assert out["al"].outputs["arn"] == f"arn:{part}:cloudwatch:{region}:{acct}:alarm:{AwsMocks.physical_name('al')}"


def test_autonames_are_deterministic() -> None:
    names = []
    for _ in range(2):
        with mocked_stack() as monitor:
            aws.cloudwatch.LogGroup("same")
        names.append(monitor.by_name("same").outputs["name"])
    assert names[0] == names[1]
    assert names[0].startswith("same-") and len(names[0]) == len("same-") + 7
    int(names[0][-7:], 16)


def test_common_invokes_are_answered() -> None:
    with mocked_stack(account_id="111122223333", region="eu-west-1", management_account_id="999988887777"):
        ident = aws.get_caller_identity()
        region = aws.get_region()
        part = aws.get_partition()
        org = aws.organizations.get_organization()
        doc = aws.iam.get_policy_document(
            statements=[
                {
                    "sid": "Write",
                    "actions": ["logs:PutLogEvents", "logs:CreateLogStream"],
                    "resources": ["arn:aws:logs:eu-west-1:111122223333:log-group:g:*"],
                    "principals": [{"type": "Service", "identifiers": ["cloudtrail.amazonaws.com"]}],
                    "conditions": [{"test": "StringEquals", "variable": "aws:SourceAccount", "values": ["1"]}],
                }
            ]
        )
    assert ident.account_id == "111122223333" and ident.arn.startswith("arn:aws:iam::111122223333:")
    assert region.region == "eu-west-1" and region.id == "eu-west-1" and region.endpoint and region.description
    assert part.partition == "aws" and part.dns_suffix == "amazonaws.com" and part.reverse_dns_prefix == "com.amazonaws"
    assert org.id == "o-a1b2c3d4e5" and org.master_account_id == "999988887777"
    assert org.arn == "arn:aws:organizations::999988887777:organization/o-a1b2c3d4e5"
    assert {a.id for a in org.accounts} == {"999988887777", "111122223333"}
    rendered = json.loads(doc.json)
    assert rendered == {
        "Version": "2012-10-17",
        "Statement": [
            {
                "Sid": "Write",
                "Effect": "Allow",
                "Action": ["logs:CreateLogStream", "logs:PutLogEvents"],
                "Resource": "arn:aws:logs:eu-west-1:111122223333:log-group:g:*",
                "Principal": {"Service": "cloudtrail.amazonaws.com"},
                "Condition": {"StringEquals": {"aws:SourceAccount": "1"}},
            }
        ],
    }


def test_unknown_invoke_raises_naming_the_token() -> None:
    with pytest.raises(UnknownInvokeError, match=r"'aws:ec2/getVpc:getVpc'"), mocked_stack():
        aws.ec2.get_vpc(default=True)


def test_unknown_invoke_in_a_program_names_program_and_token(tmp_path: Path) -> None:
    _write_program(tmp_path, "import pulumi_aws as aws\naws.ec2.get_vpc(default=True)\n")
    with pytest.raises(ProgramError) as err:
        run_program(tmp_path)
    assert str(tmp_path) in str(err.value) and "aws:ec2/getVpc:getVpc" in str(err.value)


def test_program_error_is_named(tmp_path: Path) -> None:
    _write_program(tmp_path, "raise ValueError('boom from the program')\n")
    with pytest.raises(ProgramError, match="boom from the program") as err:
        run_program(tmp_path)
    assert str(tmp_path) in str(err.value)
    assert isinstance(err.value.__cause__, ValueError)


def test_error_in_an_apply_surfaces(tmp_path: Path) -> None:
    _write_program(
        tmp_path,
        "import pulumi_aws as aws\n"
        "b = aws.s3.Bucket('b')\n"
        "aws.s3.BucketPolicy('p', bucket=b.id, policy=b.arn.apply(lambda a: 1 / 0))\n",
    )
    with pytest.raises(ProgramError, match="ZeroDivisionError"):
        run_program(tmp_path)


def _write_program(pdir: Path, body: str, name: str = "prog", stack_config: str = "") -> None:
    (pdir / "Pulumi.yaml").write_text(f"name: {name}\nruntime: python\n")
    (pdir / "__main__.py").write_text(body)
    if stack_config:
        (pdir / "Pulumi.dev.yaml").write_text(stack_config)


def test_run_program_reads_project_stack_config_and_overrides(tmp_path: Path) -> None:
    _write_program(
        tmp_path,
        textwrap.dedent(
            """
            import pulumi, pulumi_aws as aws
            import helper
            cfg = pulumi.Config()
            aws.cloudwatch.LogGroup(
                "g", retention_in_days=cfg.require_int("days"), tags=cfg.require_object("tags"),
                name=helper.NAME + "-" + pulumi.get_project() + "-" + pulumi.get_stack(),
            )
            pulumi.export("out", "x")
            """
        ),
        stack_config="config:\n  prog:days: 90\n  prog:tags:\n    team: sec\n  aws:region: eu-west-1\n",
    )
    (tmp_path / "helper.py").write_text("NAME = 'first'\n")
    [stack, group] = run_program(tmp_path)
    assert stack.urn == "urn:pulumi:dev::prog::pulumi:pulumi:Stack::prog-dev"
    assert group.inputs == {"retentionInDays": 90, "tags": {"team": "sec"}, "name": "first-prog-dev"}
    assert group.outputs["arn"].startswith("arn:aws:logs:eu-west-1:")  # aws:region from the stack config

    (tmp_path / "helper.py").write_text("NAME = 'second'\n")  # the program's own module is re-imported
    [_, group] = run_program(tmp_path, config={"days": 7}, aws={"region": "ap-south-1"})
    assert group.inputs["retentionInDays"] == 7 and group.inputs["name"] == "second-prog-dev"
    assert ":ap-south-1:" in group.outputs["arn"]


def test_runs_are_isolated_and_repeatable() -> None:
    first = run_program(EXAMPLES / "two-trails")
    with mocked_stack(project="other", stack="s2") as monitor:
        aws.s3.Bucket("only")
    assert [r.name for r in monitor.resources] == ["other-s2", "only"]
    assert pulumi.runtime.get_root_resource() is None  # reset after the block
    second = run_program(EXAMPLES / "two-trails")
    # independent resources register concurrently: the order may differ, the records may not
    assert sorted((r.urn, r.id, json.dumps(r.outputs, sort_keys=True)) for r in first) == sorted(
        (r.urn, r.id, json.dumps(r.outputs, sort_keys=True)) for r in second
    )


def test_read_resource_is_recorded() -> None:
    with mocked_stack() as monitor:
        aws.s3.Bucket.get("existing", "my-existing-bucket")
    read = monitor.by_name("existing")
    assert read.read and read.id == "my-existing-bucket" and read.custom


def test_config_does_not_leak_between_stacks() -> None:
    with mocked_stack(project="p", config={"key": "v"}):
        assert pulumi.Config().get("key") == "v"
    with mocked_stack(project="p"):
        assert pulumi.Config().get("key") is None
