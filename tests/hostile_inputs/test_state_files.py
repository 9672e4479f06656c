"""``--state`` exports the review found crash the check, hang it, or that the Pulumi CLI refuses to load.

Integrity rules and wording: Snapshot.VerifyIntegrity, pulumi/pulumi pkg/resource/deploy/snapshot.go (run on every
stack the CLI loads, pkg/backend/{diy,httpstate}/state.go, and on `pulumi stack import`, pkg/cmd/pulumi/stack/io.go).
"""

from __future__ import annotations

import copy
import json
from pathlib import Path
from typing import Any

import pytest

from compliant_cloudtrail.check.inputs import InputError
from compliant_cloudtrail.check.state import StateError, parse_state, read_state
from tests.state.exports import AWS_TRAIL, LOG_GROUP, export, provider, provider_ref, resource, stack_resource, urn

from .hostile import DEV_ZERO, assert_one_line, fifo, no_hang

SOURCE = Path("export.json")
STACK_URN = urn("pulumi:pulumi:Stack", "audit-prod")


def baseline() -> dict[str, Any]:
    """The stack, its aws provider, a log group and a trail that depends on it: what the CLI writes."""
    prov = provider()
    group = resource(LOG_GROUP, "g", {"name": "g"}, prov=prov)
    trail = resource(AWS_TRAIL, "t", {"s3BucketName": "b"}, prov=prov, dependencies=[group["urn"]])
    return export([stack_resource(), prov, group, trail])


def resources(data: dict[str, Any]) -> list[dict[str, Any]]:
    return data["deployment"]["resources"]


def refused(data: Any, *words: str) -> str:
    with pytest.raises(StateError) as caught:
        parse_state(data, SOURCE)
    assert isinstance(caught.value, InputError)
    return assert_one_line(caught.value, f"state file {SOURCE}", *words)


def test_the_baseline_is_judged() -> None:
    assert [r.type for r in parse_state(baseline(), SOURCE).resources][-1] == AWS_TRAIL


# --- files -------------------------------------------------------------------------------------------------
def test_dev_zero_as_state_is_refused() -> None:
    with pytest.raises(StateError) as caught:
        read_state(DEV_ZERO)
    assert_one_line(caught.value, DEV_ZERO, "state file", "a character device, not a regular file")


def test_a_fifo_as_state_is_refused_without_blocking(tmp_path: Path) -> None:
    path = fifo(tmp_path / "state.json")
    with no_hang(), pytest.raises(StateError) as caught:
        read_state(path)
    assert_one_line(caught.value, path, "a FIFO")


@pytest.mark.parametrize(
    "text, words",
    [
        ('{"version": ' + "3" * 5000 + ', "deployment": {}}', "integers up to 4300 digits"),
        (None, "integers up to 4300 digits"),
    ],
    ids=["version", "inside-inputs"],
)
def test_a_5000_digit_integer_is_refused(tmp_path: Path, text: str | None, words: str) -> None:
    if text is None:
        text = json.dumps(baseline()).replace('"s3BucketName": "b"', '"s3BucketName": ' + "7" * 5000)
    path = tmp_path / "state.json"
    path.write_text(text)
    with pytest.raises(StateError) as caught:
        read_state(path)
    assert_one_line(caught.value, path, words)


def test_the_baseline_written_to_a_file_reads_back(tmp_path: Path) -> None:
    path = tmp_path / "state.json"
    path.write_text(json.dumps(baseline()))
    assert len(read_state(path).resources) == 4


# --- values the wire cannot carry ----------------------------------------------------------------------------
@pytest.mark.parametrize("value", [float("nan"), float("inf"), -float("inf"), True, "5m"], ids=repr)
def test_custom_timeouts_that_are_not_finite_seconds_are_refused(value: Any) -> None:
    data = baseline()
    resources(data)[-1]["customTimeouts"] = {"create": value}
    refused(data, "customTimeouts must hold numbers of seconds", "not a finite number")


def test_custom_timeouts_of_1e400_in_a_file_are_refused(tmp_path: Path) -> None:
    path = tmp_path / "state.json"
    path.write_text(json.dumps(baseline()).replace('"s3BucketName": "b"', '"s3BucketName": "b", "x": 1e400'))
    with pytest.raises(StateError) as caught:
        read_state(path)
    assert_one_line(caught.value, path, "beyond a 64-bit float")


def test_finite_custom_timeouts_are_sent() -> None:
    data = baseline()
    resources(data)[-1]["customTimeouts"] = {"create": 300, "delete": 1.5}
    (trail,) = [r for r in parse_state(data, SOURCE).analyze_resources() if r["type"] == AWS_TRAIL]
    assert trail["options"]["customTimeouts"] == {"create": 300.0, "delete": 1.5}


@pytest.mark.parametrize("features", [[[1]], [{"a": 1}], "taint"], ids=["nested-list", "object", "string"])
def test_v4_features_that_are_not_names_are_refused(features: Any) -> None:
    refused(baseline() | {"version": 4, "features": features}, "features must be an array of feature names")


def test_v4_features_the_reader_knows_are_read() -> None:
    assert parse_state(baseline() | {"version": 4, "features": ["taint"]}, SOURCE).version == 4


def test_a_secret_whose_plaintext_is_nan_is_refused() -> None:
    data = baseline()
    resources(data)[-1]["inputs"]["k"] = {"4dabf18193072939515e22adb298388d": "1b47061264138c4ac30d75fd1eb44270",
                                          "plaintext": "NaN"}  # fmt: skip
    refused(data, "a secret's plaintext is not JSON: NaN is not JSON")


# --- snapshots the CLI refuses (VerifyIntegrity) ----------------------------------------------------------------
def test_a_duplicate_urn_is_refused() -> None:
    data = baseline()
    resources(data).append(copy.deepcopy(resources(data)[-1]))
    refused(data, f"duplicate resource {resources(data)[-1]['urn']} (not marked for deletion)", "integrity check")


def test_a_duplicate_urn_marked_for_deletion_is_a_replacement_and_is_read() -> None:
    data = baseline()
    old = copy.deepcopy(resources(data)[-1]) | {"delete": True}
    resources(data).insert(-1, old)
    state = parse_state(data, SOURCE)
    assert (len(state.resources), state.skipped_deleted) == (4, 1)


def test_a_urn_with_a_newline_is_named_on_one_line() -> None:
    data = baseline()
    resources(data)[-1]["urn"] += "\nFAILED"
    resources(data)[-1]["type"] = 5
    assert "t\\nFAILED: type must be a non-empty string" in refused(data)


def test_a_resource_that_is_its_own_parent_is_refused() -> None:
    data = baseline()
    trail = resources(data)[-1]
    trail["parent"] = trail["urn"]
    refused(data, f"child resource {trail['urn']} refers to missing parent {trail['urn']}")


def test_a_parent_cycle_is_refused() -> None:
    data = baseline()
    group, trail = resources(data)[2], resources(data)[3]
    group["parent"], trail["parent"] = trail["urn"], group["urn"]
    refused(data, f"child resource {group['urn']}'s parent {trail['urn']} comes after it")


def test_a_provider_reference_to_a_missing_provider_is_refused() -> None:
    data = baseline()
    gone = provider_ref(provider("aws", "6_0_0"))
    resources(data)[-1]["provider"] = gone
    refused(data, f"refers to unknown provider {gone}")


def test_a_dependency_on_a_missing_resource_is_refused() -> None:
    data = baseline()
    ghost = urn(LOG_GROUP, "ghost")
    resources(data)[-1]["dependencies"] = [ghost]
    refused(data, f"dependency {ghost} refers to missing resource")


def test_a_stack_resource_after_its_children_is_refused() -> None:
    data = baseline()
    resources(data).append(resources(data).pop(0))
    refused(data, f"parent {STACK_URN} comes after it")


@pytest.mark.parametrize("digits", [309, 400])
def test_an_integer_no_double_can_hold_is_refused_at_read(tmp_path: Path, digits: int) -> None:
    # Property values travel as protobuf doubles (struct.proto); a longer integer crashed the request building with
    # OverflowError (found by fuzzing the reader through the command).
    path = tmp_path / "state.json"
    path.write_text(json.dumps(baseline()).replace('"s3BucketName": "b"', '"s3BucketName": ' + "9" * digits))
    with pytest.raises(StateError) as caught:
        read_state(path)
    assert_one_line(caught.value, path, "beyond a 64-bit float")


def test_an_integer_a_double_holds_still_reads(tmp_path: Path) -> None:
    path = tmp_path / "state.json"
    path.write_text(json.dumps(baseline()).replace('"s3BucketName": "b"', '"s3BucketName": ' + "9" * 300))
    assert read_state(path).resources


@pytest.mark.parametrize(("latest", "reads"), [(None, True), ({}, True), ([], False), ([1], False), ("", False)])
def test_a_checkpoints_latest_is_a_deployment_or_null(latest: Any, reads: bool) -> None:
    # apitype.CheckpointV3: `latest` is a *DeploymentV3, null for a stack never deployed; an empty list is neither.
    data = {"version": 3, "checkpoint": {"stack": "prod", "latest": latest}}
    if reads:
        assert parse_state(data, SOURCE).resources == []
    else:
        refused(data, "deployment must be an object")
