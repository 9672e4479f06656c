"""S3 lifecycle transitions, both ways: what S3 accepts passes, each thing it refuses fails at preview.

The facts are stated here, apart from ``compliant_cloudtrail.component.lifecycle_rules``, from the S3 User
Guide, "Transitioning objects using Amazon S3 Lifecycle" (supported transitions; minimum storage duration
before the next transition in one rule), the S3 API reference, "Transition" (Days), and the InvalidArgument
answers of PutBucketLifecycleConfiguration quoted in the 2026-12-05 AWS review (N-B2).
"""

from __future__ import annotations

from typing import Any

import pytest

from compliant_cloudtrail.component import InvalidArgumentError
from compliant_cloudtrail.component.validation import validate_args


def transitions(*pairs: tuple[int, str]) -> list[dict[str, Any]]:
    return [{"days": days, "storage_class": storage_class} for days, storage_class in pairs]


ACCEPTED = {
    # The guide's own example: GLACIER at day 4, DEEP_ARCHIVE "after at least 94 days".
    "glacier then deep archive 90 days later": transitions((4, "GLACIER"), (94, "DEEP_ARCHIVE")),
    "glacier instant retrieval then deep archive 90 days later": transitions((0, "GLACIER_IR"), (90, "DEEP_ARCHIVE")),
    "glacier instant retrieval then glacier 90 days later": transitions((0, "GLACIER_IR"), (90, "GLACIER")),
    "standard-ia 30 days, then glacier 30 days later": transitions((30, "STANDARD_IA"), (60, "GLACIER")),
    "standard-ia then intelligent-tiering": transitions((30, "STANDARD_IA"), (60, "INTELLIGENT_TIERING")),
    "intelligent-tiering has no minimum duration": transitions((0, "INTELLIGENT_TIERING"), (1, "GLACIER")),
    "one zone-ia to glacier": transitions((30, "ONEZONE_IA"), (60, "GLACIER")),
    "one zone-ia to deep archive": transitions((30, "ONEZONE_IA"), (60, "DEEP_ARCHIVE")),
    "standard-ia to one zone-ia": transitions((30, "STANDARD_IA"), (60, "ONEZONE_IA")),
    "deep archive straight away": transitions((0, "DEEP_ARCHIVE")),
    "the README's example": transitions((90, "GLACIER"), (365, "DEEP_ARCHIVE")),
    "three classes": transitions((30, "STANDARD_IA"), (60, "GLACIER_IR"), (150, "DEEP_ARCHIVE")),
}

# (transitions, the argument blamed, a phrase of what is allowed)
REFUSED = {
    # The review's four, each refused by PutBucketLifecycleConfiguration with InvalidArgument.
    "deep archive 1 day after glacier": (transitions((90, "GLACIER"), (91, "DEEP_ARCHIVE")),
                                         "log_transitions[1].days", "180 or more"),
    "deep archive 30 days after glacier instant retrieval": (transitions((0, "GLACIER_IR"), (30, "DEEP_ARCHIVE")),
                                                             "log_transitions[1].days", "90 or more"),
    "glacier 1 day after glacier instant retrieval": (transitions((0, "GLACIER_IR"), (1, "GLACIER")),
                                                      "log_transitions[1].days", "90 or more"),
    "one zone-ia to glacier instant retrieval": (transitions((30, "ONEZONE_IA"), (60, "GLACIER_IR")),
                                                 "log_transitions[1].storage_class", "GLACIER, DEEP_ARCHIVE"),
    # The other unsupported transitions and durations.
    "intelligent-tiering to standard-ia": (transitions((0, "INTELLIGENT_TIERING"), (60, "STANDARD_IA")),
                                           "log_transitions[1].storage_class", "ONEZONE_IA"),
    "one zone-ia to intelligent-tiering": (transitions((30, "ONEZONE_IA"), (90, "INTELLIGENT_TIERING")),
                                           "log_transitions[1].storage_class", "GLACIER, DEEP_ARCHIVE"),
    "glacier to glacier instant retrieval": (transitions((0, "GLACIER"), (400, "GLACIER_IR")),
                                             "log_transitions[1].storage_class", "DEEP_ARCHIVE"),
    "anything after deep archive": (transitions((0, "DEEP_ARCHIVE"), (400, "GLACIER")),
                                    "log_transitions[1].storage_class", "nothing"),
    "standard-ia before 30 days": (transitions((29, "STANDARD_IA")), "log_transitions[0].days", "30 or more"),
    "one zone-ia before 30 days": (transitions((0, "ONEZONE_IA")), "log_transitions[0].days", "30 or more"),
    "glacier 29 days after standard-ia": (transitions((30, "STANDARD_IA"), (59, "GLACIER")),
                                          "log_transitions[1].days", "60 or more"),
    "the same day twice": (transitions((0, "INTELLIGENT_TIERING"), (0, "GLACIER")), "log_transitions[1].days",
                           "1 or more"),
    "standard is not a transition target": (transitions((30, "STANDARD")), "log_transitions[0].storage_class",
                                            "GLACIER_IR"),
}


@pytest.mark.parametrize("case", list(ACCEPTED))
def test_lifecycles_s3_accepts_pass(case: str) -> None:
    settings = validate_args("audit", {"log_transitions": ACCEPTED[case]})  # type: ignore[typeddict-item]
    assert [(t.days, t.storage_class) for t in settings.log_transitions] == [
        (t["days"], t["storage_class"]) for t in ACCEPTED[case]]


@pytest.mark.parametrize("case", list(REFUSED))
def test_lifecycles_s3_refuses_fail_at_preview_naming_argument_value_and_what_is_allowed(case: str) -> None:
    given, argument, allowed = REFUSED[case]
    with pytest.raises(InvalidArgumentError) as raised:
        validate_args("audit", {"log_transitions": given})  # type: ignore[typeddict-item]
    index, field = int(argument.split("[")[1].split("]")[0]), argument.split(".")[1]
    assert raised.value.argument == argument, str(raised.value)
    assert raised.value.value == given[index][field], str(raised.value)
    assert allowed in raised.value.allowed, str(raised.value)


@pytest.mark.parametrize(("expiration", "accepted"), [(365, True), (91, True), (90, False), (30, False)])
def test_expiration_comes_after_the_last_transition(expiration: int, accepted: bool) -> None:
    """"'Days' in the Expiration action ... must be greater than 'Days' in the Transition action"."""
    args = {"log_transitions": transitions((90, "GLACIER")), "log_expiration_days": expiration}
    if accepted:
        assert validate_args("audit", args).log_expiration_days == expiration  # type: ignore[arg-type]
        return
    with pytest.raises(InvalidArgumentError) as raised:
        validate_args("audit", args)  # type: ignore[arg-type]
    assert (raised.value.argument, raised.value.value) == ("log_expiration_days", expiration)
    assert "more than 90" in raised.value.allowed
