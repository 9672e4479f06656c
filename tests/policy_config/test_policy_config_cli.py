"""The command ends with exit 2, naming the policy, the property and why, for a config that does not fit.

Judged on a stack export (``--state``), so no program runs: the config is all these tests are about.
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from tests.state.cli_runs import check
from tests.state.exports import EXAMPLE_STACK

from .test_policy_config import DELIVERY, OWNER, REQUIRED_PACK, RETENTION


def with_config(tmp_path: Path, text: str, *more: str | Path) -> tuple[int, str, str]:
    config = tmp_path / "policy-config.json"
    config.write_text(text)
    run = check("--state", EXAMPLE_STACK, "--policy-pack-config", config, "--no-progress", *more)
    return run.code, run.stderr, run.stdout


TYPE = (
    f'{{"{RETENTION}": {{"minimumRetentionDays": "1000"}}}}',
    [RETENTION, "minimumRetentionDays", "Expected: integer"],
)
TYPO = (
    f'{{"{RETENTION}": {{"minimumRetentionDay": 1}}}}',
    [RETENTION, "minimumRetentionDay:", "minimumRetentionDays?"],
)
POLICY = ('{"cloudtrail-trail-deliver-to-cloudwatch-log": "mandatory"}', ["no such policy", f"did you mean {DELIVERY}"])
LEVEL = (f'{{"{DELIVERY}": {{"enforcementLevel": "blocking"}}}}', [DELIVERY, '"blocking" is not a valid enforcement'])


@pytest.mark.parametrize(
    "config, words",
    [TYPE, TYPO, POLICY, LEVEL],
    ids=["string-for-integer", "misspelled-property", "unknown-policy", "bad-level"],
)  # fmt: skip
def test_a_config_that_does_not_fit_exits_2_naming_policy_property_and_reason(
    tmp_path: Path, config: str, words: list[str]
) -> None:
    code, stderr, stdout = with_config(tmp_path, config)
    assert code == 2, stderr
    (line,) = stderr.strip().splitlines()
    assert line.startswith("cloudtrail-check: error: policy pack config "), line
    for word in words:
        assert word in line, line
    assert stdout == ""


def test_a_missing_required_property_exits_2(tmp_path: Path) -> None:
    code, stderr, _ = with_config(tmp_path, "{}", "--policy-pack", REQUIRED_PACK)
    assert code == 2, stderr
    assert f"{OWNER}: ownerTag is required" in stderr


def test_an_empty_file_is_no_config_as_for_the_cli(tmp_path: Path) -> None:
    code, stderr, stdout = with_config(tmp_path, "  \n")
    assert code == 0, stderr
    assert f"{DELIVERY} (mandatory)" in stdout


def test_the_shipped_example_config_runs(tmp_path: Path) -> None:
    example = (
        Path(__file__).resolve().parents[2] / "compliant_cloudtrail" / "policy_pack" / "policy-config.example.json"
    )
    code, stderr, stdout = with_config(tmp_path, example.read_text(), "--json")
    assert code == 0, stderr
    report = json.loads(stdout)
    # The example raises retention to mandatory (the pack's own level is advisory): the config took effect.
    assert {p["name"]: p["level"] for p in report["policies"]}[RETENTION] == "mandatory"
    assert report["mandatory"] == 0


def test_the_report_shows_each_policys_level_after_all_and_its_own_entry(tmp_path: Path) -> None:
    """As the CLI resolves levels (pkg/resource/analyzer/config.go): a policy's own entry, else "all", else the
    pack's default."""
    config = f'{{"all": "mandatory", "{RETENTION}": {{"enforcementLevel": "disabled"}}}}'
    _, stderr, stdout = with_config(tmp_path, config, "--json")
    levels = {p["name"]: p["level"] for p in json.loads(stdout)["policies"]}
    assert levels.pop(RETENTION) == "disabled", stderr
    assert set(levels.values()) == {"mandatory"}, levels


def test_a_bad_level_is_refused_before_the_stack_is_even_read(tmp_path: Path) -> None:
    config = tmp_path / "policy-config.json"
    config.write_text(LEVEL[0])
    run = check("--state", tmp_path / "no-such-export.json", "--policy-pack-config", config)
    assert run.code == 2, run.describe()
    assert '"blocking" is not a valid enforcement level' in run.stderr, run.stderr
