"""The issue's acceptance criterion: each filter the catalog deploys by default fires on every
event labelled for it and on no other, over the 530 labelled events and this project's own cases.

Scoring uses compliant_cloudtrail.component.detection_table, the very code that prints the detection table.
"""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from compliant_cloudtrail.component.catalog import DEFAULT_PROFILES, load_catalog, select_filters
from compliant_cloudtrail.component.detection_table import (
    DEFAULT_CORPUS,
    expected_verdict,
    load_corpus,
    main,
    score_catalog,
)
from compliant_cloudtrail.policy_pack.filter_pattern import parse

REPO_ROOT = Path(__file__).resolve().parents[2]
CORPUS_PATH = REPO_ROOT / "data" / "cloudtrail-events" / "cis4-labelled.jsonl"
PROJECT_CASES_PATH = Path(__file__).with_name("project_cases.jsonl")
ALL_ITEMS = [f"4.{n}" for n in range(1, 16)]


@pytest.fixture(scope="module")
def corpus() -> list[dict[str, Any]]:
    return load_corpus(CORPUS_PATH)


@pytest.fixture(scope="module")
def project_cases() -> list[dict[str, Any]]:
    return load_corpus(PROJECT_CASES_PATH)


def test_the_table_reads_the_repository_copy_of_the_corpus() -> None:
    assert DEFAULT_CORPUS == CORPUS_PATH and CORPUS_PATH.is_file()


def test_corpus_is_the_documented_one(corpus: list[dict[str, Any]]) -> None:
    # Counts from the corpus README, so a truncated or swapped file cannot pass silently.
    assert len(corpus) == 530
    per_item = {item: sum(item in record["labels"] for record in corpus) for item in ALL_ITEMS}
    assert per_item == {
        "4.1": 35, "4.2": 35, "4.3": 40, "4.4": 16, "4.5": 10, "4.6": 3, "4.7": 8, "4.8": 13,
        "4.9": 8, "4.10": 7, "4.11": 5, "4.12": 3, "4.13": 3, "4.14": 2, "4.15": 5,
    }  # fmt: skip


def test_every_cis_item_has_a_default_filter() -> None:
    deployed = {selected.item.id for selected in select_filters(load_catalog(), DEFAULT_PROFILES)}
    assert deployed == set(ALL_ITEMS)


def _describe_misses(records: list[dict[str, Any]], name: str) -> list[str]:
    misses = []
    for score in score_catalog(load_catalog(), records):
        for kind, lines in (
            ("false positive", score.false_positive_records),
            ("false negative", score.false_negative_records),
        ):
            for line in lines:
                record = records[line]
                misses.append(
                    f"{name} line {line} ({record.get('id') or record.get('source')}): {kind} for "
                    f"{score.item_id}/{score.wording}; event {record['event'].get('eventName')!r}"
                )
    return misses


def test_every_default_filter_is_exact_on_the_labelled_corpus(corpus: list[dict[str, Any]]) -> None:
    assert _describe_misses(corpus, "corpus") == []


def test_every_default_filter_is_exact_on_this_projects_cases(project_cases: list[dict[str, Any]]) -> None:
    assert _describe_misses(project_cases, "project_cases") == []


def test_scores_count_every_labelled_positive(corpus: list[dict[str, Any]]) -> None:
    # A filter that never ran would also show zero misses; the true positives prove it ran.
    scores = score_catalog(load_catalog(), corpus)
    assert all(score.true_positives == score.positives > 0 for score in scores)
    by_filter = {(s.item_id, s.wording): s.positives for s in scores}
    assert by_filter[("4.2", "security-hub")] == 7  # the corpus's 4.2_sso_variant count
    assert by_filter[("4.13", "cis")] == 3


def test_project_cases_are_marked_as_ours(project_cases: list[dict[str, Any]]) -> None:
    assert project_cases and all(
        "compliant-cloudtrail project" in case["written_by"] for case in project_cases
    )


@pytest.mark.parametrize(
    ("case_id", "item", "wording", "fires"),
    [
        ("modify-security-group-rules", "4.10", "cis", True),
        ("modify-security-group-rules", "4.10", "security-hub", False),
        ("apigateway-create-route", "4.13", "security-hub", True),
        ("apigateway-create-route", "4.13", "cis", False),
        ("console-login-federated-no-mfa", "4.2", "security-hub", False),
        ("organizations-EnableAllFeatures", "4.15", "cis", True),
    ],
)
def test_wordings_that_disagree_are_scored_against_their_own_truth(
    project_cases: list[dict[str, Any]], case_id: str, item: str, wording: str, fires: bool
) -> None:
    record = next(case for case in project_cases if case["id"] == case_id)
    assert expected_verdict(record, item, wording) is fires
    pattern = next(
        parse(f.pattern)
        for i in load_catalog().items
        if i.id == item
        for f in i.filters
        if f.wording == wording
    )
    assert pattern.matches(record["event"]) is fires


def test_the_command_exits_zero_and_prints_a_row_per_filter(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--corpus", str(CORPUS_PATH)]) == 0
    printed = capsys.readouterr().out
    assert "4.15  cis" in printed and "Throughput:" in printed


def test_the_command_exits_one_when_a_filter_misses(tmp_path: Path, corpus: list[dict[str, Any]]) -> None:
    # A record labelled 4.5 that no 4.5 filter can match must turn the table red.
    bogus = dict(corpus[0], labels=["4.5"])
    path = tmp_path / "bogus.jsonl"
    path.write_text(json.dumps(bogus) + "\n", encoding="utf-8")
    assert main(["--corpus", str(path), "--json"]) == 1
