"""What the mandatory policy's messages may contain of the values it judges.

The pack documents (policy_pack/README.md): "Messages quote an offending ARN abridged to 120 characters;
set ``quoteValues: false`` on the mandatory policy if your ARNs are secrets." So a huge value must not flood
a message, and with ``quoteValues: false`` no part of a secret value may appear in one.
"""

from __future__ import annotations

from typing import Any

from hypothesis import given
from hypothesis import strategies as st

from compliant_cloudtrail.check.analyzer_client import AnalyzerClient

from . import noise as noise_strategies
from .delivery_labels import PARTITIONS, REGIONS, group_arn, role_arn
from .fuzz_settings import fuzz
from .pack_calls import AWS_TRAIL, DELIVERY, DELIVERY_FIELDS, NATIVE_TRAIL, analyze, of_policy, resource
from .trail_bags import trail_noise
from .wire import secret

FUZZ = fuzz(50)

# Fixed wording, two abridged quotes of 120 characters and the trail's name: far below this.
MESSAGE_LIMIT = 3_000

# Valid nowhere in an ARN (the space), so putting it in any part makes the ARN malformed.
MARKER = "s3cret mark"


@st.composite
def arns_with_a_part_replaced(draw: st.DrawFn, replacement: st.SearchStrategy[str]) -> str:
    """A log group or role ARN with one of its parts replaced by, or followed by, the drawn text."""
    partition = draw(st.sampled_from(PARTITIONS))
    if draw(st.booleans()):
        arn = group_arn(partition, REGIONS[partition][0], "123456789012", "/aws/cloudtrail/audit") + ":*"
    else:
        arn = role_arn(partition, "123456789012", "/service-role/", "deliver")
    parts = arn.split(":")
    index = draw(st.integers(1, len(parts) - 1))
    text = draw(replacement)
    parts[index] = draw(st.sampled_from([text, parts[index] + text]))
    return ":".join(parts)


def _maybe_secret(values: st.SearchStrategy[Any]) -> st.SearchStrategy[Any]:
    return values.flatmap(lambda v: st.sampled_from([v, secret(v)]))


secret_bearing = _maybe_secret(
    st.one_of(
        arns_with_a_part_replaced(st.sampled_from([MARKER, MARKER * 50])),
        st.text(max_size=20).map(lambda s: s + MARKER),
    )
)


@FUZZ
@given(
    group=secret_bearing,
    role=secret_bearing,
    trail_type=st.sampled_from([AWS_TRAIL, NATIVE_TRAIL]),
    noise=trail_noise(),
)
def test_with_quote_values_false_no_part_of_a_value_is_shown(
    unquoting_pack: AnalyzerClient, group: Any, role: Any, trail_type: str, noise: dict[str, Any]
) -> None:
    group_field, role_field = DELIVERY_FIELDS[trail_type]
    props = {**noise, group_field: group, role_field: role}
    [violation] = of_policy(analyze(unquoting_pack, resource(trail_type, "audit", props)), DELIVERY)
    assert MARKER not in violation.message, violation.message


# Ending in a space keeps every such ARN malformed (a space is valid in no part of one), whatever the
# repeated unit happens to be.
huge = _maybe_secret(
    st.one_of(
        arns_with_a_part_replaced(noise_strategies.huge_strings().map(lambda s: s + " ")),
        noise_strategies.huge_strings(),
    )
)


@FUZZ
@given(group=huge, role=huge, trail_type=st.sampled_from([AWS_TRAIL, NATIVE_TRAIL]), noise=trail_noise())
def test_a_huge_value_never_floods_the_message(
    update_pack: AnalyzerClient, group: Any, role: Any, trail_type: str, noise: dict[str, Any]
) -> None:
    group_field, role_field = DELIVERY_FIELDS[trail_type]
    props = {**noise, group_field: group, role_field: role}
    [violation] = of_policy(analyze(update_pack, resource(trail_type, "audit", props)), DELIVERY)
    assert len(violation.message) < MESSAGE_LIMIT, f"{len(violation.message)} characters: {violation.message[:400]}"
