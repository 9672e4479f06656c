"""``cloudtrail-check --list-policies``: what a pack enforces, asked of the pack itself (``GetAnalyzerInfo``), with
each policy's level after the policy config, its severity and controls; no program runs."""

from __future__ import annotations

import json
from pathlib import Path

from .analyzer_client import AnalyzerClient, PolicyPackError
from .cli import _effective_levels, _private_copy, check_pack_dir, load_policy_config
from .errors import CheckError
from .findings import PolicyMeta, policy_metas
from .policy_config import check_policy_config
from .private_dir import private_dir
from .reports.json import policy_object

__all__ = ["list_policies", "policies_as_json", "policies_as_text"]


def list_policies(pack_dir: Path, policy_config_file: Path | None) -> tuple[str, list[PolicyMeta]]:
    """The pack's name and its policies; CheckError (one line) when the pack or the config is unusable."""
    config = load_policy_config(policy_config_file) if policy_config_file is not None else {}
    pack_dir = pack_dir.resolve()
    check_pack_dir(pack_dir)
    try:
        with private_dir() as private:
            copy = _private_copy(pack_dir, private / "pack")
            with AnalyzerClient(copy, project="list-policies", stack="dev", socket_dir=private) as pack:
                pack.handshake()
                info = pack.get_analyzer_info()
    except PolicyPackError as exc:
        first = (str(exc).strip().splitlines() or ["did not start"])[0]
        raise CheckError(f"policy pack {pack_dir}: {first}") from exc
    try:
        check_policy_config(info, config)
    except ValueError as exc:
        raise CheckError(f"policy pack config {policy_config_file} does not fit pack {info.name}: {exc}") from exc
    return info.name, policy_metas(_effective_levels(info, config), info)


def policies_as_text(pack_name: str, policies: list[PolicyMeta]) -> str:
    width = max((len(p.name) for p in policies), default=0)
    lines = [f"{p.name:<{width}}  {p.level:<9}  {p.severity:<8}  {', '.join(p.controls) or '-'}" for p in policies]
    return "\n".join([*lines, f"{len(policies)} policies in pack {pack_name}"])


def policies_as_json(pack_name: str, policies: list[PolicyMeta]) -> str:
    return json.dumps({"policy_pack": pack_name, "policies": [policy_object(p) for p in policies]}, indent=2)
