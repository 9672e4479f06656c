"""Template bodies from anywhere: the pack answers every one, with a violation, nothing, or NOT JUDGED.

A CloudFormation ``templateBody`` is text the pack parses (policies/cfn_template.py). Whatever it holds (broken
YAML, tags, anchors, JSON of any shape, trails with properties of any type), ``Analyze`` must answer
(pack_calls.py: an exception escaping a validator is a gRPC error, not a verdict), and anything the mandatory
policy sets aside must say "NOT JUDGED: ".
"""

from __future__ import annotations

import json
from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from compliant_cloudtrail.check.analyzer_client import AnalyzerClient
from compliant_cloudtrail.policy_pack.policies.cfn_template import TemplateError, read_trails

from . import noise
from .fuzz_settings import fuzz
from .pack_calls import DELIVERY, analyze, of_policy, resource

STACK = "aws:cloudformation/stack:Stack"
_TAGS = [
    "!Ref",
    "!GetAtt",
    "!Sub",
    "!If",
    "!Join",
    "!ImportValue",
    "!Foo",
    "!!str",
    "!!python/name:os.system",
    "&a",
    "*a",
]
_WORDS = [
    "Resources:",
    "Type:",
    "AWS::CloudTrail::Trail",
    "Properties:",
    "CloudWatchLogsLogGroupArn:",
    "- ",
    "{",
    "[",
    "}",
]


def _yamlish() -> st.SearchStrategy[str]:
    """Lines built from the words and tags a template uses, indented at random."""
    piece = st.one_of(st.sampled_from(_TAGS + _WORDS), st.text(max_size=12))
    line = st.builds(
        lambda indent, parts: " " * indent + " ".join(parts), st.integers(0, 8), st.lists(piece, max_size=5)
    )
    return st.lists(line, max_size=12).map("\n".join)


def _trail_template() -> st.SearchStrategy[Any]:
    """Structured templates whose trails carry properties of any type, unknowns excluded (JSON text)."""
    properties = st.dictionaries(
        st.sampled_from(["CloudWatchLogsLogGroupArn", "CloudWatchLogsRoleArn", "KMSKeyId", "IsMultiRegionTrail", "X"]),
        st.one_of(noise.values(4, with_unknowns=False), st.sampled_from([{"Ref": "AWS::NoValue"}, {"Fn::If": []}])),
    )
    trail = st.fixed_dictionaries({"Type": st.just("AWS::CloudTrail::Trail")}, optional={"Properties": properties})
    resources = st.dictionaries(st.text(min_size=1, max_size=8), st.one_of(trail, noise.values(3, with_unknowns=False)))
    return st.fixed_dictionaries({"Resources": resources})


bodies = st.one_of(st.text(), _yamlish(), _trail_template().map(json.dumps))


@fuzz(300)
@given(body=bodies)
def test_reading_any_body_either_finds_trails_or_says_why_not(body: str) -> None:
    try:
        read_trails(body)
    except TemplateError as error:
        assert str(error), body


@fuzz(60)
@given(body=bodies)
def test_the_pack_answers_any_template_body(update_pack: AnalyzerClient, body: str) -> None:
    result = analyze(update_pack, resource(STACK, "org", {"templateBody": body}))
    set_aside = [n.reason for n in result.not_applicable if n.policy_name == DELIVERY]
    assert all(reason.startswith("NOT JUDGED: ") for reason in set_aside), set_aside
    if of_policy(result, DELIVERY):
        assert set_aside == [], "a violation and a set-aside for one resource"
