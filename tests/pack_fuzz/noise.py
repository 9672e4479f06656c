"""Arbitrary property values: what a careless, hostile or merely unusual program may put in a property bag.

The factories are cached: Hypothesis strategies are immutable, and building them anew inside composite
strategies on every draw costs more than running the pack.

Two kinds of value are kept out on purpose, because pulumi-policy fails on them before any policy of the
pack runs (so they say nothing about the pack):
- NaN and infinities: ``json_format.MessageToDict`` refuses them ("Fail to serialize NaN for
  Value.number_value"), and the Analyze call fails with StatusCode.UNKNOWN.
- nesting deeper than about 190 levels: ``MessageToDict`` exceeds Python's recursion limit.
Integers stay within +-2**53 because ``google.protobuf.Struct`` carries every number as a double.
"""

from __future__ import annotations

from functools import cache
from typing import Any

from hypothesis import strategies as st

from .wire import UNKNOWN_SENTINELS, secret


@cache
def unknowns() -> st.SearchStrategy[str]:
    return st.sampled_from(UNKNOWN_SENTINELS)


@cache
def huge_strings(min_repeats: int = 1_000, max_repeats: int = 20_000) -> st.SearchStrategy[str]:
    """Long strings, built by repetition so that drawing them stays cheap."""
    return st.builds(
        lambda unit, repeats: unit * repeats,
        st.text(min_size=1, max_size=4),
        st.integers(min_repeats, max_repeats),
    )


@cache
def arn_like_strings() -> st.SearchStrategy[str]:
    """Strings that look like ARNs closely enough to reach the deeper branches of the ARN parsers."""
    part = st.one_of(st.text(max_size=12), st.sampled_from(["aws", "logs", "iam", "us-east-1", "123456789012", "*"]))
    return st.lists(part, min_size=1, max_size=9).map(lambda parts: "arn:" + ":".join(parts))


@cache
def scalars(with_unknowns: bool = True) -> st.SearchStrategy[Any]:
    plain = [
        st.none(),
        st.booleans(),
        st.integers(-(2**53), 2**53),
        st.floats(allow_nan=False, allow_infinity=False),
        st.text(max_size=40),
        huge_strings(),
        arn_like_strings(),
    ]
    return st.one_of(*plain, unknowns()) if with_unknowns else st.one_of(*plain)


@cache
def keys() -> st.SearchStrategy[str]:
    known = st.sampled_from(["name", "arn", "policy", "Statement", "Effect", "Action", "Resource", "value", "id"])
    return st.one_of(st.text(max_size=20), known)


@cache
def values(max_leaves: int = 12, *, with_unknowns: bool = True) -> st.SearchStrategy[Any]:
    """Any value the wire can carry: scalars, lists, objects, secrets and unknowns nested in each other."""
    return st.recursive(
        scalars(with_unknowns),
        lambda inner: st.one_of(
            st.lists(inner, max_size=4),
            st.dictionaries(keys(), inner, max_size=4),
            inner.map(secret),
        ),
        max_leaves=max_leaves,
    )


def maybe_secret(strategy: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    """The drawn value, sometimes marked secret: the pack must judge a secret like its plain value."""
    return st.one_of(strategy, strategy.map(secret))


def mostly(strategy: st.SearchStrategy[Any], *, with_unknowns: bool = True) -> st.SearchStrategy[Any]:
    """The given shape four times in five, anything at all otherwise: nested shapes stay likely enough for
    the fuzz to reach the code that walks them."""
    return st.integers(0, 4).flatmap(lambda i: values(4, with_unknowns=with_unknowns) if i == 0 else strategy)


def bag(
    optional: dict[str, st.SearchStrategy[Any]] | None = None,
    *,
    required: dict[str, st.SearchStrategy[Any]] | None = None,
    exclude: frozenset[str] = frozenset(),
    with_unknowns: bool = True,
) -> st.SearchStrategy[dict[str, Any]]:
    """A property bag: arbitrary keys with arbitrary values, the ``required`` keys and some of the ``optional``
    ones drawn their own way. No key of ``exclude`` ever appears."""
    own = {**(optional or {}), **(required or {})}
    free = st.dictionaries(
        keys().filter(lambda k: k not in exclude and k not in own), values(with_unknowns=with_unknowns), max_size=6
    )
    chosen = st.fixed_dictionaries(required or {}, optional=optional or {})
    return st.builds(lambda a, b: {**a, **b}, free, chosen)
