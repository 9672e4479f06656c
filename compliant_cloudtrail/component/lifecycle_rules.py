"""What S3 accepts in one lifecycle rule's transitions, as a table per storage class.

Sources (S3 User Guide, "Transitioning objects using Amazon S3 Lifecycle",
https://docs.aws.amazon.com/AmazonS3/latest/userguide/lifecycle-transition-general-considerations.html, and
the S3 API reference, "Transition"):

- Supported transitions: from S3 Standard to any class; from STANDARD_IA to INTELLIGENT_TIERING, ONEZONE_IA,
  GLACIER_IR, GLACIER or DEEP_ARCHIVE; from INTELLIGENT_TIERING to ONEZONE_IA, GLACIER_IR, GLACIER or
  DEEP_ARCHIVE; from ONEZONE_IA to GLACIER or DEEP_ARCHIVE only; from GLACIER_IR to GLACIER or DEEP_ARCHIVE;
  from GLACIER to DEEP_ARCHIVE.
- Objects go to STANDARD_IA or ONEZONE_IA no sooner than 30 days after creation ("Transition": Days).
- One rule cannot move objects on before the minimum storage duration of the class they are in has passed:
  30 days for STANDARD_IA and ONEZONE_IA, 90 for GLACIER_IR and GLACIER (PutBucketLifecycleConfiguration
  answers InvalidArgument "'Days' in the 'Transition' action for StorageClass 'DEEP_ARCHIVE' ... must be 90
  days more than ... StorageClass 'GLACIER'"); INTELLIGENT_TIERING has none, so only a later day.
- An expiration in the same rule comes after the last transition ("'Days' in the Expiration action ... must
  be greater than 'Days' in the Transition action").

The checks here are data plus one function; ``validation`` turns a refusal into the argument error.
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

SOURCE = 'S3 User Guide, "Transitioning objects using Amazon S3 Lifecycle"'


@dataclass(frozen=True)
class StorageClassRule:
    storage_class: str
    earliest_day: int
    """The first day after creation a transition to this class may name."""
    minimum_stay: int
    """Days objects spend here before the same rule may move them on (its minimum storage duration)."""
    next_classes: tuple[str, ...]
    """The classes a lifecycle may move objects to from this one."""


_ARCHIVES = ("GLACIER", "DEEP_ARCHIVE")
RULES: dict[str, StorageClassRule] = {rule.storage_class: rule for rule in (
    StorageClassRule("STANDARD_IA", 30, 30, ("INTELLIGENT_TIERING", "ONEZONE_IA", "GLACIER_IR", *_ARCHIVES)),
    StorageClassRule("INTELLIGENT_TIERING", 0, 0, ("ONEZONE_IA", "GLACIER_IR", *_ARCHIVES)),
    StorageClassRule("ONEZONE_IA", 30, 30, _ARCHIVES),
    StorageClassRule("GLACIER_IR", 0, 90, _ARCHIVES),
    StorageClassRule("GLACIER", 0, 90, ("DEEP_ARCHIVE",)),
    StorageClassRule("DEEP_ARCHIVE", 0, 180, ()),
)}
STORAGE_CLASSES = tuple(RULES)


@dataclass(frozen=True)
class Refusal:
    """Why S3 would refuse a transition: which one, which field, and what is allowed there."""

    index: int
    field: str
    """``storage_class`` or ``days``."""
    allowed: str


def refuse_transitions(transitions: Sequence[tuple[int, str]]) -> Refusal | None:
    """The first (days, storage class) transition S3 refuses in one rule, in the order given; None if none."""
    previous: tuple[int, str] | None = None
    for index, (days, storage_class) in enumerate(transitions):
        rule = RULES.get(storage_class)
        if rule is None:
            return Refusal(index, "storage_class", f"allowed: {', '.join(STORAGE_CLASSES)}")
        if days < rule.earliest_day:
            return Refusal(index, "days", f"allowed: {rule.earliest_day} or more; S3 moves objects to "
                                          f"{storage_class} only {rule.earliest_day} days after creation ({SOURCE})")
        if previous is not None:
            before_days, before_class = previous
            before = RULES[before_class]
            if storage_class not in before.next_classes:
                targets = ", ".join(before.next_classes) or "nothing (it is the last class)"
                return Refusal(index, "storage_class", f"S3 moves objects from {before_class} only to {targets} "
                                                       f"({SOURCE}, supported transitions)")
            least = before_days + max(1, before.minimum_stay)
            if days < least:
                stay = (f": objects stay {before.minimum_stay} days in {before_class} (its minimum storage duration) "
                        "before the same rule moves them on" if before.minimum_stay else "")
                return Refusal(index, "days", f"allowed: {least} or more, after {before_class} at day {before_days}"
                                              f"{stay} ({SOURCE})")
        previous = (days, storage_class)
    return None


def refuse_expiration(transitions: Sequence[tuple[int, str]], expiration_days: int | None) -> str | None:
    """What is allowed for the expiration day when S3 would refuse it after these transitions; None if fine."""
    if not transitions or expiration_days is None:
        return None
    last_days = transitions[-1][0]
    if expiration_days > last_days:
        return None
    return (f"allowed: more than {last_days}, the last transition's day: S3 refuses a lifecycle that expires "
            "objects before they transition")
