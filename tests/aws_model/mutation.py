"""Remove one statement, or one condition key, from the declared policies and see what changes.

A statement is needed when its removal denies a request AWS must allow (or, for a Deny, allows a request
that must be denied); a condition key is needed when its removal lets a request that must be denied through.
What is needed by nothing is either dead weight or a request this model is missing: both deserve a look.

One exception, by design: the keys that name the calling resource (``aws:SourceArn``, ``aws:SourceAccount``,
and KMS's ``aws:cloudtrail:arn`` encryption context) often pin the same thing twice, because AWS recommends
them together ("Cross-service confused deputy prevention"; "Configure AWS KMS key policies for CloudTrail"
uses both the encryption context and aws:SourceArn). Such a key alone may be redundant; removing all of them
from the statement together must then let a request that must be denied through.
"""

from __future__ import annotations

import copy
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from typing import Any

from .evaluator import Policy
from .requests import Request, judge


@dataclass(frozen=True)
class Mutation:
    policy: str
    sid: str
    condition: tuple[str, str] | None
    """(operator, key) removed, or None when the whole statement was removed."""
    policies: dict[str, Policy]

    @property
    def label(self) -> str:
        what = f"condition {self.condition[0]} {self.condition[1]}" if self.condition else "statement"
        return f"{self.policy}:{self.sid or '(no Sid)'} {what}"


def mutations(policies: dict[str, Policy]) -> Iterator[Mutation]:
    for name, policy in policies.items():
        for index, statement in enumerate(policy.statements):
            sid = str(statement.get("Sid", ""))
            rest = [s for i, s in enumerate(policy.statements) if i != index]
            yield Mutation(name, sid, None, {**policies, name: _with(policy, rest)})
            for operator, block in (statement.get("Condition") or {}).items():
                for key in block:
                    changed = copy.deepcopy(policy.statements)
                    condition = changed[index]["Condition"]
                    del condition[operator][key]
                    if not condition[operator]:
                        del condition[operator]
                    yield Mutation(name, sid, (operator, key), {**policies, name: _with(policy, changed)})


SOURCE_KEYS = frozenset({"aws:sourcearn", "aws:sourceaccount", "kms:encryptioncontext:aws:cloudtrail:arn"})


def without_source_keys(mutation: Mutation) -> dict[str, Policy]:
    """The policies with every resource-naming key removed from the mutated statement."""
    original = mutation.policies[mutation.policy]
    statements = copy.deepcopy(original.statements)
    index = next(i for i, s in enumerate(statements) if str(s.get("Sid", "")) == mutation.sid)
    condition = statements[index].get("Condition") or {}
    for operator in list(condition):
        for key in [k for k in condition[operator] if k.lower() in SOURCE_KEYS]:
            del condition[operator][key]
        if not condition[operator]:
            del condition[operator]
    return {**mutation.policies, mutation.policy: _with(original, statements)}


def unneeded(requests: list[Request], policies: dict[str, Policy]) -> list[str]:
    """Labels of the statements, then of the condition keys (of needed statements), that no request needs."""
    return unneeded_statements(requests, policies) + unneeded_conditions(requests, policies)


def unneeded_statements(requests: list[Request], policies: dict[str, Policy]) -> list[str]:
    return [m.label for m in mutations(policies)
            if m.condition is None and not broken_expectations(requests, m.policies)]


def unneeded_conditions(requests: list[Request], policies: dict[str, Policy]) -> list[str]:
    """A condition of a statement nothing needs is moot: that statement is reported on its own."""
    dead = {(m.policy, m.sid) for m in mutations(policies)
            if m.condition is None and not broken_expectations(requests, m.policies)}
    found = []
    for mutation in mutations(policies):
        if mutation.condition is None or (mutation.policy, mutation.sid) in dead:
            continue
        if broken_expectations(requests, mutation.policies):
            continue
        if mutation.condition[1].lower() in SOURCE_KEYS and broken_expectations(
            requests, without_source_keys(mutation)
        ):
            continue
        found.append(mutation.label)
    return found


def _with(policy: Policy, statements: Sequence[Mapping[str, Any]]) -> Policy:
    return Policy(policy.name, {**policy.document, "Statement": statements})


def broken_expectations(requests: list[Request], policies: dict[str, Policy]) -> list[Request]:
    """The requests whose decision no longer matches what AWS must do."""
    return [r for r in requests if judge(r, policies).allowed != r.expect_allowed]
