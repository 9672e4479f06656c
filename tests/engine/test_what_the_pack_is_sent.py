"""What the offline engine hands the policy pack for a registration, as the Pulumi engine would.

* Resource references never reach an analyzer: pulumi/pulumi pkg/resource/plugin/analyzer_plugin.go marshals
  Analyze's inputs with ``MarshalOptions{KeepUnknowns, KeepSecrets, SkipInternalKeys}`` (``KeepResources`` false),
  and sdk/go/common/resource/plugin/rpc.go ``MarshalPropertyValue`` then writes a custom resource's reference as
  its ID and a component's as its URN.
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
