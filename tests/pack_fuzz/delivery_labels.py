"""Values of the two trail fields that decide ``cloudtrail-trail-deliver-to-cloudwatch-logs``, each drawn with
its label, so that the expected verdict is a function of the labels and never of the pack's own logic.

The contract encoded here is what the pack documents (policy_pack/README.md, "The policies") and what AWS
requires of CreateTrail/UpdateTrail:
- CloudWatchLogsLogGroupArn is the log group's ARN followed by the log-stream wildcard ``:*``
  (pulumi-aws ``cloudtrail.Trail``: "CloudTrail requires the Log Stream wildcard"), i.e.
  ``arn:<partition>:logs:<region>:<12-digit account>:log-group:<name>:*``; log group names are 1 to 512 of
  ``[A-Za-z0-9_-/.#]`` (CloudWatch Logs CreateLogGroup).
- CloudWatchLogsRoleArn is an IAM role ARN, ``arn:<partition>:iam::<account>:role/<path/>name`` (IAM: role
  names 1 to 64 of ``[A-Za-z0-9+=,.@_-]``, paths ``/`` or ``/.../`` of printable ASCII), and is required
  whenever a log group is given (CloudTrail needs the role to write to the group); a trail without a log
  group does not deliver to CloudWatch Logs at all (Security Hub CloudTrail.5).
- Both are in the same partition (pack README; CloudTrail: both "must exist in your account").
- A value that is not known yet is "checked later": no violation (pack README, "Enforce it").
- A secret is judged like its plain value (pack README: pulumi-policy unwraps secrets).

Left out on purpose, for the maintainers to decide (see the fuzz report): a log group and a role in two
different accounts. AWS requires both in the trail's account ("You must use a log group/role that exists
in your account"), so they cannot differ; the pack documents only the partition check and accepts them.
Well-formed pairs are therefore drawn in one account.
"""

from __future__ import annotations

import enum
import string
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from hypothesis import strategies as st

from . import noise
from .wire import UNKNOWN_STRING


class Expect(enum.Enum):
    COMPLIANT = "compliant"
    VIOLATION = "violation"
    DEFERRED = "deferred"
    """Not known until the update runs: never a violation; NOT JUDGED when seen in an update."""


class _Absent:
    def __repr__(self) -> str:
        return "ABSENT"


ABSENT: Any = _Absent()
"""The property is left out of the bag."""


@dataclass(frozen=True)
class Labelled:
    family: str
    expect: Expect
    value: Any
    partition: str | None = None
    """For well-formed ARNs: the partition, which the pair must share."""


@dataclass(frozen=True)
class DeliveryCase:
    log_group: Labelled
    role: Labelled

    @property
    def partitions_differ(self) -> bool:
        return (
            self.log_group.expect is Expect.COMPLIANT
            and self.role.expect is Expect.COMPLIANT
            and self.log_group.partition != self.role.partition
        )

    @property
    def expected(self) -> Expect:
        if Expect.VIOLATION in (self.log_group.expect, self.role.expect) or self.partitions_differ:
            return Expect.VIOLATION
        if Expect.DEFERRED in (self.log_group.expect, self.role.expect):
            return Expect.DEFERRED
        return Expect.COMPLIANT

    def properties(self, log_group_field: str, role_field: str) -> dict[str, Any]:
        out = {}
        if self.log_group.value is not ABSENT:
            out[log_group_field] = self.log_group.value
        if self.role.value is not ABSENT:
            out[role_field] = self.role.value
        return out


# --- the well-formed parts ----------------------------------------------------------------------------

REGIONS = {
    "aws": ("us-east-1", "eu-west-1", "ap-southeast-2", "il-central-1", "me-central-1", "ca-west-1", "mx-central-1"),
    "aws-cn": ("cn-north-1", "cn-northwest-1"),
    "aws-us-gov": ("us-gov-west-1", "us-gov-east-1"),
    "aws-iso": ("us-iso-east-1",),
    "aws-iso-b": ("us-isob-east-1",),
}
PARTITIONS = tuple(REGIONS)

LOG_GROUP_NAME_CHARS = string.ascii_letters + string.digits + "._-/#"
ROLE_NAME_CHARS = string.ascii_letters + string.digits + "+=,.@_-"
ROLE_PATH_CHARS = "".join(chr(c) for c in range(0x21, 0x7F) if chr(c) != "/")

accounts = st.text("0123456789", min_size=12, max_size=12)
log_group_names = st.one_of(
    st.sampled_from(["/aws/cloudtrail/audit", "CloudTrail/DefaultLogGroup", "a", "#team.logs_2024-01", "..", "/"]),
    st.text(LOG_GROUP_NAME_CHARS, min_size=1, max_size=80),
    st.text(LOG_GROUP_NAME_CHARS, min_size=512, max_size=512),
)
role_names = st.one_of(
    st.sampled_from(["audit-trail-delivery", "CloudTrail_CloudWatchLogs_Role", "a", "x+y=z,w.v@u_t-s"]),
    st.text(ROLE_NAME_CHARS, min_size=1, max_size=64),
)
role_paths = st.one_of(
    st.just("/"),
    st.lists(st.text(ROLE_PATH_CHARS, min_size=1, max_size=12), min_size=1, max_size=4).map(
        lambda segments: "/" + "/".join(segments) + "/"
    ),
)


def group_arn(partition: str, region: str, account: str, name: str) -> str:
    """The log group's own ARN, as pulumi-aws's ``LogGroup.arn`` has it: without ``:*``."""
    return f"arn:{partition}:logs:{region}:{account}:log-group:{name}"


def role_arn(partition: str, account: str, path: str, name: str) -> str:
    return f"arn:{partition}:iam::{account}:role{path}{name}"


@dataclass(frozen=True)
class GroupParts:
    partition: str
    region: str
    account: str
    name: str

    def arn(self, **changes: str) -> str:
        """The well-formed value, ``:*`` included, with some parts replaced."""
        parts = {**self.__dict__, **changes}
        return group_arn(parts["partition"], parts["region"], parts["account"], parts["name"]) + ":*"


@dataclass(frozen=True)
class RoleParts:
    partition: str
    account: str
    path: str
    name: str

    def arn(self, **changes: str) -> str:
        parts = {**self.__dict__, **changes}
        return role_arn(parts["partition"], parts["account"], parts["path"], parts["name"])

    @property
    def region(self) -> str:
        return REGIONS[self.partition][0]


def _labelled(family: str, expect: Expect, values: st.SearchStrategy[Any]) -> st.SearchStrategy[Labelled]:
    return noise.maybe_secret(values).map(lambda v: Labelled(family, expect, v))


def _not_set(family: str) -> st.SearchStrategy[Labelled]:
    # Left out, or null (pulumi-policy reads a null like an absent property).
    return st.one_of(st.just(ABSENT), noise.maybe_secret(st.none())).map(
        lambda v: Labelled(family, Expect.VIOLATION, v)
    )


# Containers hold no unknowns here: a list is the wrong type whatever it holds, and whether a list with an
# unknown inside is "not known yet" is not something the contract says.
_WRONG_TYPES = st.one_of(
    st.integers(-(2**53), 2**53),
    st.floats(allow_nan=False, allow_infinity=False),
    st.booleans(),
    st.lists(noise.values(6, with_unknowns=False), max_size=3),
    st.dictionaries(noise.keys(), noise.values(6, with_unknowns=False), max_size=3),
)
_NON_ASCII_DIGITS = st.characters(categories=["Nd"], exclude_characters="0123456789")
_ANY_CHARACTER = st.characters(codec="utf-8")


def _junk_not_arn() -> st.SearchStrategy[str]:
    # An ARN starts with the literal "arn:"; anything else, unicode or huge included, is not one.
    return st.one_of(st.text(min_size=1), noise.huge_strings()).filter(lambda s: not s.startswith("arn:"))


def _with_bad_character(allowed: str, also_not: str) -> st.SearchStrategy[str]:
    return st.builds(
        lambda head, bad, tail: head + bad + tail,
        st.text(allowed, max_size=10),
        _ANY_CHARACTER.filter(lambda c: c not in allowed and c not in also_not),
        st.text(allowed, max_size=10),
    )


GOOD = "well-formed"
UNKNOWN = "not known yet"
ACCEPTABLE = (GOOD, UNKNOWN)

LOG_GROUP_FAMILIES: dict[str, Callable[[GroupParts], st.SearchStrategy[Labelled]]] = {
    GOOD: lambda g: _labelled(GOOD, Expect.COMPLIANT, st.just(g.arn())),
    UNKNOWN: lambda g: _labelled(UNKNOWN, Expect.DEFERRED, st.just(UNKNOWN_STRING)),
    "not set": lambda g: _not_set("not set"),
    "empty string": lambda g: _labelled("empty string", Expect.VIOLATION, st.just("")),
    "wrong type": lambda g: _labelled(
        "wrong type", Expect.VIOLATION, st.one_of(_WRONG_TYPES, st.just([g.arn()]), st.just({"arn": g.arn()}))
    ),
    # CloudTrail refuses the group's own ARN: it needs the log-stream wildcard.
    "missing :*": lambda g: _labelled("missing :*", Expect.VIOLATION, st.just(g.arn()[:-2])),
    "another suffix than :*": lambda g: _labelled(
        "another suffix than :*",
        Expect.VIOLATION,
        st.sampled_from([":**", ":*:*", ":log-stream:abc", ":", ":%2A", ":* "]).map(lambda s: g.arn()[:-2] + s),
    ),
    "not an ARN": lambda g: _labelled("not an ARN", Expect.VIOLATION, _junk_not_arn()),
    "ARN of another service or resource": lambda g: _labelled(
        "ARN of another service or resource",
        Expect.VIOLATION,
        st.sampled_from(
            [
                f"arn:{g.partition}:iam::{g.account}:role/deliver",
                f"arn:{g.partition}:s3:::{g.account}-trail-bucket",
                f"arn:{g.partition}:kms:{g.region}:{g.account}:key/1234abcd-12ab-34cd-56ef-1234567890ab",
                f"arn:{g.partition}:sns:{g.region}:{g.account}:alarms",
                f"arn:{g.partition}:cloudtrail:{g.region}:{g.account}:trail/audit",
                f"arn:{g.partition}:logs:{g.region}:{g.account}:destination:central",
                g.arn()[:-2] + f":log-stream:{g.account}_CloudTrail_{g.region}",
            ]
        ),
    ),
    "no AWS partition": lambda g: _labelled(
        "no AWS partition",
        Expect.VIOLATION,
        st.sampled_from(["", "AWS", "aws-moon", "aws-cn ", "amazon"]).map(lambda bad: g.arn(partition=bad)),
    ),
    "not a region": lambda g: _labelled(
        "not a region",
        Expect.VIOLATION,
        st.sampled_from(["", "US-EAST-1", "useast1", "us-east", "us-east-123", "*", "global"]).map(
            lambda bad: g.arn(region=bad)
        ),
    ),
    "not a 12-digit account id": lambda g: _labelled(
        "not a 12-digit account id",
        Expect.VIOLATION,
        st.one_of(
            st.text("0123456789", max_size=11),
            st.text("0123456789", min_size=13, max_size=20),
            st.sampled_from(["aws", "12345678901a", "123456789012 ", "*"]),
        ).map(lambda bad: g.arn(account=bad)),
    ),
    # Python's \d also matches other scripts' digits; account ids and regions have ASCII digits only.
    "non-ASCII digits in account or region": lambda g: _labelled(
        "non-ASCII digits in account or region",
        Expect.VIOLATION,
        st.one_of(
            st.text(_NON_ASCII_DIGITS, min_size=12, max_size=12).map(lambda bad: g.arn(account=bad)),
            _NON_ASCII_DIGITS.map(lambda d: g.arn(region=g.region[:-1] + d)),
        ),
    ),
    "not a log group name": lambda g: _labelled(
        "not a log group name",
        Expect.VIOLATION,
        st.one_of(
            st.just(""),
            st.text(LOG_GROUP_NAME_CHARS, min_size=513, max_size=600),
            _with_bad_character(LOG_GROUP_NAME_CHARS, also_not=":"),
        ).map(lambda bad: g.arn(name=bad)),
    ),
    "huge": lambda g: _labelled("huge", Expect.VIOLATION, noise.huge_strings().map(lambda big: g.arn(name=big))),
    "whitespace or case around a well-formed ARN": lambda g: _labelled(
        "whitespace or case around a well-formed ARN",
        Expect.VIOLATION,
        st.sampled_from([" " + g.arn(), g.arn() + " ", g.arn() + "\n", "\t" + g.arn(), "ARN" + g.arn()[3:]]),
    ),
}

ROLE_FAMILIES: dict[str, Callable[[RoleParts], st.SearchStrategy[Labelled]]] = {
    GOOD: lambda r: _labelled(GOOD, Expect.COMPLIANT, st.just(r.arn())),
    UNKNOWN: lambda r: _labelled(UNKNOWN, Expect.DEFERRED, st.just(UNKNOWN_STRING)),
    # CloudTrail needs the role together with the log group.
    "not set": lambda r: _not_set("not set"),
    "empty string": lambda r: _labelled("empty string", Expect.VIOLATION, st.just("")),
    "wrong type": lambda r: _labelled(
        "wrong type", Expect.VIOLATION, st.one_of(_WRONG_TYPES, st.just([r.arn()]), st.just({"arn": r.arn()}))
    ),
    "not an ARN": lambda r: _labelled("not an ARN", Expect.VIOLATION, _junk_not_arn()),
    "ARN of another IAM resource or service": lambda r: _labelled(
        "ARN of another IAM resource or service",
        Expect.VIOLATION,
        st.sampled_from(
            [
                f"arn:{r.partition}:sts::{r.account}:assumed-role/{r.name}/session",
                f"arn:{r.partition}:iam::{r.account}:user/{r.name}",
                f"arn:{r.partition}:iam::{r.account}:policy/{r.name}",
                f"arn:{r.partition}:iam::{r.account}:instance-profile/{r.name}",
                f"arn:{r.partition}:iam::{r.account}:role",
                f"arn:{r.partition}:iam::{r.account}:role/",
                f"arn:{r.partition}:logs:{r.region}:{r.account}:log-group:{r.name}:*",
            ]
        ),
    ),
    # IAM ARNs carry no region.
    "a region in an IAM ARN": lambda r: _labelled(
        "a region in an IAM ARN", Expect.VIOLATION, st.just(r.arn().replace(":iam::", f":iam:{r.region}:", 1))
    ),
    "not a 12-digit account id": lambda r: _labelled(
        "not a 12-digit account id",
        Expect.VIOLATION,
        st.one_of(
            st.text("0123456789", max_size=11),
            st.text("0123456789", min_size=13, max_size=20),
            st.sampled_from(["aws", "12345678901a", "*"]),
        ).map(lambda bad: r.arn(account=bad)),
    ),
    "non-ASCII digits in the account": lambda r: _labelled(
        "non-ASCII digits in the account",
        Expect.VIOLATION,
        st.text(_NON_ASCII_DIGITS, min_size=12, max_size=12).map(lambda bad: r.arn(account=bad)),
    ),
    "not a role name": lambda r: _labelled(
        "not a role name",
        Expect.VIOLATION,
        st.one_of(
            st.text(ROLE_NAME_CHARS, min_size=65, max_size=90),
            _with_bad_character(ROLE_NAME_CHARS, also_not="/:"),
            # Repeated name characters only: a "/" would move the name into the path.
            st.builds(
                lambda unit, n: unit * n, st.text(ROLE_NAME_CHARS, min_size=1, max_size=4), st.integers(65, 20_000)
            ),
        ).map(lambda bad: r.arn(name=bad)),
    ),
    "no AWS partition": lambda r: _labelled(
        "no AWS partition",
        Expect.VIOLATION,
        st.sampled_from(["", "AWS", "aws-moon", "amazon"]).map(lambda bad: r.arn(partition=bad)),
    ),
    "a path IAM does not allow": lambda r: _labelled(
        "a path IAM does not allow",
        Expect.VIOLATION,
        st.sampled_from(["/a b/", "/\u00e9/", "/a\n/"]).map(lambda bad: r.arn(path=bad)),
    ),
    # IAM paths are at most 512 characters (CreateRole), as names are at most 64.
    "a path longer than IAM allows": lambda r: _labelled(
        "a path longer than IAM allows",
        Expect.VIOLATION,
        st.integers(256, 5_000).map(lambda segments: r.arn(path="/" + "p/" * segments)),
    ),
    "whitespace or case around a well-formed ARN": lambda r: _labelled(
        "whitespace or case around a well-formed ARN",
        Expect.VIOLATION,
        st.sampled_from([" " + r.arn(), r.arn() + " ", r.arn() + "\n", "ARN" + r.arn()[3:]]),
    ),
}

BAD_LOG_GROUP_FAMILIES = tuple(f for f in LOG_GROUP_FAMILIES if f not in ACCEPTABLE)
BAD_ROLE_FAMILIES = tuple(f for f in ROLE_FAMILIES if f not in ACCEPTABLE)


@st.composite
def log_group_values(
    draw: st.DrawFn, partition: str, account: str, families: tuple[str, ...] = tuple(LOG_GROUP_FAMILIES)
) -> Labelled:
    family = draw(st.sampled_from(families))
    parts = GroupParts(partition, draw(st.sampled_from(REGIONS[partition])), account, draw(log_group_names))
    labelled = draw(LOG_GROUP_FAMILIES[family](parts))
    return Labelled(labelled.family, labelled.expect, labelled.value, partition if family == GOOD else None)


@st.composite
def role_values(
    draw: st.DrawFn, partition: str, account: str, families: tuple[str, ...] = tuple(ROLE_FAMILIES)
) -> Labelled:
    family = draw(st.sampled_from(families))
    labelled = draw(ROLE_FAMILIES[family](RoleParts(partition, account, draw(role_paths), draw(role_names))))
    return Labelled(labelled.family, labelled.expect, labelled.value, partition if family == GOOD else None)


@st.composite
def delivery_cases(
    draw: st.DrawFn,
    log_group_families: tuple[str, ...] = tuple(LOG_GROUP_FAMILIES),
    role_families: tuple[str, ...] = tuple(ROLE_FAMILIES),
    *,
    mixed_partitions: bool = False,
) -> DeliveryCase:
    """A labelled pair in one account; with ``mixed_partitions`` the role's partition is drawn on its own."""
    account = draw(accounts)
    group_partition = draw(st.sampled_from(PARTITIONS))
    role_partition = draw(st.sampled_from(PARTITIONS)) if mixed_partitions else group_partition
    return DeliveryCase(
        draw(log_group_values(group_partition, account, log_group_families)),
        draw(role_values(role_partition, account, role_families)),
    )
