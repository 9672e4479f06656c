"""How a check's outcome is shown (kept for callers of 0.2): the text report and the JSON object, both rendered from
the findings model (:mod:`.findings`) by :mod:`.reports`."""

from __future__ import annotations

from .cli import CheckOutcome
from .findings import build_findings
from .reports import json as json_report
from .reports import text as text_report

__all__ = ["as_json", "as_text"]


def as_text(outcome: CheckOutcome) -> str:
    return text_report.as_text(build_findings(outcome))


def as_json(outcome: CheckOutcome) -> str:
    return json_report.as_json(build_findings(outcome))
