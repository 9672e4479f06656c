"""The Engine service a program logs to, on its own server (issue 20): still the watchdog's sign of life."""

from __future__ import annotations

import time

from pulumi.runtime.proto import engine_pb2

from compliant_cloudtrail.check.engine.engine_log import EngineLog
from compliant_cloudtrail.check.engine.run import _Activity


def test_a_log_call_counts_as_activity_for_the_watchdog() -> None:
    # The Engine server has no interceptor of its own (it would cost every one of a program's ~4 Log calls per
    # resource); a program that only logs must still not be taken for a hung one.
    activity = _Activity()
    activity.last -= 100.0
    before = activity.last
    log = EngineLog(on_call=activity.touch)
    log.Log(engine_pb2.LogRequest(severity=engine_pb2.DEBUG, message="registering"), None)
    assert activity.last > before and time.monotonic() - activity.last < 5.0
    assert [(line.severity, line.message) for line in log.lines] == [("debug", "registering")]
