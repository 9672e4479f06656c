"""Throughput of the filter-pattern engine: every catalog pattern on every event of the labelled corpus.

The baseline runs the same loop with a matcher that reads one field and compares it (``eventName ==``),
the cheapest predicate a hand-written filter could be: Python's loop and call overhead with almost no
matching. The ratio says how many such lookups one pattern evaluation costs.
"""

from __future__ import annotations

import json
import time
from collections.abc import Sequence
from typing import Any

from compliant_cloudtrail.component.catalog import DEFAULT_PROFILES, load_catalog, select_filters
from compliant_cloudtrail.component.detection_table import Matcher, measure_throughput
from compliant_cloudtrail.policy_pack.filter_pattern import parse

from .packs import REPO_ROOT
from .report import Figure
from .timing import alternate

CORPUS = REPO_ROOT / "data" / "cloudtrail-events" / "cis4-labelled.jsonl"


class FieldEquals:
    """The baseline matcher: one top-level field against one value."""

    def __init__(self, field: str, value: str) -> None:
        self.field, self.value = field, value

    def matches(self, event: Any) -> bool:
        return bool(event.get(self.field) == self.value)


def corpus_events() -> list[dict[str, Any]]:
    with CORPUS.open(encoding="utf-8") as lines:
        return [json.loads(line)["event"] for line in lines if line.strip()]


def seconds_per_evaluation(matchers: Sequence[Matcher], events: Sequence[Any], min_seconds: float) -> float:
    """Whole passes of every matcher over every event until ``min_seconds`` have gone by."""
    # The detection table's own loop, so that its throughput line and this figure measure the same thing.
    return 1 / measure_throughput(matchers, events, min_seconds)


def _parse_seconds(texts: Sequence[str], min_seconds: float) -> float:
    parses = 0
    started = time.perf_counter()
    while time.perf_counter() - started < min_seconds:
        for text in texts:
            parse(text)
        parses += len(texts)
    return (time.perf_counter() - started) / parses


def filter_engine(reps: int, warmup: int, min_seconds: float) -> list[Figure]:
    texts = [s.filter.pattern for s in select_filters(load_catalog(), DEFAULT_PROFILES)]
    patterns = [parse(text) for text in texts]
    baseline = [FieldEquals("eventName", "ConsoleLogin") for _ in texts]
    events = corpus_events()
    samples = alternate(
        {
            "field": lambda: seconds_per_evaluation(baseline, events, min_seconds),
            "engine": lambda: seconds_per_evaluation(patterns, events, min_seconds),
        },
        reps,
        warmup,
    )
    per_parse = _parse_seconds(texts, min_seconds)
    engine_rate = 1 / samples["engine"].median
    return [
        Figure(
            "filter engine, per pattern evaluation",
            "one-field lookup",
            samples["field"],
            samples["engine"],
            "us",
            note=f"{len(patterns)} catalog patterns x {len(events)} corpus events per pass, one core: "
            f"{engine_rate / 1e6:.2f} million evaluations per second (the baseline "
            f"{1 / samples['field'].median / 1e6:.1f} million). Parsing a catalog pattern takes "
            f"{per_parse * 1e6:.0f} µs.",
            extra={
                "patterns": len(patterns),
                "events": len(events),
                "engine_evaluations_per_second": engine_rate,
                "baseline_evaluations_per_second": 1 / samples["field"].median,
                "parse_seconds_per_pattern": per_parse,
            },
        )
    ]
