"""ARN parsing for the ARNs of a trail: its own, and the log group, IAM role and KMS key it carries.

Each parser returns the parts it understood or raises ``ArnError`` whose message says which part of
the ARN is wrong, phrased to follow "The value ...", so a violation can say exactly what to change.
"""

from __future__ import annotations

import re
from dataclasses import dataclass

# The partitions CloudTrail and CloudWatch Logs run in: commercial, China, GovCloud (US), the
# isolated ISO partitions, and the AWS European Sovereign Cloud.
PARTITIONS = frozenset({"aws", "aws-cn", "aws-us-gov", "aws-iso", "aws-iso-b", "aws-iso-e", "aws-iso-f", "aws-eusc"})

_REGION = re.compile(r"[a-z]{2,4}(?:-[a-z]+)+-\d{1,2}", re.ASCII)
_ACCOUNT = re.compile(r"\d{12}", re.ASCII)
# CloudWatch Logs log group names: 1 to 512 characters of letters, digits and . - _ / #
_LOG_GROUP_NAME = re.compile(r"[.\-_/#A-Za-z0-9]{1,512}")
# IAM role names: 1 to 64 of letters, digits and + = , . @ - _; paths are /-delimited printable ASCII.
_ROLE_NAME = re.compile(r"[\w+=,.@-]{1,64}", re.ASCII)
_ROLE_PATH = re.compile(r"/(?:[\x21-\x7E]*/)?")
_KMS_KEY_ID = re.compile(r"(?:[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}|mrk-[0-9a-f]{32})")
_KMS_ALIAS = re.compile(r"alias/[A-Za-z0-9/_-]{1,250}")


class ArnError(ValueError):
    """An ARN that is not of the expected kind; the message says which part is wrong."""


@dataclass(frozen=True)
class LogGroupArn:
    partition: str
    region: str
    account: str
    name: str

    @property
    def group_arn(self) -> str:
        """The ARN without the log-stream wildcard, as pulumi-aws's ``LogGroup.arn`` has it."""
        return f"arn:{self.partition}:logs:{self.region}:{self.account}:log-group:{self.name}"

    def stream_arn(self, stream: str) -> str:
        return f"{self.group_arn}:log-stream:{stream}"


@dataclass(frozen=True)
class TrailArn:
    partition: str
    region: str
    """The trail's home region."""
    account: str
    """The account that owns the trail: for an organization trail, the management account (CloudTrail
    User Guide, "Creating a trail for an organization")."""
    name: str


@dataclass(frozen=True)
class RoleArn:
    partition: str
    account: str
    path: str
    name: str


def _split(text: str) -> list[str]:
    if not text.startswith("arn:"):
        raise ArnError('is not an ARN (an ARN starts with "arn:")')
    parts = text.split(":")
    if len(parts) < 6:
        raise ArnError("is not a complete ARN (arn:partition:service:region:account:resource)")
    if parts[1] not in PARTITIONS:
        raise ArnError(f'names the partition "{parts[1]}", which is not an AWS partition')
    return parts


def parse_log_group_arn(text: str) -> LogGroupArn:
    """A log group ARN of the form CloudTrail accepts: ``arn:P:logs:R:A:log-group:NAME:*``."""
    parts = _split(text)
    partition, service, region, account, rest = parts[1], parts[2], parts[3], parts[4], parts[5:]
    if service != "logs":
        raise ArnError(f'is an ARN of the service "{service}", not of CloudWatch Logs ("logs")')
    if not _REGION.fullmatch(region):
        raise ArnError(f'has "{region}" where a region such as "us-east-1" belongs')
    if not _ACCOUNT.fullmatch(account):
        raise ArnError(f'has "{account}" where a 12-digit account id belongs')
    if rest[0] != "log-group" or len(rest) < 2:
        raise ArnError(f'points at a "{rest[0]}", not at a log group ("log-group:<name>:*")')
    name = rest[1]
    if not _LOG_GROUP_NAME.fullmatch(name):
        raise ArnError(f'has "{name}" as log group name; names are 1 to 512 letters, digits and . - _ / #')
    suffix = rest[2:]
    if not suffix:
        raise ArnError(
            'does not end in ":*"; CloudTrail needs the log-stream wildcard, so append ":*" to the '
            "log group's arn output"
        )
    if suffix != ["*"]:
        raise ArnError(f'ends in ":{":".join(suffix)}" instead of the log-stream wildcard ":*"')
    return LogGroupArn(partition, region, account, name)


def parse_trail_arn(text: str) -> TrailArn:
    """A trail ARN: ``arn:P:cloudtrail:REGION:ACCOUNT:trail/NAME`` (Service Authorization Reference, CloudTrail)."""
    parts = _split(text)
    partition, service, region, account = parts[1], parts[2], parts[3], parts[4]
    resource = ":".join(parts[5:])
    if service != "cloudtrail":
        raise ArnError(f'is an ARN of the service "{service}", not a CloudTrail trail ARN')
    if not _REGION.fullmatch(region):
        raise ArnError(f"has \"{region}\" where the trail's home region belongs")
    if not _ACCOUNT.fullmatch(account):
        raise ArnError(f'has "{account}" where a 12-digit account id belongs')
    kind, _, name = resource.partition("/")
    if kind != "trail" or not name:
        raise ArnError('does not name a trail ("trail/<name>")')
    return TrailArn(partition, region, account, name)


def parse_role_arn(text: str) -> RoleArn:
    """An IAM role ARN: ``arn:P:iam::A:role/PATH/NAME``."""
    parts = _split(text)
    partition, service, region, account = parts[1], parts[2], parts[3], parts[4]
    resource = ":".join(parts[5:])
    if service == "sts":
        raise ArnError("is an STS session ARN; CloudTrail needs the ARN of the IAM role itself")
    if service != "iam":
        raise ArnError(f'is an ARN of the service "{service}", not an IAM role ARN')
    if region:
        raise ArnError(f'has the region "{region}"; IAM ARNs have none (arn:<partition>:iam::<account>:...)')
    if not _ACCOUNT.fullmatch(account):
        raise ArnError(f'has "{account}" where a 12-digit account id belongs')
    kind, _, path_and_name = resource.partition("/")
    if kind != "role":
        raise ArnError(f'is an IAM {kind or "resource"} ARN, not an IAM role ARN ("role/<name>")')
    path, _, name = ("/" + path_and_name).rpartition("/")
    path += "/"
    if not _ROLE_NAME.fullmatch(name) or not _ROLE_PATH.fullmatch(path) or len(path) > 512:
        raise ArnError(f'has "{path_and_name}" as role path and name, which IAM does not allow')
    return RoleArn(partition, account, path, name)


def check_kms_key(text: str) -> None:
    """A key CloudTrail can encrypt with: key or alias ARN, key id, or alias name."""
    if text.startswith("arn:"):
        parts = _split(text)
        service, region, account = parts[2], parts[3], parts[4]
        resource = ":".join(parts[5:])
        if service != "kms":
            raise ArnError(f'is an ARN of the service "{service}", not a KMS key ARN')
        if not _REGION.fullmatch(region) or not _ACCOUNT.fullmatch(account):
            raise ArnError("is not a KMS ARN with a region and a 12-digit account id")
        kind, _, key = resource.partition("/")
        if kind == "key" and _KMS_KEY_ID.fullmatch(key):
            return
        if kind == "alias" and _KMS_ALIAS.fullmatch(resource):
            return
        raise ArnError('is a KMS ARN that names neither a key ("key/<id>") nor an alias ("alias/<name>")')
    if _KMS_KEY_ID.fullmatch(text) or _KMS_ALIAS.fullmatch(text):
        return
    raise ArnError("is neither a KMS key ARN, an alias ARN, a key id nor an alias name")
