"""Judging a metric filter by what it matches: the probe events in ``probes.json`` and the verdicts on them.

A filter covers a CIS item when it fires on every reference event of the item and on none of the shared
benign events, so an equivalent pattern written differently passes and a broken one fails. The JSON is
read on first use, not at start-up, and each distinct pattern is parsed and judged once.
"""

from __future__ import annotations

import copy
import json
from dataclasses import dataclass
from functools import cache, lru_cache
from importlib import resources
from typing import Any

from ..filter_pattern import FilterPatternError, parse


@dataclass(frozen=True)
class Probe:
    id: str
    event: dict[str, Any]


@dataclass(frozen=True)
class ItemProbes:
    id: str
    title: str
    security_hub_control: str | None
    required: tuple[Probe, ...]
    extended: tuple[Probe, ...]
    """Events of names that later CIS wordings add; required only on request."""

    @property
    def label(self) -> str:
        control = f", Security Hub {self.security_hub_control}" if self.security_hub_control else ""
        return f"CIS {self.id} ({self.title}{control})"


@dataclass(frozen=True)
class ProbeSet:
    items: dict[str, ItemProbes]
    benign: tuple[Probe, ...]


def _expand(raw: dict[str, Any], probe_id: str, fields: dict[str, Any]) -> Probe:
    event = copy.deepcopy(raw["envelope"])
    event.update(copy.deepcopy(fields))
    identity = event.get("userIdentity")
    if isinstance(identity, str) and identity.startswith("@"):
        event["userIdentity"] = copy.deepcopy(raw["identities"][identity[1:]])
    return Probe(probe_id, event)


def _named(raw: dict[str, Any], template: dict[str, Any], names: list[str]) -> tuple[Probe, ...]:
    return tuple(_expand(raw, name, {**template, "eventName": name}) for name in names)


@cache
def load_probes() -> ProbeSet:
    raw = json.loads(resources.files(__package__).joinpath("probes.json").read_text(encoding="utf-8"))
    items = {}
    for item_id, entry in raw["items"].items():
        template = entry.get("template", {})
        explicit = tuple(_expand(raw, e["id"], e["event"]) for e in entry["events"])
        items[item_id] = ItemProbes(
            id=item_id,
            title=entry["title"],
            security_hub_control=entry["security_hub_control"],
            required=explicit + _named(raw, template, entry["eventNames"]),
            extended=_named(raw, template, entry["extendedEventNames"]),
        )
    benign = tuple(_expand(raw, e["id"], e["event"]) for e in raw["benign"])
    return ProbeSet(items=items, benign=benign)


@dataclass(frozen=True)
class ItemVerdict:
    item: str
    fired_on: int
    """How many of the item's reference events the filter fires on."""
    missed: tuple[str, ...]
    """Reference events it does not fire on."""
    benign_hits: tuple[str, ...]
    """Benign events it fires on (shared by all items)."""

    @property
    def covers(self) -> bool:
        return not self.missed and not self.benign_hits


@dataclass(frozen=True)
class PatternJudgement:
    parse_error: str | None
    verdicts: dict[str, ItemVerdict]

    def covers(self, item: str) -> bool:
        verdict = self.verdicts.get(item)
        return verdict is not None and verdict.covers


@lru_cache(maxsize=512)
def judge_pattern(text: str, require_extended: bool = False) -> PatternJudgement:
    """Which CIS items a filter pattern covers; a pattern that does not parse covers none."""
    try:
        pattern = parse(text)
    except FilterPatternError as error:
        return PatternJudgement(parse_error=str(error), verdicts={})
    probes = load_probes()
    benign_hits = tuple(p.id for p in probes.benign if pattern.matches(p.event))
    verdicts = {}
    for item in probes.items.values():
        events = item.required + (item.extended if require_extended else ())
        missed = tuple(p.id for p in events if not pattern.matches(p.event))
        verdicts[item.id] = ItemVerdict(item.id, len(events) - len(missed), missed, benign_hits)
    return PatternJudgement(parse_error=None, verdicts=verdicts)
