"""Programs in their own virtualenvs, run on the offline engine the way the CLI's Python host runs them."""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest

from compliant_cloudtrail.check.errors import CheckError
from compliant_cloudtrail.check.program import ProgramResult, run_for_check

from .conftest import describe, run_check_command

DELIVERY = "cloudtrail-trail-deliver-to-cloudwatch-logs"
TRAIL = "aws:cloudtrail/trail:Trail"
# what `pulumi stack output --json --show-secrets` prints for the referenced network stack
NETWORK_OUTPUTS = {"vpcId": "vpc-0a1b2c3d4e5f60718", "auditKeyArn": "arn:aws:kms:eu-west-1:111122223333:key/abcd"}


def run(program: Path, **kwargs) -> ProgramResult:
    return run_for_check(program, **{"stack": "dev", "config": {}, "preview": False, "timeout_s": 60, **kwargs})


@pytest.fixture
def audit(place: Callable[..., Path], aws7_venv: Path, tmp_path: Path) -> tuple[Path, Path]:
    program = place("audit-random", aws7_venv)
    network = tmp_path / "network.json"
    network.write_text(json.dumps(NETWORK_OUTPUTS))
    return program, network


def test_main_entry_project_config_stack_file_and_stack_reference(audit: tuple[Path, Path]) -> None:
    program, network = audit
    result = run(program, stack="prod", stack_reference_files={"acme/network/prod": network})
    out = result.stack_outputs
    # main: infra/ ran, with its own `components` package, and nothing of the checker importable
    assert out["checkerVisible"] is False, out
    # Pulumi.yaml `config:`: the default for retentionDays, the project value for aws:region (namespaced)
    assert out["retention"] == 400, out
    assert result.config["aws:region"] == "eu-west-1" and result.config["audit-random:teamName"] == "platform"
    # the stack file's secure value: secret, its plaintext unknown offline
    assert result.config["audit-random:apiToken"] == "<secret>"
    # region-consistent answers, from the project's aws:region
    assert out["zones"] == ["eu-west-1a", "eu-west-1b", "eu-west-1c"], out
    assert out["trailArn"].startswith("arn:aws:cloudtrail:eu-west-1:123456789012:trail/platform-audit-"), out
    # the stack reference's outputs came from its file
    assert out["vpcId"] == NETWORK_OUTPUTS["vpcId"], out
    audit_trail = next(r for r in result.records if r.type == TRAIL and r.name == "audit")
    assert audit_trail.inputs["kmsKeyId"] == NETWORK_OUTPUTS["auditKeyArn"]
    # pulumi-random's `result` is computed by its provider: filled from the SDK class's output properties
    assert audit_trail.inputs["name"].startswith("platform-audit-") and "None" not in audit_trail.inputs["name"]
    # the invoke the program caught reached it as the engine's error (source_eval.go "invocation of ...")
    assert "invocation of acme:index/getThing:getThing returned an error" in out["caught"], out
    assert not result.preview


def test_stack_reference_without_its_file_is_unknown_and_warned(audit: tuple[Path, Path]) -> None:
    program, _ = audit
    result = run(program, stack="prod")
    warnings = [n for n in result.notes if "StackReference 'network'" in n]
    assert len(warnings) == 1, result.notes
    assert "acme/network/prod" in warnings[0]
    # The referenced outputs stay unknown (the program is told it is a preview), the rest is answered as in an
    # update, and the verdict stays the user's: an update, where the pack says NOT JUDGED for what it cannot see.
    assert not result.preview
    assert any("run again with those values unknown" in n for n in result.notes), result.notes
    audit_trail = next(r for r in result.records if r.type == TRAIL and r.name == "audit")
    assert audit_trail.inputs.get("kmsKeyId") in (None, "04da6b54-80e4-46f7-96ec-b56ff0331ba9")


def test_missing_required_project_config_is_the_cli_error(audit: tuple[Path, Path]) -> None:
    # teamName is declared without a default; the dev stack has no file to set it (pkg/workspace/config.go)
    program, network = audit
    with pytest.raises(CheckError, match="Stack 'dev' is missing configuration value 'teamName'"):
        run(program, stack_reference_files={"acme/network/prod": network})


def test_config_of_the_wrong_type_is_the_cli_error(audit: tuple[Path, Path]) -> None:
    program, _ = audit
    (program / "Pulumi.typo.yaml").write_text(
        "config:\n  audit-random:teamName: platform\n  audit-random:retentionDays: four hundred\n"
    )
    wrong_type = "Stack 'typo' with configuration key 'retentionDays' must be of type 'integer'"
    with pytest.raises(CheckError, match=wrong_type):
        run(program, stack="typo")


def test_verdict_end_to_end_names_the_s3_only_trail(audit: tuple[Path, Path]) -> None:
    program, network = audit
    done = run_check_command(program, "--stack", "prod", "--stack-reference", f"acme/network/prod={network}", "--json")
    assert done.returncode == 1, describe(done)
    report = json.loads(done.stdout)
    mandatory = {(v["policy"], v["urn"]) for v in report["violations"] if v["level"] == "mandatory"}
    assert mandatory == {(DELIVERY, f"urn:pulumi:prod::audit-random::{TRAIL}::team-s3-only")}, describe(done)
    assert report["interpreter"].startswith("pip virtualenv"), report["interpreter"]


def test_pulumi_aws_6_program_with_an_explicit_provider_region(place: Callable[..., Path], aws6_venv: Path) -> None:
    program = place("aws6-provider", aws6_venv)
    result = run(program, config={"aws:region": "us-east-1"})
    out = result.stack_outputs
    # the provider's region wins over the stack's aws:region, in ARNs and in invokes through that provider
    assert out["trailArn"].startswith("arn:aws:cloudtrail:eu-west-2:"), out
    assert out["groupArn"].startswith("arn:aws:logs:eu-west-2:"), out
    assert out["region"] == "eu-west-2", out
    done = run_check_command(program, "--json")
    assert done.returncode == 0, describe(done)
