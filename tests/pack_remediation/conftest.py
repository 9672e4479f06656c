"""The pack started as the CLI starts it, and the ``Remediate`` call the engine makes before each step.

``AnalyzerClient`` has no ``Remediate`` method; the request is the same ``AnalyzeRequest`` the engine sends to
``Analyze`` (pulumi's ``analyzer.proto``: ``rpc Remediate(AnalyzeRequest) returns (RemediateResponse)``), so
it is built by the client and sent on our own channel to the pack's port.
"""

from __future__ import annotations

from collections.abc import Iterator, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import grpc
import pytest
from google.protobuf import json_format
from pulumi.runtime.proto import analyzer_pb2_grpc

from compliant_cloudtrail.check.analyzer_client import AnalyzerClient

PACK_DIR = Path(__file__).resolve().parents[2] / "compliant_cloudtrail" / "policy_pack"


@dataclass(frozen=True)
class Remediation:
    policy_name: str
    properties: dict[str, Any]
    diagnostic: str


class RemediatingPack:
    def __init__(self, client: AnalyzerClient) -> None:
        self.client = client
        assert client.address is not None
        self._channel = grpc.insecure_channel(client.address)
        self._stub = analyzer_pb2_grpc.AnalyzerStub(self._channel)

    def configure(self, policy_config: Mapping[str, Any]) -> None:
        self.client.configure(policy_config)

    def remediate(self, resource: Mapping[str, Any]) -> list[Remediation]:
        response = self._stub.Remediate(self.client.build_analyze_request(resource), timeout=60)
        return [
            Remediation(r.policyName, json_format.MessageToDict(r.properties), r.diagnostic)
            for r in response.remediations
        ]

    def close(self) -> None:
        self._channel.close()


@pytest.fixture(scope="module")
def pack() -> Iterator[RemediatingPack]:
    """One pack per module; every test configures it before its calls (Configure replaces the whole config)."""
    with AnalyzerClient(PACK_DIR, project="remediation", stack="dev") as client:
        remediating = RemediatingPack(client)
        try:
            yield remediating
        finally:
            remediating.close()
