"""The catalog of CIS AWS Foundations section 4 metric filters, kept as data in ``cis_catalog.json``.

The JSON is the single source of truth for what the component deploys; this module only loads it into
typed records and answers "which filters does this profile selection deploy?".
"""

from __future__ import annotations

import json
from dataclasses import dataclass
from functools import cache
from importlib import resources
from typing import Any

from ..policy_pack.filter_pattern import FilterPatternError, parse

SECURITY_HUB = "security-hub"
CIS = "cis"
PROFILES = (SECURITY_HUB, CIS)
DEFAULT_PROFILES = PROFILES


@dataclass(frozen=True)
class CatalogFilter:
    """One metric filter and the alarm on its metric."""

    wording: str
    """Whose text the pattern follows: ``security-hub`` or ``cis``."""
    profiles: tuple[str, ...]
    """The deployment profiles that include this filter."""
    metric_name: str
    pattern: str
    source: str
    """Where the wording comes from, for the README and for reviewers."""


@dataclass(frozen=True)
class CatalogItem:
    id: str
    """CIS item number in the v1.4 to v5.0 numbering, for example ``4.3``."""
    title: str
    security_hub_control: str | None
    """``CloudWatch.N``, or None where Security Hub has no control (4.15)."""
    filters: tuple[CatalogFilter, ...]


@dataclass(frozen=True)
class Catalog:
    items: tuple[CatalogItem, ...]
    profile_descriptions: dict[str, str]

    @property
    def item_ids(self) -> tuple[str, ...]:
        return tuple(item.id for item in self.items)

    def item(self, item_id: str) -> CatalogItem:
        for item in self.items:
            if item.id == item_id:
                return item
        raise KeyError(item_id)


@dataclass(frozen=True)
class SelectedFilter:
    """A catalog filter chosen for deployment, with the item it belongs to."""

    item: CatalogItem
    filter: CatalogFilter


def _read_catalog_json() -> dict[str, Any]:
    return json.loads(resources.files(__package__).joinpath("cis_catalog.json").read_text(encoding="utf-8"))


@cache
def load_catalog() -> Catalog:
    raw = _read_catalog_json()
    items = tuple(
        CatalogItem(
            id=entry["id"],
            title=entry["title"],
            security_hub_control=entry["security_hub_control"],
            filters=tuple(
                CatalogFilter(
                    wording=f["wording"],
                    profiles=tuple(f["profiles"]),
                    metric_name=f["metric_name"],
                    pattern=f["pattern"],
                    source=f["source"],
                )
                for f in entry["filters"]
            ),
        )
        for entry in raw["items"]
    )
    _parse_every_pattern(items)
    return Catalog(items=items, profile_descriptions=dict(raw["profiles"]))


def _parse_every_pattern(items: tuple[CatalogItem, ...]) -> None:
    """A catalog pattern CloudWatch Logs would reject must fail at preview, not at `pulumi up`."""
    for item in items:
        for catalog_filter in item.filters:
            try:
                parse(catalog_filter.pattern)
            except FilterPatternError as error:
                raise ValueError(
                    f"catalog filter {catalog_filter.metric_name} (CIS {item.id}) does not parse: {error}"
                ) from error


def select_filters(
    catalog: Catalog, profiles: tuple[str, ...], disabled_items: frozenset[str] = frozenset()
) -> list[SelectedFilter]:
    """The filters the given profiles deploy, minus switched-off items, each filter once.

    A filter shared by several profiles is listed once, so two identical alarms never exist.
    """
    return [
        SelectedFilter(item, catalog_filter)
        for item in catalog.items
        if item.id not in disabled_items
        for catalog_filter in item.filters
        if set(catalog_filter.profiles) & set(profiles)
    ]
