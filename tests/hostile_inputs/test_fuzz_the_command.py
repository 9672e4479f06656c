"""Hypothesis through the command itself: whatever export, policy config or stack file it is given, the check ends
as its contract says (issue 17): exit 0, 1 or 2; on 2 exactly one ``cloudtrail-check: error:`` line on stderr and
with ``--json`` one JSON object on stdout; never a traceback.

Each example runs the real check (the pack included), so the short run here is a handful of examples;
``FUZZ_COMMAND_EXAMPLES`` (``scripts/fuzz-inputs.sh`` sets it) runs more.
"""

from __future__ import annotations

import json
import os
import sys
import tempfile
from pathlib import Path
from typing import Any
from unittest import mock

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from compliant_cloudtrail.check import __main__ as command

from .test_fuzz_inputs import mutated_exports

FUZZ_COMMAND = settings(
    max_examples=int(os.environ.get("FUZZ_COMMAND_EXAMPLES", "6")),
    deadline=None,
    suppress_health_check=[HealthCheck.too_slow, HealthCheck.data_too_large, HealthCheck.function_scoped_fixture],
)


def ends_by_the_contract(code: int, out: str, err: str, as_json: bool) -> None:
    assert code in (0, 1, 2), (code, err[-2000:])
    assert "Traceback" not in err, err[-4000:]
    if code == 2:
        error_lines = [line for line in err.strip().splitlines() if line.startswith("cloudtrail-check: error: ")]
        assert len(error_lines) == 1 and err.strip().splitlines()[-1] == error_lines[0], err[-2000:]
    if as_json:
        assert isinstance(json.loads(out), dict), out[:500]


def _write(folder: str, name: str, data: Any) -> Path:
    path = Path(folder) / name
    path.write_text(data if isinstance(data, str) else json.dumps(data, allow_nan=True))
    return path


@FUZZ_COMMAND
@given(data=mutated_exports(), as_json=st.booleans())
def test_any_export_ends_by_the_contract(capsys: pytest.CaptureFixture[str], data: Any, as_json: bool) -> None:
    with tempfile.TemporaryDirectory() as folder:
        path = _write(folder, "export.json", data)
        code = command.main(["--state", str(path), "--no-progress", *(["--json"] if as_json else [])])
    out, err = capsys.readouterr()
    ends_by_the_contract(code, out, err, as_json)


DELIVERY = "cloudtrail-trail-deliver-to-cloudwatch-logs"
POLICY_KEYS = st.text(max_size=8) | st.sampled_from(["all", "enforcementLevel", DELIVERY])
POLICY_CONFIGS = st.recursive(
    st.none() | st.booleans() | st.integers() | st.floats() | st.text(max_size=12)
    | st.sampled_from(["mandatory", "advisory", "disabled", "remediate", "all",
                       "cloudtrail-trail-deliver-to-cloudwatch-logs", "exemptTrailNames", "quoteValues"]),
    lambda inner: st.lists(inner, max_size=3) | st.dictionaries(POLICY_KEYS, inner, max_size=3),
    max_leaves=8,
)  # fmt: skip


@FUZZ_COMMAND
@given(config=POLICY_CONFIGS)
def test_any_policy_config_ends_by_the_contract(capsys: pytest.CaptureFixture[str], config: Any) -> None:
    from tests.state.exports import EXAMPLE_STACK

    with tempfile.TemporaryDirectory() as folder:
        path = _write(folder, "policy-config.json", config)
        code = command.main(["--state", str(EXAMPLE_STACK), "--policy-pack-config", str(path), "--no-progress"])
    out, err = capsys.readouterr()
    ends_by_the_contract(code, out, err, False)


STACK_FILE_TEXT = st.text(max_size=200) | st.builds(
    lambda values: "config:\n" + "".join(f"  {k}: {json.dumps(v)}\n" for k, v in values.items()),
    st.dictionaries(st.text(min_size=1, max_size=10) | st.sampled_from(["aws:region", "p:secret", "p:x"]),
                    st.none() | st.integers() | st.text(max_size=10)
                    | st.fixed_dictionaries({"secure": st.integers() | st.text(max_size=5)}), max_size=4),
)  # fmt: skip


@FUZZ_COMMAND
@given(text=STACK_FILE_TEXT)
def test_any_stack_file_ends_by_the_contract(capsys: pytest.CaptureFixture[str], text: str) -> None:
    with tempfile.TemporaryDirectory() as folder:
        (Path(folder) / "Pulumi.yaml").write_text("name: p\nruntime: python\n")
        (Path(folder) / "__main__.py").write_text("import pulumi\npulumi.export('ok', True)\n")
        (Path(folder) / "Pulumi.dev.yaml").write_text(text)
        # The program runs on this test's Python, which has the Pulumi SDK (as the CLI would with PULUMI_PYTHON_CMD).
        with mock.patch.dict(os.environ, {"PULUMI_PYTHON_CMD": sys.executable}):
            code = command.main([folder, "--no-progress", "--timeout", "60"])
    out, err = capsys.readouterr()
    ends_by_the_contract(code, out, err, False)
