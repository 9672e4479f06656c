"""A small IAM policy evaluator: enough of AWS's documented logic to judge this project's policies.

No maintained PyPI package evaluates resource policies with service principals and these condition operators
correctly (principalmapper, unmaintained since 2022, matches ARNs case-insensitively as whole strings and makes
StringNotLike false on a missing key; lambda-preflight uses fnmatch, where ``[`` is a character class, and has
no principals), so this follows AWS's pages directly:

- "Policy evaluation logic" (IAM user guide): an explicit Deny in any applicable policy wins; within one
  account a request is allowed by an Allow in the identity policy *or* in the resource policy; a resource
  policy that names the account (``arn:...:root`` or the bare id) only delegates to the account's identity
  policies; across accounts both sides must allow.
- "Key policies in AWS KMS": a key policy is the primary control; IAM policies count only when the key policy
  lets the account delegate (the root statement).
- "IAM JSON policy elements: Condition operators": operators AND together, keys AND together, values of one
  key OR together (NOR for the negated ``...Not...`` operators); a missing key makes a condition false, except
  for negated operators and ``...IfExists``; ``Null``; ``ForAllValues``/``ForAnyValue`` over multivalued keys;
  ``Arn*`` operators compare the six colon-separated parts of an ARN one by one.
- "IAM JSON policy elements: Resource": ``*`` and ``?`` wildcards within ARN segments; a ``*`` ending the
  last segment given spans the rest.

Anything outside that (numeric, date and IP operators, policy variables, a multivalued key under a
single-valued operator) raises :class:`NotModelled` instead of guessing.
"""

from __future__ import annotations

import functools
import re
from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import Any

ContextValue = str | tuple[str, ...]


class NotModelled(ValueError):
    """The policy uses something this evaluator does not implement; a guess would make the model lie."""


@dataclass(frozen=True)
class Principal:
    """Who sends the request: an AWS service (``service``) or an IAM principal (``arn`` and ``account``)."""

    service: str | None = None
    arn: str | None = None
    account: str | None = None

    def __str__(self) -> str:
        return self.service or self.arn or "anonymous"


@dataclass(frozen=True)
class Policy:
    """One policy document with the name the reports use (``bucket``, ``key``, ``role-policy``...)."""

    name: str
    document: Mapping[str, Any]

    @property
    def statements(self) -> list[Mapping[str, Any]]:
        found = self.document.get("Statement", [])
        return [found] if isinstance(found, Mapping) else list(found)


@dataclass(frozen=True)
class Decision:
    allowed: bool
    reason: str
    """``explicit deny``, ``allow`` or ``implicit deny``."""
    policy: str = ""
    sid: str = ""
    """The statement that decided (for an implicit deny: none)."""

    def __str__(self) -> str:
        verdict = "ALLOWED" if self.allowed else "DENIED"
        where = f" by {self.policy}:{self.sid or '(no Sid)'}" if self.policy else " (no statement allows it)"
        return verdict + where


@dataclass(frozen=True)
class Call:
    """One request as the evaluator needs it."""

    principal: Principal
    action: str
    resource: str
    context: Mapping[str, ContextValue] = field(default_factory=dict)
    resource_account: str | None = None
    """Owner of the resource; needed only for requests from IAM principals."""


# ----------------------------------------------------------------------------------------------------------
# Wildcards
# ----------------------------------------------------------------------------------------------------------
@functools.lru_cache(maxsize=4096)
def _glob(pattern: str, ignore_case: bool) -> re.Pattern[str]:
    if "${" in pattern:
        raise NotModelled(f"policy variable in {pattern!r}")
    body = "".join(".*" if c == "*" else "." if c == "?" else re.escape(c) for c in pattern)
    return re.compile(body, re.DOTALL | (re.IGNORECASE if ignore_case else 0))


def glob_match(pattern: str, value: str, *, ignore_case: bool = False) -> bool:
    return _glob(pattern, ignore_case).fullmatch(value) is not None


def arn_match(pattern: str, value: str, *, spill: bool) -> bool:
    """Segment-by-segment ARN comparison; ``spill``: a pattern with fewer than six segments whose last one ends
    in ``*`` matches the rest (Resource element rule). A value that is not an ARN never matches."""
    if pattern == "*":
        return True
    want, got = pattern.split(":", 5), value.split(":", 5)
    if len(got) != 6 or got[0] != "arn":
        return False
    if len(want) != 6:
        return spill and pattern.endswith("*") and glob_match(pattern, value)
    return all(glob_match(w, g) for w, g in zip(want, got, strict=True))


def _listed(value: Any) -> list[str]:
    values = value if isinstance(value, list) else [value]
    return ["true" if v is True else "false" if v is False else str(v) for v in values]


# ----------------------------------------------------------------------------------------------------------
# Conditions
# ----------------------------------------------------------------------------------------------------------
def _string_equals(p: str, v: str) -> bool:
    return p == v


def _string_equals_ic(p: str, v: str) -> bool:
    return p.lower() == v.lower()


def _string_like(p: str, v: str) -> bool:
    return glob_match(p, v)


def _arn(p: str, v: str) -> bool:
    return arn_match(p, v, spill=False)


def _bool(p: str, v: str) -> bool:
    return p.lower() == v.lower()


# operator -> (compare one policy value with one request value, negated)
_OPERATORS = {
    "StringEquals": (_string_equals, False),
    "StringNotEquals": (_string_equals, True),
    "StringEqualsIgnoreCase": (_string_equals_ic, False),
    "StringNotEqualsIgnoreCase": (_string_equals_ic, True),
    "StringLike": (_string_like, False),
    "StringNotLike": (_string_like, True),
    # "ArnEquals, ArnLike: case-sensitive matching of the ARN": both take wildcards.
    "ArnEquals": (_arn, False),
    "ArnLike": (_arn, False),
    "ArnNotEquals": (_arn, True),
    "ArnNotLike": (_arn, True),
    "Bool": (_bool, False),
}


def _lookup(context: Mapping[str, ContextValue], key: str) -> tuple[str, ...] | None:
    """Condition key names are case-insensitive; an empty multivalued key counts as missing."""
    for name, value in context.items():
        if name.lower() == key.lower():
            values = value if isinstance(value, tuple) else (value,)
            return values or None
    return None


def condition_holds(operator: str, key: str, policy_values: Any, context: Mapping[str, ContextValue]) -> bool:
    found = _lookup(context, key)
    wanted = _listed(policy_values)
    if operator == "Null":
        return any((found is None) == (w.lower() == "true") for w in wanted)
    qualifier, _, base = operator.rpartition(":")
    if_exists = base.endswith("IfExists")
    base = base.removesuffix("IfExists")
    if base not in _OPERATORS or qualifier not in ("", "ForAllValues", "ForAnyValue"):
        raise NotModelled(f"condition operator {operator!r}")
    compare, negated = _OPERATORS[base]

    def one(value: str) -> bool:
        hit = any(compare(w, value) for w in wanted)
        return not hit if negated else hit

    if qualifier == "ForAllValues":
        return found is None or all(one(v) for v in found)
    if qualifier == "ForAnyValue":
        return found is not None and any(one(v) for v in found)
    if found is None:
        return if_exists or negated
    if len(found) > 1:
        raise NotModelled(f"multivalued key {key!r} under single-valued operator {operator!r}")
    return one(found[0])


def conditions_hold(condition: Mapping[str, Mapping[str, Any]] | None, context: Mapping[str, ContextValue]) -> bool:
    return all(
        condition_holds(operator, key, values, context)
        for operator, block in (condition or {}).items()
        for key, values in block.items()
    )


# ----------------------------------------------------------------------------------------------------------
# Statements
# ----------------------------------------------------------------------------------------------------------
DIRECT, ACCOUNT, NONE = "direct", "account", "none"


def _account_of(value: str) -> str | None:
    """``123456789012`` or ``arn:<partition>:iam::123456789012:root`` name the account."""
    if re.fullmatch(r"\d{12}", value):
        return value
    m = re.fullmatch(r"arn:[\w-]+:iam::(\d{12}):root", value)
    return m.group(1) if m else None


def principal_match(element: Any, who: Principal) -> str:
    if element == "*":
        return DIRECT
    if not isinstance(element, Mapping):
        raise NotModelled(f"Principal element {element!r}")
    best = NONE
    for kind, values in element.items():
        for value in _listed(values):
            if kind == "Service" and who.service is not None and value == who.service:
                return DIRECT
            if kind != "AWS" or who.service is not None:
                continue
            if value == "*" or (who.arn is not None and value == who.arn):
                return DIRECT
            if who.account is not None and _account_of(value) == who.account:
                best = ACCOUNT
    return best


def _element_matches(statement: Mapping[str, Any], element: str, match: Callable[[str], bool]) -> bool:
    """``Action``/``Resource`` must match one value; ``NotAction``/``NotResource`` must match none; absent: all."""
    if element in statement:
        return any(match(p) for p in _listed(statement[element]))
    if f"Not{element}" in statement:
        return not any(match(p) for p in _listed(statement[f"Not{element}"]))
    return True


def statement_applies(statement: Mapping[str, Any], call: Call, *, resource_policy: bool) -> str:
    """NONE, or how the statement's principal matched (DIRECT for identity policies)."""
    if "Action" not in statement and "NotAction" not in statement:
        raise NotModelled(f"statement without Action or NotAction: {statement}")
    if not _element_matches(statement, "Action", lambda p: glob_match(p, call.action, ignore_case=True)):
        return NONE
    # A trust policy has neither Resource nor NotResource: it is about the role it belongs to.
    if not _element_matches(statement, "Resource", lambda p: arn_match(p, call.resource, spill=True)):
        return NONE
    how = DIRECT
    if resource_policy:
        if "Principal" in statement:
            how = principal_match(statement["Principal"], call.principal)
        elif "NotPrincipal" in statement:
            # Only an exact listing excludes: AWS warns that naming the account in NotPrincipal does not
            # exclude its roles and users ("AWS JSON policy elements: NotPrincipal").
            how = NONE if principal_match(statement["NotPrincipal"], call.principal) == DIRECT else DIRECT
        else:
            raise NotModelled(f"resource policy statement without Principal: {statement}")
    if how == NONE or not conditions_hold(statement.get("Condition"), call.context):
        return NONE
    return how


# ----------------------------------------------------------------------------------------------------------
# Decisions
# ----------------------------------------------------------------------------------------------------------
def _matches(policy: Policy | None, call: Call, effect: str, *, resource_policy: bool) -> list[tuple[str, str]]:
    """(how, sid) of each statement of ``effect`` that applies."""
    if policy is None:
        return []
    found = []
    for statement in policy.statements:
        if statement.get("Effect") != effect:
            continue
        how = statement_applies(statement, call, resource_policy=resource_policy)
        if how != NONE:
            found.append((how, str(statement.get("Sid", ""))))
    return found


def evaluate(
    call: Call,
    resource_policy: Policy | None = None,
    identity_policies: Sequence[Policy] = (),
    *,
    kms_key: bool = False,
) -> Decision:
    """The decision for ``call``: ``resource_policy`` is the bucket/key/topic/trust policy, if any;
    ``identity_policies`` those of the calling IAM principal (a service principal has none)."""
    for policy, is_resource in _policies(resource_policy, identity_policies):
        for _, sid in _matches(policy, call, "Deny", resource_policy=is_resource):
            return Decision(False, "explicit deny", policy.name, sid)

    resource_allows = _matches(resource_policy, call, "Allow", resource_policy=True)
    direct = [sid for how, sid in resource_allows if how == DIRECT]
    delegated = [sid for how, sid in resource_allows if how == ACCOUNT]
    identity = _first_identity_allow(identity_policies, call)
    resource_name = resource_policy.name if resource_policy is not None else ""
    cross_account = (
        call.principal.service is None and call.resource_account is not None
        and call.principal.account != call.resource_account
    )
    if kms_key or cross_account:
        # Key policies, and cross-account access, need the resource side; IAM counts only beside it.
        if direct and not cross_account:
            return Decision(True, "allow", resource_name, direct[0])
        if (direct or delegated) and identity is not None:
            # Credit the key or resource policy's statement that lets IAM decide, beside the IAM one.
            granted_by = (direct or delegated)[0]
            return Decision(True, "allow", resource_name, f"{granted_by} + {identity[0]}:{identity[1]}")
        return Decision(False, "implicit deny")
    if direct:
        return Decision(True, "allow", resource_name, direct[0])
    if identity is not None:
        return Decision(True, "allow", *identity)
    return Decision(False, "implicit deny")


def _policies(resource_policy: Policy | None, identity: Iterable[Policy]) -> list[tuple[Policy, bool]]:
    found = [(p, False) for p in identity]
    return ([(resource_policy, True)] if resource_policy is not None else []) + found


def _first_identity_allow(policies: Sequence[Policy], call: Call) -> tuple[str, str] | None:
    if call.principal.service is not None:
        return None
    for policy in policies:
        for _, sid in _matches(policy, call, "Allow", resource_policy=False):
            return policy.name, sid
    return None
