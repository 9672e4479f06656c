"""The offline engine: the ResourceMonitor and Engine gRPC services a Pulumi program connects to, backed by
recording AWS answers instead of a deployment."""

from .monitor import SUPPORTED_FEATURES, EngineState, OfflineMonitor
from .run import Launch, ProgramRun, RunOptions, python_launch, run_launched

__all__ = [
    "SUPPORTED_FEATURES", "EngineState", "Launch", "OfflineMonitor", "ProgramRun", "RunOptions", "python_launch",
    "run_launched",
]
