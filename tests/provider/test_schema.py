"""The schema other languages are given, read over gRPC from the provider started as the CLI starts it.

Beyond the reviewed snapshot, each property a user of TypeScript, Go, C# or YAML relies on is asserted from
its source: CloudWatch Logs ``PutRetentionPolicy`` takes an integer number of days; the S3 API's
``DefaultRetention`` takes a mode of GOVERNANCE or COMPLIANCE and integer days; the CloudTrail API's
``AdvancedEventSelector`` requires ``FieldSelectors`` and ``AdvancedFieldSelector`` requires ``Field``.
"""

from __future__ import annotations

import json
from collections.abc import Iterator
from typing import Any

import compliant_cloudtrail
from compliant_cloudtrail.component.args import CompliantTrailArgs

from .provider_process import TYPE_TOKEN, RunningProvider
from .snapshot import SNAPSHOT, comparable, render

TYPES = "compliant-cloudtrail:index:"


def _component(schema: dict[str, Any]) -> dict[str, Any]:
    return schema["resources"][TYPE_TOKEN]


def _type(schema: dict[str, Any], name: str) -> dict[str, Any]:
    return schema["types"][TYPES + name]


def _described(where: str, node: dict[str, Any]) -> Iterator[tuple[str, dict[str, Any]]]:
    yield where, node
    for key in ("items", "additionalProperties"):
        if key in node:
            yield from _described(f"{where}.{key}", node[key])


def test_the_schema_is_the_reviewed_snapshot(provider: RunningProvider) -> None:
    schema = provider.schema()
    assert comparable(schema) == comparable(json.loads(SNAPSHOT.read_text())), (
        "the schema other languages see changed; review the difference, then regenerate the snapshot with "
        "`.venv/bin/python -m tests.provider.snapshot`:\n" + render(schema))


def test_the_package_is_compliant_cloudtrail_at_this_version(provider: RunningProvider) -> None:
    schema = provider.schema()
    assert schema["name"] == "compliant-cloudtrail"
    assert schema["version"] == compliant_cloudtrail.__version__
    assert list(schema["resources"]) == ["compliant-cloudtrail:index:CompliantTrail"]


def test_every_input_output_type_and_enum_value_has_a_description(provider: RunningProvider) -> None:
    schema = provider.schema()
    component = _component(schema)
    nodes = [(f"CompliantTrail.{name}", prop) for name, prop in component["inputProperties"].items()]
    nodes += [(f"CompliantTrail output {name}", prop) for name, prop in component["properties"].items()]
    for type_name, type_spec in schema["types"].items():
        nodes.append((type_name, type_spec))
        nodes += [(f"{type_name}.{name}", prop) for name, prop in type_spec.get("properties", {}).items()]
        nodes += [(f"{type_name}.{value['name']}", value) for value in type_spec.get("enum", [])]
    undescribed = [where for name, node in nodes for where, part in _described(name, node)
                   if not str(part.get("description", "")).strip()]
    assert component["description"].strip()
    assert not undescribed, f"no description for {undescribed}"


def test_every_python_argument_is_an_input_in_camel_case(provider: RunningProvider) -> None:
    def camel(snake: str) -> str:
        first, *rest = snake.split("_")
        return first + "".join(part.title() for part in rest)

    python = CompliantTrailArgs.__required_keys__ | CompliantTrailArgs.__optional_keys__
    assert set(_component(provider.schema())["inputProperties"]) == {camel(name) for name in python}


def test_numbers_of_days_are_integers(provider: RunningProvider) -> None:
    schema = provider.schema()
    inputs = _component(schema)["inputProperties"]
    for name in ("retentionInDays", "noncurrentVersionExpirationDays", "logExpirationDays"):
        assert inputs[name]["type"] == "integer", name
    assert _type(schema, "ObjectLockArgs")["properties"]["days"]["type"] == "integer"


def test_every_argument_is_optional_and_nested_fields_aws_requires_are_required(provider: RunningProvider) -> None:
    schema = provider.schema()
    assert _component(schema)["requiredInputs"] == []
    assert set(_type(schema, "CustomFilterArgs")["required"]) == {"name", "pattern"}
    assert set(_type(schema, "SubscriptionArgs")["required"]) == {"protocol", "endpoint"}
    assert set(_type(schema, "ObjectLockArgs")["required"]) == {"mode", "days"}
    assert set(_type(schema, "AdvancedEventSelectorArgs")["required"]) == {"fieldSelectors"}
    assert set(_type(schema, "FieldSelectorArgs")["required"]) == {"field"}


def test_object_lock_mode_is_an_enum_of_the_two_s3_modes(provider: RunningProvider) -> None:
    schema = provider.schema()
    mode = _type(schema, "ObjectLockArgs")["properties"]["mode"]
    assert mode["$ref"] == f"#/types/{TYPES}ObjectLockMode"
    enum = _type(schema, "ObjectLockMode")
    assert enum["type"] == "string"
    assert sorted(value["value"] for value in enum["enum"]) == ["COMPLIANCE", "GOVERNANCE"]


def test_outputs_are_the_documented_ones_and_only_the_key_may_be_unset(provider: RunningProvider) -> None:
    component = _component(provider.schema())
    documented = {"trailArn", "trailName", "bucketName", "bucketArn", "logGroupName", "logGroupArn", "roleArn",
                  "kmsKeyArn", "topicArn", "alarmArns", "customAlarmArns"}
    assert set(component["properties"]) == documented
    assert set(component["required"]) == documented - {"kmsKeyArn"}
    assert component["properties"]["alarmArns"]["additionalProperties"]["additionalProperties"]["type"] == "string"
