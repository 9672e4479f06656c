"""``--policy-pack-config``, ``--mocks`` and ``--stack-reference`` files the review found crash the check, and
``--mocks`` ``args: []``, which answered every call of its token. Each is one InputError on one line naming the
file; the valid forms still load.

Policy config rules: pulumi/pulumi pkg/resource/analyzer/config.go (``LoadPolicyPackConfigFromFile`` reads the
bytes with os.ReadFile and Go's JSON decoder, which refuses a BOM; ``parsePolicyPackConfig`` takes empty content as
no config).
"""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from compliant_cloudtrail.check.engine.invokes import MockAnswer, load_mock_answers
from compliant_cloudtrail.check.engine.stack_references import load_stack_reference
from compliant_cloudtrail.check.inputs import InputError
from compliant_cloudtrail.check.policy_config import PolicyConfigError, load_policy_config_file

from .hostile import DEV_ZERO, assert_one_line, billion_laughs, deep_json, deep_yaml, fifo, no_hang

DELIVERY = "cloudtrail-trail-deliver-to-cloudwatch-logs"


def write(tmp_path: Path, name: str, content: str | bytes) -> Path:
    path = tmp_path / name
    path.write_bytes(content.encode() if isinstance(content, str) else content)
    return path


# --- --policy-pack-config ----------------------------------------------------------------------------------------
def config_error(path: Path) -> PolicyConfigError:
    with pytest.raises(PolicyConfigError) as caught:
        load_policy_config_file(path)
    assert isinstance(caught.value, InputError)
    return caught.value


@pytest.mark.parametrize(
    "content, words",
    [
        ('{"all": ' + "9" * 5000 + "}", "integers up to 4300 digits"),
        (deep_json(100_000), "nested more than"),
        (b"\xa2\x01binary", "not UTF-8 text"),
        (b'\xef\xbb\xbf{"all": "mandatory"}', "byte-order mark"),
        ('{"all": NaN}', "NaN is not JSON"),
        ("[]", "must be a JSON object of policy names, not array"),
        ('{"all": "MANDATORY"}', '"MANDATORY" is not a valid enforcement level'),
    ],
    ids=["5000-digits", "nested-100k", "binary", "bom", "nan", "list", "level-case"],
)
def test_a_policy_config_file_that_cannot_be_used_is_one_line(tmp_path: Path, content: str | bytes, words: str) -> None:
    path = write(tmp_path, "policy.json", content)
    assert_one_line(config_error(path), f"policy pack config {path}", words)


def test_a_policy_name_with_a_newline_is_named_on_one_line(tmp_path: Path) -> None:
    """Found by the fuzzer: the CLI's "parsing \"<key>\"" wording quoted the key's newline into the message."""
    path = write(tmp_path, "policy.json", '{"all\\nmandatory": null}')
    assert_one_line(config_error(path), path, 'parsing "all\\nmandatory": null is not a valid value')


def test_dev_zero_as_policy_config_is_refused() -> None:
    assert_one_line(config_error(DEV_ZERO), DEV_ZERO, "a character device, not a regular file")


def test_a_fifo_as_policy_config_is_refused_without_blocking(tmp_path: Path) -> None:
    path = fifo(tmp_path / "policy.json")
    with no_hang():
        error = config_error(path)
    assert_one_line(error, path, "a FIFO")


def test_a_valid_policy_config_file_loads_and_an_empty_one_is_no_config(tmp_path: Path) -> None:
    config = {"all": "advisory", DELIVERY: {"enforcementLevel": "mandatory", "quoteValues": False}}
    assert load_policy_config_file(write(tmp_path, "p.json", json.dumps(config))) == config
    assert load_policy_config_file(write(tmp_path, "empty.json", " \n")) == {}


# --- --mocks ---------------------------------------------------------------------------------------------------
def mocks_error(path: Path) -> InputError:
    with pytest.raises(InputError) as caught:
        load_mock_answers(path)
    return caught.value


@pytest.mark.parametrize("args, kind", [("[]", "a list"), ('"x"', "a string"), ("5", "a number")])
def test_mock_args_that_are_not_an_object_are_refused(tmp_path: Path, args: str, kind: str) -> None:
    path = write(
        tmp_path, "mocks.json", f'[{{"token": "aws:index/getRegion:getRegion", "args": {args}, "result": {{}}}}]'
    )
    assert_one_line(mocks_error(path), path, "(--mocks)", "'args' must be an object", f"not {kind}")


@pytest.mark.parametrize(
    "name, content, words",
    [
        ("mocks.json", deep_json(100_000), "nested more than"),
        ("mocks.yaml", deep_yaml(100_000), "nested more than"),
        ("mocks.yaml", billion_laughs() + "invokes:\n- token: t\n  result: {x: *a8}\n", "alias bomb"),
        ("mocks.yaml", b"\x8c\x00", "not UTF-8 text"),
        ("mocks.json", '[{"token": "t", "error": 5}]', "'error' must be a string"),
    ],
    ids=["json-nested-100k", "yaml-nested-100k", "billion-laughs", "binary", "error-not-a-string"],
)
def test_a_mocks_file_that_cannot_be_used_is_one_line(tmp_path: Path, name: str, content: str, words: str) -> None:
    path = write(tmp_path, name, content)
    assert_one_line(mocks_error(path), path, "mocks file", words)


def test_dev_zero_as_mocks_is_refused() -> None:
    assert_one_line(mocks_error(DEV_ZERO), DEV_ZERO, "a character device")


def test_valid_mocks_load_in_both_forms(tmp_path: Path) -> None:
    token = "aws:index/getRegion:getRegion"
    as_json = write(tmp_path, "m.json", json.dumps([{"token": token, "args": {"id": "x"}, "result": {"name": "x"}}]))
    as_yaml = write(tmp_path, "m.yaml", f"invokes:\n- token: {token}\n  args: {{id: x}}\n  result: {{name: x}}\n")
    expected = [MockAnswer(token, {"id": "x"}, {"name": "x"})]
    assert load_mock_answers(as_json) == expected == load_mock_answers(as_yaml)
    no_args = write(tmp_path, "n.json", json.dumps([{"token": token, "args": None, "error": "denied"}]))
    assert load_mock_answers(no_args) == [MockAnswer(token, {}, None, "denied")]


# --- --stack-reference ------------------------------------------------------------------------------------------
def reference_error(path: Path) -> InputError:
    with pytest.raises(InputError) as caught:
        load_stack_reference(path, "org/net/prod")
    return caught.value


@pytest.mark.parametrize(
    "content, words",
    [(deep_json(100_000), "nested more than"), (b"\xff", "not UTF-8 text"), ("[1]", "expected the JSON object")],
    ids=["nested-100k", "binary", "list"],
)
def test_a_stack_reference_file_that_cannot_be_used_is_one_line(tmp_path: Path, content: str, words: str) -> None:
    path = write(tmp_path, "net.json", content)
    assert_one_line(reference_error(path), path, "stack reference org/net/prod", "(--stack-reference)", words)


def test_dev_zero_as_a_stack_reference_is_refused() -> None:
    assert_one_line(reference_error(DEV_ZERO), DEV_ZERO, "a character device")


def test_a_valid_stack_reference_file_loads(tmp_path: Path) -> None:
    outputs = {"logGroupArn": "arn:aws:logs:eu-west-1:123456789012:log-group:trail", "secret": "[secret]"}
    assert load_stack_reference(write(tmp_path, "net.json", json.dumps(outputs)), "org/net/prod") == outputs
