"""What the offline engine hands the policy pack for a registration, as the Pulumi engine would.

* Resource references never reach an analyzer: pulumi/pulumi pkg/resource/plugin/analyzer_plugin.go marshals
  Analyze's inputs with ``MarshalOptions{KeepUnknowns, KeepSecrets, SkipInternalKeys}`` (``KeepResources`` false),
  and sdk/go/common/resource/plugin/rpc.go ``MarshalPropertyValue`` then writes a custom resource's reference as
  its ID and a component's as its URN.
* Analyze gets the inputs the provider's Check returned (step_generator.go: ``prov.Check`` before ``analyzeAll``),
  which hold only what the type declares as inputs (its ``<Class>Args`` in the SDK): an ``arn`` input on a trail
  the stack creates is dropped (security review M6: it made the pack take the trail for another account's).
  A read (``Trail.get``) keeps what the read returned, its ARN included.
* Outputs the mocks make up are what AWS computes, never lists of attached things the program did not declare
  (issue 16 item 6: three invented managed-policy ARNs per role were reported as the user's).
"""

from __future__ import annotations

import json
from collections.abc import Callable
from pathlib import Path

import pytest
from google.protobuf import json_format
from pulumi.runtime import rpc

from compliant_cloudtrail.check.program import ProgramResult, run_for_check
from compliant_cloudtrail.check.records import UNKNOWN

from .conftest import describe, run_check_command

DELIVERY = "cloudtrail-trail-deliver-to-cloudwatch-logs"
TRAIL = "aws:cloudtrail/trail:Trail"


def run(program: Path, **kwargs) -> ProgramResult:
    return run_for_check(program, **{"stack": "dev", "config": {}, "preview": False, "timeout_s": 60, **kwargs})


def mandatory(done) -> set[str]:
    report = json.loads(done.stdout)
    return {v["urn"].rsplit("::", 1)[1] for v in report["violations"] if v["level"] == "mandatory"}


@pytest.fixture
def program(place: Callable[..., Path], aws7_venv: Path) -> Callable[[str], Path]:
    return lambda name: place(name, aws7_venv)


def test_resource_objects_as_inputs_are_judged_and_the_role_object_is_not_an_arn(
    program: Callable[[str], Path],
) -> None:
    done = run_check_command(program("resource-references"), "--json")
    # the trail given role.arn delivers; the one given the role object has the role's name where CloudTrail
    # needs a role ARN (CloudTrail API reference, CreateTrail: CloudWatchLogsRoleArn)
    assert done.returncode == 1, describe(done)
    assert mandatory(done) == {"by-object"}, describe(done)
    by_object = next(v for v in json.loads(done.stdout)["violations"] if v["urn"].endswith("::by-object"))
    assert '"trail-logs-role-' in by_object["message"] and "is not an" in by_object["message"], by_object


def test_references_become_the_custom_resources_id_and_the_components_urn(program: Callable[[str], Path]) -> None:
    result = run(program("resource-references"))
    by_name = {r.name: r for r in result.records}
    role, group, holder = by_name["trail-logs-role"], by_name["trail-logs"], by_name["holder"]
    assert role.id and group.id and holder.urn.endswith("acme:audit:Delivery::holder"), (role, group, holder)
    assert holder.inputs == {"roles": [role.id], "settings": {"group": group.id}}, holder.inputs
    delivery = by_name["delivery"].inputs
    assert delivery == {"parts": [holder.urn, {"group": group.id, "role": role.id}], "owner": holder.urn}, delivery
    assert by_name["by-object"].inputs["cloudWatchLogsRoleArn"] == role.id
    for record in result.records:  # and so is the wire form the pack's Analyze gets
        sent = json.dumps(json_format.MessageToDict(record.inputs_struct))
        assert rpc._special_resource_sig not in sent, (record.urn, sent)


def test_a_reference_whose_id_is_not_known_yet_is_unknown_in_a_preview(program: Callable[[str], Path]) -> None:
    result = run(program("resource-references"), preview=True)
    by_name = {r.name: r for r in result.records}
    # rpc.go: an empty or unknown ID reads as unknown, never as the URN
    assert by_name["by-object"].inputs["cloudWatchLogsRoleArn"] == UNKNOWN
    assert by_name["holder"].inputs["roles"] == [UNKNOWN], by_name["holder"].inputs


def test_an_input_the_type_does_not_declare_is_dropped_so_the_created_trail_is_judged(
    program: Callable[[str], Path],
) -> None:
    prog = program("undeclared-inputs")
    done = run_check_command(prog, "--json")
    assert done.returncode == 1, describe(done)
    assert "created" in mandatory(done), describe(done)
    created = next(r for r in run(prog).records if r.name == "created")
    assert created.inputs == {"s3BucketName": "audit-logs", "isOrganizationTrail": True}, created.inputs
    assert set(json_format.MessageToDict(created.inputs_struct)) == {"s3BucketName", "isOrganizationTrail"}
    # the trail's ARN is the provider's, in the stack's own account
    assert created.outputs["arn"].startswith("arn:aws:cloudtrail:us-east-1:123456789012:trail/"), created.outputs


def test_a_read_trail_keeps_its_read_state_and_the_arn_it_was_read_by(program: Callable[[str], Path]) -> None:
    read = next(r for r in run(program("undeclared-inputs")).records if r.name == "read")
    assert read.read and read.inputs == {"s3BucketName": "org-audit-logs", "isOrganizationTrail": True}, read.inputs
    # a trail's id is its ARN (pulumi-aws Trail import docs): read by another account's ARN, it is that trail
    assert read.outputs["arn"] == "arn:aws:cloudtrail:us-east-1:999999999999:trail/org", read.outputs
    assert read.outputs["name"] == "org" and read.outputs["homeRegion"] == "us-east-1", read.outputs


def test_a_role_reads_back_only_the_policies_the_program_attached(program: Callable[[str], Path]) -> None:
    prog = program("role-attachments")
    roles = {r.name: r.outputs for r in run(prog).records if r.type == "aws:iam/role:Role"}
    assert roles["bare-role"]["managedPolicyArns"] == [] and roles["bare-role"]["inlinePolicies"] == [], roles
    assert roles["managed-role"]["managedPolicyArns"] == ["arn:aws:iam::aws:policy/CloudWatchLogsFullAccess"], roles
    assert roles["managed-role"]["inlinePolicies"] == [], roles
    report = run_check_command(prog).stdout
    attached = [line for line in report.splitlines() if "attached policies not declared here" in line]
    assert len(attached) == 1 and '"managed-role-' in attached[0], report
    assert attached[0].count("arn:aws:iam::") == 1 and "policy/CloudWatchLogsFullAccess" in attached[0], attached


# A remote component (awsx.ec2.Vpc: ``remote=True``) is built by its provider's Construct, which needs the awsx
# plugin. Offline it is recorded as not expanded and answered as a preview shows what it cannot compute: every
# output unknown. Echoing its inputs made the SDK refuse `natGateways` (a strategy going in, a list of
# NatGateway resources coming out) and the whole program die (issue 16 item 2).
@pytest.fixture
def awsx_program(
    program: Callable[[str], Path], awsx_site: Path, monkeypatch: pytest.MonkeyPatch
) -> Callable[[str], Path]:
    monkeypatch.setenv("PYTHONPATH", str(awsx_site))  # the program's interpreter finds pulumi_awsx there
    return program


def test_a_remote_component_whose_outputs_feed_nothing_leaves_the_rest_of_the_program_running(
    awsx_program: Callable[[str], Path],
) -> None:
    result = run(awsx_program("remote-vpc-apart"))
    assert [(typ, name) for typ, name, _ in result.unexpanded] == [("awsx:ec2:Vpc", "vpc")], result.unexpanded
    assert [r.name for r in result.records if r.type == TRAIL] == ["bare"], result.records
    # the input echoed back would have been {'strategy': 'Single'}; the output is a list nobody can know offline
    assert result.stack_outputs == {"natGateways": UNKNOWN}, result.stack_outputs
    vpc = next(r for r in result.records if r.type == "awsx:ec2:Vpc")
    assert vpc.outputs["vpcId"] == UNKNOWN and vpc.outputs["cidrBlock"] == UNKNOWN, vpc.outputs


def test_a_trail_fed_by_a_remote_components_outputs_has_those_fields_unknown(
    awsx_program: Callable[[str], Path],
) -> None:
    result = run(awsx_program("remote-vpc-feeds-trail"))
    trail = next(r for r in result.records if r.type == TRAIL)
    assert trail.inputs["cloudWatchLogsGroupArn"] == UNKNOWN, trail.inputs
    assert trail.inputs["cloudWatchLogsRoleArn"] == UNKNOWN, trail.inputs
    assert trail.inputs["s3BucketName"] == "audit-logs", trail.inputs
