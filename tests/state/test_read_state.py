"""Reading ``pulumi stack export`` files: what the pack is sent, and one clear error for every bad file.

Format: pulumi/pulumi sdk/go/common/apitype/core.go (DeploymentV3, ResourceV3), pkg/resource/stack/deployment.go
(versions, features, DeserializePropertyValue); what is sent: pkg/resource/deploy/analyze_snapshot.go
(AnalyzeSnapshot, stateToAnalyzerResource) and pkg/resource/plugin/rpc.go (MarshalProperties).
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from compliant_cloudtrail.check.state import StateError, parse_state, read_state

from .exports import (
    AWS_TRAIL,
    EXAMPLE_STACK,
    LOG_GROUP,
    SECRET_SIG,
    SIG_KEY,
    ciphertext,
    export,
    log_group_arn,
    plaintext,
    provider,
    provider_ref,
    resource,
    stack_resource,
    urn,
    write,
)

UNKNOWN = "04da6b54-80e4-46f7-96ec-b56ff0331ba9"  # plugin.UnknownStringValue (pkg/resource/plugin/rpc.go)
SOURCE = Path("stack.json")


def one(inputs: dict[str, Any], outputs: dict[str, Any] | None = None, **extra: Any) -> dict[str, Any]:
    """An export of the stack, a provider and one trail."""
    prov = provider()
    return export([stack_resource(), prov, resource(AWS_TRAIL, "t", inputs, outputs, prov=prov, **extra)])


def trail_of(data: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    state = parse_state(data, SOURCE)
    (analyzed,) = [r for r in state.analyze_resources() if r["type"] == AWS_TRAIL]
    (stacked,) = [r for r in state.stack_resources() if r["type"] == AWS_TRAIL]
    return analyzed, stacked


# --- the example stack's export --------------------------------------------------------------------------
def test_every_resource_of_the_example_export_is_sent_with_its_identity() -> None:
    raw = json.loads(EXAMPLE_STACK.read_text())["deployment"]["resources"]
    state = read_state(EXAMPLE_STACK)
    assert (state.project, state.stack, state.version) == ("compliant-cloudtrail", "dev", 3)
    # AnalyzeSnapshot filters nothing but pending deletions: stack, provider and components included.
    assert [r["urn"] for r in state.analyze_resources()] == [r["urn"] for r in raw]
    assert [r["urn"] for r in state.stack_resources()] == [r["urn"] for r in raw]
    for sent, original in zip(state.stack_resources(), raw, strict=True):
        assert sent["name"] == original["urn"].split("::")[-1], sent["urn"]
        assert sent["parent"] == original.get("parent", ""), sent["urn"]
        assert sent["dependencies"] == original.get("dependencies", []), sent["urn"]


def test_inputs_go_to_analyze_and_outputs_to_analyze_stack() -> None:
    analyzed, stacked = trail_of(one({"name": "in"}, {"name": "out", "arn": "arn:aws:cloudtrail:x"}))
    assert analyzed["properties"] == {"name": "in"}
    assert stacked["properties"] == {"name": "out", "arn": "arn:aws:cloudtrail:x"}


def test_the_provider_is_described_by_its_inputs_in_both_calls() -> None:
    prov = provider(inputs={"region": "eu-central-1"})
    prov["outputs"] = {"region": "eu-central-1", "version": "7.51.1", "secretOnlyInOutputs": True}
    data = export([stack_resource(), prov, resource(AWS_TRAIL, "t", {}, prov=prov)])
    for sent in trail_of(data):
        assert sent["provider"] == {
            "type": "pulumi:providers:aws",
            "urn": prov["urn"],
            "name": "default_7_51_1",
            "properties": {"region": "eu-central-1"},
        }


def test_a_provider_missing_from_the_file_is_refused_as_the_cli_refuses_such_a_snapshot() -> None:
    """`pulumi policy analyze --file` alone would leave the provider out (analyze_snapshot.go), but no stack the CLI
    can load or import holds such a reference (Snapshot.VerifyIntegrity: "refers to unknown provider")."""
    gone = f"{urn('pulumi:providers:aws', 'gone')}::id"
    data = export([stack_resource(), resource(AWS_TRAIL, "t", {}, provider=gone)])
    with pytest.raises(StateError, match=f"refers to unknown provider {gone}"):
        parse_state(data, SOURCE)


def test_resources_pending_deletion_are_skipped() -> None:
    old = resource(AWS_TRAIL, "old", {}, delete=True)
    data = export([stack_resource(), old, resource(AWS_TRAIL, "t", {})])
    state = parse_state(data, SOURCE)
    assert old["urn"] not in [r["urn"] for r in state.analyze_resources()]
    assert state.skipped_deleted == 1


def test_options_and_property_dependencies_as_the_plugin_sends_them() -> None:
    extra = {
        "protect": True,
        "ignoreChanges": ["tags"],
        "aliases": [urn(AWS_TRAIL, "before")],
        "customTimeouts": {"create": 300, "delete": 60.5, "read": 9},
        "propertyDependencies": {"cloudWatchLogsGroupArn": [urn(LOG_GROUP, "g")], "name": []},
    }
    prov = provider()
    group = resource(LOG_GROUP, "g", {}, prov=prov)
    analyzed, stacked = trail_of(
        export([stack_resource(), prov, group, resource(AWS_TRAIL, "t", {}, prov=prov, **extra)])
    )
    assert analyzed["options"]["protect"] is True
    assert analyzed["options"]["ignoreChanges"] == ["tags"]
    assert analyzed["options"]["aliases"] == [urn(AWS_TRAIL, "before")]
    assert analyzed["options"]["customTimeouts"] == {"create": 300.0, "delete": 60.5}  # the wire has no read
    assert stacked["property_dependencies"] == {"cloudWatchLogsGroupArn": [urn(LOG_GROUP, "g")]}


# --- property values --------------------------------------------------------------------------------------
def test_a_plaintext_secret_is_sent_as_a_secret_holding_its_decoded_value() -> None:
    analyzed, _ = trail_of(one({"cloudWatchLogsGroupArn": plaintext(log_group_arn("g") + ":*"), "tags": {"a": 1}}))
    assert analyzed["properties"]["cloudWatchLogsGroupArn"] == {SIG_KEY: SECRET_SIG, "value": log_group_arn("g") + ":*"}


def test_a_ciphertext_secret_is_a_secret_whose_value_is_unknown_and_is_counted() -> None:
    data = one({"cloudWatchLogsGroupArn": ciphertext()}, {"cloudWatchLogsGroupArn": ciphertext(), "x": [ciphertext()]})
    analyzed, stacked = trail_of(data)
    assert analyzed["properties"]["cloudWatchLogsGroupArn"] == {SIG_KEY: SECRET_SIG, "value": UNKNOWN}
    assert stacked["properties"]["x"] == [{SIG_KEY: SECRET_SIG, "value": UNKNOWN}]
    assert parse_state(data, SOURCE).unreadable_secrets == 3


def test_special_values_become_what_the_wire_carries() -> None:
    inputs = {
        "__defaults": ["name"],  # internal keys are dropped at the top level only
        "nested": {"__kept": 1},
        "computed": UNKNOWN,
        "ref": {SIG_KEY: "5cf8f73096256a8f31e491e813e4eb8e", "urn": urn(LOG_GROUP, "g"), "id": "g-id"},
        "componentRef": {SIG_KEY: "5cf8f73096256a8f31e491e813e4eb8e", "urn": urn("x:index:C", "c")},
        "float": {SIG_KEY: "8ad145fe-0d11-4827-bfd7-1abcbf086f5c", "value": "400921fb54442d18"},
        "bytes": {SIG_KEY: "803fd3297a5875dc03ca845dda5d2a98", "value": "aMOpbGxv"},
    }
    analyzed, _ = trail_of(one(inputs))
    assert analyzed["properties"] == {
        "nested": {"__kept": 1},
        "computed": UNKNOWN,
        "ref": "g-id",
        "componentRef": urn("x:index:C", "c"),
        "float": 3.141592653589793,
        "bytes": "héllo",
    }


# --- other languages and tools ----------------------------------------------------------------------------
def test_typescript_style_nested_types_keep_the_resource_type_and_name() -> None:
    parents = ["awsx:cloudtrail:Trail"]
    trail = {
        "urn": urn(AWS_TRAIL, "audit::trail", parents),  # a name may contain "::" (URN.Name keeps the rest)
        "custom": True,
        "type": AWS_TRAIL,
        "parent": urn("awsx:cloudtrail:Trail", "audit"),
    }
    component = {"urn": urn("awsx:cloudtrail:Trail", "audit"), "custom": False, "type": "awsx:cloudtrail:Trail"}
    state = parse_state(export([stack_resource(), component, trail]), SOURCE)
    sent = state.stack_resources()[2]
    assert (sent["type"], sent["name"]) == (AWS_TRAIL, "audit::trail")
    assert sent["properties"] == {} and state.analyze_resources()[2]["properties"] == {}  # no bags in the file


def test_a_file_backend_checkpoint_is_read_too() -> None:
    inner = one({})["deployment"]
    state = parse_state({"version": 3, "checkpoint": {"stack": "prod", "latest": inner}}, SOURCE)
    assert len(state.resources) == 3


def test_stack_identity_follows_the_urns() -> None:
    mixed = export([stack_resource(), stack_resource(stack="qa")])
    assert (parse_state(mixed, SOURCE).project, parse_state(mixed, SOURCE).stack) == ("multiple", "multiple")
    assert (parse_state(export([]), SOURCE).project, parse_state(export([]), SOURCE).stack) == ("unknown", "unknown")


def test_a_version_4_export_with_known_features_is_read() -> None:
    assert parse_state(one({}) | {"version": 4, "features": ["taint", "hooks"]}, SOURCE).version == 4


# --- bad files: one StateError each, naming the file and the fault --------------------------------------------
def bad_resource(**fields: Any) -> dict[str, Any]:
    return export([{"urn": urn(AWS_TRAIL, "t"), "custom": True, "type": AWS_TRAIL, **fields}])


@pytest.mark.parametrize(
    "data, words",
    [
        (["not", "an", "object"], "not a stack export: the file holds an array"),
        ({"deployment": {}}, "no integer version"),
        ({"version": "3", "deployment": {}}, "no integer version"),
        ({"version": 2, "deployment": {}}, "deployment version 2 is older than this reader supports"),
        ({"version": 5, "deployment": {}}, "deployment version 5 is newer than this reader knows"),
        (
            {"version": 4, "features": ["teleport"], "deployment": {}},
            "needs support for the following features: teleport",
        ),
        ({"version": 3}, "no deployment object"),
        ({"version": 3, "deployment": []}, "deployment must be an object, not an array"),
        ({"version": 3, "deployment": {"resources": {}}}, "deployment.resources must be an array, not an object"),
        (export(["urn:pulumi:x"]), "resources[0] must be an object, not a string"),
        (export([{"urn": "arn:aws:x", "type": AWS_TRAIL}]), "resources[0] has an invalid URN 'arn:aws:x'"),
        (export([{"urn": "urn:pulumi:s::p::t", "type": AWS_TRAIL}]), "invalid URN"),
        (bad_resource(type=None), "type must be a non-empty string, not null"),
        (bad_resource(inputs=["a"]), "inputs must be an object of properties, not an array"),
        (bad_resource(custom="yes"), "custom must be a boolean, not a string"),
        (bad_resource(dependencies=[1]), "dependencies must be an array of strings"),
        (bad_resource(propertyDependencies={"a": "urn"}), "propertyDependencies must map each property"),
        (bad_resource(customTimeouts={"create": "5m"}), "customTimeouts must hold numbers of seconds"),
        (bad_resource(inputs={"a": {SIG_KEY: SECRET_SIG}}), "inputs.a: malformed secret value"),
        (bad_resource(inputs={"a": {SIG_KEY: SECRET_SIG, "plaintext": "{"}}), "a secret's plaintext is not JSON"),
        (bad_resource(outputs={"a": [{SIG_KEY: "nope"}]}), "outputs.a[0]: unrecognized signature 'nope'"),
        (bad_resource(inputs={"b": {SIG_KEY: "803fd3297a5875dc03ca845dda5d2a98", "value": "/w=="}}), "byte string"),
    ],
)
def test_a_malformed_export_is_one_clear_error(data: Any, words: str) -> None:
    with pytest.raises(StateError) as caught:
        parse_state(data, SOURCE)
    assert str(caught.value).startswith(f"state file {SOURCE}: "), caught.value
    assert words in str(caught.value)
    assert "\n" not in str(caught.value)


@pytest.mark.parametrize(
    "content, words",
    [("", "not JSON"), ("{'version': 3}", "not JSON"), (b"\xff\xfe{", "not UTF-8 text"), ("[" * 100_000, "nested")],
    ids=["empty", "python-dict", "binary", "deep"],
)
def test_an_unreadable_file_is_one_clear_error(tmp_path: Path, content: str | bytes, words: str) -> None:
    path = tmp_path / "export.json"
    path.write_bytes(content if isinstance(content, bytes) else content.encode())
    with pytest.raises(StateError, match=words):
        read_state(path)


def test_a_missing_file_is_one_clear_error(tmp_path: Path) -> None:
    with pytest.raises(StateError, match="cannot read it"):
        read_state(tmp_path / "nope.json")


def test_a_written_export_reads_back(tmp_path: Path) -> None:
    path = write(tmp_path / "e.json", one({"name": "t"}))
    assert [r.type for r in read_state(path).resources] == ["pulumi:pulumi:Stack", "pulumi:providers:aws", AWS_TRAIL]
    assert read_state(path).resources[2].provider == provider_ref(provider())
