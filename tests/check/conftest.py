"""Shared paths and packs for the harness's own tests."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from compliant_cloudtrail.check.analyzer_client import AnalyzerClient

ROOT = Path(__file__).resolve().parents[2]
REAL_PACK = ROOT / "compliant_cloudtrail" / "policy_pack"
MINIMAL_PACK = ROOT / "tests" / "other_stacks" / "fixtures" / "minimal_pack"
EXAMPLES = ROOT / "examples" / "judged"


@pytest.fixture(scope="module")
def real_pack() -> Iterator[AnalyzerClient]:
    """The project's policy pack, started once per module; not reconfigured by the tests that use it."""
    with AnalyzerClient(REAL_PACK, project="harness", stack="dev") as pack:
        yield pack


@pytest.fixture(scope="module")
def minimal_pack() -> Iterator[AnalyzerClient]:
    with AnalyzerClient(MINIMAL_PACK, project="harness", stack="qa", config={"aws:region": "eu-west-1"}) as pack:
        yield pack
