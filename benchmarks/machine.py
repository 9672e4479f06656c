"""The machine line printed under every table: ratios only mean something next to where they were taken."""

from __future__ import annotations

import datetime
import os
import platform
import sys
from importlib import metadata
from pathlib import Path
from typing import Any


def cpu_model() -> str:
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                return line.split(":", 1)[1].strip()
    except OSError:
        pass
    return platform.processor() or "unknown"


def load_average() -> list[float] | None:
    try:
        return [round(x, 2) for x in os.getloadavg()]
    except OSError:
        return None


def describe() -> dict[str, Any]:
    return {
        "platform": platform.platform(),
        "cpu": cpu_model(),
        "cores": os.cpu_count(),
        "python": platform.python_version(),
        "implementation": sys.implementation.name,
        "pulumi": metadata.version("pulumi"),
        "pulumi_policy": metadata.version("pulumi-policy"),
        "grpcio": metadata.version("grpcio"),
        "protobuf": metadata.version("protobuf"),
        "date": datetime.datetime.now(datetime.UTC).strftime("%Y-%m-%d %H:%M UTC"),
        "load_average_at_start": load_average(),
    }


def one_line(machine: dict[str, Any]) -> str:
    load = machine.get("load_average_at_start")
    end = machine.get("load_average_at_end")
    loads = f"; load average {load[0]} at start, {end[0] if end else '?'} at end" if load else ""
    return (
        f"{machine['cpu']}, {machine['cores']} cores, {machine['platform']}; Python {machine['python']}, "
        f"pulumi {machine['pulumi']}, pulumi-policy {machine['pulumi_policy']}, grpcio {machine['grpcio']}; "
        f"{machine['date']}{loads}"
    )
