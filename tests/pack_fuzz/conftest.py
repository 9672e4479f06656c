"""The real pack, started like the Pulumi CLI starts it, once per test module: in update and in preview mode."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from compliant_cloudtrail.check.analyzer_client import AnalyzerClient

ROOT = Path(__file__).resolve().parents[2]
PACK_DIR = ROOT / "compliant_cloudtrail" / "policy_pack"


@pytest.fixture(scope="module")
def update_pack() -> Iterator[AnalyzerClient]:
    """``pulumi up``: PULUMI_DRY_RUN=false."""
    with AnalyzerClient(PACK_DIR, project="fuzz", stack="dev", dry_run=False) as pack:
        yield pack


@pytest.fixture(scope="module")
def preview_pack() -> Iterator[AnalyzerClient]:
    """``pulumi preview``: PULUMI_DRY_RUN=true, where outputs of new resources arrive unknown."""
    with AnalyzerClient(PACK_DIR, project="fuzz", stack="dev", dry_run=True) as pack:
        yield pack


@pytest.fixture(scope="module")
def packs(update_pack: AnalyzerClient, preview_pack: AnalyzerClient) -> dict[str, AnalyzerClient]:
    return {"update": update_pack, "preview": preview_pack}


@pytest.fixture(scope="module")
def unquoting_pack() -> Iterator[AnalyzerClient]:
    """The mandatory policy configured with ``quoteValues: false``, as a stack whose ARNs are secrets would."""
    with AnalyzerClient(PACK_DIR, project="fuzz", stack="dev", dry_run=False) as pack:
        pack.configure({"cloudtrail-trail-deliver-to-cloudwatch-logs": {"quoteValues": False}})
        yield pack
