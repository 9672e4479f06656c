"""Offline Pulumi runtime: record what the engine would be sent, answer like AWS would.

Three pieces, usable on their own:

* :class:`RecordingMonitor` - a :class:`pulumi.runtime.mocks.MockMonitor` that keeps, for every resource
  registration (and read), the request exactly as the SDK sent it (:class:`RegisteredResource`).
* :class:`AwsMocks` - :class:`pulumi.runtime.Mocks` that answer the common AWS invokes and give AWS resources
  plausible computed outputs (physical names, ARNs in the real formats). Unknown invokes raise.
* :func:`mocked_stack` (for tests) and :func:`run_program` (for a whole program directory).

Preview mode (``preview=True``): the mocks return only the inputs, with no id and no computed outputs, so the
SDK treats every computed output as unknown, as during a real ``pulumi preview`` of a first deployment. Values
derived from them reach later resources as the unknown sentinel :data:`UNKNOWN` in ``inputs_struct`` (and in
``inputs``; see :class:`RegisteredResource`).
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import os
import runpy
import sys
import threading
import traceback
import uuid
from collections.abc import Callable, Iterator, Mapping
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

import pulumi
import pulumi.runtime
import yaml
from google.protobuf import json_format, struct_pb2
from pulumi.output import Unknown
from pulumi.runtime import config as _config
from pulumi.runtime import mocks as _mocks
from pulumi.runtime import rpc, settings
from pulumi.runtime.mocks import MockCallArgs, MockResourceArgs
from pulumi.runtime.sync_await import _sync_await

__all__ = [
    "UNKNOWN",
    "AwsMocks",
    "ProgramError",
    "RecordingMonitor",
    "RegisteredResource",
    "UnknownInvokeError",
    "mocked_stack",
    "run_program",
    "settle",
]

#: The value the SDK sends to the engine in place of a value that is not known yet (preview).
UNKNOWN: str = rpc.UNKNOWN
_SECRET_SIG_KEY = rpc._special_sig_key
_SECRET_SIG = rpc._special_secret_sig

STACK_TYPE = "pulumi:pulumi:Stack"


# --------------------------------------------------------------------------------------------------
# Records
# --------------------------------------------------------------------------------------------------
@dataclass(frozen=True)
class RegisteredResource:
    """One resource as the engine would have received it.

    ``inputs`` are the deserialised inputs with secrets unwrapped (their top-level keys are in
    ``secret_inputs``) and values not known yet (preview) replaced by the :data:`UNKNOWN` sentinel string.
    ``inputs_struct`` is the raw protobuf ``Struct`` exactly as sent: unknown sentinels and secret wrappers
    intact. ``outputs`` is what the mock answered (empty for the stack resource and, in preview, the inputs
    only).
    """

    urn: str
    type: str
    name: str
    custom: bool
    parent: str
    dependencies: list[str]
    property_dependencies: dict[str, list[str]]
    inputs: dict[str, Any]
    inputs_struct: struct_pb2.Struct
    outputs: dict[str, Any]
    protect: bool
    retain_on_delete: bool
    ignore_changes: list[str]
    aliases: list[dict[str, Any]]
    provider: str
    delete_before_replace: bool
    id: str = ""
    delete_before_replace_defined: bool = False
    additional_secret_outputs: list[str] = field(default_factory=list)
    replace_on_changes: list[str] = field(default_factory=list)
    custom_timeouts: dict[str, str] = field(default_factory=dict)
    deleted_with: str = ""
    import_id: str = ""
    version: str = ""
    secret_inputs: frozenset[str] = frozenset()
    read: bool = False
    """True when the resource came from ``ReadResource`` (``Resource.get``), not a registration."""

    __hash__ = None  # type: ignore[assignment]  # holds lists and dicts

    @property
    def is_stack(self) -> bool:
        return self.type == STACK_TYPE


def _plain(value: Any) -> Any:
    """Deserialised property value -> plain Python value (unknowns -> UNKNOWN, secrets unwrapped)."""
    if isinstance(value, Unknown):
        return UNKNOWN
    if rpc.is_rpc_secret(value):
        return _plain(rpc.unwrap_rpc_secret(value))
    if isinstance(value, dict):
        return {k: _plain(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_plain(v) for v in value]
    return value


def _deserialise(struct: struct_pb2.Struct) -> tuple[dict[str, Any], frozenset[str]]:
    raw = rpc.deserialize_properties(struct, keep_unknowns=True)
    if not isinstance(raw, dict):  # an asset or archive at top level: not a property bag
        return {}, frozenset()
    secrets = frozenset(k for k, v in raw.items() if rpc.is_rpc_secret(v))
    return {k: _plain(v) for k, v in raw.items()}, secrets


def _copy_struct(struct: struct_pb2.Struct) -> struct_pb2.Struct:
    out = struct_pb2.Struct()
    out.CopyFrom(struct)
    return out


class RecordedResources(list[RegisteredResource]):
    """``monitor.resources``: the records, in registration order (a plain list for users).

    The parent ``MockMonitor`` keeps its own ``resources`` registry keyed by URN (for ``ExistsResource``
    and the ``pulumi:pulumi:getResource`` invoke); the dict operations it uses (``[urn] = ...``, ``get``,
    ``values``) go to ``registrations`` so both views live in the one attribute the parent writes to.
    """

    def __init__(self) -> None:
        super().__init__()
        self.registrations: dict[str, _mocks.MockMonitor.ResourceRegistration] = {}

    def __setitem__(self, key: Any, value: Any) -> None:
        if isinstance(key, str):
            self.registrations[key] = value
        else:
            super().__setitem__(key, value)

    def get(self, urn: str, default: Any = None) -> Any:
        return self.registrations.get(urn, default)

    def values(self) -> Any:
        return self.registrations.values()


class RecordingMonitor(_mocks.MockMonitor):
    """A mock resource monitor that records every request the engine would be sent."""

    resources: RecordedResources  # type: ignore[assignment]

    def __init__(self, mocks: pulumi.runtime.Mocks):
        super().__init__(mocks)
        self.resources = RecordedResources()
        self._lock = threading.Lock()
        #: outputs registered with ``RegisterResourceOutputs``, by URN (stack exports under the stack's URN)
        self.registered_outputs: dict[str, dict[str, Any]] = {}

    def make_urn(self, parent: str, type_: str, name: str) -> str:
        """URNs as the engine builds them: children of the root stack carry no ``pulumi:pulumi:Stack$``.

        (The SDK's MockMonitor prefixes every type with its parent's, the stack included, which no real
        engine does; URNs here match the ones a real ``pulumi up`` and the policy pack would see.)
        """
        if parent and parent.split("::")[2] != STACK_TYPE:
            type_ = parent.split("::")[2] + "$" + type_
        return "urn:pulumi:" + "::".join([settings.get_stack(), settings.get_project(), type_, name])

    # -- queries -------------------------------------------------------------------------------------------
    def get_registered_resources(self) -> dict[str, _mocks.MockMonitor.ResourceRegistration]:
        return dict(self.resources.registrations)

    def by_type(self, type_token: str) -> list[RegisteredResource]:
        return [r for r in list(self.resources) if r.type == type_token]

    def by_name(self, name: str) -> RegisteredResource:
        found = [r for r in list(self.resources) if r.name == name]
        if not found:
            raise KeyError(f"no resource named {name!r}; registered: {sorted(r.name for r in self.resources)}")
        if len(found) > 1:
            raise KeyError(f"{len(found)} resources are named {name!r}: {[r.urn for r in found]}")
        return found[0]

    def by_urn(self, urn: str) -> RegisteredResource:
        for r in self.resources:
            if r.urn == urn:
                return r
        raise KeyError(f"no resource with URN {urn!r}")

    @property
    def stack_outputs(self) -> dict[str, Any]:
        """The program's exports (``pulumi.export``) as registered on the stack resource."""
        for r in self.resources:
            if r.is_stack:
                return self.registered_outputs.get(r.urn, {})
        return {}

    # -- monitor RPCs ----------------------------------------------------------------------------------------
    def _add(self, record: RegisteredResource) -> None:
        with self._lock:
            self.resources.append(record)

    def RegisterResource(self, request):
        response = super().RegisterResource(request)
        _mocks._ensure_event_loop()
        inputs, secret_inputs = _deserialise(request.object)
        outputs = _deserialise(response.object)[0] if response.HasField("object") else {}
        aliases = [json_format.MessageToDict(a) for a in request.aliases]
        aliases += [{"urn": u} for u in request.aliasURNs]
        timeouts = json_format.MessageToDict(request.customTimeouts) if request.HasField("customTimeouts") else {}
        self._add(
            RegisteredResource(
                urn=response.urn,
                type=request.type,
                name=request.name,
                custom=bool(request.custom),
                parent=request.parent,
                dependencies=list(request.dependencies),
                property_dependencies={k: list(v.urns) for k, v in request.propertyDependencies.items()},
                inputs=inputs,
                inputs_struct=_copy_struct(request.object),
                outputs=outputs,
                protect=bool(request.protect),
                retain_on_delete=bool(request.retainOnDelete),
                ignore_changes=list(request.ignoreChanges),
                aliases=aliases,
                provider=request.provider,
                delete_before_replace=bool(request.deleteBeforeReplace),
                id=response.id,
                delete_before_replace_defined=bool(request.deleteBeforeReplaceDefined),
                additional_secret_outputs=list(request.additionalSecretOutputs),
                replace_on_changes=list(request.replaceOnChanges),
                custom_timeouts=timeouts,
                deleted_with=request.deletedWith,
                import_id=request.importId,
                version=request.version,
                secret_inputs=secret_inputs,
            )
        )
        return response

    def ReadResource(self, request):
        response = super().ReadResource(request)
        _mocks._ensure_event_loop()
        inputs, secret_inputs = _deserialise(request.properties)
        self._add(
            RegisteredResource(
                urn=response.urn,
                type=request.type,
                name=request.name,
                custom=True,
                parent=request.parent,
                dependencies=list(request.dependencies),
                property_dependencies={},
                inputs=inputs,
                inputs_struct=_copy_struct(request.properties),
                outputs=_deserialise(response.properties)[0],
                protect=False,
                retain_on_delete=False,
                ignore_changes=[],
                aliases=[],
                provider=request.provider,
                delete_before_replace=False,
                id=request.id,
                version=request.version,
                secret_inputs=secret_inputs,
                read=True,
            )
        )
        return response

    def RegisterResourceOutputs(self, request):
        _mocks._ensure_event_loop()
        if request.HasField("outputs"):
            outputs = _deserialise(request.outputs)[0]
            with self._lock:
                self.registered_outputs[request.urn] = outputs
        return super().RegisterResourceOutputs(request)


# --------------------------------------------------------------------------------------------------
# AWS answers
# --------------------------------------------------------------------------------------------------
class UnknownInvokeError(LookupError):
    """An invoke the mocks do not know: add an answer to :class:`AwsMocks`, never let it pass silently."""


def _hex7(name: str) -> str:
    return hashlib.sha256(name.encode()).hexdigest()[:7]


def _uuid(*parts: str) -> str:
    return str(uuid.uuid5(uuid.NAMESPACE_URL, "/".join(parts)))


def _one_or_list(values: list[Any]) -> Any:
    return values[0] if len(values) == 1 else values


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
            "aws:iam/getPolicyDocument:getPolicyDocument": self._policy_document,
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

    def _policy_document(self, args: dict[str, Any]) -> dict[str, Any]:
        """Render ``getPolicyDocument`` like the provider: single values as strings, conditions by test."""
        statements: list[dict[str, Any]] = []
        for source in args.get("sourcePolicyDocuments") or []:
            statements.extend(json.loads(source).get("Statement", []))
        for st in args.get("statements") or []:
            out: dict[str, Any] = {}
            if st.get("sid"):
                out["Sid"] = st["sid"]
            out["Effect"] = st.get("effect") or "Allow"
            for key, json_key in (("actions", "Action"), ("notActions", "NotAction")):
                if st.get(key):
                    out[json_key] = _one_or_list(sorted(st[key]) if len(st[key]) > 1 else st[key])
            for key, json_key in (("resources", "Resource"), ("notResources", "NotResource")):
                if st.get(key):
                    out[json_key] = _one_or_list(st[key])
            for key, json_key in (("principals", "Principal"), ("notPrincipals", "NotPrincipal")):
                if st.get(key):
                    principals: dict[str, Any] = {}
                    for p in st[key]:
                        ids = list(p.get("identifiers") or [])
                        if p.get("type") == "*" and ids == ["*"]:
                            principals = "*"  # type: ignore[assignment]
                            break
                        principals.setdefault(p["type"], []).extend(ids)
                    if isinstance(principals, dict):
                        principals = {k: _one_or_list(v) for k, v in principals.items()}
                    out[json_key] = principals
            if st.get("conditions"):
                cond: dict[str, dict[str, Any]] = {}
                for c in st["conditions"]:
                    cond.setdefault(c["test"], {})[c["variable"]] = _one_or_list(list(c["values"]))
                out["Condition"] = cond
            sid = out.get("Sid")
            if sid:
                statements = [s for s in statements if s.get("Sid") != sid]
            statements.append(out)
        for override in args.get("overridePolicyDocuments") or []:
            for st in json.loads(override).get("Statement", []):
                statements = [s for s in statements if not st.get("Sid") or s.get("Sid") != st.get("Sid")]
                statements.append(st)
        doc: dict[str, Any] = {"Version": args.get("version") or "2012-10-17"}
        if args.get("policyId"):
            doc["Id"] = args["policyId"]
        doc["Statement"] = statements
        rendered = json.dumps(doc, indent=2)
        return {
            **args,
            "id": str(int(hashlib.sha256(rendered.encode()).hexdigest()[:8], 16)),
            "json": rendered,
            "minifiedJson": json.dumps(doc, separators=(",", ":")),
        }

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
        self, typ: str, name: str, inputs: dict[str, Any], *, resource_id: str | None = None
    ) -> tuple[str, dict[str, Any]]:
        """The id and outputs (inputs + computed outputs) a successful create would return."""
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
            out.setdefault("region", self.region)
        if pkg == "aws" and "tags" in inputs:
            out.setdefault("tagsAll", dict(inputs.get("tags") or {}))

        rid = self._fill(typ, name, physical, out)
        return (resource_id or rid), out

    def _fill(self, typ: str, name: str, physical: str, out: dict[str, Any]) -> str:
        acct, region, part = self.account_id, out.get("region") or self.region, self.partition
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


# --------------------------------------------------------------------------------------------------
# Running code under the mocks
# --------------------------------------------------------------------------------------------------
class ProgramError(RuntimeError):
    """A Pulumi program failed under the mocks."""


def settle() -> None:
    """Wait until every outstanding registration, invoke and apply of the current mocked run has finished.

    Raises the first error any of them raised.
    """
    from pulumi.runtime.stack import wait_for_rpcs

    _sync_await(wait_for_rpcs())


def _reset_runtime() -> None:
    settings.reset_options()
    settings.SETTINGS.outputs.clear()
    _config.set_all_config({}, [])


def _install(
    *,
    project: str,
    config: Mapping[str, Any] | None,
    secret_keys: list[str] | None = None,
) -> None:
    _reset_runtime()
    _config.set_all_config(_config_strings(project, config or {}), list(secret_keys or []))


def _config_strings(project: str, config: Mapping[str, Any]) -> dict[str, str]:
    """Config as the engine passes it: namespaced keys (``project:key``), string values (JSON for others)."""
    out: dict[str, str] = {}
    for key, value in config.items():
        full = key if ":" in key else f"{project}:{key}"
        out[full] = value if isinstance(value, str) else json.dumps(value)
    return out


@contextlib.contextmanager
def mocked_stack(
    preview: bool = False,
    *,
    project: str = "project",
    stack: str = "stack",
    config: Mapping[str, Any] | None = None,
    mocks: pulumi.runtime.Mocks | None = None,
    **aws_kwargs: Any,
) -> Iterator[RecordingMonitor]:
    """Install recording AWS mocks for the code in the ``with`` block; yield the monitor.

    On a normal exit it waits for every registration (so ``monitor.resources`` is complete after the
    block; call :func:`settle` to wait inside it); on any exit it resets the Pulumi runtime settings and
    config so nothing leaks into the next test. ``config`` keys without a namespace get ``project:``.
    ``aws_kwargs`` go to :class:`AwsMocks` (a TypeError with ``mocks=``).
    """
    if mocks is None:
        mocks = AwsMocks(preview=preview, **aws_kwargs)
    elif aws_kwargs:
        raise TypeError(f"AWS keyword arguments {sorted(aws_kwargs)} need the default AwsMocks, not mocks=")
    monitor = RecordingMonitor(mocks)
    _install(project=project, config=config)
    try:
        pulumi.runtime.set_mocks(mocks, project=project, stack=stack, preview=preview, monitor=monitor)
        yield monitor
        settle()
    finally:
        _reset_runtime()


# --------------------------------------------------------------------------------------------------
# Whole programs
# --------------------------------------------------------------------------------------------------
def _read_yaml(path: Path) -> dict[str, Any]:
    if not path.exists():
        return {}
    data = yaml.safe_load(path.read_text()) or {}
    if not isinstance(data, dict):
        raise ProgramError(f"{path} is not a YAML mapping")
    return data


def load_stack_config(program_dir: str | os.PathLike[str], stack: str) -> tuple[str, dict[str, Any], list[str]]:
    """Project name, config (namespaced keys, plain values) and secret keys of a program and stack.

    Encrypted (``secure:``) values cannot be decrypted offline: they become the placeholder ``"<secret>"`` and
    their keys are marked secret.
    """
    pdir = Path(program_dir)
    project_file = pdir / "Pulumi.yaml"
    if not project_file.exists():
        raise ProgramError(f"{pdir} has no Pulumi.yaml: not a Pulumi program directory")
    project = _read_yaml(project_file).get("name")
    if not project:
        raise ProgramError(f"{project_file} has no project name")
    project = str(project)
    config: dict[str, Any] = {}
    secret_keys: list[str] = []
    for key, value in (_read_yaml(pdir / f"Pulumi.{stack}.yaml").get("config") or {}).items():
        full = key if ":" in key else f"{project}:{key}"
        if isinstance(value, dict) and set(value) == {"secure"}:
            config[full] = "<secret>"
            secret_keys.append(full)
        else:
            config[full] = value
    return project, config, secret_keys


def _forget_program_modules(pdir: Path, new_modules: set[str]) -> None:
    """Drop the modules a program imported from its own directory, so the next program (which may have a
    module of the same name) imports its own. Installed packages are kept even when the virtualenv lives
    inside the program directory (importing pulumi_aws twice in one process fails)."""
    prefixes = {Path(p).resolve() for p in (sys.prefix, sys.base_prefix, sys.exec_prefix)}
    for mod_name in new_modules:
        mod_file = getattr(sys.modules.get(mod_name), "__file__", None)
        if not mod_file:
            continue
        path = Path(mod_file).resolve()
        if not path.is_relative_to(pdir) or any(path.is_relative_to(p) for p in prefixes):
            continue
        if {"site-packages", "dist-packages"} & set(path.relative_to(pdir).parts):
            continue
        del sys.modules[mod_name]


def run_program(
    program_dir: str | os.PathLike[str],
    *,
    stack: str = "dev",
    config: Mapping[str, Any] | None = None,
    preview: bool = False,
    aws: Mapping[str, Any] | None = None,
    mocks: pulumi.runtime.Mocks | None = None,
) -> list[RegisteredResource]:
    """Run the Pulumi Python program in ``program_dir`` under recording AWS mocks; return what it registered.

    The program runs in this process, as the Python language host runs it (``__main__.py`` under
    ``run_name="__main__"``, inside a fresh stack resource, the program directory as working directory and on
    ``sys.path``), and this returns once every registration has finished. The Pulumi runtime is reset before
    and after, and modules imported from the program directory are dropped, so programs can be run one after
    another in one process. ``config`` overrides ``Pulumi.<stack>.yaml`` (keys without a namespace get the
    project's). ``aws`` are :class:`AwsMocks` keyword arguments. An error in the program raises
    :class:`ProgramError` naming the program.
    """
    from pulumi.runtime.stack import run_in_stack

    pdir = Path(program_dir).resolve()
    main = pdir / "__main__.py"
    if not main.exists():
        raise ProgramError(f"{pdir} has no __main__.py (only Python programs with __main__.py are supported)")
    project, file_config, secret_keys = load_stack_config(pdir, stack)
    merged = dict(file_config)
    for key, value in (config or {}).items():
        merged[key if ":" in key else f"{project}:{key}"] = value

    if mocks is None:
        aws_kwargs = dict(aws or {})
        if "region" not in aws_kwargs and isinstance(merged.get("aws:region"), str):
            # the provider's region, as the real provider reads it
            aws_kwargs["region"] = merged["aws:region"]
        mocks = AwsMocks(preview=preview, **aws_kwargs)
    monitor = RecordingMonitor(mocks)
    _install(project=project, config=merged, secret_keys=secret_keys)
    # What set_mocks does, minus creating the stack resource: run_in_stack creates it, as the language
    # host does.
    pulumi.runtime.settings.configure(
        _mocks.MockSettings(
            monitor=monitor,
            monitor_features=set(monitor.GetDeploymentInfo(None).supportedFeatures),
            engine=_mocks.MockEngine(None),
            project=project,
            stack=stack,
            dry_run=preview,
            organization="organization",
            root_directory=str(pdir),
            callbacks=None,
        )
    )

    old_cwd = os.getcwd()
    old_path = list(sys.path)
    old_modules = set(sys.modules)
    os.chdir(pdir)
    sys.path.insert(0, str(pdir))
    try:

        def program() -> None:
            runpy.run_path(str(main), run_name="__main__")

        _sync_await(run_in_stack(program))
    except Exception as exc:
        raise ProgramError(
            f"Pulumi program {pdir} (stack {stack!r}, {'preview' if preview else 'update'}) failed: "
            f"{type(exc).__name__}: {exc}\n{''.join(traceback.format_exception(exc))}"
        ) from exc
    finally:
        os.chdir(old_cwd)
        sys.path[:] = old_path
        _forget_program_modules(pdir, set(sys.modules) - old_modules)
        _reset_runtime()
    return monitor.resources
