"""A synthetic self-managed backend, written in the formats the Pulumi CLI writes.

Layouts: pulumi/pulumi ``pkg/backend/diy/store.go`` (``.pulumi/stacks/<project>/<stack>.json`` with
``.pulumi/meta.yaml`` version 1; ``.pulumi/stacks/<stack>.json`` before it); backups and history beside them
(``BackupsDir``, ``HistoriesDir``). A checkpoint is ``apitype.VersionedCheckpoint`` around a ``CheckpointV3``
(``sdk/go/common/apitype/core.go``), compressed with gzip when ``DIY_BACKEND_GZIP`` is set (``state.go``
``saveCheckpoint``). An export is ``apitype.UntypedDeployment`` (``pulumi stack export``).

Trails follow Security Hub CloudTrail.5 / CIS 3.4 ("CloudTrail trails should be integrated with Amazon CloudWatch
Logs"): a trail is compliant when CloudWatchLogsLogGroupArn and CloudWatchLogsRoleArn are set (CloudTrail API
Reference, CreateTrail) to a log group and role that exist.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

SIG_KEY = "4dabf18193072939515e22adb298388d"
SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270"
ACCOUNT, REGION = "123456789012", "eu-west-1"
TRAIL, LOG_GROUP, ROLE = "aws:cloudtrail/trail:Trail", "aws:cloudwatch/logGroup:LogGroup", "aws:iam/role:Role"
DELIVERY = "cloudtrail-trail-deliver-to-cloudwatch-logs"


def ciphertext() -> dict[str, Any]:
    """A secret as the CLI stores it in a checkpoint: encrypted, unreadable offline."""
    return {SIG_KEY: SECRET_SIG, "ciphertext": "v1:dGhpcyBpcyBub3QgcmVhbCBjaXBoZXJ0ZXh0:c2FsdA=="}


class StackBuilder:
    """The resources of one stack: its Stack resource, the aws provider, then trails with or without delivery."""

    def __init__(self, project: str, stack: str) -> None:
        self.project, self.stack = project, stack
        self.root = self.urn("pulumi:pulumi:Stack", f"{project}-{stack}")
        self.provider_urn = self.urn("pulumi:providers:aws", "default_7_51_1")
        self.resources: list[dict[str, Any]] = [
            {"urn": self.root, "custom": False, "type": "pulumi:pulumi:Stack", "outputs": {}},
            {"urn": self.provider_urn, "custom": True, "id": "0b4d-provider", "type": "pulumi:providers:aws",
             "inputs": {"region": REGION}, "outputs": {"region": REGION}, "parent": self.root},
        ]  # fmt: skip

    def urn(self, type_token: str, name: str) -> str:
        return f"urn:pulumi:{self.stack}::{self.project}::{type_token}::{name}"

    def custom(self, type_token: str, name: str, inputs: dict[str, Any], **outputs: Any) -> dict[str, Any]:
        r = {
            "urn": self.urn(type_token, name), "custom": True, "id": name, "type": type_token,
            "inputs": inputs, "outputs": {**inputs, **outputs, "id": name}, "parent": self.root,
            "provider": f"{self.provider_urn}::0b4d-provider",
        }  # fmt: skip
        self.resources.append(r)
        return r

    def trail(self, name: str, *, delivers: bool = True, tags: Any = None) -> dict[str, Any]:
        inputs: dict[str, Any] = {"name": name, "s3BucketName": f"{name}-logs", "isMultiRegionTrail": True,
                                  "enableLogFileValidation": True}  # fmt: skip
        if delivers:
            group = f"arn:aws:logs:{REGION}:{ACCOUNT}:log-group:{name}"
            role = f"arn:aws:iam::{ACCOUNT}:role/{name}-delivery"
            self.custom(LOG_GROUP, f"{name}-group", {"name": name, "retentionInDays": 365}, arn=group)
            self.custom(ROLE, f"{name}-role", {"name": f"{name}-delivery"}, arn=role)
            inputs |= {"cloudWatchLogsGroupArn": f"{group}:*", "cloudWatchLogsRoleArn": role}
        if tags is not None:
            inputs["tags"] = tags
        return self.custom(TRAIL, name, inputs, arn=f"arn:aws:cloudtrail:{REGION}:{ACCOUNT}:trail/{name}")

    def deployment(self) -> dict[str, Any]:
        return {
            "manifest": {"time": "2026-12-01T10:00:00Z", "magic": "", "version": "v3.272.0"},
            "secrets_providers": {"type": "passphrase", "state": {"salt": "v1:c2FsdA==:c2FsdA=="}},
            "resources": self.resources,
        }

    def checkpoint(self) -> dict[str, Any]:
        """As the diy backend saves it (VersionedCheckpoint, compact JSON)."""
        return {"version": 3, "checkpoint": {"stack": self.stack, "latest": self.deployment()}}

    def export(self) -> dict[str, Any]:
        """As ``pulumi stack export`` prints it."""
        return {"version": 3, "deployment": self.deployment()}


def write_json(path: Path, data: Any, *, gzipped: bool = False) -> Path:
    path.parent.mkdir(parents=True, exist_ok=True)
    raw = json.dumps(data, separators=(",", ":")).encode()
    path.write_bytes(gzip.compress(raw) if gzipped else raw)
    return path


#: What the synthetic backend holds and the verdict each stack must get: (project, stack) -> verdict
EXPECTED = {
    ("audit", "prod"): "PASSED",
    ("audit", "dev"): "FAILED",  # gzip checkpoint; one trail without delivery
    ("audit", "broken"): "NOT JUDGED",  # corrupt: cut short
    ("network", "prod"): "PASSED",  # no trail at all
    ("network", "staging"): "PASSED",  # an encrypted secret in a tag: unknown, counted, nothing fails on it
    ("legacy-project", "old"): "PASSED",  # the older layout: .pulumi/stacks/old.json
    ("payments", "live"): "FAILED",  # a `pulumi stack export` file given beside the backend
}


def write_backend(root: Path) -> Path:
    """The backend of :data:`EXPECTED` under ``root`` (which ``pulumi login file://root`` would use); returns root."""
    stacks = root / ".pulumi" / "stacks"
    (root / ".pulumi").mkdir(parents=True)
    (root / ".pulumi" / "meta.yaml").write_text("version: 1\n")

    prod = StackBuilder("audit", "prod")
    prod.trail("org-trail")
    write_json(stacks / "audit" / "prod.json", prod.checkpoint())
    # A backup the CLI keeps beside it, and the backups/history folders: a failing trail in each, never read.
    stale = StackBuilder("audit", "prod")
    stale.trail("org-trail", delivers=False)
    write_json(stacks / "audit" / "prod.json.bak", stale.checkpoint())
    write_json(root / ".pulumi" / "backups" / "audit" / "prod" / "prod.1764583200000000000.json", stale.checkpoint())
    write_json(root / ".pulumi" / "history" / "audit" / "prod" / "prod-1764583200000000000.checkpoint.json",
               stale.checkpoint())  # fmt: skip

    dev = StackBuilder("audit", "dev")
    dev.trail("dev-trail")
    dev.trail("dev-bare", delivers=False)
    write_json(stacks / "audit" / "dev.json.gz", dev.checkpoint(), gzipped=True)

    broken = StackBuilder("audit", "broken")
    broken.trail("b-trail")
    text = json.dumps(broken.checkpoint())
    (stacks / "audit" / "broken.json").write_text(text[: len(text) // 2])

    network = StackBuilder("network", "prod")
    network.custom("aws:ec2/vpc:Vpc", "main", {"cidrBlock": "10.0.0.0/16"})
    write_json(stacks / "network" / "prod.json", network.checkpoint())

    staging = StackBuilder("network", "staging")
    staging.trail("staging-trail", tags={"owner": ciphertext()})
    write_json(stacks / "network" / "staging.json", staging.checkpoint())

    old = StackBuilder("legacy-project", "old")
    old.trail("old-trail")
    write_json(stacks / "old.json", old.checkpoint())
    return root


def write_payments_export(path: Path) -> Path:
    live = StackBuilder("payments", "live")
    live.trail("payments-bare", delivers=False)
    return write_json(path, live.export())
