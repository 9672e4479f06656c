"""A plausible answer to any ``aws:`` invoke, built from the result's shape in the pulumi-aws SDK.

Rules, in order, for each result field: a field the caller passed as an argument echoes it (``getBucket(bucket=x)``
answers ``bucket: x``); the mocked context answers the fields it owns (``region``, ``accountId``, ``partition``);
ARNs are built in the AWS format for the invoke's service (``arn:<partition>:<service>:<region>:<account>:...``,
no region or account where the service's ARNs have none, per "Amazon Resource Names (ARNs)" in the AWS General
Reference); ids get the resource's AWS prefix (``vpc-``, ``subnet-``, ``ami-``...); other strings, numbers and
booleans a neutral value; lists three items, so that a program indexing the first availability zones works.
Values are deterministic: the same invoke gets the same answer.
"""

from __future__ import annotations

import hashlib
import re
from dataclasses import dataclass
from typing import Any

from .result_shapes import Shape, invoke_arguments, result_shape

__all__ = ["AwsContext", "fill_outputs", "generic_answer"]

# ARNs without a region (global services), and without an account as well (S3 buckets): AWS General Reference,
# "Amazon Resource Names (ARNs)", and each service's "Actions, resources, and condition keys" page.
_NO_REGION = {"iam", "organizations", "route53", "cloudfront", "waf", "shield", "globalaccelerator", "s3"}
_NO_ACCOUNT = {"s3"}
_ARN_SERVICE = {
    "alb": "elasticloadbalancing",
    "lb": "elasticloadbalancing",
    "elb": "elasticloadbalancing",
    "cloudwatch": "logs",
    "ecr": "ecr",
    "cognito": "cognito-idp",
    "secretsmanager": "secretsmanager",
}
# the prefixes of EC2-style ids (Amazon EC2 API Reference, the Id fields of each type)
_ID_PREFIX = {
    "ami": "ami",
    "image": "ami",
    "vpc": "vpc",
    "subnet": "subnet",
    "securityGroup": "sg",
    "internetGateway": "igw",
    "natGateway": "nat",
    "routeTable": "rtb",
    "instance": "i",
    "volume": "vol",
    "snapshot": "snap",
    "networkInterface": "eni",
    "vpcEndpoint": "vpce",
    "transitGateway": "tgw",
    "keyPair": "key",
    "prefixList": "pl",
    "networkAcl": "acl",
    "dhcpOptions": "dopt",
    "vpcPeeringConnection": "pcx",
    "eip": "eipalloc",
    "launchTemplate": "lt",
}
_LIST_LENGTH = 3


@dataclass(frozen=True)
class AwsContext:
    account_id: str
    region: str
    partition: str
    dns_suffix: str


def _digest(*parts: str, n: int = 17) -> str:
    return hashlib.sha256("/".join(parts).encode()).hexdigest()[:n]


def _stem(function: str) -> str:
    """``getSecurityGroup`` -> ``securityGroup``; plural and ``get`` dropped."""
    name = function.removeprefix("get")
    name = name[:1].lower() + name[1:]
    return name[:-1] if name.endswith("s") and not name.endswith("ss") else name


def _kebab(name: str) -> str:
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"-\1", name).lower()


class _Builder:
    def __init__(self, token: str, args: dict[str, Any], ctx: AwsContext) -> None:
        self.token, self.args, self.ctx = token, args, ctx
        module, function = token.split(":")[1].split("/", 1)
        self.module, self.stem = module, _stem(function)
        self.region = str(args.get("region") or ctx.region)
        name = args.get("name") or args.get(self.stem) or args.get(f"{self.stem}Name") or args.get("id")
        if isinstance(name, (str, int)):
            self.name = str(name)
        elif self.stem in _ID_PREFIX:
            self.name = f"{_ID_PREFIX[self.stem]}-{_digest(token, 'id', '')}"
        else:
            self.name = f"{_kebab(self.stem)}-{_digest(token, n=8)}"

    def arn(self) -> str:
        service = _ARN_SERVICE.get(self.module, self.module)
        region = "" if service in _NO_REGION else self.region
        account = "" if service in _NO_ACCOUNT else self.ctx.account_id
        return f"arn:{self.ctx.partition}:{service}:{region}:{account}:{self._arn_resource(self.stem, self.name)}"

    def _arn_resource(self, kind: str, name: str) -> str:
        if self.module in _NO_ACCOUNT or name.startswith("alias/"):
            return name
        return f"{_kebab(kind)}{name}" if name.startswith("/") else f"{_kebab(kind)}/{name}"

    def other_arn(self, field: str, salt: str) -> str:
        """``targetKeyArn`` -> an ARN of a ``key`` in the invoke's service (the field's last word)."""
        words = re.findall(r"[A-Z]?[a-z0-9]+", field.removesuffix("Arns").removesuffix("Arn"))
        kind = words[-1].lower() if words else "resource"
        service = _ARN_SERVICE.get(self.module, self.module)
        region = "" if service in _NO_REGION else self.region
        account = "" if service in _NO_ACCOUNT else self.ctx.account_id
        name = _digest(self.token, field, salt, n=12)
        return f"arn:{self.ctx.partition}:{service}:{region}:{account}:{self._arn_resource(kind, name)}"

    def ident(self, field: str, salt: str) -> str:
        stem = self.stem if field == "id" else field.removesuffix("Ids").removesuffix("Id")
        prefix = _ID_PREFIX.get(stem)
        if prefix:
            return f"{prefix}-{_digest(self.token, field, salt)}"
        return self.name if field == "id" else f"{_kebab(stem)}-{_digest(self.token, field, salt, n=8)}"

    def string(self, field: str, salt: str) -> str:
        low = field.lower()
        ctx = self.ctx
        if field == "arn" or field.endswith("Arn") or field.endswith("Arns"):
            return self.arn() if field == "arn" else self.other_arn(field, salt)
        if low in ("region", "bucketregion", "homeregion"):
            return self.region
        if low in ("accountid", "ownerid", "owner", "masteraccountid"):
            return ctx.account_id
        if low == "partition":
            return ctx.partition
        if low == "dnssuffix":
            return ctx.dns_suffix
        if "availabilityzone" in low or low in ("zonename", "names", "zone"):
            return f"{self.region}{'abc'[int(salt or 0) % 3]}"
        if field == "id" or field.endswith("Id") or field.endswith("Ids"):
            return self.ident(field, salt)
        if low in ("name", "names") or low == f"{self.stem.lower()}name":
            return self.name
        if low.endswith("date") or low.endswith("time") or low.endswith("timestamp"):
            return "2024-01-01T00:00:00Z"
        if low in ("state", "status"):
            return "available"
        if low.startswith("cidrblock") or low == "cidr":
            return "10.0.0.0/16"
        if "domainname" in low or low.endswith("endpoint") or low == "dnsname":
            return f"{self.name}.{self.region}.{ctx.dns_suffix}"
        if "policy" in low or low.endswith("json"):
            return '{"Version":"2012-10-17","Statement":[]}'
        return f"{_kebab(field)}-offline"

    def value(self, field: str, shape: Shape, salt: str = "") -> Any:
        if shape.kind == "str":
            return self.string(field, salt)
        if shape.kind == "bool":
            return False
        if shape.kind == "int":
            return 1 if field.lower().endswith("count") else 0
        if shape.kind == "float":
            return 0.0
        if shape.kind == "map":
            return {}
        if shape.kind == "list":
            assert shape.item is not None
            return [self.value(field, shape.item, str(i)) for i in range(_LIST_LENGTH)]
        if shape.kind == "object":
            return {f.name: self.value(f.name, f.shape, salt) for f in shape.fields}
        return None

    def answer(self, shape: Shape, arguments: frozenset[str]) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for f in shape.fields:
            if f.name in self.args:
                out[f.name] = self.args[f.name]
            elif f.optional and f.name in arguments:
                out[f.name] = None  # an optional argument the caller left out comes back unset, as from the provider
            else:
                out[f.name] = self.value(f.name, f.shape)
        return out


def generic_answer(token: str, args: dict[str, Any], ctx: AwsContext) -> dict[str, Any] | None:
    """A plausible result for an ``aws:`` invoke, or None when pulumi-aws has no such invoke."""
    shape = result_shape(token)
    if shape is None:
        return None
    return _Builder(token, args, ctx).answer(shape, invoke_arguments(token))


def fill_outputs(
    token: str, outputs: dict[str, Any], shape: Shape, ctx: AwsContext, inputs: frozenset[str] = frozenset()
) -> dict[str, Any]:
    """A created resource's outputs with every output property the provider always sets (not ``Optional`` in the
    SDK class) given a plausible value when the answers so far left it out; a provider computes those.

    A list or map the type also takes as an input (``inputs``: a role's ``managedPolicyArns`` and
    ``inlinePolicies``, a bucket's ``grants``) holds what the program attached; left out, the provider reads back
    nothing attached, so it is empty here: invented items would read as the user's own declarations.
    """
    missing = [f for f in shape.fields if outputs.get(f.name) is None and not f.optional]
    if not missing:
        return outputs
    builder = _Builder(token, outputs, ctx)
    filled: dict[str, Any] = {}
    for f in missing:
        if f.name in inputs and f.shape.kind in ("list", "map"):
            filled[f.name] = [] if f.shape.kind == "list" else {}
        else:
            filled[f.name] = builder.value(f.name, f.shape)
    return {**outputs, **filled}
