"""Does a set of identity policy documents allow one action on one resource?

The part of IAM's evaluation that matters for a delivery role: an explicit Deny wins, otherwise some
Allow must match. Action names match case-insensitively, resources case-sensitively, both with IAM's
``*`` and ``?`` wildcards; NotAction and NotResource invert the match. Conditions are not evaluated
(an Allow with a condition counts as allowing), nor are permissions boundaries or SCPs.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from functools import lru_cache
from typing import Any

from ..filter_pattern.wildcard import Part, matches, parse_glob


class PolicyDocumentError(ValueError):
    """A policy document that is not JSON or has no Statement."""


def parse_document(document: Any) -> list[Mapping[str, Any]]:
    """The statements of a policy document given as a JSON string or an object."""
    if isinstance(document, str):
        try:
            document = json.loads(document)
        except (ValueError, RecursionError) as error:
            raise PolicyDocumentError(f"is not valid JSON ({error})") from error
    if not isinstance(document, Mapping) or "Statement" not in document:
        raise PolicyDocumentError("has no Statement")
    statements = document["Statement"]
    if isinstance(statements, Mapping):
        statements = [statements]
    if not isinstance(statements, list):
        raise PolicyDocumentError("has a Statement that is neither an object nor a list")
    return [s for s in statements if isinstance(s, Mapping)]


@lru_cache(maxsize=1024)
def _wildcard(pattern: str, ignore_case: bool) -> tuple[Part, ...]:
    # Not a regex: a policy in the judged stack could hold "*?*?*?*?Z", on which ".*" runs backtrack for ever.
    return parse_glob(pattern.lower() if ignore_case else pattern)


def _as_list(value: Any) -> list[str]:
    if isinstance(value, str):
        return [value]
    if isinstance(value, list):
        return [v for v in value if isinstance(v, str)]
    return []


def _matches_any(patterns: Iterable[str], text: str, ignore_case: bool) -> bool:
    subject = text.lower() if ignore_case else text
    return any(matches(_wildcard(p, ignore_case), subject) for p in patterns)


def statement_applies(statement: Mapping[str, Any], action: str, resource: str) -> bool:
    if "Action" in statement:
        action_ok = _matches_any(_as_list(statement["Action"]), action, ignore_case=True)
    elif "NotAction" in statement:
        action_ok = not _matches_any(_as_list(statement["NotAction"]), action, ignore_case=True)
    else:
        return False
    if "Resource" in statement:
        resource_ok = _matches_any(_as_list(statement["Resource"]), resource, ignore_case=False)
    elif "NotResource" in statement:
        resource_ok = not _matches_any(_as_list(statement["NotResource"]), resource, ignore_case=False)
    else:
        return False
    return action_ok and resource_ok


def is_allowed(statements: Iterable[Mapping[str, Any]], action: str, resource: str) -> bool:
    allowed = False
    for statement in statements:
        if not statement_applies(statement, action, resource):
            continue
        effect = statement.get("Effect")
        if effect == "Deny":
            return False
        if effect == "Allow":
            allowed = True
    return allowed
