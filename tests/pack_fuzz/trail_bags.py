"""Arbitrary trail property bags: every field a trail policy reads, drawn from anything, plus unknown keys.

Event selectors get a shape of their own (lists of objects with the keys the multi-region policy looks
into), so the fuzz reaches the code that walks them rather than stopping at "not a list".
"""

from __future__ import annotations

from functools import cache
from typing import Any

from hypothesis import strategies as st

from . import noise
from .pack_calls import ALL_DELIVERY_KEYS

_FLAG = st.one_of(st.booleans(), noise.values(4))


def _maybe(strategy: st.SearchStrategy[Any], with_unknowns: bool = True) -> st.SearchStrategy[Any]:
    return st.one_of(strategy, noise.values(4, with_unknowns=with_unknowns))


# A single unknown anywhere in a selector list makes the policy skip the whole list (it is checked once
# known), so ``known=True`` draws lists without any, to reach the code that walks them.


@cache
def event_selectors(known: bool = False) -> st.SearchStrategy[Any]:
    anything = noise.values(6, with_unknowns=not known)
    selector = noise.bag(
        {
            "readWriteType": _maybe(st.sampled_from(["All", "ReadOnly", "WriteOnly", "all"]), not known),
            "includeManagementEvents": _maybe(st.booleans(), not known),
            "excludeManagementEventSources": _maybe(
                st.lists(st.sampled_from(["kms.amazonaws.com", ""]), max_size=2), not known
            ),
            "dataResources": anything,
        },
        with_unknowns=not known,
    )
    return noise.mostly(st.lists(noise.maybe_secret(selector), min_size=1, max_size=3), with_unknowns=not known)


@cache
def advanced_event_selectors(known: bool = False) -> st.SearchStrategy[Any]:
    anything = noise.values(4, with_unknowns=not known)
    field_selector = noise.bag(
        {
            "equals": _maybe(st.lists(st.sampled_from(["Management", "Data", "true", "false"]), max_size=2), not known),
            "notEquals": anything,
            "startsWith": anything,
        },
        required={
            "field": _maybe(st.sampled_from(["eventCategory", "readOnly", "eventSource", "resources.type"]), not known)
        },
        with_unknowns=not known,
    )
    selector = noise.bag(
        {"name": anything},
        required={
            "fieldSelectors": noise.mostly(st.lists(field_selector, min_size=1, max_size=3), with_unknowns=not known)
        },
        with_unknowns=not known,
    )
    return noise.mostly(st.lists(noise.maybe_secret(selector), min_size=1, max_size=3), with_unknowns=not known)


@cache
def trail_noise() -> st.SearchStrategy[dict[str, Any]]:
    """Everything but the two delivery fields (of either trail type): they carry the labelled values."""
    return noise.bag(
        {
            "name": noise.values(2),
            "trailName": noise.values(2),
            "s3BucketName": noise.values(2),
            "isMultiRegionTrail": _FLAG,
            "includeGlobalServiceEvents": _FLAG,
            "enableLogFileValidation": _FLAG,
            "isOrganizationTrail": _FLAG,
            "kmsKeyId": noise.values(3),
            "eventSelectors": event_selectors(),
            "advancedEventSelectors": advanced_event_selectors(),
            "tags": noise.values(6),
        },
        exclude=ALL_DELIVERY_KEYS,
    )


@cache
def resource_names() -> st.SearchStrategy[str]:
    return st.one_of(st.sampled_from(["audit", "trail"]), st.text(min_size=1, max_size=60))
