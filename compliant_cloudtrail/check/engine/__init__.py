"""The offline engine: the ResourceMonitor and Engine gRPC services a Pulumi program connects to, backed by
recording AWS answers instead of a deployment."""

from .monitor import SUPPORTED_FEATURES, EngineState, OfflineMonitor
from .run import ProgramRun, RunOptions, run_program

__all__ = ["SUPPORTED_FEATURES", "EngineState", "OfflineMonitor", "ProgramRun", "RunOptions", "run_program"]
