"""Figures, the markdown table and the JSON file the benchmark writes."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .machine import one_line
from .timing import Samples


@dataclass(frozen=True)
class Figure:
    """One row: a baseline and a measured time (seconds per unit), their ratio, and the issue's target if any.

    The measured side is our pack (or check, or engine); for the scaling rows it is the larger stack and the
    baseline the smaller one.
    """

    name: str
    baseline_label: str
    baseline: Samples
    measured: Samples
    unit: str  # "s", "ms", "us": how the seconds are shown
    target: float | None = None
    note: str = ""
    extra: dict[str, Any] = field(default_factory=dict)

    @property
    def ratio(self) -> float:
        return self.measured.median / self.baseline.median

    @property
    def met(self) -> bool | None:
        return None if self.target is None else self.ratio <= self.target


_SCALE = {"s": 1.0, "ms": 1e3, "us": 1e6}


def _shown(seconds: float, unit: str) -> str:
    value = seconds * _SCALE[unit]
    digits = 3 if value < 1 else 2 if value < 10 else 1
    return f"{value:.{digits}f} {unit.replace('us', 'µs')}"


def _spread(samples: Samples, unit: str) -> str:
    return f"{_shown(samples.low, unit)} to {_shown(samples.high, unit)}"


def markdown(figures: list[Figure], machine: dict[str, Any], reps_note: str) -> str:
    lines = [
        "| figure | baseline | baseline median | measured median | ratio | target | met |",
        "| --- | --- | --- | --- | --- | --- | --- |",
    ]
    for f in figures:
        target = f"≤ {f.target:g}" if f.target is not None else "—"
        met = {None: "—", True: "yes", False: "**no**"}[f.met]
        lines.append(
            f"| {f.name} | {f.baseline_label} | {_shown(f.baseline.median, f.unit)} | "
            f"{_shown(f.measured.median, f.unit)} | {f.ratio:.2f} | {target} | {met} |"
        )
    notes = [f"- **{f.name}**: {f.note}" for f in figures if f.note]
    spreads = [
        f"- {f.name}: baseline {_spread(f.baseline, f.unit)}, measured {_spread(f.measured, f.unit)} "
        f"({len(f.measured.values)} runs)"
        for f in figures
    ]
    return "\n".join(
        [
            *lines,
            "",
            f"Machine: {one_line(machine)}.",
            "",
            reps_note,
            "",
            "Notes:",
            *notes,
            "",
            "Range of the runs behind each median (lowest to highest):",
            *spreads,
            "",
        ]
    )


def to_json(figures: list[Figure], machine: dict[str, Any], settings: dict[str, Any]) -> dict[str, Any]:
    return {
        "machine": machine,
        "settings": settings,
        "figures": [
            {
                "name": f.name,
                "baseline_label": f.baseline_label,
                "unit_shown": f.unit,
                "baseline_seconds": {"median": f.baseline.median, "runs": list(f.baseline.values)},
                "measured_seconds": {"median": f.measured.median, "runs": list(f.measured.values)},
                "ratio": f.ratio,
                "target": f.target,
                "met": f.met,
                "note": f.note,
                **({"extra": f.extra} if f.extra else {}),
            }
            for f in figures
        ],
    }


def write_json(path: Path, data: dict[str, Any]) -> None:
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(data, indent=2) + "\n", encoding="utf-8")

