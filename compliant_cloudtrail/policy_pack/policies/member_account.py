"""Is this trail an organization trail seen from a member account, rather than a trail of the stack's own account?

An organization trail is created once, in the management account (or by a CloudTrail delegated administrator,
still owned by the management account), and appears in every member account, where it can be seen
(``describe-trails``) but not modified or deleted (CloudTrail User Guide, "Creating a trail for an
organization"). Its log group and delivery role live in the account that created it, so a stack of a
member account (typically an export of discovered or imported resources judged with ``--state``) cannot
and need not wire its CloudWatch Logs delivery.

Deciding this needs two accounts, and the pack decides only when it knows both:
- the trail's owner, from the account field of its own ARN (``arn``: only a trail the stack reads carries
  it among its inputs, see the rule below);
- proof that the stack works in another account, from the AWS provider the resource is judged with:
  the account of the last role in ``assumeRoles`` (or ``assumeRole``), or ``allowedAccountIds`` not listing
  the owner, or ``forbiddenAccountIds`` listing it. The provider refuses to run in any other account
  (pulumi-aws Provider docs), so each of these proves the stack's account is not the owner's.

Anything unknown (including the wire's unknown sentinels, which ``Remediate`` passes through as strings),
absent or malformed means "not shown to be a member view": the trail stays under the
mandatory policy.

Rule: a trail the stack manages is always judged; the member view applies only to a trail the stack reads.
The pack tells them apart by ``arn`` among the inputs it is given, and by nothing else: ``arn`` is an output of
pulumi-aws's ``cloudtrail.Trail``, so the inputs of a trail the stack creates do not hold it, and
cloudtrail-check sends a managed resource's declared inputs only; an ``arn`` arrives with the inputs of a
``get``/``read`` or external resource. A trail without it is never waived, whatever its provider shows: a
CloudTrail delegated administrator's organization trail is owned by the management account (its ARN names
that account) while the stack that creates it runs in the administrator's account, so provider evidence
alone would waive exactly the trail that stack must wire.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from dataclasses import dataclass
from typing import Any

from pulumi_policy import PolicyProviderResource, ResourceValidationArgs

from .arns import ArnError, parse_role_arn, parse_trail_arn
from .properties import Absence, Value, read
from .trail_fields import TRAIL_FIELDS

# Provider types whose config carries account guards: pulumi-aws and aws-native share these key names.
AWS_PROVIDERS = frozenset({"pulumi:providers:aws", "pulumi:providers:aws-native"})


@dataclass(frozen=True)
class MemberView:
    trail_account: str
    """The management account that owns the organization trail."""
    evidence: str
    """Why the stack's account is another one, for the note."""


def _decoded(value: Value) -> Value:
    # pulumi-aws's Provider sends every non-string config value as a JSON string (provider.py: to_json),
    # and a default provider gets stack config the same way; an explicit list or object is read as is.
    if isinstance(value, str) and value[:1] in ("[", "{"):
        try:
            return json.loads(value)
        except ValueError:
            return None
    return value


def _account_ids(value: Value) -> frozenset[str] | None:
    decoded = _decoded(value)
    if isinstance(decoded, Absence) or not isinstance(decoded, list) or not decoded:
        return None
    if not all(isinstance(v, str) and len(v) == 12 and v.isdigit() for v in decoded):
        return None  # one entry we cannot read makes the whole guard unreadable
    return frozenset(decoded)


def _assumed_account(props: Mapping[str, Any]) -> str | None:
    chain = _decoded(read(props, "assumeRoles"))
    single = _decoded(read(props, "assumeRole"))
    roles: list[Any] = list(chain) if isinstance(chain, list) else []
    if not roles and isinstance(single, Mapping):
        roles = [single]
    if not roles or not isinstance(roles[-1], Mapping):
        return None
    # The last role of a chain is the one the provider finally works as (pulumi-aws Provider assumeRoles).
    last = roles[-1]
    role_arn = last.get("roleArn", last.get("role_arn"))
    if not isinstance(role_arn, str):
        return None
    try:
        return parse_role_arn(role_arn).account
    except ArnError:
        return None


def _stack_is_elsewhere(provider: PolicyProviderResource | None, owner: str) -> str | None:
    """Why the provider cannot be working in ``owner``'s account, or None if that is not shown."""
    if provider is None or provider.resource_type not in AWS_PROVIDERS:
        return None
    props = provider.props
    assumed = _assumed_account(props)
    if assumed is not None:
        return None if assumed == owner else f"the provider assumes a role in account {assumed}"
    allowed = _account_ids(read(props, "allowedAccountIds"))
    if allowed is not None and owner not in allowed:
        return f"the provider's allowedAccountIds ({', '.join(sorted(allowed))}) do not include it"
    forbidden = _account_ids(read(props, "forbiddenAccountIds"))
    if forbidden is not None and owner in forbidden:
        return "the provider's forbiddenAccountIds include it"
    return None


def provider_guards_account(provider: PolicyProviderResource | None) -> bool:
    """Whether the AWS provider carries any readable account guard the rule could use."""
    if provider is None or provider.resource_type not in AWS_PROVIDERS:
        return False
    props = provider.props
    return (
        _assumed_account(props) is not None
        or _account_ids(read(props, "allowedAccountIds")) is not None
        or _account_ids(read(props, "forbiddenAccountIds")) is not None
    )


def trail_owner(props: Mapping[str, Any] | None) -> str | None:
    """The account in the trail's own ARN, if the bag carries a well-formed one."""
    arn = read(props, "arn")
    if not isinstance(arn, str):
        return None
    try:
        return parse_trail_arn(arn).account
    except ArnError:
        return None


def member_view(args: ResourceValidationArgs) -> MemberView | None:
    """The member-account view of an organization trail, when the pack can show it; None otherwise."""
    fields = TRAIL_FIELDS.get(args.resource_type)
    if fields is None or read(args.props, fields.organization_trail) is not True:
        return None
    owner = trail_owner(args.props)
    if owner is None:
        return None
    evidence = _stack_is_elsewhere(args.provider, owner)
    return None if evidence is None else MemberView(owner, evidence)


__all__ = ["MemberView", "member_view", "provider_guards_account", "trail_owner"]
