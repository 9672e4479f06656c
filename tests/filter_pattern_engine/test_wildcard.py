"""The wildcard matcher shared by the engine (``*``) and the pack's IAM check (``*`` and ``?``)."""

from __future__ import annotations

from functools import cache

from hypothesis import given, settings
from hypothesis import strategies as st

from compliant_cloudtrail.policy_pack.filter_pattern import parse
from compliant_cloudtrail.policy_pack.filter_pattern.wildcard import Wildcard, matches, parse_glob


def reference(pattern: str, text: str) -> bool:
    """Textbook dynamic programming over (pattern position, text position): slow, obviously right."""

    @cache
    def fits(p: int, t: int) -> bool:
        if p == len(pattern):
            return t == len(text)
        if pattern[p] == "*":
            return fits(p + 1, t) or (t < len(text) and fits(p, t + 1))
        if t == len(text):
            return False
        return (pattern[p] == "?" or pattern[p] == text[t]) and fits(p + 1, t + 1)

    return fits(0, 0)


# A small alphabet so that literals, wildcards and texts collide often.
patterns = st.text(alphabet="ab*?", max_size=10)
texts = st.text(alphabet="ab", max_size=12)


@settings(max_examples=400, deadline=None)
@given(patterns, texts)
def test_agrees_with_the_reference(pattern: str, text: str) -> None:
    assert matches(parse_glob(pattern), text) == reference(pattern, text)


@settings(max_examples=200, deadline=None)
@given(patterns, st.text(alphabet="ab?", max_size=12))
def test_without_single_wildcards_a_question_mark_is_literal(pattern: str, text: str) -> None:
    # With '?' renamed to a plain letter on both sides, the reference sees it as the literal it is.
    expected = reference(pattern.replace("?", "c"), text.replace("?", "c"))
    assert matches(parse_glob(pattern, single=False), text) == expected


def test_runs_of_stars_collapse_and_literals_join() -> None:
    assert parse_glob("a**b?c") == ("a", Wildcard.ANY_RUN, "b", Wildcard.ANY_ONE, "c")
    assert parse_glob("") == ()


def test_many_wildcards_on_a_long_non_matching_text_answer_false() -> None:
    # Fuzzing found these: as regexes (".*" runs) they backtrack for seconds to minutes.
    assert not matches(parse_glob("*?" * 8 + "Z"), "a" * 5_000)
    assert matches(parse_glob("*?" * 8 + "Z"), "a" * 5_000 + "Z")
    event = {"eventName": "a" * 5_000}
    assert not parse("{ $.eventName = ********Z }").matches(event)
    assert parse("{ $.eventName = a*a*a*a*a*a*a*a }").matches(event)
