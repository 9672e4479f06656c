"""The engine's one-URN-one-resource rule holds when two registrations of one URN race (the SDK sends them on
concurrent threads; pulumi/pulumi step_generator.go refuses the second: "Duplicate resource URN")."""

from __future__ import annotations

from typing import Any

import grpc
import pytest

from compliant_cloudtrail.check.engine.monitor import EngineState, OfflineMonitor


class _Aborted(Exception):
    pass


class _Context:
    def abort(self, code: grpc.StatusCode, details: str) -> Any:
        raise _Aborted(code, details)


def test_the_second_claim_of_a_urn_is_refused_before_the_first_is_answered() -> None:
    state = EngineState(project="p", stack="dev", preview=True)
    monitor = OfflineMonitor(state, mocks=None, invokes=None, stack_refs=None, config={})  # type: ignore[arg-type]
    urn = "urn:pulumi:dev::p::aws:cloudwatch/logGroup:LogGroup::audit"
    monitor._claim(urn, _Context())  # type: ignore[arg-type]
    # The first registration has not been answered (nor recorded) yet: a racing twin must still be refused.
    with pytest.raises(_Aborted, match="Duplicate resource URN"):
        monitor._claim(urn, _Context())  # type: ignore[arg-type]
    assert state.engine_errors == [f"Duplicate resource URN '{urn}'; try giving it a unique name"]
    monitor._claim(urn.replace("::audit", "::other"), _Context())  # type: ignore[arg-type]
