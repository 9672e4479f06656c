"""The check's reports, one module per format; each renders a :class:`~..findings.Findings` and nothing else."""

from __future__ import annotations

from collections.abc import Callable

from ..findings import Findings
from .json import as_json
from .junit import as_junit
from .sarif import as_sarif
from .text import as_compact, as_text

__all__ = ["FORMATS", "render"]

#: every format --format and --output accept, by name
FORMATS: dict[str, Callable[[Findings], str]] = {
    "text": as_text,
    "json": as_json,
    "sarif": as_sarif,
    "junit": as_junit,
}


def render(findings: Findings, format_name: str, *, compact: bool = False) -> str:
    if format_name == "text" and compact:
        return as_compact(findings)
    return FORMATS[format_name](findings)
