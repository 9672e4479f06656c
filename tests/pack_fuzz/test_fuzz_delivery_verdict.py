"""The mandatory policy's verdict is a function of the labels of its two fields, whatever else the trail holds.

Each example draws the log group ARN and the role ARN from labelled families (delivery_labels.py), arbitrary
noise in every other property, a trail type and a mode (preview or update), and sends one ``Analyze`` to the
real pack over gRPC. The pack must answer (pack_calls.py), report the mandatory violation exactly when
the labels say so, and say NOT JUDGED exactly for an unknown ARN in an update. Each family is tested on its
own, next to an acceptable other field, so that nothing else can explain a verdict; then pairs of anything,
partitions mixed.
"""

from __future__ import annotations

from typing import Any

import pytest
from hypothesis import event, given
from hypothesis import strategies as st

from compliant_cloudtrail.check.analyzer_client import AnalyzerClient

from .delivery_labels import (
    ACCEPTABLE,
    LOG_GROUP_FAMILIES,
    ROLE_FAMILIES,
    DeliveryCase,
    Expect,
    delivery_cases,
)
from .fuzz_settings import fuzz
from .pack_calls import AWS_TRAIL, DELIVERY, DELIVERY_FIELDS, NATIVE_TRAIL, analyze, of_policy, resource
from .trail_bags import resource_names, trail_noise

trail_types = st.sampled_from([AWS_TRAIL, NATIVE_TRAIL])
modes = st.sampled_from(["update", "preview"])


def _check_verdict(pack: AnalyzerClient, trail_type: str, name: str, case: DeliveryCase, noise: dict[str, Any]) -> None:
    group_field, role_field = DELIVERY_FIELDS[trail_type]
    props = {**noise, **case.properties(group_field, role_field)}
    result = analyze(pack, resource(trail_type, name, props))
    found = of_policy(result, DELIVERY)
    set_aside = [n.reason for n in result.not_applicable if n.policy_name == DELIVERY]
    if case.expected is not Expect.VIOLATION:
        assert found == [], f"{case} was judged a violation:\n{found[0].message}"
        # An unknown ARN waits for the update in a preview; in an update it was not seen: NOT JUDGED, never a
        # pass (issue 16). Every other case is judged.
        if case.expected is Expect.DEFERRED and not pack.dry_run:
            assert len(set_aside) == 1 and set_aside[0].startswith("NOT JUDGED: "), f"{case}: {set_aside}"
        else:
            assert set_aside == [], f"{case} was set aside: {set_aside}"
        return
    assert set_aside == [], f"{case} is a violation and was set aside too: {set_aside}"
    assert len(found) == 1, f"{case} was not judged a violation"
    [violation] = found
    assert violation.mandatory
    # The message names each field that is wrong (pack README: "The message names the part that is wrong").
    for field, label in ((group_field, case.log_group), (role_field, case.role)):
        if label.expect is Expect.VIOLATION:
            assert field in violation.message, f"{label.family} of {field} is not named:\n{violation.message}"
    if case.partitions_differ:
        assert "partition" in violation.message, violation.message


@pytest.mark.parametrize("family", list(LOG_GROUP_FAMILIES))
@fuzz(8)
@given(data=st.data(), noise=trail_noise(), trail_type=trail_types, name=resource_names(), mode=modes)
def test_each_log_group_family(
    packs: dict[str, AnalyzerClient],
    family: str,
    data: st.DataObject,
    noise: dict[str, Any],
    trail_type: str,
    name: str,
    mode: str,
) -> None:
    case = data.draw(delivery_cases((family,), ACCEPTABLE), label="case")
    _check_verdict(packs[mode], trail_type, name, case, noise)


@pytest.mark.parametrize("family", list(ROLE_FAMILIES))
@fuzz(8)
@given(data=st.data(), noise=trail_noise(), trail_type=trail_types, name=resource_names(), mode=modes)
def test_each_role_family(
    packs: dict[str, AnalyzerClient],
    family: str,
    data: st.DataObject,
    noise: dict[str, Any],
    trail_type: str,
    name: str,
    mode: str,
) -> None:
    case = data.draw(delivery_cases(ACCEPTABLE, (family,)), label="case")
    _check_verdict(packs[mode], trail_type, name, case, noise)


@fuzz(80)
@given(
    case=delivery_cases(mixed_partitions=True),
    noise=trail_noise(),
    trail_type=trail_types,
    name=resource_names(),
    mode=modes,
)
def test_any_pair_of_families(
    packs: dict[str, AnalyzerClient], case: DeliveryCase, noise: dict[str, Any], trail_type: str, name: str, mode: str
) -> None:
    event(f"expected: {case.expected.value}")
    event(f"partitions differ: {case.partitions_differ}")
    _check_verdict(packs[mode], trail_type, name, case, noise)


@fuzz(40)
@given(case=delivery_cases(ACCEPTABLE, ACCEPTABLE), noise=trail_noise(), trail_type=trail_types, mode=modes)
def test_noise_never_turns_a_passing_trail_into_a_violation(
    packs: dict[str, AnalyzerClient], case: DeliveryCase, noise: dict[str, Any], trail_type: str, mode: str
) -> None:
    """Well-formed or not-yet-known values in both fields: nothing else in the bag may make it a violation."""
    assert case.expected is not Expect.VIOLATION
    _check_verdict(packs[mode], trail_type, "audit", case, noise)
