"""Reading a policy property bag without tripping over preview's unknown values.

pulumi-policy hands validators an ``unknown_checking_proxy``: reading a value that is not known yet
(typically an ARN of a resource created in the same update) raises ``UnknownValueError``, which the
SDK turns into a generic "can't run policy during preview" advisory. These policies decide for
themselves what an unknown value means (usually: check it when ``pulumi up`` registers the real
value), so every read goes through here and unknown becomes a value the caller can test for.

Secrets need nothing special: the SDK unwraps them to their plain value before the validators run.
"""

from __future__ import annotations

import enum
import math
from collections.abc import Mapping, Sequence
from typing import Any

from pulumi_policy.proxy import UnknownValueError


class Absence(enum.Enum):
    """Why a property has no usable value."""

    MISSING = "missing"
    """The property is not set at all (or is null)."""
    UNKNOWN = "unknown"
    """The property is set, but its value is only known once the update runs."""
    DEPLOY_TIME = "deploy-time"
    """The property is set in a CloudFormation template to an intrinsic function (``Ref``, ``Fn::GetAtt``...),
    which CloudFormation resolves when it deploys the stack: present, but not a literal the pack can read."""


MISSING = Absence.MISSING
UNKNOWN = Absence.UNKNOWN
DEPLOY_TIME = Absence.DEPLOY_TIME

Value = Any | Absence


def read(props: Mapping[str, Any] | None, key: str) -> Value:
    """The plain value of ``props[key]``, MISSING, or UNKNOWN if any part of it is unknown."""
    if props is None:
        return MISSING
    try:
        if key not in props:
            return MISSING
        value = props[key]
    except UnknownValueError:
        return UNKNOWN
    return plain(value)


def read_path(props: Mapping[str, Any] | None, *keys: str) -> Value:
    """``read`` through nested objects: ``read_path(p, "metricTransformation", "name")``."""
    current: Value = props
    for key in keys:
        if not isinstance(current, Mapping):
            return current if isinstance(current, Absence) else MISSING
        current = read(current, key)
    return current


def plain(value: Any) -> Value:
    """A deep copy of ``value`` made of plain dicts and lists, or UNKNOWN if anything inside is unknown.

    Lists of ARNs (alarm actions) and nested policy objects can hide an unknown element; the proxy
    only raises when that element is read, so the whole value is walked here once.
    """
    if value is None:
        return MISSING
    try:
        return _plain(value)
    except UnknownValueError:
        return UNKNOWN


def _plain(value: Any) -> Any:
    if isinstance(value, str | bytes | bool | int | float):
        return value
    if isinstance(value, Mapping):
        return {key: _plain(value[key]) for key in value}
    if isinstance(value, Sequence):
        return [_plain(value[index]) for index in range(len(value))]
    return value


def is_known(value: Value) -> bool:
    return not isinstance(value, Absence)


def is_unresolved(value: Value) -> bool:
    """Set, but not readable here: unknown until the update runs, or resolved by CloudFormation at deploy time."""
    return value is UNKNOWN or value is DEPLOY_TIME


def as_bool(value: Value, default: bool) -> bool | Absence | None:
    """A boolean property under the provider's default; None when the value is not a boolean at all."""
    if value is MISSING:
        return default
    if is_unresolved(value):
        return UNKNOWN
    if isinstance(value, bool):
        return value
    return None


def as_whole_number(value: Value) -> int | None:
    """An integer property; numbers cross the gRPC boundary as floats, so 365.0 is 365."""
    if isinstance(value, bool) or not isinstance(value, int | float):
        return None
    if isinstance(value, float) and (not math.isfinite(value) or not value.is_integer()):
        return None
    return int(value)


def describe(value: Value) -> str:
    """What kind of value this is, for messages that must not need the value itself."""
    if value is MISSING:
        return "not set"
    if value is UNKNOWN:
        return "not known until the update runs"
    if value is DEPLOY_TIME:
        return "a CloudFormation intrinsic function, resolved at deploy time"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int | float):
        return "a number"
    if isinstance(value, str):
        return "an empty string" if value == "" else "a string"
    if isinstance(value, Mapping):
        return "an object"
    if isinstance(value, Sequence):
        return "a list"
    return f"a {type(value).__name__}"


QUOTE_LIMIT = 120


def abridge(text: str, limit: int = QUOTE_LIMIT) -> str:
    """``text`` cut in the middle to at most about ``limit`` characters, so one value cannot flood the output."""
    if len(text) <= limit:
        return text
    keep = (limit - 5) // 2
    return f"{text[:keep]} ... {text[-keep:]}"


def quote(value: Any, limit: int = QUOTE_LIMIT) -> str:
    """``value`` for a violation message, quoted and abridged."""
    return f'"{abridge(value if isinstance(value, str) else repr(value), limit)}"'
