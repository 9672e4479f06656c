"""All four trail policies answer any trail property bag; resources that are not trails get no diagnostic."""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from compliant_cloudtrail.check.analyzer_client import AnalyzerClient

from . import noise
from .delivery_labels import delivery_cases
from .fuzz_settings import fuzz
from .pack_calls import AWS_TRAIL, DELIVERY_FIELDS, NATIVE_TRAIL, analyze, resource
from .stack_bags import BAGS
from .trail_bags import advanced_event_selectors, event_selectors, resource_names, trail_noise

FUZZ = fuzz(50)


@st.composite
def trail_bags(draw: st.DrawFn, trail_type: str) -> dict[str, Any]:
    """Noise everywhere; the delivery fields either labelled values or anything at all."""
    group_field, role_field = DELIVERY_FIELDS[trail_type]
    if draw(st.booleans()):
        delivery = draw(delivery_cases()).properties(group_field, role_field)
    else:
        delivery = draw(st.fixed_dictionaries({}, optional={group_field: noise.values(), role_field: noise.values()}))
    return {**draw(trail_noise()), **delivery}


@FUZZ
@given(
    data=st.data(),
    trail_type=st.sampled_from([AWS_TRAIL, NATIVE_TRAIL]),
    name=resource_names(),
    mode=st.sampled_from(["update", "preview"]),
)
def test_any_trail_is_answered(
    packs: dict[str, AnalyzerClient], data: st.DataObject, trail_type: str, name: str, mode: str
) -> None:
    analyze(packs[mode], resource(trail_type, name, data.draw(trail_bags(trail_type), label="properties")))


@FUZZ
@given(
    selectors=st.booleans().flatmap(
        lambda known: st.fixed_dictionaries(
            {"eventSelectors": event_selectors(known), "advancedEventSelectors": advanced_event_selectors(known)}
        )
    ),
    flags=st.fixed_dictionaries(
        {},
        optional={
            "isMultiRegionTrail": noise.values(3),
            "includeGlobalServiceEvents": noise.values(3),
            "enableLogFileValidation": noise.values(3),
            "kmsKeyId": noise.values(3),
        },
    ),
    trail_type=st.sampled_from([AWS_TRAIL, NATIVE_TRAIL]),
    mode=st.sampled_from(["update", "preview"]),
)
def test_any_selectors_and_flags_are_answered(
    packs: dict[str, AnalyzerClient], selectors: dict[str, Any], flags: dict[str, Any], trail_type: str, mode: str
) -> None:
    """The companions' own fields, always present, so the fuzz reaches the code that walks event selectors."""
    analyze(packs[mode], resource(trail_type, "audit", {**selectors, **flags}))


OTHER_TYPES = [t for t in BAGS if t not in (AWS_TRAIL, NATIVE_TRAIL)] + [
    "aws:cloudtrail/eventDataStore:EventDataStore",
    "aws:s3/bucketV2:BucketV2",
    "pulumi:providers:aws",
]


@FUZZ
@given(
    type_=st.one_of(st.sampled_from(OTHER_TYPES), st.text(min_size=1, max_size=40)).filter(
        lambda t: t not in (AWS_TRAIL, NATIVE_TRAIL)
    ),
    props=st.one_of(noise.bag(), trail_noise(), trail_bags(AWS_TRAIL), trail_bags(NATIVE_TRAIL)),
    mode=st.sampled_from(["update", "preview"]),
)
def test_resources_that_are_not_trails_get_no_diagnostic(
    packs: dict[str, AnalyzerClient], type_: str, props: dict[str, Any], mode: str
) -> None:
    """The pack judges ``aws:cloudtrail/trail:Trail`` and ``aws-native:cloudtrail:Trail`` only (pack README),
    even when another resource carries a trail's property names."""
    assert analyze(packs[mode], resource(type_, "thing", props)).diagnostics == []
