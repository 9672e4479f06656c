"""The offline engine: the ResourceMonitor and Engine gRPC services a Pulumi program connects to, backed by
recording AWS answers instead of a deployment.

The names below are loaded on first use (PEP 562): the policy pack's client needs only ``engine_log``, and a
``--state`` check should not pay for importing the monitor, the mocks and the launchers.
"""

from __future__ import annotations

from importlib import import_module
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    from .monitor import SUPPORTED_FEATURES, EngineState, OfflineMonitor
    from .run import Launch, ProgramRun, RunOptions, python_launch, run_launched

_WHERE = {
    "SUPPORTED_FEATURES": "monitor", "EngineState": "monitor", "OfflineMonitor": "monitor", "Launch": "run",
    "ProgramRun": "run", "RunOptions": "run", "python_launch": "run", "run_launched": "run",
}  # fmt: skip

__all__ = [
    "SUPPORTED_FEATURES", "EngineState", "Launch", "OfflineMonitor", "ProgramRun", "RunOptions", "python_launch",
    "run_launched",
]  # fmt: skip


def __getattr__(name: str) -> Any:
    if name not in _WHERE:
        raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
    return getattr(import_module(f".{_WHERE[name]}", __name__), name)
