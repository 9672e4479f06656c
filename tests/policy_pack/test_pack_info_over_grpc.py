"""Pack-level metadata (issue 13) as the CLI and Pulumi Cloud receive it: ``GetAnalyzerInfo`` of the pack
started as the CLI starts it. pulumi-policy 1.21 ``PolicyPack(...)`` takes ``display_name``, ``readme``,
``provider``, ``tags`` and ``repository`` and copies each into ``AnalyzerInfo`` (``policy.py``,
``GetAnalyzerInfo``)."""

from __future__ import annotations

import re
from collections.abc import Iterator
from pathlib import Path

import pytest

from compliant_cloudtrail.check.analyzer_client import AnalyzerClient, AnalyzerInfo
from compliant_cloudtrail.policy_pack.policies import pack

PACK_DIR = Path(__file__).resolve().parents[2] / "compliant_cloudtrail" / "policy_pack"


@pytest.fixture(scope="module")
def info() -> Iterator[AnalyzerInfo]:
    with AnalyzerClient(PACK_DIR, project="metadata", stack="dev") as running:
        yield running.get_analyzer_info()


def test_the_readme_served_is_the_packs_own_readme_file(info: AnalyzerInfo) -> None:
    assert info.readme == (PACK_DIR / "README.md").read_text(encoding="utf-8")
    assert info.readme.startswith("# "), info.readme[:80]


def test_display_name_provider_tags_and_repository_are_served(info: AnalyzerInfo) -> None:
    assert info.display_name == pack.PACK_DISPLAY_NAME and info.display_name != info.name
    assert info.provider == "aws"
    assert info.tags == pack.PACK_TAGS and {"aws", "cloudtrail"} <= set(info.tags)
    assert all(re.fullmatch(r"[a-z0-9-]+", tag) for tag in info.tags), info.tags
    assert re.fullmatch(r"https://github\.com/[\w.-]+/[\w.-]+", info.repository), info.repository


def test_the_readme_documents_every_policy_the_pack_serves(info: AnalyzerInfo) -> None:
    missing = [p.name for p in info.policies if f"`{p.name}`" not in info.readme]
    assert missing == [], f"README.md does not describe {missing}"


def test_a_pack_folder_without_readme_serves_an_empty_readme(monkeypatch: pytest.MonkeyPatch, tmp_path: Path) -> None:
    monkeypatch.setattr(pack, "README_PATH", tmp_path / "README.md")
    assert pack.pack_readme() == ""
    (tmp_path / "README.md").write_text("# shipped", encoding="utf-8")
    assert pack.pack_readme() == "# shipped"
