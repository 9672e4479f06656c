"""``--config`` values, and the script target."""

from __future__ import annotations

import argparse
import os
from typing import Any

import pytest

from compliant_cloudtrail.check.__main__ import config_pair

from .conftest import EXAMPLES, ROOT, check


@pytest.mark.parametrize(
    ("text", "expected"),
    [
        ('alarmEmails=["a@example.com"]', ("alarmEmails", ["a@example.com"])),
        ("organizationTrail=true", ("organizationTrail", True)),
        ("retentionInDays=365", ("retentionInDays", 365)),
        ("trailName=audit", ("trailName", "audit")),  # not JSON: the plain string
        ('trailName="audit"', ("trailName", "audit")),
        ("s3KeyPrefix=a=b", ("s3KeyPrefix", "a=b")),  # only the first = splits
        ("aws:region=eu-west-1", ("aws:region", "eu-west-1")),
        ("trailName=", ("trailName", "")),
    ],
)
def test_config_values_try_json_first(text: str, expected: tuple[str, Any]) -> None:
    assert config_pair(text) == expected


@pytest.mark.parametrize("text", ["novalue", "=value", " =1"])
def test_config_needs_a_key_and_an_equals_sign(text: str) -> None:
    with pytest.raises(argparse.ArgumentTypeError, match="key=value"):
        config_pair(text)


def test_script_runs_the_command_from_any_directory() -> None:
    script = ROOT / "scripts" / "check.sh"
    assert os.access(script, os.X_OK), f"{script} is not executable"
    # a relative program directory is the caller's, not the repository's
    run = check("bare-trail", "--json", cwd=EXAMPLES, command=[str(script)])
    assert run.code == 1, run.describe()
    assert run.json()["program"] == str(EXAMPLES / "bare-trail"), run.describe()
