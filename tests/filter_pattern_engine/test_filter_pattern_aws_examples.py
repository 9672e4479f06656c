"""The worked examples of the AWS guide, with the verdicts the guide gives.

Source: "Filter pattern syntax for metric filters, subscription filters, filter log events, and
Live Tail", https://docs.aws.amazon.com/AmazonCloudWatch/latest/logs/FilterAndPatternSyntax.html
(its Markdown source: awsdocs/amazon-cloudwatch-logs-user-guide, doc_source/FilterAndPatternSyntax.md).
"""

from __future__ import annotations

import pytest

from compliant_cloudtrail.policy_pack.filter_pattern import parse

# The guide's first sample event ("JSON metric filter examples").
SAMPLE_EVENT = {
    "eventType": "UpdateTrail",
    "sourceIPAddress": "111.111.111.111",
    "arrayKey": ["value", "another value"],
    "objectList": [{"name": "a", "id": 1}, {"name": "b", "id": 2}],
    "SomeObject": None,
    "ThisFlag": True,
}

# The guide's second sample event ("JSON compound conditions").
COMPOUND_EVENT = {
    "user": {"id": 1, "email": "John.Stiles@example.com"},
    "users": [{"id": 2, "email": "John.Doe@example.com"}, {"id": 3, "email": "Jane.Doe@example.com"}],
    "actions": ["GET", "PUT", "DELETE"],
    "coordinates": [[0, 1, 2], [4, 5, 6], [7, 8, 9]],
}


@pytest.mark.parametrize(
    "pattern",
    [
        '{ $.eventType = "UpdateTrail" }',
        "{ $.sourceIPAddress != 123.123.* }",
        '{ $.arrayKey[0] = "value" }',
        "{ $.objectList[1].id = 2 }",
        "{ $.SomeObject IS NULL }",
        "{ $.SomeOtherObject NOT EXISTS }",
        "{ $.ThisFlag IS TRUE }",
    ],
)
def test_the_guide_says_these_match_its_sample_event(pattern: str) -> None:
    assert parse(pattern).matches(SAMPLE_EVENT), pattern


@pytest.mark.parametrize(
    ("pattern", "matches"),
    [
        ('{ ($.user.id = 1) && ($.users[0].email = "John.Doe@example.com") }', True),
        ('{ ($.user.id = 2 && $.users[0].email = "nonmatch") || $.actions[2] = "GET" }', False),
        (
            '{ $.user.email = "John.Stiles@example.com" || $.coordinates[0][1] = nonmatch'
            " && $.actions[2] = nomatch }",
            True,
        ),
        (
            '{ ($.user.email = "John.Stiles@example.com" || $.coordinates[0][1] = nonmatch)'
            " && $.actions[2] = nomatch }",
            False,
        ),
    ],
)
def test_compound_conditions_follow_the_guides_verdicts(pattern: str, matches: bool) -> None:
    assert parse(pattern).matches(COMPOUND_EVENT) is matches, pattern


@pytest.mark.parametrize("pattern", ["{$.users = 1}", "{$.users != 1}"])
def test_the_guide_says_a_selector_on_an_array_matches_neither_way(pattern: str) -> None:
    assert not parse(pattern).matches({"users": [1, 2, 3]})


@pytest.mark.parametrize(
    ("pattern", "event"),
    [
        ("{ $.latency >= 500 }", {"latency": 500}),
        ("{ $.numbers[0] < 10e3 }", {"numbers": [9999]}),
        ("{ $.numbers[0] < 10e-3 }", {"numbers": [0.009]}),
        (
            "{ $.processes[4].averageRuntime <= 55.5 }",
            {"processes": [{}, {}, {}, {}, {"averageRuntime": 55.5}]},
        ),
        ("{ $.errorCode = 400 }", {"errorCode": 400}),
        ("{ $.errorCode != 500 }", {"errorCode": 400}),
        ("{ $.latency > +1000 }", {"latency": 1001}),
    ],
)
def test_the_guides_numeric_examples_parse_and_hold_on_an_event_that_satisfies_them(
    pattern: str, event: dict[str, object]
) -> None:
    assert parse(pattern).matches(event), pattern


@pytest.mark.parametrize(
    ("pattern", "event"),
    [
        ("{ $.latency >= 500 }", {"latency": 499.9}),
        ("{ $.numbers[0] < 10e3 }", {"numbers": [10000]}),
        ("{ $.numbers[0] < 10e-3 }", {"numbers": [0.01]}),
        ("{ $.latency > +1000 }", {"latency": 1000}),
    ],
)
def test_the_guides_numeric_examples_fail_just_past_their_bound(
    pattern: str, event: dict[str, object]
) -> None:
    assert not parse(pattern).matches(event), pattern


@pytest.mark.parametrize(
    ("pattern", "event", "matches"),
    [
        ("{$.foo = bar}", {"foo": "bar"}, True),
        ("{$.foo = bar}", {"foo": "baz"}, False),
        ("{$.foo = baz }", {"foo": "baz"}, True),
        ("{$.foo = bar || $.foo = baz }", {"foo": "bar"}, True),
        ("{$.foo = bar || $.foo = baz }", {"foo": "baz"}, True),
    ],
)
def test_or_in_json_patterns(pattern: str, event: dict[str, str], matches: bool) -> None:
    assert parse(pattern).matches(event) is matches


# "OR pattern matching" in the guide: three lines and which of them each term pattern matches.
OR_LINES = ["ERROR WARN message", "ERROR message", "WARN message"]


@pytest.mark.parametrize(
    ("pattern", "matching_lines"),
    [
        ("ERROR", {0, 1}),
        ("?ERROR ?WARN", {0, 1, 2}),
        ("ERROR WARN", {0}),
        ("ERROR -WARN", {1}),
    ],
)
def test_term_or_examples(pattern: str, matching_lines: set[int]) -> None:
    compiled = parse(pattern)
    assert {i for i, line in enumerate(OR_LINES) if compiled.matches(line)} == matching_lines


def test_single_term_matches_inside_longer_words() -> None:
    pattern = parse('"ERROR"')
    assert pattern.matches("[ERROR] A fatal exception has occurred")
    assert pattern.matches("Exiting with ERRORCODE: -1")


def test_include_and_exclude_terms() -> None:
    pattern = parse('"ERROR" - "Exiting"')
    assert pattern.matches("[ERROR] A fatal exception has occurred")
    assert not pattern.matches("Exiting with ERRORCODE: -1")


def test_multiple_terms_must_all_appear() -> None:
    assert parse("ERROR Exception").matches("[ERROR] Caught IllegalArgumentException")
    assert parse("ERROR Exception").matches("[ERROR] Unhandled Exception")
    assert not parse("ERROR Exception").matches("[ERROR] Unhandled failure")
    everything = parse("Failed to process the request")
    assert everything.matches("[WARN] Failed to process the request")
    assert everything.matches("[ERROR] Unable to continue: Failed to process the request")


def test_empty_quoted_pattern_matches_everything() -> None:
    assert parse('""').matches("anything at all")


def test_standalone_regex_example() -> None:
    pattern = parse("%AUTHORIZED%")
    assert pattern.matches("[ERROR 401] UNAUTHORIZED REQUEST")
    assert pattern.matches("[SUCCESS 200] AUTHORIZED REQUEST")
    assert not pattern.matches("[SUCCESS 200] OK")


def test_latency_wildcard_from_the_metric_value_example() -> None:
    # "{ $.latency = * }" is the guide's filter for publishing $.latency as the metric value.
    assert parse("{ $.latency = * }").matches({"latency": 42})
    assert not parse("{ $.latency = * }").matches({"other": 42})
