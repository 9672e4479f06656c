"""Programs that are not ours, run offline and sent to the real policy pack over gRPC.

Each example runs under the recording mocks; every resource goes through ``Analyze`` (its inputs, as the
engine sends them before each step) and the whole stack through ``AnalyzeStack`` (outputs, parents,
dependencies, as after the update). Non-compliant trails must be MANDATORY violations naming their URN;
compliant trails must raise no mandatory violation at all.
"""

from __future__ import annotations

from pathlib import Path

import pytest

from compliant_cloudtrail.check.analyzer_client import AnalyzerClient, AnalyzeResult
from compliant_cloudtrail.check.mock_runtime import RegisteredResource, run_program

from .conftest import EXAMPLES, ROOT

DELIVERY = "cloudtrail-trail-deliver-to-cloudwatch-logs"
TRAIL_TYPES = {"aws:cloudtrail/trail:Trail", "aws-native:cloudtrail:Trail"}

# example -> (non-compliant trail names after `pulumi up`, non-compliant trail names in a first preview)
# In a first preview a log group ARN computed from the log group is unknown: the pack stays silent on
# it and judges it when `pulumi up` registers the trail with the real value.
EXPECTED: dict[str, tuple[set[str], set[str]]] = {
    "bare-trail": ({"bare"}, {"bare"}),
    "trail-arn-without-wildcard": ({"no-wildcard"}, set()),
    "trail-without-role": ({"no-role"}, {"no-role"}),
    "aws-native-trail": ({"native-bare"}, {"native-bare"}),
    "two-trails": ({"team-s3-only"}, {"team-s3-only"}),
    "hand-wired-compliant-trail": (set(), set()),
}


def analyse(pack: AnalyzerClient, records: list[RegisteredResource]) -> AnalyzeResult:
    return pack.analyze_each(records) + pack.analyze_stack(records)


def assert_verdict(records: list[RegisteredResource], result: AnalyzeResult, bad_names: set[str]) -> None:
    trails = {r.name: r for r in records if r.type in TRAIL_TYPES}
    assert bad_names <= set(trails), f"expected trails {bad_names} not registered: {sorted(trails)}"
    mandatory = {(d.policy_name, d.urn) for d in result.mandatory}
    expected = {(DELIVERY, trails[name].urn) for name in bad_names}
    assert mandatory == expected, "\n".join(d.message for d in result.mandatory)
    for name in set(trails) - bad_names:  # compliant trails: nothing mandatory from any policy
        assert not [d for d in result.mandatory if d.urn == trails[name].urn]


def test_every_example_is_covered() -> None:
    assert {p.name for p in EXAMPLES.iterdir() if (p / "Pulumi.yaml").exists()} == set(EXPECTED)


@pytest.mark.parametrize("example", sorted(EXPECTED))
def test_example_after_update(pack: AnalyzerClient, example: str) -> None:
    records = run_program(EXAMPLES / example)
    assert_verdict(records, analyse(pack, records), EXPECTED[example][0])


@pytest.mark.parametrize("example", sorted(EXPECTED))
def test_example_in_preview(pack: AnalyzerClient, example: str) -> None:
    records = run_program(EXAMPLES / example, preview=True)
    result = analyse(pack, records)
    assert_verdict(records, result, EXPECTED[example][1])
    # unknowns are never an error: no "can't run policy during preview" advisories either
    assert not [d for d in result.diagnostics if "during preview" in d.message]


def test_aws_native_trail_registers_the_native_token_and_props() -> None:
    records = run_program(EXAMPLES / "aws-native-trail")
    native = {r.name: r for r in records if r.type == "aws-native:cloudtrail:Trail"}
    assert set(native) == {"native-compliant", "native-bare"}
    props = native["native-compliant"].inputs
    assert props["cloudWatchLogsLogGroupArn"].endswith(":*")
    assert props["cloudWatchLogsRoleArn"].startswith("arn:aws:iam::123456789012:role/")
    assert "cloudWatchLogsLogGroupArn" not in native["native-bare"].inputs


def test_hand_wired_trail_depends_on_its_policies() -> None:
    records = run_program(EXAMPLES / "hand-wired-compliant-trail")
    by_name = {(r.type, r.name): r for r in records}
    trail = by_name[("aws:cloudtrail/trail:Trail", "audit")]
    assert by_name[("aws:s3/bucketPolicy:BucketPolicy", "trail-logs")].urn in trail.dependencies
    assert by_name[("aws:iam/rolePolicy:RolePolicy", "trail-to-logs")].urn in trail.dependencies
    # the stack config's region and trail name reach the ARN the bucket policy pins
    assert trail.outputs["arn"] == "arn:aws:cloudtrail:eu-west-1:123456789012:trail/org-audit"
    assert (
        "arn:aws:cloudtrail:eu-west-1:123456789012:trail/org-audit"
        in (by_name[("aws:s3/bucketPolicy:BucketPolicy", "trail-logs")].inputs["policy"])
    )


ROOT_PROGRAM = ROOT / "__main__.py"


@pytest.mark.skipif(not ROOT_PROGRAM.exists(), reason="the root example stack (__main__.py) is not there yet")
@pytest.mark.parametrize("preview", [False, True], ids=["update", "preview"])
def test_root_example_stack_is_accepted(pack: AnalyzerClient, preview: bool) -> None:
    records = run_program(ROOT, preview=preview)
    trails = [r for r in records if r.type in TRAIL_TYPES]
    assert trails, "the root stack registers no trail"
    result = analyse(pack, records)
    assert result.mandatory == [], "\n".join(d.message for d in result.mandatory)


def test_a_broken_example_is_caught(pack: AnalyzerClient, tmp_path: Path) -> None:
    """The verdict check itself fails when a trail the test calls compliant is not (guards the guard)."""
    (tmp_path / "Pulumi.yaml").write_text("name: sneaky\nruntime: python\n")
    (tmp_path / "__main__.py").write_text(
        "import pulumi_aws as aws\n"
        "lg = aws.cloudwatch.LogGroup('lg')\n"
        "aws.cloudtrail.Trail('looks-fine', s3_bucket_name='b', cloud_watch_logs_group_arn=lg.arn)\n"
    )
    records = run_program(tmp_path)
    with pytest.raises(AssertionError):
        assert_verdict(records, analyse(pack, records), set())
    assert_verdict(records, analyse(pack, records), {"looks-fine"})
