"""Pulumi.yaml and Pulumi.<stack>.yaml that the review found crash the check or that the Pulumi CLI refuses, and the
CLI's names: stack names (tokens.ParseStackName, sdk/go/common/tokens/stack_name.go) and config keys
(config.ParseKey, sdk/go/common/resource/config/key.go). Each is one ConfigError (an InputError) on one line."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from compliant_cloudtrail.check.inputs import InputError
from compliant_cloudtrail.check.project import (
    SECRET_PLACEHOLDER,
    ConfigError,
    build_config,
    load_project,
    program_strings,
    validate_config_key,
    validate_stack_name,
)

from .hostile import assert_one_line, billion_laughs, fifo, no_hang

PROJECT = "name: audit\nruntime: python\n"


def program(tmp_path: Path, project: str | bytes = PROJECT, stack: str | bytes | None = None) -> Path:
    (tmp_path / "Pulumi.yaml").write_bytes(project.encode() if isinstance(project, str) else project)
    if stack is not None:
        (tmp_path / "Pulumi.dev.yaml").write_bytes(stack.encode() if isinstance(stack, str) else stack)
    (tmp_path / "__main__.py").write_text("")
    return tmp_path


def load_error(tmp_path: Path, overrides: dict[str, str] | None = None, stack: str = "dev") -> ConfigError:
    with pytest.raises(ConfigError) as caught:
        build_config(load_project(tmp_path), stack, overrides or {})
    assert isinstance(caught.value, InputError)
    return caught.value


# --- the baseline both ways -----------------------------------------------------------------------------
def test_a_valid_project_and_stack_file_load(tmp_path: Path) -> None:
    project = PROJECT + "runtime:\n  name: python\n  options: {toolchain: pip}\nconfig:\n  retention: {type: integer}\n"
    stack = "config:\n  audit:retention: 365\n  aws:region: eu-west-1\n  audit:token: {secure: v1:abc}\n"
    root = program(tmp_path, project.replace("runtime: python\n", ""), stack)
    loaded = load_project(root)
    config = build_config(loaded, "dev", {"aws:profile": "ci"})
    assert loaded.options == {"toolchain": "pip"}
    assert config.values == {
        "audit:retention": 365,
        "aws:region": "eu-west-1",
        "audit:token": SECRET_PLACEHOLDER,
        "aws:profile": "ci",
    }
    assert config.secret_keys == ["audit:token"]


# --- Pulumi.yaml ------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "content",
    [bytes(range(256)) * 4, b"name: audit\nruntime: python\n# caf\xe9\n"],
    ids=["random-bytes", "invalid-utf8-in-a-comment"],
)
def test_a_project_file_that_is_not_utf8_is_refused(tmp_path: Path, content: bytes) -> None:
    root = program(tmp_path, content)
    with pytest.raises(ConfigError) as caught:
        load_project(root)
    assert_one_line(caught.value, root / "Pulumi.yaml", "project file", "not UTF-8 text", "save it as UTF-8")


@pytest.mark.parametrize("options, kind", [("[1, 2]", "a list"), ("abc", "a string")], ids=["list", "string"])
def test_runtime_options_that_are_not_a_mapping_are_refused(tmp_path: Path, options: str, kind: str) -> None:
    root = program(tmp_path, f"name: audit\nruntime:\n  name: python\n  options: {options}\n")
    with pytest.raises(ConfigError) as caught:
        load_project(root)
    assert_one_line(caught.value, root / "Pulumi.yaml", "runtime.options must be a mapping", f"not {kind}")


def test_main_with_a_nul_byte_is_refused(tmp_path: Path) -> None:
    root = program(tmp_path, PROJECT + 'main: "src\\0evil"\n')
    with pytest.raises(ConfigError) as caught:
        load_project(root)
    assert_one_line(caught.value, root / "Pulumi.yaml", "holds a NUL byte", "relative to the project")


def test_main_naming_a_folder_of_the_project_is_its_working_directory(tmp_path: Path) -> None:
    root = program(tmp_path, PROJECT + "main: src/\n")
    (root / "src").mkdir()
    assert load_project(root).pwd == (root / "src").resolve()


def test_a_billion_laughs_as_a_config_default_is_refused(tmp_path: Path) -> None:
    root = program(tmp_path, PROJECT + billion_laughs() + "config:\n  bomb:\n    default: *a8\n")
    with pytest.raises(ConfigError) as caught:
        load_project(root)
    assert_one_line(caught.value, root / "Pulumi.yaml", "aliases expand it", "alias bomb")


def test_a_fifo_as_pulumi_yaml_is_refused_without_blocking(tmp_path: Path) -> None:
    fifo(tmp_path / "Pulumi.yaml")
    with no_hang(), pytest.raises(ConfigError) as caught:
        load_project(tmp_path)
    assert_one_line(caught.value, tmp_path / "Pulumi.yaml", "a FIFO")


def test_declared_config_type_is_checked_after_config_overrides(tmp_path: Path) -> None:
    root = program(tmp_path, PROJECT + "config:\n  retention:\n    type: integer\n    default: 365\n")
    error = load_error(root, {"retention": "[1]"})  # a string that is not an integer
    assert_one_line(error, "'retention'", "Stack 'dev' with configuration key 'retention' must be of type 'integer'")
    listed = load_error(root, {"audit:retention": [1]})  # type: ignore[dict-item]
    assert "must be of type 'integer'" in str(listed)
    assert build_config(load_project(root), "dev", {"retention": "400"}).values["audit:retention"] == "400"


# --- Pulumi.<stack>.yaml ----------------------------------------------------------------------------------
def test_a_stack_file_whose_config_is_a_list_is_refused(tmp_path: Path) -> None:
    root = program(tmp_path, stack="config: [1, 2]\n")
    assert_one_line(load_error(root), root / "Pulumi.dev.yaml", "'config' must be a mapping", "not a list")


def test_a_stack_file_that_is_not_utf8_is_refused(tmp_path: Path) -> None:
    root = program(tmp_path, stack=b"config:\n  audit:x: \xff\n")
    assert_one_line(load_error(root), root / "Pulumi.dev.yaml", "stack file", "not UTF-8 text")


def test_a_billion_laughs_as_a_stack_config_value_is_refused(tmp_path: Path) -> None:
    root = program(tmp_path, stack=billion_laughs() + "config:\n  audit:bomb: *a8\n")
    assert_one_line(load_error(root), root / "Pulumi.dev.yaml", "aliases expand it")


@pytest.mark.parametrize("value, kind", [("5", "a number"), ("[a]", "a list"), ("{a: b}", "dict")])
def test_a_secure_value_that_is_not_a_string_is_refused(tmp_path: Path, value: str, kind: str) -> None:
    root = program(tmp_path, stack=f"config:\n  audit:token:\n    secure: {value}\n")
    assert_one_line(
        load_error(root), root / "Pulumi.dev.yaml", "audit:token", 'single key "secure" are reserved', f"not {kind}"
    )


def test_a_stack_file_key_the_cli_cannot_parse_is_refused(tmp_path: Path) -> None:
    root = program(tmp_path, stack="config:\n  a:b:c: 1\n")
    assert_one_line(load_error(root), root / "Pulumi.dev.yaml", "could not parse a:b:c as a configuration key")


def test_the_old_config_module_form_of_a_key_is_read_as_the_cli_reads_it(tmp_path: Path) -> None:
    root = program(tmp_path, stack="config:\n  aws:config:region: eu-west-1\n")
    assert build_config(load_project(root), "dev", {}).values == {"aws:region": "eu-west-1"}


def test_yaml_dates_reach_the_program_as_the_text_written(tmp_path: Path) -> None:
    """PyYAML would build a datetime.date, which json.dumps (the program's config strings) cannot encode."""
    root = program(tmp_path, stack="config:\n  audit:since: 2026-12-05\n")
    config = build_config(load_project(root), "dev", {})
    assert program_strings(config.values) == {"audit:since": "2026-12-05"}
    assert json.loads(json.dumps(program_strings(config.values)))


# --- stack names and config keys ------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "name, reason",
    [
        ("../../x", "invalid character '/' at position 2"),
        ("dev\nprod", "invalid character '\\n' at position 3"),
        ("", "a stack name may not be empty"),
        ("x" * 101, "a stack name cannot exceed 100 characters"),
        ("d\u00e9v", "invalid character '\u00c3' at position 1"),
        ("org/audit/dev", "invalid character '/' at position 3"),
    ],
    ids=["path", "newline", "empty", "101-chars", "non-ascii", "qualified"],
)
def test_a_stack_name_the_cli_refuses_is_refused_with_its_reason(name: str, reason: str) -> None:
    with pytest.raises(ConfigError) as caught:
        validate_stack_name(name)
    assert_one_line(caught.value, "stack name", reason)


@pytest.mark.parametrize("name", ["dev", "prod-eu_1.2", "x" * 100, "...", "A"])
def test_a_stack_name_the_cli_takes_is_taken(name: str) -> None:
    validate_stack_name(name)


def test_a_stack_name_with_a_path_never_becomes_a_file_path(tmp_path: Path) -> None:
    inner = tmp_path / "p"
    inner.mkdir()
    program(inner)
    (tmp_path / "Pulumi.x.yaml").write_text("config:\n  audit:leak: 1\n")  # what "../x" would have read
    error = load_error(inner, stack="../x")
    assert "invalid character '/'" in str(error) and "\n" not in str(error)


@pytest.mark.parametrize(
    "key, words",
    [
        ("a:b:c", "could not parse a:b:c as a configuration key"),
        ("aws:region:x", "configuration keys should be of the form `<namespace>:<name>`"),
        ("team\nname", "holds a control character"),
    ],
    ids=["two-colons", "not-config-module", "newline"],
)
def test_a_config_key_the_cli_refuses_is_refused(key: str, words: str) -> None:
    with pytest.raises(ConfigError) as caught:
        validate_config_key(key)
    assert_one_line(caught.value, "configuration key", words)


@pytest.mark.parametrize("key", ["region", "aws:region", "aws:config:region", "audit:a.b", "audit:"])
def test_a_config_key_the_cli_takes_is_taken(key: str) -> None:
    validate_config_key(key)


def test_a_config_override_with_a_bad_key_is_refused_by_build_config(tmp_path: Path) -> None:
    root = program(tmp_path)
    assert "could not parse a:b:c" in str(load_error(root, {"a:b:c": "1"}))
