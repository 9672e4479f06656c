"""Secret values never leave the check in plaintext (security review M2, L5; issue 16 item 5): from an export's
secrets, from ``Output.secret`` in a program and from ``--secret-config``, in the text and JSON reports alike."""

from __future__ import annotations

import json
import os
from collections.abc import Callable
from pathlib import Path

import pytest

from tests.state.exports import AWS_TRAIL, export, plaintext, provider, resource, stack_resource, write

from .conftest import CHECK, ENV, ROOT, run_check

# Malformed on purpose: the policies quote a malformed value to say what is wrong with it.
SECRET_GROUP, SECRET_ROLE, SECRET_KEY = "TOPSECRET-LOGGROUP", "TOPSECRET-ROLE", "TOPSECRET-KMS-KEY-MATERIAL"


# Messages that quote a *piece* of a value ("is an IAM <name> ARN", "points at a \"<name>\""): re-running the review
# leaked those pieces of secrets.
PIECE_ROLE = "arn:aws:iam::123456789012:TOPSECRET-ROLE-PIECE"
PIECE_GROUP = "arn:aws:logs:us-east-1:123456789012:TOPSECRET-GROUP-PIECE"


@pytest.mark.parametrize("as_json", [False, True], ids=["text", "json"])
def test_pieces_of_secrets_that_messages_quote_are_shown_as_secret(tmp_path: Path, as_json: bool) -> None:
    prov = provider()
    trail = resource(AWS_TRAIL, "audit", {
        "name": "audit", "s3BucketName": "logs", "cloudWatchLogsGroupArn": plaintext(PIECE_GROUP),
        "cloudWatchLogsRoleArn": plaintext(PIECE_ROLE),
    }, prov=prov)  # fmt: skip
    path = write(tmp_path / "export.json", export([stack_resource(), prov, trail]))
    done = run_check("--state", path, "--no-progress", *(["--json"] if as_json else []))
    assert done.code == 1, done.describe()
    assert "TOPSECRET" not in done.stdout + done.stderr, done.describe()
    # What gives the ARN its shape stays readable: the message still says what is wrong.
    assert "an IAM [secret] ARN" in done.stdout and "not at a log group" in done.stdout, done.stdout


@pytest.mark.parametrize("as_json", [False, True], ids=["text", "json"])
def test_secrets_in_an_export_are_shown_as_secret(tmp_path: Path, as_json: bool) -> None:
    prov = provider()
    trail = resource(AWS_TRAIL, "audit", {
        "name": "audit", "s3BucketName": "logs", "cloudWatchLogsGroupArn": plaintext(SECRET_GROUP),
        "cloudWatchLogsRoleArn": plaintext(SECRET_ROLE), "kmsKeyId": plaintext(SECRET_KEY),
    }, prov=prov)  # fmt: skip
    path = write(tmp_path / "export.json", export([stack_resource(), prov, trail]))
    done = run_check("--state", path, "--no-progress", *(["--json"] if as_json else []))
    assert done.code == 1, done.describe()  # judged on the real values: they are malformed
    assert "TOPSECRET" not in done.stdout + done.stderr, done.describe()
    assert "[secret]" in done.stdout, done.describe()


def test_output_secret_values_in_a_program_are_shown_as_secret(write_program: Callable[..., Path]) -> None:
    program = write_program("secret-outputs", f'''
import pulumi, pulumi_aws as aws
aws.cloudtrail.Trail("t", s3_bucket_name="b", kms_key_id=pulumi.Output.secret("{SECRET_KEY}"),
                     cloud_watch_logs_group_arn=pulumi.Output.secret("{SECRET_GROUP}"),
                     cloud_watch_logs_role_arn=pulumi.Output.secret("{SECRET_ROLE}"))
''')
    for flags in ([], ["--json"]):
        done = run_check(program, "--no-progress", *flags)
        assert done.code == 1 and "TOPSECRET" not in done.stdout + done.stderr, done.describe()
        assert "[secret]" in done.stdout, done.describe()


SECURE_CONFIG_PROGRAM = '''
import pulumi, pulumi_aws as aws
config = pulumi.Config()
aws.cloudtrail.Trail("t", s3_bucket_name="b",
                     cloud_watch_logs_group_arn=config.require_secret("logGroupArn"),
                     cloud_watch_logs_role_arn="arn:aws:iam::123456789012:role/trail-to-logs")
'''


def test_an_encrypted_config_value_is_named_in_a_note_and_can_be_given_as_a_secret(
    write_program: Callable[..., Path], tmp_path: Path
) -> None:
    program = write_program("secure-config", SECURE_CONFIG_PROGRAM)
    (program / "Pulumi.dev.yaml").write_text("config:\n  secure-config:logGroupArn:\n    secure: v1:AAAA:BBBB\n")
    done = run_check(program, "--no-progress")
    # The program got the placeholder, which is no ARN: the violation is reported, and the note says why.
    assert done.code == 1, done.describe()
    assert "secure-config:logGroupArn cannot be decrypted offline" in done.stdout and "--secret-config" in done.stdout
    # Given through the environment, the value is judged (here: a log group ARN without its ":*") and never shown.
    secret_value = "arn:aws:logs:us-east-1:123456789012:log-group:TOPSECRETGROUP"
    env = {**ENV, "LOG_GROUP_ARN": secret_value}
    import subprocess

    for flags in ([], ["--json"]):
        given = subprocess.run([*CHECK, str(program), "--no-progress", "--secret-config", "logGroupArn=LOG_GROUP_ARN",
                                *flags], capture_output=True, text=True, env=env, cwd=ROOT, timeout=120)  # fmt: skip
        assert given.returncode == 1, given.stdout + given.stderr
        assert "TOPSECRETGROUP" not in given.stdout + given.stderr, given.stdout
        assert "cannot be decrypted offline" not in given.stdout, given.stdout
    assert "LOG_GROUP_ARN" not in os.environ  # the test did not leak it into its own environment either
    report = json.loads(given.stdout)
    assert any("[secret]" in v["message"] for v in report["violations"] if v["level"] == "mandatory"), report
