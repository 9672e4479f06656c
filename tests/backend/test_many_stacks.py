"""A whole backend judged in one run by the real pack over gRPC: a verdict per stack, the exit code, the report.

Verdicts follow Security Hub CloudTrail.5 / CIS 3.4 (see synthetic.py); the exit code is the check's contract:
1 if any stack has a mandatory violation, else 2 if any stack could not be judged, else 0.
"""

from __future__ import annotations

import contextlib
import json
import shutil
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest

from compliant_cloudtrail.check import many, many_report
from compliant_cloudtrail.check.errors import CheckError
from compliant_cloudtrail.check.many import ManyOutcome, ManyRequest, run_many

from .synthetic import DELIVERY, EXPECTED, StackBuilder, write_backend, write_json, write_payments_export


@pytest.fixture(scope="module")
def places(tmp_path_factory: pytest.TempPathFactory) -> tuple[Path, Path]:
    tmp = tmp_path_factory.mktemp("many")
    return write_backend(tmp / "state"), write_payments_export(tmp / "exports" / "live.json")


@pytest.fixture(scope="module")
def outcome(places: tuple[Path, Path]) -> ManyOutcome:
    backend, export = places
    return run_many(ManyRequest([f"file://{backend}", export.parent]))


def verdicts(outcome: ManyOutcome) -> dict[tuple[str, str], str]:
    return {(r.project, r.stack): r.verdict for r in outcome.stacks}


def test_every_stack_gets_its_own_verdict(outcome: ManyOutcome) -> None:
    assert verdicts(outcome) == EXPECTED


def test_the_failing_stacks_name_the_trail_without_delivery(outcome: ManyOutcome) -> None:
    failing = {r.name: sorted(d.urn for d in r.outcome.mandatory) for r in outcome.failing if r.outcome}
    assert failing == {
        "audit/dev": ["urn:pulumi:dev::audit::aws:cloudtrail/trail:Trail::dev-bare"],
        "payments/live": ["urn:pulumi:live::payments::aws:cloudtrail/trail:Trail::payments-bare"],
    }
    assert all(d.policy_name == DELIVERY for r in outcome.failing if r.outcome for d in r.outcome.mandatory)


def test_the_corrupt_file_is_named_and_the_rest_still_judged(outcome: ManyOutcome) -> None:
    (broken,) = outcome.not_judged
    assert broken.name == "audit/broken" and broken.outcome is None
    assert str(broken.source) in broken.reason and "not JSON" in broken.reason
    assert sum(1 for r in outcome.stacks if r.outcome is not None) == len(EXPECTED) - 1


def test_encrypted_secrets_stay_unknown_and_are_counted(outcome: ManyOutcome) -> None:
    counts = {r.name: r.unreadable_secrets for r in outcome.stacks}
    assert counts["network/staging"] == 2  # the tag, in the trail's inputs and in its outputs
    assert sum(counts.values()) == 2
    assert outcome.by_project()["network"].unreadable_secrets == 2


def test_the_summary_counts_by_project(outcome: ManyOutcome) -> None:
    audit = outcome.by_project()["audit"]
    assert (audit.stacks, audit.passed, audit.failed, audit.not_judged) == (3, 1, 1, 1)
    total = outcome.total()
    assert (total.stacks, total.passed, total.failed, total.not_judged, total.mandatory) == (7, 4, 2, 1, 2)


def test_a_mandatory_violation_anywhere_is_exit_1_even_with_a_stack_not_judged(outcome: ManyOutcome) -> None:
    assert outcome.exit_code == 1


def test_without_failing_stacks_a_stack_not_judged_is_exit_2_and_all_passing_is_0(places: tuple[Path, Path]) -> None:
    backend, _ = places
    projects = backend / ".pulumi" / "stacks"
    broken = projects / "audit" / "broken.json"
    no_fail = run_many(ManyRequest([broken, projects / "network"]))  # given as files: exports, no layout
    assert (no_fail.exit_code, [r.source for r in no_fail.not_judged]) == (2, [broken])
    passing = run_many(ManyRequest([projects / "network"]))
    assert (passing.exit_code, {r.verdict for r in passing.stacks}) == (0, {"PASSED"})


def test_a_stack_the_pack_cannot_judge_is_not_judged_not_passed(tmp_path: Path) -> None:
    # The role ARN is an encrypted secret: unknown, so the mandatory policy says NOT JUDGED for the trail.
    stack = StackBuilder("audit", "secret-role")
    trail = stack.trail("t")
    from .synthetic import ciphertext

    trail["inputs"]["cloudWatchLogsRoleArn"] = trail["outputs"]["cloudWatchLogsRoleArn"] = ciphertext()
    result = run_many(ManyRequest([write_json(tmp_path / "secret-role.json", stack.export())]))
    assert [r.verdict for r in result.stacks] == ["NOT JUDGED"] and result.exit_code == 2
    assert "NOT JUDGED" in result.stacks[0].reason


def test_one_pack_process_judges_every_stack(places: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch) -> None:
    started: list[Any] = []
    real = many.open_pack

    @contextlib.contextmanager
    def counted(*args: Any, **kwargs: Any) -> Iterator[Any]:
        with real(*args, **kwargs) as session:
            started.append(session.pack.returncode)
            yield session

    monkeypatch.setattr(many, "open_pack", counted)
    backend, _ = places
    assert len(run_many(ManyRequest([backend])).stacks) == 6
    assert started == [None]


def test_a_pack_reconfigured_between_two_stacks_ends_the_run_without_verdict(
    places: tuple[Path, Path], monkeypatch: pytest.MonkeyPatch
) -> None:
    # What a process that reached the pack's socket could do: switch the mandatory policy off half way.
    real_open, real_read = many.open_pack, many.read_stack
    sessions: list[Any] = []
    reads: list[Path] = []

    @contextlib.contextmanager
    def kept(*args: Any, **kwargs: Any) -> Iterator[Any]:
        with real_open(*args, **kwargs) as session:
            sessions.append(session)
            yield session

    def read_then_tamper(found: Any) -> Any:
        reads.append(found.path)
        if len(reads) == 3:
            sessions[0].pack.configure({"all": "disabled"})
        return real_read(found)

    monkeypatch.setattr(many, "open_pack", kept)
    monkeypatch.setattr(many, "read_stack", read_then_tamper)
    backend, _ = places
    with pytest.raises(CheckError, match="the policy pack's answers changed"):
        run_many(ManyRequest([backend]))
    assert len(reads) == 3


def test_the_text_report_has_each_stack_and_a_row_per_project(outcome: ManyOutcome) -> None:
    text = many_report.as_text(outcome)
    lines = text.splitlines()
    for (project, stack), verdict in EXPECTED.items():
        assert any(line.startswith(verdict) and f"{project}/{stack}" in line for line in lines), (project, stack)
    rows = {line.split()[0]: line.split()[1:] for line in lines if line.split() and line.split()[0] in
            ("audit", "network", "payments", "legacy-project", "(all)")}  # fmt: skip
    assert rows["audit"][:4] == ["3", "1", "1", "1"]
    assert rows["(all)"][:4] == ["7", "4", "2", "1"]
    assert lines[-1] == "not judged: audit/broken"


def test_every_violation_in_the_json_carries_its_stack(outcome: ManyOutcome) -> None:
    data = json.loads(many_report.as_json(outcome))
    assert (data["verdict"], data["exit_code"]) == ("FAILED", 1)
    by_name = {f"{s['project']}/{s['stack']}": s for s in data["stacks"]}
    assert by_name["audit/broken"]["verdict"] == "NOT JUDGED" and "not JSON" in by_name["audit/broken"]["reason"]
    violations = [v for s in data["stacks"] for v in s["violations"]]
    assert violations and all({"project", "stack", "source"} <= set(v) for v in violations)
    assert {(v["project"], v["stack"]) for v in violations if v["level"] == "mandatory"} == {
        ("audit", "dev"), ("payments", "live")}  # fmt: skip
    assert data["summary"]["total"]["unreadable_secrets"] == 2


def test_a_whole_backend_copied_elsewhere_judges_the_same(places: tuple[Path, Path], tmp_path: Path) -> None:
    # A synced copy of a bucket is just a folder: what matters is .pulumi/stacks under it.
    backend, _ = places
    copy = shutil.copytree(backend, tmp_path / "synced")
    result = run_many(ManyRequest([copy / ".pulumi"]))
    assert verdicts(result) == {k: v for k, v in EXPECTED.items() if k[0] != "payments"}


def test_each_stack_outcome_feeds_the_findings_model_with_its_own_controls(outcome: ManyOutcome) -> None:
    # What a per-stack SARIF or JUnit report would be built from: the pack's metadata (controls, fix) and the
    # resources' origins travel with every stack's outcome.
    from compliant_cloudtrail.check.findings import build_findings

    (dev,) = [r for r in outcome.stacks if r.name == "audit/dev"]
    assert dev.outcome is not None and dev.outcome.pack_info is not None
    assert {o.urn for o in dev.outcome.origins} >= {d.urn for d in dev.outcome.mandatory}
    (blocking,) = [f for f in build_findings(dev.outcome).findings if f.level == "mandatory"]
    assert blocking.urn.startswith("urn:pulumi:dev::audit::") and "Security Hub CloudTrail.5" in blocking.controls
