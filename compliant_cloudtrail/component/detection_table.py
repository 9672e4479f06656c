"""Scores every metric filter the catalog deploys by default against labelled CloudTrail events.

    python -m compliant_cloudtrail.component.detection_table [--corpus PATH] [--json]

Prints, per CIS item and filter wording, true positives, false positives and false negatives, and
how many (pattern, event) evaluations per second the engine runs. Exits 1 if any filter misses a
labelled event or fires on another one, so CI can run it as a check.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from collections.abc import Iterable, Sequence
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Protocol

from ..policy_pack.filter_pattern import FilterPattern, parse
from .catalog import DEFAULT_PROFILES, Catalog, load_catalog, select_filters

REPO_ROOT = Path(__file__).resolve().parents[2]
DEFAULT_CORPUS = REPO_ROOT / "data" / "cloudtrail-events" / "cis4-labelled.jsonl"

# The corpus labels follow one published wording per item (Security Hub's for most, the plain CIS
# form for 4.2, CIS v1.4's 18 names for 4.15). Where a deployed filter follows another wording,
# its truth is the corpus's verdict under that wording instead.
VARIANT_FOR_FILTER = {
    ("4.2", "security-hub"): "4.2_sso_variant",
    ("4.13", "cis"): "4.13_v1.5_with_eventSource",
}


@dataclass(frozen=True)
class FilterScore:
    item_id: str
    title: str
    wording: str
    profiles: tuple[str, ...]
    metric_name: str
    truth: str
    """Which verdict the filter is scored against: "label" or the name of a corpus variant."""
    positives: int
    true_positives: int
    false_positives: int
    false_negatives: int
    false_positive_records: tuple[int, ...]
    """Zero-based line numbers in the corpus, so a miss can be looked up."""
    false_negative_records: tuple[int, ...]

    @property
    def perfect(self) -> bool:
        return self.false_positives == 0 and self.false_negatives == 0


def load_corpus(path: Path) -> list[dict[str, Any]]:
    with path.open(encoding="utf-8") as lines:
        return [json.loads(line) for line in lines if line.strip()]


def expected_verdict(record: dict[str, Any], item_id: str, wording: str) -> bool:
    """Whether the filter for ``item_id`` in ``wording`` should fire on ``record``.

    A record may state the verdict for one filter outright in ``by_filter`` (``"4.10:cis"``); this
    project's own cases do so where two deployed wordings of one item disagree.
    """
    override = record.get("by_filter", {}).get(f"{item_id}:{wording}")
    if override is not None:
        return bool(override)
    variant = VARIANT_FOR_FILTER.get((item_id, wording))
    if variant is not None:
        return bool(record["variants"][variant])
    return item_id in record["labels"]


def score_filter(
    item_id: str, wording: str, pattern: FilterPattern, records: Sequence[dict[str, Any]]
) -> tuple[int, list[int], list[int], int]:
    """(positives, false positive lines, false negative lines, true positives) of one filter."""
    false_positives: list[int] = []
    false_negatives: list[int] = []
    positives = true_positives = 0
    for line, record in enumerate(records):
        expected = expected_verdict(record, item_id, wording)
        fired = pattern.matches(record["event"])
        positives += expected
        if fired and expected:
            true_positives += 1
        elif fired:
            false_positives.append(line)
        elif expected:
            false_negatives.append(line)
    return positives, false_positives, false_negatives, true_positives


def score_catalog(catalog: Catalog, records: Sequence[dict[str, Any]]) -> list[FilterScore]:
    scores = []
    for selected in select_filters(catalog, DEFAULT_PROFILES):
        item, catalog_filter = selected.item, selected.filter
        pattern = parse(catalog_filter.pattern)
        positives, fps, fns, tps = score_filter(item.id, catalog_filter.wording, pattern, records)
        scores.append(
            FilterScore(
                item_id=item.id,
                title=item.title,
                wording=catalog_filter.wording,
                profiles=catalog_filter.profiles,
                metric_name=catalog_filter.metric_name,
                truth=VARIANT_FOR_FILTER.get((item.id, catalog_filter.wording), "label"),
                positives=positives,
                true_positives=tps,
                false_positives=len(fps),
                false_negatives=len(fns),
                false_positive_records=tuple(fps),
                false_negative_records=tuple(fns),
            )
        )
    return scores


class Matcher(Protocol):
    def matches(self, event: Any) -> bool: ...


def measure_throughput(patterns: Sequence[Matcher], events: Sequence[Any], min_seconds: float = 0.5) -> float:
    """Pattern evaluations per second over whole passes of every pattern on every event.

    Any object with ``matches(event)`` will do: the benchmarks time a one-field baseline with the same loop.
    """
    evaluations = 0
    started = time.perf_counter()
    elapsed = 0.0
    while elapsed < min_seconds:
        for pattern in patterns:
            for event in events:
                pattern.matches(event)
        evaluations += len(patterns) * len(events)
        elapsed = time.perf_counter() - started
    return evaluations / elapsed


def render_table(scores: Iterable[FilterScore]) -> str:
    header = ("item", "wording", "profiles", "metric", "truth", "pos", "TP", "FP", "FN")
    rows = [header] + [
        (
            s.item_id,
            s.wording,
            ",".join(s.profiles),
            s.metric_name,
            s.truth,
            str(s.positives),
            str(s.true_positives),
            str(s.false_positives),
            str(s.false_negatives),
        )
        for s in scores
    ]
    widths = [max(len(row[i]) for row in rows) for i in range(len(header))]
    return "\n".join(
        "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip() for row in rows
    )


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m compliant_cloudtrail.component.detection_table", description=__doc__.splitlines()[0]
    )
    parser.add_argument("--corpus", type=Path, default=DEFAULT_CORPUS, help="labelled JSON Lines file")
    parser.add_argument("--json", action="store_true", help="print the scores as JSON")
    args = parser.parse_args(argv)

    records = load_corpus(args.corpus)
    scores = score_catalog(load_catalog(), records)
    patterns = [parse(f.filter.pattern) for f in select_filters(load_catalog(), DEFAULT_PROFILES)]
    throughput = measure_throughput(patterns, [record["event"] for record in records])
    perfect = all(score.perfect for score in scores)

    if args.json:
        print(
            json.dumps(
                {
                    "corpus": str(args.corpus),
                    "events": len(records),
                    "filters": [asdict(score) for score in scores],
                    "evaluations_per_second": round(throughput),
                    "all_perfect": perfect,
                },
                indent=2,
            )
        )
    else:
        print(
            f"CIS 4 detection table: {len(scores)} deployed filters x {len(records)} events ({args.corpus})"
        )
        print(render_table(scores))
        misses = sum(score.false_positives + score.false_negatives for score in scores)
        verdict = (
            "every filter fires on every event labelled for it and on no other"
            if perfect
            else f"{misses} misses"
        )
        print(f"Result: {verdict}.")
        print(
            f"Throughput: {len(patterns)} patterns x {len(records)} events, {throughput:,.0f} evaluations/s"
        )
    return 0 if perfect else 1


if __name__ == "__main__":
    sys.exit(main())
