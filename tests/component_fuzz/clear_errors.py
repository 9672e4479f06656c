"""What every InvalidArgumentError must look like, whatever the input was."""

from __future__ import annotations

import re
from collections.abc import Mapping
from typing import Any

import pulumi

from compliant_cloudtrail.component import InvalidArgumentError
from compliant_cloudtrail.component.settings import TrailSettings
from compliant_cloudtrail.component.validation import validate_args

from .arbitrary import KNOWN_ARGUMENTS

# One line a terminal shows whole; generous next to the longest legitimate message (about 500).
MAX_MESSAGE_LENGTH = 1000
# The value may be abridged in the message, so only its opening is required to appear.
SHOWN_PREFIX = 10


def safe_repr(value: object) -> str | None:
    """How the value must appear in the message; an Output is named as one (its repr is an address)."""
    if isinstance(value, pulumi.Output):
        return "an Output"
    try:
        return repr(value)
    except Exception:  # a value that cannot print is the validator's problem, not the test's
        return None


def abridged(text: str, limit: int = 300) -> str:
    """Failure reports stay readable when the input was a megabyte."""
    return text if len(text) <= limit else f"{text[:limit]}... ({len(text)} characters)"


def validate_or_refuse(component: str, args: Any) -> TrailSettings | InvalidArgumentError:
    """validate_args' outcome; any exception other than InvalidArgumentError propagates and fails the test."""
    try:
        return validate_args(component, args)
    except InvalidArgumentError as error:
        refused = error
    # Checked outside the except block, so a failure does not also print the (maybe huge) original error.
    assert_clear(refused, component, args)
    return refused


def assert_clear(error: InvalidArgumentError, component: str, args: Any) -> None:
    message = str(error)
    argument = error.argument
    assert error.component == component, "the error names another component"
    assert isinstance(argument, str), f"argument {safe_repr(argument)!r} is not a str"
    assert _names_an_argument(argument, args), f"{abridged(argument)!r} is not an argument given"
    assert isinstance(error.allowed, str) and error.allowed.strip(), "says nothing about what is allowed"
    lines = len(message.splitlines())
    assert lines == 1, f"message has {lines} lines: {abridged(message)!r}"
    length = len(message)
    assert length <= MAX_MESSAGE_LENGTH, f"message has {length} characters: {abridged(message)!r}"
    if len(argument) <= 100 and argument.isprintable():
        # Named as is, or quoted with repr() when the name holds quotes or backslashes.
        assert argument in message or repr(argument) in message, f"{argument!r} not named in {message!r}"
    shown = safe_repr(error.value)
    if shown is not None:
        assert shown[:SHOWN_PREFIX] in message, f"value {abridged(shown, 50)!r} not shown in {message!r}"


def _names_an_argument(argument: str, args: Any) -> bool:
    """The argument is a key the caller passed, a known argument, a path into one (``custom_filters[0].name``),
    or ``args`` itself when it is not a mapping."""
    if args is None:
        args = {}
    if not isinstance(args, Mapping):
        return argument == "args"
    if argument == "the component's name":  # the name derives the bucket, topic and role names (naming.py)
        return True
    root = re.split(r"[\[.]", argument, maxsplit=1)[0]
    return root in KNOWN_ARGUMENTS or any(_could_name(argument, key) for key in args)


def _could_name(argument: str, key: object) -> bool:
    """A key that is not a str can only be named by some rendering of it, perhaps abridged."""
    if isinstance(key, str):
        return argument == key
    renderings = [text for text in (_safe_str(key), safe_repr(key)) if text is not None]
    if not renderings:
        return True  # a key Python cannot print can only be described
    opening = argument.removesuffix("...")
    return any(text == argument or (argument.endswith("...") and text.startswith(opening)) for text in renderings)


def _safe_str(value: object) -> str | None:
    try:
        return str(value)
    except Exception:  # as safe_repr
        return None
