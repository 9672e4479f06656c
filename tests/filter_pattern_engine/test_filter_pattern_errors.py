"""Bad patterns: FilterPatternError says what was expected and at which character."""

from __future__ import annotations

import pytest

from compliant_cloudtrail.policy_pack.filter_pattern import FilterPatternError, parse


def error_for(pattern: str) -> FilterPatternError:
    with pytest.raises(FilterPatternError) as caught:
        parse(pattern)
    return caught.value


@pytest.mark.parametrize(
    ("pattern", "expected", "position"),
    [
        ("{ ($.a = 1 && $.b = 2 }", "')'", 22),
        ("{ $.a = 1 ", "closing '}'", 10),
        ("{ $.a = 1 } extra", "nothing after the closing '}'", 12),
        ("{ }", "selector", 2),
        ("{ $.a }", "operator", 6),
        ("{ $.a = }", "value after '='", 8),
        ("{ $.a > abc }", "number after '>'", 8),
        ('{ $.a >= "5" }', "number after '>='", 9),
        ("{ $.a IS MISSING }", "NULL, TRUE or FALSE", 9),
        ("{ $.a NOT THERE }", "EXISTS", 10),
        ("{ $.a = 1 & $.b = 2 }", "'&&'", 10),
        ("{ $.a = 1 | $.b = 2 }", "'||'", 10),
        ("{ $.a ! 1 }", "'!='", 6),
        ("{ $.a = 1 $.b = 2 }", "'&&', '||'", 10),
        ("{ $a = 1 }", "'.'", 3),
        ("{ $. = 1 }", "property name", 4),
        ("{ $.* = 1 }", "wildcard", 4),
        ("{ $.a[x] = 1 }", "array index", 5),
        ("{ $.a[*] = 1 }", "array index", 5),
        ('{ $.a = "open }', "closing '\"'", 15),
        ("{ $.a = %open }", "closing '%'", 15),
        ("{ $.a = %(x)% }", "parentheses", 9),
        ("{ $.a = %a[% }", "valid regular expression", 10),
        ("{ $.a = user@example.com }", "double quotes", 12),
        ("{ ) }", "selector", 2),
        ("{ $.a = 1 ) }", "'('", 10),
        ("[ip, user, status_code = 4*]", "space-delimited", 0),
        ("ERROR:", "double quotes", 5),
        ("ERROR -", "term after '-'", 7),
        ('"unclosed', "closing '\"'", 9),
        ("@host", "double quotes", 0),
        ("%a(b)%", "parentheses", 2),
    ],
)
def test_error_names_what_was_expected_and_where(pattern: str, expected: str, position: int) -> None:
    error = error_for(pattern)
    assert expected in error.message, str(error)
    assert error.position == position, str(error)


def test_message_reads_expected_at_position_with_surrounding_text() -> None:
    error = error_for("{ ($.eventName = ConsoleLogin && $.x = 2 }")
    text = str(error)
    assert text.startswith("expected ')' at position 41:"), text
    assert '$.x = 2 "' in text and 'before "}"' in text, text


def test_error_is_a_value_error() -> None:
    assert isinstance(error_for("{"), ValueError)


def test_1024_characters_are_allowed_and_1025_are_not() -> None:
    clause = "($.eventName = X) || "
    body = clause * ((1024 - 4) // len(clause))
    pattern = "{ " + body + "$.a = 1" + "}"
    pattern = pattern.replace("{ ", "{ " + " " * (1024 - len(pattern)), 1)
    assert len(pattern) == 1024
    assert parse(pattern).matches({"a": 1})
    error = error_for(pattern[:-1] + " }")
    assert "1024" in error.message and error.position == 1024


def test_two_regexes_are_allowed_and_a_third_is_not() -> None:
    assert parse("{ $.a = %x% || $.b = %y% }").matches({"b": "y"})
    error = error_for("{ $.a = %x% || $.b = %y% || $.c = %z% }")
    assert "at most 2" in error.message and error.position == 34


def test_non_str_pattern_is_rejected() -> None:
    with pytest.raises(FilterPatternError):
        parse(None)  # type: ignore[arg-type]


def _nested(levels: int) -> str:
    return "{ " + "(" * levels + "$.a = 1" + ")" * levels + " }"


def test_a_hundred_nested_parentheses_parse_and_more_get_a_clear_error() -> None:
    # Found by fuzzing the component: 330 levels fit in 1024 characters and raised RecursionError.
    assert parse(_nested(100)).matches({"a": 1})
    error = error_for(_nested(101))
    assert "at most 100 nested parentheses" in error.message and error.position == 2 + 100
    assert "at most 100 nested parentheses" in error_for(_nested(500)).message


def test_a_regex_repeat_count_python_cannot_hold_gets_a_clear_error() -> None:
    # re.compile raises OverflowError, not re.error, for counts from 4294967295 up.
    error = error_for("{ $.a = %a{4294967296}% }")
    assert "repeat count" in error.message and error.position == 9
    assert parse("{ $.a = %a{2}% }").matches({"a": "aa"})
