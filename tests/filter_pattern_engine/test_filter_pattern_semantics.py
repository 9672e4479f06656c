"""Each rule of the facts file's "CloudWatch Logs filter pattern semantics" section, one test each.

Facts: /work/shared/reference/cloudtrail-cloudwatch-facts.md (copied rules, not code) and the
corpus README's "How the labels were made". Decisions the AWS docs leave open are marked DECISION.
"""

from __future__ import annotations

import pytest

from compliant_cloudtrail.policy_pack.filter_pattern import parse

EVENT = {
    "eventName": "ConsoleLogin",
    "errorCode": "Client.UnauthorizedOperation",
    "userIdentity": {"type": "Root", "sessionContext": {"attributes": {"mfaAuthenticated": "false"}}},
    "resources": [{"ARN": "arn:aws:s3:::bucket"}, {"ARN": "arn:aws:s3:::other"}],
    "readOnly": False,
    "managementEvent": True,
    "apiVersion": None,
    "latency": 250,
    "ratio": 0.75,
    "recipientAccountId": "123456789012",
}


def matches(pattern: str, event: object = EVENT) -> bool:
    return parse(pattern).matches(event)


class TestSelectors:
    def test_nested_property(self) -> None:
        assert matches('{ $.userIdentity.type = "Root" }')
        assert not matches('{ $.userIdentity.type = "IAMUser" }')

    def test_array_index_then_property(self) -> None:
        assert matches('{ $.resources[1].ARN = "arn:aws:s3:::other" }')
        assert not matches('{ $.resources[0].ARN = "arn:aws:s3:::other" }')

    def test_index_past_the_end_is_absent(self) -> None:
        assert not matches('{ $.resources[2].ARN = "*" }')
        assert matches("{ $.resources[2].ARN NOT EXISTS }")

    def test_index_into_an_object_or_property_of_an_array_is_absent(self) -> None:
        assert matches("{ $.userIdentity[0] NOT EXISTS }")
        assert matches("{ $.resources.ARN NOT EXISTS }")

    def test_property_names_may_hold_dashes_and_underscores(self) -> None:
        assert matches("{ $.my-key_2 = v }", {"my-key_2": "v"})

    @pytest.mark.parametrize(
        "pattern", ['{ $.userIdentity = "*" }', '{ $.resources != "x" }', "{ $.resources = 1 }"]
    )
    def test_a_selector_on_an_object_or_array_never_matches(self, pattern: str) -> None:
        assert not matches(pattern)


class TestStrings:
    def test_matching_is_case_sensitive(self) -> None:
        assert matches("{ $.eventName = ConsoleLogin }")
        assert not matches("{ $.eventName = consolelogin }")
        # The corpus README: MFAUsed "YES" does fire a != "Yes" test.
        assert matches('{ $.MFAUsed != "Yes" }', {"MFAUsed": "YES"})

    def test_quoted_and_unquoted_values_are_the_same_string(self) -> None:
        assert (
            matches('{ $.eventName = "ConsoleLogin" }') == matches("{ $.eventName = ConsoleLogin }") is True
        )

    def test_equality_is_on_the_whole_value_not_a_substring(self) -> None:
        assert not matches("{ $.eventName = Console }")

    @pytest.mark.parametrize(
        ("value", "pattern", "expected"),
        [
            ("Client.UnauthorizedOperation", '"*UnauthorizedOperation"', True),
            ("UnauthorizedOperation", '"*UnauthorizedOperation"', True),  # "*" may match nothing
            ("AccessDeniedException", '"AccessDenied*"', True),
            ("NotAccessDenied", '"AccessDenied*"', False),
            ("PutEvent", "*Event", True),
            ("EventName", "Event*", True),
            ("Evolution-ent", '"Ev*ent"', True),  # DECISION: "*" anywhere, as the facts file says
            ("Event", '"Ev*ent"', True),
            ("Eventual", '"Ev*ent"', False),
            ("a.b.c", '"a*c"', True),
        ],
    )
    def test_star_is_any_run_of_characters(self, value: str, pattern: str, expected: bool) -> None:
        assert matches(f"{{ $.v = {pattern} }}", {"v": value}) is expected

    def test_escaped_star_in_quotes_is_a_literal_star(self) -> None:  # DECISION
        assert matches(r'{ $.v = "a\*" }', {"v": "a*"})
        assert not matches(r'{ $.v = "a\*" }', {"v": "ab"})

    def test_not_equal_with_a_wildcard(self) -> None:
        assert matches("{ $.ip != 123.123.* }", {"ip": "10.0.0.1"})
        assert not matches("{ $.ip != 123.123.* }", {"ip": "123.123.4.5"})

    def test_number_literal_equals_a_string_spelling_it(self) -> None:  # DECISION, see README use case
        assert matches("{ $.recipientAccountId = 123456789012 }")
        assert not matches("{ $.recipientAccountId != 123456789012 }")


class TestNumbers:
    @pytest.mark.parametrize(
        ("pattern", "expected"),
        [
            ("{ $.latency = 250 }", True),
            ("{ $.latency = 250.0 }", True),
            ("{ $.latency = 2.5e2 }", True),
            ("{ $.latency != 250 }", False),
            ("{ $.latency < 251 }", True),
            ("{ $.latency < 250 }", False),
            ("{ $.latency <= 250 }", True),
            ("{ $.latency > 249.5 }", True),
            ("{ $.latency > 250 }", False),
            ("{ $.latency >= 250 }", True),
            ("{ $.latency > -1 }", True),
            ("{ $.ratio < 1E0 }", True),
            ("{ $.ratio > .5 }", True),
            ("{ $.ratio >= 7.5e-1 }", True),
            ("{ $.ratio > 7.5e-1 }", False),
        ],
    )
    def test_numeric_comparisons(self, pattern: str, expected: bool) -> None:
        assert matches(pattern) is expected

    def test_negative_numbers(self) -> None:
        assert matches("{ $.t < -3.5 }", {"t": -4})
        assert not matches("{ $.t < -3.5 }", {"t": -3})

    def test_relational_operators_ignore_strings_and_booleans(self) -> None:  # DECISION
        assert not matches("{ $.v > 1 }", {"v": "2"})
        assert not matches("{ $.v > 0 }", {"v": True})  # JSON true is not the number 1
        assert not matches("{ $.v = 1 }", {"v": True})


class TestChecks:
    def test_is_null_only_for_null(self) -> None:
        assert matches("{ $.apiVersion IS NULL }")
        assert not matches("{ $.readOnly IS NULL }")
        assert not matches("{ $.absent IS NULL }")

    def test_is_true_and_is_false_only_for_booleans(self) -> None:
        assert matches("{ $.managementEvent IS TRUE }")
        assert matches("{ $.readOnly IS FALSE }")
        assert not matches("{ $.readOnly IS TRUE }")
        assert not matches("{ $.v IS TRUE }", {"v": "true"})
        assert not matches("{ $.v IS FALSE }", {"v": 0})

    def test_not_exists_only_when_absent(self) -> None:
        assert matches("{ $.userIdentity.invokedBy NOT EXISTS }")
        assert not matches("{ $.apiVersion NOT EXISTS }")  # null is present
        assert not matches("{ $.userIdentity NOT EXISTS }")  # an object is present

    def test_keywords_are_accepted_in_any_case(self) -> None:  # DECISION: lenient, AWS validates at creation
        assert matches("{ $.apiVersion is null }")


class TestAbsentProperties:
    @pytest.mark.parametrize(
        "pattern",
        [
            "{ $.absent = x }",
            "{ $.absent != x }",
            "{ $.absent = * }",
            "{ $.absent = 1 }",
            "{ $.absent != 1 }",
            "{ $.absent < 1 }",
            "{ $.absent >= 1 }",
            "{ $.absent = %x% }",
            "{ $.absent != %x% }",
            "{ $.additionalEventData.MFAUsed != Yes }",
        ],
    )
    def test_every_comparison_on_an_absent_property_is_false(self, pattern: str) -> None:
        assert not matches(pattern)

    def test_null_has_no_value_to_compare(self) -> None:  # DECISION
        assert not matches("{ $.apiVersion != x }")
        assert not matches("{ $.apiVersion = * }")


class TestLogic:
    def test_and_binds_tighter_than_or(self) -> None:
        # true || (false && false): true if && binds tighter, false if read left to right.
        assert matches("{ $.latency = 250 || $.latency = 1 && $.latency = 2 }")
        # (false && true) || false
        assert not matches("{ $.latency = 1 && $.latency = 250 || $.latency = 2 }")

    def test_or_of_equalities_keeps_each_value_with_its_own_property(self) -> None:
        # The shape of most CIS filters; each value belongs to its selector only.
        pattern = "{ $.a = x || $.b = y || $.a = z || $.c[0] = x }"
        assert matches(pattern, {"b": "y"})
        assert matches(pattern, {"a": "z"})
        assert matches(pattern, {"c": ["x"]})
        assert not matches(pattern, {"a": "y"})
        assert not matches(pattern, {"b": "x", "c": "x"})

    def test_parentheses_override_precedence(self) -> None:
        assert not matches("{ ($.latency = 250 || $.latency = 1) && $.latency = 2 }")

    def test_nested_parentheses(self) -> None:
        assert matches("{ ((($.latency = 250))) }")
        assert matches("{ ($.eventName = x || ($.latency > 1 && ($.ratio < 1))) }")

    def test_cis_4_1_v4_wording_reads_as_or_of_one_and_chain(self) -> None:
        # Facts file: CIS v4.0+ writes "A || B && C && D" relying on && binding tighter.
        pattern = (
            '{ ($.errorCode = "*UnauthorizedOperation") || ($.errorCode = "AccessDenied*") '
            '&& ($.eventName != "Decrypt") && ($.eventName != "GetSecretValue") }'
        )
        assert matches(pattern, {"errorCode": "Client.UnauthorizedOperation", "eventName": "Decrypt"})
        assert not matches(pattern, {"errorCode": "AccessDenied", "eventName": "Decrypt"})
        assert matches(pattern, {"errorCode": "AccessDenied", "eventName": "ListBuckets"})


class TestRegexValues:
    def test_regex_value_searches_within_the_value(self) -> None:  # DECISION: unanchored, like %AUTHORIZED%
        assert matches("{ $.eventName = %Login% }")
        assert matches("{ $.eventName = %^Console% }")
        assert not matches("{ $.eventName = %^Login% }")

    def test_regex_not_equal(self) -> None:
        assert matches("{ $.eventName != %^Delete% }")
        assert not matches("{ $.eventName != %Console% }")


class TestEventForms:
    def test_a_json_line_is_parsed_for_a_json_pattern(self) -> None:
        assert matches("{ $.a = 1 }", '{"a": 1}')

    @pytest.mark.parametrize("line", ["not json", "[1, 2]", '"a string"', "", "{broken"])
    def test_a_json_pattern_never_matches_a_line_that_is_not_a_json_object(self, line: str) -> None:
        assert not matches("{ $.missing NOT EXISTS }", line)

    def test_term_patterns_see_a_dict_as_its_json_text(self) -> None:  # DECISION: compact JSON
        assert matches('"\\"eventName\\":\\"ConsoleLogin\\""')
        assert matches("ConsoleLogin")
        assert not matches("DeleteTrail")

    def test_text_attribute_is_the_source(self) -> None:
        source = "{ $.a = 1 }"
        assert parse(source).text == source
