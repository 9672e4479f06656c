"""``cloudtrail-check --state FILE``: a deployed stack judged from its export, exit codes as for a program."""

from __future__ import annotations

import json
from pathlib import Path

from .cli_runs import check
from .exports import (
    AWS_TRAIL,
    DELIVERY,
    EXAMPLE_STACK,
    ciphertext,
    export,
    log_group_arn,
    provider,
    resource,
    role_arn,
    stack_resource,
    write,
)


def trail_export(tmp_path: Path, **props: object) -> tuple[Path, str]:
    prov = provider()
    inputs = {
        "name": "audit",
        "s3BucketName": "logs",
        "cloudWatchLogsGroupArn": log_group_arn("g") + ":*",
        "cloudWatchLogsRoleArn": role_arn("r"),
        **props,
    }
    trail = resource(AWS_TRAIL, "audit", {k: v for k, v in inputs.items() if v is not None}, prov=prov)
    return write(tmp_path / "export.json", export([stack_resource(), prov, trail])), trail["urn"]


def test_the_example_stack_export_passes_with_exit_0() -> None:
    run = check("--state", EXAMPLE_STACK, "--json", "--no-progress")
    assert run.code == 0, run.describe()
    report = json.loads(run.stdout)
    raw = json.loads(EXAMPLE_STACK.read_text())["deployment"]["resources"]
    assert (report["project"], report["stack"]) == ("compliant-cloudtrail", "dev")
    assert report["resources_checked"] == len(raw)
    assert report["passed"] is True


def test_a_trail_without_cloudwatch_logs_exits_1_naming_it(tmp_path: Path) -> None:
    path, trail_urn = trail_export(tmp_path, cloudWatchLogsGroupArn=None, cloudWatchLogsRoleArn=None)
    run = check("--state", path, "--json")
    assert run.code == 1, run.describe()
    report = json.loads(run.stdout)
    assert (report["project"], report["stack"]) == ("audit", "prod")  # from the URNs, not --stack's default
    mandatory = [v for v in report["violations"] if v["level"] == "mandatory"]
    assert [(v["policy"], v["urn"]) for v in mandatory] == [(DELIVERY, trail_urn)]


def test_encrypted_secrets_are_unknown_so_the_trail_is_not_judged_and_the_report_says_how_to_judge_it(
    tmp_path: Path,
) -> None:
    # Issue 16: a mandatory property unknown outside a preview is NOT JUDGED (exit 2), never passed.
    path, _ = trail_export(tmp_path, cloudWatchLogsGroupArn=ciphertext())
    run = check("--state", path)
    assert run.code == 2, run.describe()
    # the resource helper copies inputs to outputs: the same encrypted value in each bag
    assert "2 secret value(s) are encrypted" in run.stdout and "--show-secrets" in run.stdout, run.stdout
    assert f"judged the deployed stack in {path}" in run.stdout
    assert "NOT JUDGED" in run.stdout and "NOT JUDGED" in run.stderr.strip().splitlines()[-1], run.describe()


def test_a_malformed_export_exits_2_with_one_line_and_no_traceback(tmp_path: Path) -> None:
    path = write(tmp_path / "export.json", {"version": 2, "deployment": {}})
    run = check("--state", path)
    assert run.code == 2, run.describe()
    assert run.stderr.strip().splitlines() == [
        f"cloudtrail-check: error: state file {path}: deployment version 2 is older than this reader supports "
        "(versions 3 and 4); export the stack again with a current Pulumi CLI"
    ]


def test_state_and_a_program_together_or_program_options_are_usage_errors(tmp_path: Path) -> None:
    path, _ = trail_export(tmp_path)
    both = check(".", "--state", path)
    assert both.code == 2 and "one of them" in both.stderr, both.describe()
    preview = check("--state", path, "--preview")
    assert preview.code == 2 and "--preview: only for a program" in preview.stderr, preview.describe()
