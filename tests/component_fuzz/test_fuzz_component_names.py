"""Property 4: the component's name (the trail's and the bucket's default name) is fuzzed too."""

from __future__ import annotations

import string

from hypothesis import given, settings
from hypothesis import strategies as st

from compliant_cloudtrail.component import InvalidArgumentError
from compliant_cloudtrail.component.settings import TrailSettings
from compliant_cloudtrail.component.validation import validate_args

from .arbitrary import long_strings
from .aws_rules import BUCKET_RESERVED_PREFIXES, autonamed_log_bucket, component_names_its_children, is_trail_name
from .clear_errors import validate_or_refuse

FUZZ = settings(deadline=None, max_examples=150)

# Short names with the characters the naming rules care about, reserved prefixes and the length limits.
rule_probing_names = st.one_of(
    st.text(max_size=30),
    st.text("abcXY019.-_ /", max_size=20),
    st.builds(str.__add__, st.sampled_from(BUCKET_RESERVED_PREFIXES), st.text("abc019.-", max_size=8)),
    st.builds(lambda parts: ".".join(map(str, parts)), st.lists(st.integers(0, 999), min_size=4, max_size=4)),
    st.text(string.ascii_lowercase, min_size=48, max_size=52),
    st.text(string.ascii_letters, min_size=126, max_size=130),
)


@FUZZ
@given(component=st.one_of(rule_probing_names, st.text(), long_strings))
def test_any_component_name_gives_settings_or_a_clear_error(component: str) -> None:
    validate_or_refuse(component, {})
    validate_or_refuse(component, {"trail_name": "audit", "bucket_name": "audit-logs"})


@FUZZ
@given(component=rule_probing_names)
def test_by_default_the_name_must_be_a_trail_name_and_name_the_bucket(component: str) -> None:
    aws_accepts = is_trail_name(component) and component_names_its_children(component)
    try:
        settings_ = validate_args(component, {})
    except InvalidArgumentError as error:
        assert not aws_accepts, f"refused a name AWS accepts: {error}"
        assert error.argument in ("trail_name", "bucket_name", "the component's name")
    else:
        assert aws_accepts, f"accepted {component!r}: AWS refuses trail or bucket {autonamed_log_bucket(component)!r}"
        assert settings_.trail_name == component


@FUZZ
@given(component=rule_probing_names)
def test_with_a_trail_name_the_component_name_must_still_name_the_bucket(component: str) -> None:
    outcome: TrailSettings | InvalidArgumentError
    try:
        outcome = validate_args(component, {"trail_name": "audit"})
    except InvalidArgumentError as error:
        outcome = error
    bucket = autonamed_log_bucket(component)
    if component_names_its_children(component):
        assert isinstance(outcome, TrailSettings), f"refused a component name AWS accepts (as {bucket!r}): {outcome}"
    else:
        assert isinstance(outcome, InvalidArgumentError), f"accepted {component!r}; AWS refuses a name it derives"
        assert outcome.argument in ("bucket_name", "the component's name")
