"""The project's policy pack, started once for the other-stacks tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from compliant_cloudtrail.check.analyzer_client import AnalyzerClient

ROOT = Path(__file__).resolve().parents[2]
POLICY_PACK = ROOT / "compliant_cloudtrail" / "policy_pack"
EXAMPLES = ROOT / "examples" / "judged"


@pytest.fixture(scope="module")
def pack() -> Iterator[AnalyzerClient]:
    if not (POLICY_PACK / "__main__.py").exists():  # pragma: no cover - only before the pack landed
        pytest.fail(f"{POLICY_PACK}/__main__.py is missing: the policy pack is gone")
    with AnalyzerClient(POLICY_PACK, project="other-stacks", stack="dev") as client:
        yield client
