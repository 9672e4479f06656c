"""A trail that must fail, judged with the rest: proof that the pack judged with the configuration the check sent.

The pack is a separate process with a socket; anything that reached it while the check ran (a program's helper
that outlived the program, another process of the same user) could re-``Configure`` it and turn a FAILED check
into PASSED. So the pack answers for the canary (a CloudTrail trail with no CloudWatch Logs delivery, in a
stack of its own) once before the program runs, and again before and after the real resources are judged;
any difference means its configuration or code changed under the check, and there is no verdict.
"""

from __future__ import annotations

import secrets
from dataclasses import dataclass

from ..policy_pack.policies.exemptions import RESOURCE_NOTICE, parse_notice
from .analyzer_client import AnalyzerClient, AnalyzeResult
from .errors import CheckError

__all__ = ["DELIVERY_POLICY", "Canary"]

#: the pack's mandatory policy: the canary must fail it whenever it is enabled
DELIVERY_POLICY = "cloudtrail-trail-deliver-to-cloudwatch-logs"
_TRAIL = "aws:cloudtrail/trail:Trail"

Answers = tuple[tuple[tuple[str, str, str], ...], tuple[tuple[str, str], ...]]


def _fingerprint(result: AnalyzeResult) -> Answers:
    return (
        tuple(sorted((d.policy_name, d.enforcement_level, d.message) for d in result.diagnostics)),
        tuple(sorted((n.policy_name, n.reason) for n in result.not_applicable)),
    )


@dataclass
class Canary:
    pack: AnalyzerClient
    project: str
    stack: str

    def __post_init__(self) -> None:
        # A name no program can guess, so no exemption or program can single it out.
        self.name = f"cloudtrail-check-canary-{secrets.token_hex(8)}"
        self.urn = f"urn:pulumi:{self.stack}::{self.project}::{_TRAIL}::{self.name}"
        self._expected: tuple[Answers, Answers] | None = None

    def _resource(self) -> dict[str, object]:
        return {"type": _TRAIL, "name": self.name, "urn": self.urn, "properties": {"s3BucketName": self.name}}

    def _answers(self) -> tuple[Answers, Answers]:
        resource = self._resource()
        return _fingerprint(self.pack.analyze(resource)), _fingerprint(self.pack.analyze_stack([resource]))

    def baseline(self, delivery_level: str | None) -> None:
        """The pack's answers as configured, before any untrusted code ran. ``delivery_level``: the effective
        level of :data:`DELIVERY_POLICY` (None when the pack has no such policy)."""
        self._expected = self._answers()
        if delivery_level in ("mandatory", "advisory"):
            fired = {(policy, level) for policy, level, _ in self._expected[0][0]}
            # An exemption of the user's config may cover the canary too (a wildcard over every trail): then the
            # pack reports the violation through its exemptions notice instead, which shows it still judges.
            exempted = any(
                policy == RESOURCE_NOTICE and (notice := parse_notice(message)) is not None
                and notice.policy == DELIVERY_POLICY
                for policy, _, message in self._expected[0][0]
            )  # fmt: skip
            if (DELIVERY_POLICY, delivery_level) not in fired and not exempted:
                raise CheckError(
                    f"the policy pack's {delivery_level} policy {DELIVERY_POLICY} did not "
                    "fail a trail without CloudWatch Logs delivery; the pack is broken or altered, so no verdict"
                )

    def verify(self, when: str) -> None:
        assert self._expected is not None, "baseline() first"
        if self._answers() != self._expected:
            raise CheckError(
                f"the policy pack's answers changed {when}: something re-configured or altered the pack while the "
                "check ran (the program, a process it left, or another process of this user), so no verdict"
            )
