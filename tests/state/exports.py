"""Stack exports for the ``--state`` tests, written in the format ``pulumi stack export`` writes.

Format: pulumi/pulumi ``sdk/go/common/apitype/core.go`` (UntypedDeployment, DeploymentV3, ResourceV3) and
``pkg/resource/stack/deployment.go`` (secrets as ``{sig: secret, plaintext|ciphertext}``, the plaintext being the
value's JSON). Hand-written stacks are built with :func:`resource`; ``example_stack.json`` is the example
program's registrations under the mocks, turned into an export by ``python -m tests.state.exports``.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping
from pathlib import Path
from typing import Any

SIG_KEY = "4dabf18193072939515e22adb298388d"
SECRET_SIG = "1b47061264138c4ac30d75fd1eb44270"
FIXTURES = Path(__file__).resolve().parent / "fixtures"
EXAMPLE_STACK = FIXTURES / "example_stack.json"

STACK, PROJECT = "prod", "audit"
ACCOUNT, REGION = "123456789012", "eu-west-1"
AWS_TRAIL = "aws:cloudtrail/trail:Trail"
NATIVE_TRAIL = "aws-native:cloudtrail:Trail"
LOG_GROUP = "aws:cloudwatch/logGroup:LogGroup"
ROLE = "aws:iam/role:Role"
DELIVERY = "cloudtrail-trail-deliver-to-cloudwatch-logs"


def urn(
    type_token: str, name: str, parent_types: Iterable[str] = (), stack: str = STACK, project: str = PROJECT
) -> str:
    """A URN; ``parent_types`` are the component types above it (TypeScript-style ``$``-joined qualified type)."""
    qualified = "$".join([*parent_types, type_token])
    return f"urn:pulumi:{stack}::{project}::{qualified}::{name}"


def plaintext(value: Any) -> dict[str, Any]:
    """A secret as ``pulumi stack export --show-secrets`` writes it."""
    return {SIG_KEY: SECRET_SIG, "plaintext": json.dumps(value)}


def ciphertext() -> dict[str, Any]:
    """A secret as ``pulumi stack export`` writes it without --show-secrets (the value stays encrypted)."""
    return {SIG_KEY: SECRET_SIG, "ciphertext": "v1:dGhpcyBpcyBub3QgcmVhbCBjaXBoZXJ0ZXh0:c2FsdA=="}


def stack_resource(stack: str = STACK, project: str = PROJECT) -> dict[str, Any]:
    return {
        "urn": urn("pulumi:pulumi:Stack", f"{project}-{stack}", stack=stack, project=project),
        "custom": False,
        "type": "pulumi:pulumi:Stack",
        "outputs": {},
    }


def provider(package: str = "aws", version: str = "7_51_1", inputs: Mapping[str, Any] | None = None) -> dict[str, Any]:
    return {
        "urn": urn(f"pulumi:providers:{package}", f"default_{version}"),
        "custom": True,
        "id": "b3c6d0a8-provider-id",
        "type": f"pulumi:providers:{package}",
        "inputs": dict(inputs or {"region": REGION, "version": version.replace("_", ".")}),
        "outputs": dict(inputs or {"region": REGION, "version": version.replace("_", ".")}),
    }


def provider_ref(prov: Mapping[str, Any]) -> str:
    return f"{prov['urn']}::{prov['id']}"


def resource(
    type_token: str,
    name: str,
    inputs: Mapping[str, Any],
    outputs: Mapping[str, Any] | None = None,
    *,
    prov: Mapping[str, Any] | None = None,
    parent: str = "",
    parent_types: Iterable[str] = (),
    **extra: Any,
) -> dict[str, Any]:
    """A custom resource; outputs default to the inputs plus an ``arn`` and ``id``, as a provider answers."""
    r: dict[str, Any] = {
        "urn": urn(type_token, name, parent_types),
        "custom": True,
        "id": name,
        "type": type_token,
        "inputs": dict(inputs),
        "outputs": dict(outputs if outputs is not None else {**inputs, "id": name}),
        "parent": parent or urn("pulumi:pulumi:Stack", f"{PROJECT}-{STACK}"),
        **extra,
    }
    if prov is not None:
        r["provider"] = provider_ref(prov)
    return r


def log_group_arn(name: str, account: str = ACCOUNT) -> str:
    return f"arn:aws:logs:{REGION}:{account}:log-group:{name}"


def role_arn(name: str, account: str = ACCOUNT) -> str:
    return f"arn:aws:iam::{account}:role/{name}"


def export(resources: Iterable[Any], version: int = 3, **top: Any) -> dict[str, Any]:
    return {
        "version": version,
        "deployment": {
            "manifest": {"time": "2026-01-05T10:00:00Z", "magic": "", "version": "v3.272.0"},
            "secrets_providers": {"type": "passphrase", "state": {"salt": "v1:c2FsdA==:c2FsdA=="}},
            "resources": list(resources),
        },
        **top,
    }


def write(path: Path, data: Any) -> Path:
    path.write_text(json.dumps(data, indent=1) if not isinstance(data, str) else data)
    return path


# ------------------------------------------------------------------------------------------------------
# The example program's registrations as an export (regenerate: python -m tests.state.exports)
# ------------------------------------------------------------------------------------------------------
def _json_value(value: Any) -> Any:
    from compliant_cloudtrail.check.records import UNKNOWN

    if value == UNKNOWN:
        return "04da6b54-80e4-46f7-96ec-b56ff0331ba9"
    if isinstance(value, Mapping):
        return {k: _json_value(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [_json_value(v) for v in value]
    return value


def _bag(values: Mapping[str, Any], secret_keys: Iterable[str]) -> dict[str, Any]:
    secrets = set(secret_keys)
    return {k: plaintext(_json_value(v)) if k in secrets else _json_value(v) for k, v in values.items()}


def records_to_export(records: Iterable[Any]) -> dict[str, Any]:
    """Registrations (``RegisteredResource``) as the state ``pulumi up`` would have saved for them.

    The mocks register no default providers; the engine would have, once per package, right after the stack
    (``default_<version>``), and every custom resource without an explicit provider refers to its package's.
    """
    records = list(records)
    stack, project = records[0].urn.removeprefix("urn:pulumi:").split("::")[:2]
    defaults: dict[str, dict[str, Any]] = {}
    for r in records:
        package = r.type.split(":")[0]
        if r.custom and not r.provider and package not in defaults:
            version = "7_51_1" if package == "aws" else "1_0_0"
            prov = provider(package, version, {"region": "us-east-1", "version": version.replace("_", ".")})
            prov["urn"] = urn(prov["type"], f"default_{version}", stack=stack, project=project)
            defaults[package] = prov
    resources: list[dict[str, Any]] = []
    for r in records:
        state: dict[str, Any] = {
            "urn": r.urn,
            "custom": r.custom,
            "type": r.type,
            "inputs": _bag(r.inputs, r.secret_inputs),
            "outputs": _bag(r.outputs, set(r.secret_inputs) | set(r.additional_secret_outputs)),
        }
        if r.custom:
            state["id"] = r.id or f"{r.name}-id"
        package = r.type.split(":")[0]
        ref = r.provider or (provider_ref(defaults[package]) if r.custom and package in defaults else "")
        for key, value in (
            ("parent", r.parent),
            ("dependencies", list(r.dependencies)),
            ("propertyDependencies", dict(r.property_dependencies)),
            ("provider", ref),
            ("protect", r.protect),
            ("retainOnDelete", r.retain_on_delete),
            ("additionalSecretOutputs", list(r.additional_secret_outputs)),
            ("ignoreChanges", list(r.ignore_changes)),
        ):
            if value:
                state[key] = value
        resources.append(state)
        if r.type == "pulumi:pulumi:Stack":
            resources += defaults.values()
    return export(resources)


def main() -> None:
    from compliant_cloudtrail.check.mock_runtime import run_program

    root = Path(__file__).resolve().parents[2]
    records = run_program(root, stack="dev")
    FIXTURES.mkdir(exist_ok=True)
    write(EXAMPLE_STACK, records_to_export(records))
    print(f"wrote {EXAMPLE_STACK} ({len(records)} resources)")


if __name__ == "__main__":
    main()
