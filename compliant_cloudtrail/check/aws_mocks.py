"""AWS answers for offline runs: plausible computed outputs for resources and answers for common invokes.

:class:`AwsMocks` is a :class:`pulumi.runtime.Mocks` (for in-process tests under ``set_mocks``) and is also what
the offline engine asks (``computed`` for resources, ``known_invoke`` for the invokes it has exact answers for).
Physical names, ids and ARNs follow the formats the AWS provider returns, in the mocked account, region and
partition.
"""

from __future__ import annotations

import hashlib
import uuid
from collections.abc import Callable, Mapping
from typing import Any

import pulumi
import pulumi.runtime
from pulumi.runtime import settings
from pulumi.runtime.mocks import MockCallArgs, MockResourceArgs

from .aws_policy_document import render_policy_document

__all__ = ["AwsMocks", "UnknownInvokeError"]


class UnknownInvokeError(LookupError):
    """An invoke the mocks do not know: add an answer to :class:`AwsMocks`, never let it pass silently."""


def _hex7(name: str) -> str:
    return hashlib.sha256(name.encode()).hexdigest()[:7]


def _uuid(*parts: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, "/".join(parts)))


# physical-name property of the autonamed types
_NAME_PROPERTY: dict[str, str] = {
    "aws:s3/bucket:Bucket": "bucket",
    "aws:s3/bucketV2:BucketV2": "bucket",
    "aws:cloudwatch/logGroup:LogGroup": "name",
    "aws:cloudwatch/logMetricFilter:LogMetricFilter": "name",
    "aws:cloudwatch/metricAlarm:MetricAlarm": "name",
    "aws:cloudwatch/logSubscriptionFilter:LogSubscriptionFilter": "name",
    "aws:cloudwatch/eventRule:EventRule": "name",
    "aws:iam/role:Role": "name",
    "aws:iam/policy:Policy": "name",
    "aws:iam/rolePolicy:RolePolicy": "name",
    "aws:sns/topic:Topic": "name",
    "aws:cloudtrail/trail:Trail": "name",
    "aws:kms/alias:Alias": "name",
    "aws-native:cloudtrail:Trail": "trailName",
}

# types whose id is the bucket they configure
_BUCKET_SUBRESOURCES = {
    "aws:s3/bucketPolicy:BucketPolicy",
    "aws:s3/bucketPublicAccessBlock:BucketPublicAccessBlock",
    "aws:s3/bucketOwnershipControls:BucketOwnershipControls",
    "aws:s3/bucketServerSideEncryptionConfiguration:BucketServerSideEncryptionConfiguration",
    "aws:s3/bucketServerSideEncryptionConfigurationV2:BucketServerSideEncryptionConfigurationV2",
    "aws:s3/bucketVersioning:BucketVersioning",
    "aws:s3/bucketVersioningV2:BucketVersioningV2",
    "aws:s3/bucketLifecycleConfiguration:BucketLifecycleConfiguration",
    "aws:s3/bucketLifecycleConfigurationV2:BucketLifecycleConfigurationV2",
    "aws:s3/bucketLogging:BucketLogging",
    "aws:s3/bucketLoggingV2:BucketLoggingV2",
    "aws:s3/bucketAcl:BucketAcl",
    "aws:s3/bucketNotification:BucketNotification",
}

# pulumi-aws modules whose resources are global (no per-resource `region` in v7)
_GLOBAL_MODULES = {"iam", "organizations", "route53", "cloudfront", "budgets", "index"}


class AwsMocks(pulumi.runtime.Mocks):
    """Plausible AWS answers for offline runs.

    ``preview`` - when true, :meth:`new_resource` returns no id and only the inputs (as in a first
    ``pulumi preview``); when ``None`` it follows :func:`pulumi.runtime.is_dry_run`.
    """

    def __init__(
        self,
        account_id: str = "123456789012",
        region: str = "us-east-1",
        partition: str = "aws",
        organization_id: str = "o-a1b2c3d4e5",
        management_account_id: str | None = None,
        *,
        preview: bool | None = None,
    ) -> None:
        self.account_id = account_id
        self.region = region
        self.partition = partition
        self.organization_id = organization_id
        self.management_account_id = management_account_id or account_id
        self.preview = preview
        #: every invoke answered, in order: (token, args)
        self.calls: list[tuple[str, dict[str, Any]]] = []
        self._calls: dict[str, Callable[[dict[str, Any]], dict[str, Any]]] = {
            "aws:index/getCallerIdentity:getCallerIdentity": self._caller_identity,
            "aws:index/getRegion:getRegion": self._region,
            "aws:index/getPartition:getPartition": self._partition,
            "aws:organizations/getOrganization:getOrganization": self._organization,
            "aws:organizations/getDelegatedAdministrators:getDelegatedAdministrators": self._delegated_administrators,
            "aws:iam/getPolicyDocument:getPolicyDocument": render_policy_document,
        }

    # -- helpers -------------------------------------------------------------------------------------------
    @property
    def dns_suffix(self) -> str:
        return {"aws-cn": "amazonaws.com.cn", "aws-iso": "c2s.ic.gov", "aws-iso-b": "sc2s.sgov.gov"}.get(
            self.partition, "amazonaws.com"
        )

    def arn(self, service: str, resource: str, *, region: str | None = None, account: str | None = None) -> str:
        region = self.region if region is None else region
        account = self.account_id if account is None else account
        return f"arn:{self.partition}:{service}:{region}:{account}:{resource}"

    @staticmethod
    def physical_name(logical_name: str) -> str:
        """The autoname pulumi-aws would give: logical name, a dash, 7 hex characters (deterministic here)."""
        return f"{logical_name}-{_hex7(logical_name)}"

    # -- invokes ---------------------------------------------------------------------------------------------
    def call(self, args: MockCallArgs) -> tuple[dict, list[tuple[str, str]]]:
        self.calls.append((args.token, dict(args.args)))
        answer = self._calls.get(args.token)
        if answer is None:
            raise UnknownInvokeError(
                f"AwsMocks has no answer for invoke {args.token!r} (args: {sorted(args.args)}); "
                "add one to compliant_cloudtrail.check.mock_runtime.AwsMocks"
            )
        return answer(args.args), []  # this SDK iterates the failures: [] not None

    def _caller_identity(self, _args: dict[str, Any]) -> dict[str, Any]:
        return {
            "accountId": self.account_id,
            "arn": f"arn:{self.partition}:iam::{self.account_id}:user/offline-check",
            "id": self.account_id,
            "userId": "AIDAOFFLINECHECK0000000",
        }

    def known_invoke(self, token: str, args: dict[str, Any], *, region: str | None = None) -> dict[str, Any] | None:
        """The exact answer to one of the invokes answered here, in ``region`` (an explicit provider's) when given;
        None for the others."""
        answer = self._calls.get(token)
        if answer is None:
            return None
        if region and not args.get("region") and token == "aws:index/getRegion:getRegion":
            args = {**args, "region": region}
        self.calls.append((token, dict(args)))
        return answer(args)

    def _region(self, args: dict[str, Any]) -> dict[str, Any]:
        region = args.get("region") or args.get("name") or self.region
        return {
            "description": f"offline mock of {region}",
            "endpoint": f"ec2.{region}.{self.dns_suffix}",
            "id": region,
            "name": region,
            "region": region,
        }

    def _partition(self, _args: dict[str, Any]) -> dict[str, Any]:
        return {
            "dnsSuffix": self.dns_suffix,
            "id": self.partition,
            "partition": self.partition,
            "reverseDnsPrefix": ".".join(reversed(self.dns_suffix.split("."))),
        }

    def _organization(self, _args: dict[str, Any]) -> dict[str, Any]:
        mgmt = self.management_account_id
        org_arn = f"arn:{self.partition}:organizations::{mgmt}:organization/{self.organization_id}"
        accounts = [
            {
                "arn": f"arn:{self.partition}:organizations::{mgmt}:account/{self.organization_id}/{acct}",
                "email": f"{acct}@example.com",
                "id": acct,
                "name": f"account-{acct}",
                "status": "ACTIVE",
                "state": "ACTIVE",
            }
            for acct in dict.fromkeys([mgmt, self.account_id])
        ]
        return {
            "accounts": accounts,
            "arn": org_arn,
            "awsServiceAccessPrincipals": ["cloudtrail.amazonaws.com"],
            "enabledPolicyTypes": ["SERVICE_CONTROL_POLICY"],
            "featureSet": "ALL",
            "id": self.organization_id,
            "masterAccountArn": accounts[0]["arn"],
            "masterAccountEmail": accounts[0]["email"],
            "masterAccountId": mgmt,
            "masterAccountName": accounts[0]["name"],
            "nonMasterAccounts": accounts[1:],
            "returnOrganizationOnly": False,
            "roots": [
                {
                    "arn": f"arn:{self.partition}:organizations::{mgmt}:root/{self.organization_id}/r-ab12",
                    "id": "r-ab12",
                    "name": "Root",
                    "policyTypes": [{"status": "ENABLED", "type": "SERVICE_CONTROL_POLICY"}],
                }
            ],
        }

    def _delegated_administrators(self, args: dict[str, Any]) -> dict[str, Any]:
        """The mocked account, listed as the service's delegated administrator: offline nothing says otherwise,
        and a program that names another management account is deploying as one (CloudTrail User Guide,
        "Organization delegated administrator"); a component asks only when the caller is not the management
        account, so the list never contradicts getOrganization."""
        mgmt = self.management_account_id
        admins = [{
            "arn": f"arn:{self.partition}:organizations::{mgmt}:account/{self.organization_id}/{self.account_id}",
            "delegationEnabledDate": "2024-01-01T00:00:00Z",
            "email": f"{self.account_id}@example.com",
            "id": self.account_id,
            "joinedMethod": "INVITED",
            "joinedTimestamp": "2024-01-01T00:00:00Z",
            "name": f"account-{self.account_id}",
            "status": "ACTIVE",
        }]  # fmt: skip
        return {"delegatedAdministrators": admins, "id": self.organization_id,
                "servicePrincipal": args.get("servicePrincipal")}  # fmt: skip

    # -- resources -------------------------------------------------------------------------------------------
    def _is_preview(self) -> bool:
        return bool(settings.is_dry_run()) if self.preview is None else self.preview

    def new_resource(self, args: MockResourceArgs) -> tuple[str | None, dict]:
        inputs = dict(args.inputs)
        if args.custom is False and not args.typ.startswith("pulumi:providers:"):
            return "", inputs  # component resources have no id and no provider outputs
        if self._is_preview() and not args.resource_id:
            # A first preview: the engine knows nothing but the inputs; no id, no computed outputs.
            return None, inputs
        return self.computed(args.typ, args.name, inputs, resource_id=args.resource_id)

    def computed(
        self,
        typ: str,
        name: str,
        inputs: dict[str, Any],
        *,
        resource_id: str | None = None,
        region: str | None = None,
    ) -> tuple[str, dict[str, Any]]:
        """The id and outputs (inputs + computed outputs) a successful create would return.

        ``region`` is the resource's provider's, when it names one; the mocked region otherwise.
        """
        out = dict(inputs)
        name_prop = _NAME_PROPERTY.get(typ)
        if name_prop and not out.get(name_prop):
            prefix = out.get("namePrefix") or out.get("bucketPrefix")
            physical = f"{prefix}{_hex7(name)}" if prefix else self.physical_name(name)
            if typ == "aws:kms/alias:Alias" and not physical.startswith("alias/"):
                physical = "alias/" + physical
            out[name_prop] = physical
        physical = out.get(name_prop, name) if name_prop else name

        pkg, _, rest = typ.partition(":")
        module = rest.split("/")[0].split(":")[0]
        if pkg == "aws" and module not in _GLOBAL_MODULES:
            out.setdefault("region", region or self.region)
        # tagsAll mirrors a tags *map*; some types take tags as a list of objects (autoscaling.Group's
        # {key, value, propagateAtLaunch}) and have no tagsAll (pulumi-aws autoscaling/group docs).
        if pkg == "aws" and isinstance(inputs.get("tags"), Mapping):
            out.setdefault("tagsAll", dict(inputs["tags"]))

        rid = self._fill(typ, name, physical, out)
        if typ == "aws:cloudtrail/trail:Trail" and resource_id and resource_id.startswith("arn:"):
            self._trail_read_by_arn(resource_id, out)
        return (resource_id or rid), out

    @staticmethod
    def _trail_read_by_arn(arn: str, out: dict[str, Any]) -> None:
        """A trail read (``Trail.get``) by its ARN, the provider's trail id: the trail is the one that ARN names, in
        its account and home region, which may be another account's (an organization trail seen from a member)."""
        parts = arn.split(":", 5)
        if len(parts) != 6 or not parts[5].startswith("trail/"):
            return
        out["arn"] = arn
        out["homeRegion"] = parts[3]
        out["name"] = parts[5].removeprefix("trail/")

    def _fill(self, typ: str, name: str, physical: str, out: dict[str, Any]) -> str:
        acct, region, part = self.account_id, str(out.get("region") or self.region), self.partition
        if typ in ("aws:s3/bucket:Bucket", "aws:s3/bucketV2:BucketV2"):
            out["arn"] = f"arn:{part}:s3:::{physical}"
            out["bucketDomainName"] = f"{physical}.s3.{self.dns_suffix}"
            out["bucketRegionalDomainName"] = f"{physical}.s3.{region}.{self.dns_suffix}"
            out["bucketRegion"] = region
            out["hostedZoneId"] = "Z3AQBSTGFYJSTF"
            return physical
        if typ in _BUCKET_SUBRESOURCES:
            return str(out.get("bucket") or name)
        if typ == "aws:cloudwatch/logGroup:LogGroup":
            out["arn"] = self.arn("logs", f"log-group:{physical}", region=region)  # no ":*", as pulumi-aws
            out.setdefault("logGroupClass", "STANDARD")
            return physical
        if typ == "aws:cloudwatch/logMetricFilter:LogMetricFilter":
            return physical
        if typ == "aws:cloudwatch/logSubscriptionFilter:LogSubscriptionFilter":
            return f"cwlsf-{int(_hex7(name), 16)}"
        if typ == "aws:cloudwatch/metricAlarm:MetricAlarm":
            out["arn"] = self.arn("cloudwatch", f"alarm:{physical}", region=region)
            return physical
        if typ == "aws:cloudwatch/eventRule:EventRule":
            out["arn"] = self.arn("events", f"rule/{physical}", region=region)
            return physical
        if typ == "aws:iam/role:Role":
            path = out.get("path") or "/"
            out["arn"] = f"arn:{part}:iam::{acct}:role{path}{physical}"
            out["uniqueId"] = "AROA" + hashlib.sha256(name.encode()).hexdigest()[:17].upper()
            out["createDate"] = "2024-01-01T00:00:00Z"
            return physical
        if typ == "aws:iam/policy:Policy":
            path = out.get("path") or "/"
            out["arn"] = f"arn:{part}:iam::{acct}:policy{path}{physical}"
            out["policyId"] = "ANPA" + hashlib.sha256(name.encode()).hexdigest()[:17].upper()
            out["attachmentCount"] = 0
            return str(out["arn"])
        if typ == "aws:iam/rolePolicy:RolePolicy":
            return f"{out.get('role', '')}:{physical}"
        if typ == "aws:iam/rolePolicyAttachment:RolePolicyAttachment":
            return f"{out.get('role', '')}-{_hex7(name)}"
        if typ == "aws:kms/key:Key":
            key_id = _uuid("kms", acct, region, name)
            out["keyId"] = key_id
            out["arn"] = self.arn("kms", f"key/{key_id}", region=region)
            return key_id
        if typ == "aws:kms/alias:Alias":
            out["arn"] = self.arn("kms", physical, region=region)
            target = str(out.get("targetKeyId") or "")
            out["targetKeyArn"] = (
                target if target.startswith("arn:") else self.arn("kms", f"key/{target}", region=region)
            )
            return physical
        if typ == "aws:sns/topic:Topic":
            out["arn"] = self.arn("sns", physical, region=region)
            out["owner"] = acct
            return str(out["arn"])
        if typ == "aws:sns/topicSubscription:TopicSubscription":
            topic = str(out.get("topic") or self.arn("sns", "topic", region=region))
            out["arn"] = f"{topic}:{_uuid('sub', topic, name)}"
            out["ownerId"] = acct
            out["confirmationWasAuthenticated"] = False
            out["pendingConfirmation"] = out.get("protocol") in ("email", "email-json", "http", "https")
            return str(out["arn"])
        if typ == "aws:sns/topicPolicy:TopicPolicy":
            out["owner"] = acct
            return str(out.get("arn") or name)
        if typ == "aws:cloudtrail/trail:Trail":
            out["arn"] = self.arn("cloudtrail", f"trail/{physical}", region=region)
            out["homeRegion"] = region
            if out.get("snsTopicName"):
                out["snsTopicArn"] = self.arn("sns", str(out["snsTopicName"]), region=region)
            return str(out["arn"])  # the provider's trail id is its ARN (since the AWS provider's v5)
        if typ == "aws-native:cloudtrail:Trail":
            out["arn"] = self.arn("cloudtrail", f"trail/{physical}")
            if out.get("snsTopicName"):
                out["snsTopicArn"] = self.arn("sns", str(out["snsTopicName"]))
            return physical
        if typ.startswith("pulumi:providers:"):
            return _uuid("provider", typ, name)
        return f"{name}-{_hex7(typ + '::' + name)}"
