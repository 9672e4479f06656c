"""Analyze with several calls in flight (issue 20): the same answers, in the same order, as one call at a time;
and dict resources built into the same messages as json_format.ParseDict builds them."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest
from google.protobuf import json_format
from pulumi.runtime.proto import analyzer_pb2

from compliant_cloudtrail.check import analyzer_client
from compliant_cloudtrail.check.analyzer_client import AnalyzerClient, PolicyPackError
from compliant_cloudtrail.check.state import parse_state
from tests.backend.synthetic import StackBuilder


def fleet(trails: int) -> list[dict[str, Any]]:
    """A stack where every third trail has no CloudWatch Logs delivery (Security Hub CloudTrail.5 fails it)."""
    stack = StackBuilder("audit", "prod")
    for i in range(trails):
        stack.trail(f"trail-{i}", delivers=i % 3 != 0)
    return parse_state(stack.export(), Path("export.json")).analyze_resources()


def answers(result: Any) -> list[tuple[str, str, str]]:
    return [(d.urn, d.policy_name, d.enforcement_level) for d in result.diagnostics] + [
        (n.urn, n.policy_name, n.reason) for n in result.not_applicable
    ]


def test_answers_in_flight_are_those_of_one_call_at_a_time_in_order(real_pack: AnalyzerClient) -> None:
    resources = fleet(30)
    one_by_one = answers(sum((real_pack.analyze(r) for r in resources), analyzer_client.AnalyzeResult()))
    seen: list[tuple[int, int]] = []
    in_flight = answers(real_pack.analyze_each(resources, on_each=lambda done, total: seen.append((done, total))))
    assert in_flight == one_by_one
    assert sum(1 for _, policy, level in in_flight if level == "mandatory") == 10
    assert seen == [(i, len(resources)) for i in range(1, len(resources) + 1)]


def test_a_pack_that_dies_with_calls_in_flight_is_one_policy_pack_error() -> None:
    from .conftest import REAL_PACK

    resources = fleet(10)
    with AnalyzerClient(REAL_PACK) as pack:

        def kill_after_three(done: int, total: int) -> None:
            if done == 3:
                pack._stop_process()

        with pytest.raises(PolicyPackError, match="Analyze failed on policy pack"):
            pack.analyze_each(resources, on_each=kill_after_three)


@pytest.mark.parametrize(
    "options",
    [
        {"protect": True, "ignoreChanges": ["tags"], "aliases": ["urn:pulumi:a::b::c::d"], "parent": "p",
         "additionalSecretOutputs": ["x"], "customTimeouts": {"create": 60.0, "delete": 1.5}},
        {"deleteBeforeReplace": True},
    ],
)
def test_a_dict_resource_is_built_as_parse_dict_builds_it(options: dict[str, Any]) -> None:
    provider = {"type": "pulumi:providers:aws", "urn": "urn:pulumi:s::p::pulumi:providers:aws::default",
                "name": "default", "properties": {"region": "eu-west-1", "version": "7.51.1"}}
    resource = {"type": "aws:s3/bucket:Bucket", "name": "b", "urn": "urn:pulumi:s::p::aws:s3/bucket:Bucket::b",
                "properties": {"bucket": "b"}, "options": options, "provider": provider}
    client = AnalyzerClient(".")
    expected = analyzer_pb2.AnalyzeRequest(type=resource["type"], name="b", urn=resource["urn"])
    expected.properties.update(resource["properties"])
    json_format.ParseDict(options, expected.options)
    json_format.ParseDict(provider, expected.provider)
    assert client.build_analyze_request(resource) == expected
    stacked = client.build_analyzer_resource(resource)
    assert stacked.options == expected.options and stacked.provider == expected.provider


def test_two_providers_sharing_one_properties_object_keep_their_own_urns() -> None:
    shared = {"region": "eu-west-1"}
    one = {"type": "pulumi:providers:aws", "urn": "urn:pulumi:s::p::pulumi:providers:aws::one", "name": "one",
           "properties": shared}
    two = {**one, "urn": "urn:pulumi:s::p::pulumi:providers:aws::two", "name": "two"}
    built: dict[int, Any] = {}
    client = AnalyzerClient(".")
    a = client.build_analyze_request({"type": "t", "name": "a", "urn": "u:a", "provider": one}, _providers=built)
    b = client.build_analyze_request({"type": "t", "name": "b", "urn": "u:b", "provider": two}, _providers=built)
    assert (a.provider.urn, b.provider.urn) == (one["urn"], two["urn"])
    assert b.provider.properties == a.provider.properties
