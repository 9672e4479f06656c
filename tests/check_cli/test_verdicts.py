"""The verdicts: compliant stacks exit 0, non-compliant ones exit 1 and name the policy and the trail.

Expected trails come from the scenario each example states in its docstring (which trail is the bad one),
and URNs from Pulumi's URN format, not from this command's output.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from .conftest import DELIVERY, EXAMPLES, check, urn

TRAIL = "aws:cloudtrail/trail:Trail"
NATIVE_TRAIL = "aws-native:cloudtrail:Trail"

# example -> URNs of the trails that do not deliver to CloudWatch Logs (CloudTrail.5)
NON_COMPLIANT: dict[str, set[str]] = {
    "bare-trail": {urn("bare-trail", TRAIL, "bare")},
    "trail-without-role": {urn("trail-without-role", TRAIL, "no-role")},
    "trail-arn-without-wildcard": {urn("trail-arn-without-wildcard", TRAIL, "no-wildcard")},
    "aws-native-trail": {urn("aws-native-trail", NATIVE_TRAIL, "native-bare")},
    "two-trails": {urn("two-trails", TRAIL, "team-s3-only")},
}
COMPLIANT = {"hand-wired-compliant-trail"}


def mandatory_pairs(report: dict) -> set[tuple[str, str]]:
    return {(v["policy"], v["urn"]) for v in report["violations"] if v["level"] == "mandatory"}


def test_every_example_has_an_expected_verdict() -> None:
    # A new example without an expectation here would go unchecked.
    assert {p.name for p in EXAMPLES.iterdir() if (p / "Pulumi.yaml").exists()} == set(NON_COMPLIANT) | COMPLIANT


def test_root_example_stack_passes_with_a_readable_report(root_stack: Path) -> None:
    run = check(root_stack)
    assert run.code == 0, run.describe()
    assert "[mandatory]" not in run.stdout, run.describe()
    # the header says what was checked, the last line gives the verdict
    assert str(root_stack) in run.stdout and "compliant-cloudtrail" in run.stdout, run.describe()
    for label in ("program:", "stack:", "mode:", "resources checked:"):
        assert label in run.stdout, f"report lacks {label!r}\n{run.describe()}"
    assert "dev" in run.stdout.split("stack:", 1)[1].splitlines()[0], run.describe()
    assert "update" in run.stdout.split("mode:", 1)[1].splitlines()[0], run.describe()
    assert run.stdout.strip().splitlines()[-1].startswith("PASSED: 0 mandatory"), run.describe()


@pytest.mark.parametrize("example", sorted(NON_COMPLIANT))
def test_non_compliant_example_exits_1_naming_policy_and_trail(example: str) -> None:
    run = check(EXAMPLES / example)
    assert run.code == 1, run.describe()
    lines = run.stdout.splitlines()
    for trail_urn in NON_COMPLIANT[example]:
        # the violation heading and the resource it belongs to, together
        headings = [i for i, line in enumerate(lines) if line == f"[mandatory] {DELIVERY}"]
        assert any(trail_urn in lines[i + 1] for i in headings), f"{trail_urn}: no mandatory {DELIVERY}\n" + (
            run.describe()
        )
    assert lines[-1].startswith("FAILED: "), run.describe()
    assert "Traceback" not in run.stderr, run.describe()


@pytest.mark.parametrize("example", sorted(COMPLIANT))
def test_compliant_example_exits_0(example: str) -> None:
    run = check(EXAMPLES / example)
    assert run.code == 0, run.describe()
    assert "[mandatory]" not in run.stdout, run.describe()


@pytest.mark.parametrize("example", sorted(NON_COMPLIANT) + sorted(COMPLIANT) + ["."])
def test_json_output_has_the_same_verdict(example: str, root_stack: Path) -> None:
    program = root_stack if example == "." else EXAMPLES / example
    run = check(program, "--json")
    report = run.json()  # stdout is one JSON object, nothing else (program output goes to stderr)
    expected = {(DELIVERY, u) for u in NON_COMPLIANT.get(example, set())}
    assert mandatory_pairs(report) == expected, run.describe()
    assert report["passed"] is (not expected), run.describe()
    assert run.code == (1 if expected else 0), run.describe()
    assert report["mode"] == "update" and report["stack"] == "dev", run.describe()
    assert report["program"] == str(program.resolve()), run.describe()
    assert report["mandatory"] == len(expected), run.describe()


def test_program_output_stays_out_of_the_json(tmp_path: Path) -> None:
    (tmp_path / "Pulumi.yaml").write_text("name: chatty\nruntime: python\n")
    (tmp_path / "__main__.py").write_text(
        "import pulumi_aws as aws\nprint('hello from the program')\naws.cloudtrail.Trail('loud', s3_bucket_name='b')\n"
    )
    run = check(tmp_path, "--json")
    report = run.json()
    assert run.code == 1, run.describe()
    assert mandatory_pairs(report) == {(DELIVERY, urn("chatty", TRAIL, "loud"))}, run.describe()
    assert "hello from the program" in run.stderr, run.describe()


def test_preview_does_not_fail_on_an_unknown_log_group_arn() -> None:
    """README: an unknown log-group ARN at preview is not a violation and prints no "during preview" advisory.

    After the update the same trail fails (test_non_compliant_example_exits_1_naming_policy_and_trail), so
    this passes only because the ARN is unknown in preview.
    """
    example = "trail-arn-without-wildcard"
    run = check(EXAMPLES / example, "--preview", "--json")
    report = run.json()
    assert run.code == 0, run.describe()
    assert report["mode"] == "preview", run.describe()
    assert mandatory_pairs(report) == set(), run.describe()
    (trail_urn,) = NON_COMPLIANT[example]
    assert not [v for v in report["violations"] if v["policy"] == DELIVERY and v["urn"] == trail_urn], run.describe()
    assert not [v for v in report["violations"] if "during preview" in v["message"]], run.describe()


def test_policy_pack_config_can_make_the_delivery_policy_advisory(tmp_path: Path) -> None:
    config = tmp_path / "policy-config.json"
    config.write_text(json.dumps({DELIVERY: "advisory"}))
    run = check(EXAMPLES / "bare-trail", "--policy-pack-config", config, "--json")
    report = run.json()
    assert run.code == 0, run.describe()
    assert report["passed"] is True, run.describe()
    # still reported, only no longer blocking
    bare = urn("bare-trail", TRAIL, "bare")
    assert {"advisory"} == {v["level"] for v in report["violations"] if v["policy"] == DELIVERY}, run.describe()
    assert bare in {v["urn"] for v in report["violations"] if v["policy"] == DELIVERY}, run.describe()


def test_config_values_reach_the_program(root_stack: Path) -> None:
    # 30 days is a retention CloudWatch Logs accepts, and below the 365 the retention policy asks for.
    run = check(root_stack, "--config", "retentionInDays=30", "--json")
    report = run.json()
    assert run.code == 0, run.describe()
    retention = [v for v in report["violations"] if v["policy"] == "cloudwatch-log-group-retain-cloudtrail-logs"]
    assert retention and all(v["level"] == "advisory" for v in retention), run.describe()


def test_config_values_are_json_first(root_stack: Path) -> None:
    # As a plain string the quotes would stay in the trail name, which the component refuses (exit 2).
    run = check(root_stack, "--config", 'trailName="org-audit"', "--config", 'alarmEmails=["secops@example.com"]')
    assert run.code == 0, run.describe()
