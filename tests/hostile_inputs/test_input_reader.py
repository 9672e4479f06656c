"""The one reader of untrusted files (check/inputs.py): special files, sizes, encodings, JSON and YAML bounds.

Review rows (security-2026-12-05, L1 and L4, and the crash table of M4): /dev/zero and a FIFO as any input, alias
bombs, 100k-deep nesting, 5000-digit integers, non-UTF-8 bytes. Go's encoding/json (what the Pulumi CLI reads
JSON with) refuses NaN, Infinity, numbers beyond a float64 and a UTF-8 BOM; the CLI strips a UTF-8 BOM from project
and stack files (sdk/go/common/workspace/loaders.go readFileStripUTF8BOM).
"""

from __future__ import annotations

from pathlib import Path
from typing import Any

import pytest

from compliant_cloudtrail.check.inputs import MAX_DEPTH, InputError, read_json, read_yaml

from .hostile import DEV_ZERO, assert_one_line, billion_laughs, deep_json, deep_yaml, fifo, no_hang

LIMIT = 1 << 20


def write(tmp_path: Path, content: str | bytes, name: str = "input") -> Path:
    path = tmp_path / name
    path.write_bytes(content.encode() if isinstance(content, str) else content)
    return path


def json_error(path: Path, **kw: Any) -> InputError:
    with pytest.raises(InputError) as caught:
        read_json(path, "test file", limit=kw.pop("limit", LIMIT), **kw)
    return caught.value


def yaml_error(path: Path, **kw: Any) -> InputError:
    with pytest.raises(InputError) as caught:
        read_yaml(path, "test file", limit=kw.pop("limit", LIMIT), **kw)
    return caught.value


# --- files that are not files ----------------------------------------------------------------------------
def test_dev_zero_is_refused_before_it_is_read() -> None:
    assert_one_line(json_error(DEV_ZERO), DEV_ZERO, "a character device, not a regular file", "regular file of at most")


def test_a_fifo_nobody_writes_is_refused_without_blocking(tmp_path: Path) -> None:
    path = fifo(tmp_path / "state.json")
    with no_hang():
        error = json_error(path)
    assert_one_line(error, path, "a FIFO (named pipe), not a regular file", "give a regular file")


def test_a_directory_is_refused(tmp_path: Path) -> None:
    assert_one_line(yaml_error(tmp_path), tmp_path, "a directory, not a regular file")


def test_a_missing_file_is_refused(tmp_path: Path) -> None:
    assert_one_line(json_error(tmp_path / "nope.json"), tmp_path / "nope.json", "cannot read it", "No such file")


def test_a_file_over_the_limit_is_refused_and_one_at_the_limit_is_read(tmp_path: Path) -> None:
    at_limit = write(tmp_path, '"' + "x" * 98 + '"', "at.json")
    assert read_json(at_limit, "test file", limit=100) == "x" * 98
    over = write(tmp_path, '"' + "x" * 99 + '"', "over.json")
    assert_one_line(json_error(over, limit=100), over, "101 bytes is too large", "at most 100 bytes")


def test_the_option_a_file_came_from_is_named_when_given(tmp_path: Path) -> None:
    assert_one_line(json_error(tmp_path / "x.json", option="--state"), tmp_path / "x.json", "(--state)")


# --- encodings ---------------------------------------------------------------------------------------------------
@pytest.mark.parametrize("content", [b"\xa2\x00\xff{}", b"a: 1 # \xff comment\n", "{}".encode("utf-16")])
def test_bytes_that_are_not_utf8_are_refused(tmp_path: Path, content: bytes) -> None:
    path = write(tmp_path, content)
    assert_one_line(yaml_error(path), path, "not UTF-8 text", "save it as UTF-8")


def test_a_utf8_bom_is_stripped_from_yaml_as_the_cli_does_for_project_files(tmp_path: Path) -> None:
    path = write(tmp_path, b"\xef\xbb\xbfname: p\n")
    assert read_yaml(path, "test file", limit=LIMIT) == {"name": "p"}


def test_a_utf8_bom_in_json_is_refused_as_go_refuses_it(tmp_path: Path) -> None:
    path = write(tmp_path, b'\xef\xbb\xbf{"version": 3}')
    assert_one_line(json_error(path), path, "byte-order mark", "without BOM")


# --- JSON ---------------------------------------------------------------------------------------------------------
@pytest.mark.parametrize(
    "content, words",
    [
        ('{"a": NaN}', "NaN is not JSON"),
        ('{"a": -Infinity}', "-Infinity is not JSON"),
        ('{"a": 1e400}', "beyond a 64-bit float"),
        ('{"a": ' + "9" * 5000 + "}", "integers up to 4300 digits"),
        ("{'a': 1}", "not JSON"),
        ("", "not JSON"),
    ],
    ids=["nan", "infinity", "1e400", "5000-digits", "python-dict", "empty"],
)
def test_json_that_python_or_go_cannot_hold_is_refused(tmp_path: Path, content: str, words: str) -> None:
    path = write(tmp_path, content)
    assert_one_line(json_error(path), path, words)


def test_json_nested_100k_deep_is_refused_without_recursion_error(tmp_path: Path) -> None:
    path = write(tmp_path, deep_json(100_000))
    assert_one_line(json_error(path), path, "nested more than", f"at most {MAX_DEPTH}")


def test_json_nesting_is_read_up_to_the_bound_and_refused_past_it(tmp_path: Path) -> None:
    ok = write(tmp_path, deep_json(MAX_DEPTH), "ok.json")
    assert read_json(ok, "test file", limit=LIMIT) is not None
    deep = write(tmp_path, deep_json(MAX_DEPTH + 1), "deep.json")
    assert_one_line(json_error(deep), deep, f"nested more than {MAX_DEPTH} levels deep")


def test_a_lone_surrogate_escape_becomes_the_replacement_character_as_in_go(tmp_path: Path) -> None:
    path = write(tmp_path, '{"k\\udc00": ["a\\ud800b", "\\ud83d\\ude00"]}')
    assert read_json(path, "test file", limit=LIMIT) == {"k\ufffd": ["a\ufffdb", "\U0001f600"]}


# --- YAML ---------------------------------------------------------------------------------------------------------
def test_a_billion_laughs_is_refused_before_it_is_expanded(tmp_path: Path) -> None:
    path = write(tmp_path, billion_laughs() + "config:\n  bomb: *a8\n")
    assert_one_line(yaml_error(path), path, "aliases expand it to more than", "alias bomb")


def test_a_recursive_alias_is_refused(tmp_path: Path) -> None:
    path = write(tmp_path, "a: &loop\n  b: *loop\n")
    assert_one_line(yaml_error(path), path, "refers to a node that contains it", "not allowed")


def test_ordinary_aliases_still_load(tmp_path: Path) -> None:
    path = write(tmp_path, "base: &tags {team: audit}\nprod: {tags: *tags}\ndev:\n  <<: *tags\n  extra: 1\n")
    assert read_yaml(path, "test file", limit=LIMIT) == {
        "base": {"team": "audit"},
        "prod": {"tags": {"team": "audit"}},
        "dev": {"team": "audit", "extra": 1},
    }


def test_yaml_nested_100k_deep_is_refused_without_recursion_error(tmp_path: Path) -> None:
    path = write(tmp_path, deep_yaml(100_000))
    assert_one_line(yaml_error(path), path, "nested more than", f"at most {MAX_DEPTH}")


@pytest.mark.parametrize(
    "content, words",
    [
        ("1: x\n", "mapping key 1 (an integer)"),
        ("a:\n  null: x\n", "mapping key None (null) at a"),
        ("x: .nan\n", "x: nan is not a finite number"),
        ("x: " + "9" * 5000 + "\n", "integers up to 4300 digits"),
        ("x: !!binary aGVsbG8=\n", "tag:yaml.org,2002:binary is not supported"),
        ("x: !!set {a, b}\n", "tag:yaml.org,2002:set is not supported"),
        ("x: !!python/object/apply:os.system [ls]\n", "does not parse as YAML"),
        ("a: [1\n", "does not parse as YAML"),
        ("a: 1\n---\nb: 2\n", "does not parse as YAML"),
        ("\x1f", "special characters are not allowed"),
    ],
    ids=[
        "int-key",
        "null-key",
        "nan",
        "5000-digits",
        "binary",
        "set",
        "python-tag",
        "unclosed",
        "two-documents",
        "control-character",
    ],
)
def test_yaml_that_is_not_plain_data_is_refused(tmp_path: Path, content: str, words: str) -> None:
    path = write(tmp_path, content)
    assert_one_line(yaml_error(path), path, words)


def test_a_timestamp_stays_the_text_written_as_yaml_v3_decodes_it_into_interface(tmp_path: Path) -> None:
    path = write(tmp_path, "since: 2026-12-05\n")
    assert read_yaml(path, "test file", limit=LIMIT) == {"since": "2026-12-05"}


def test_a_path_with_a_newline_is_quoted_so_the_message_stays_one_line(tmp_path: Path) -> None:
    path = tmp_path / "a\nb.json"
    error = json_error(path)
    assert "\n" not in str(error) and "a\\nb.json" in str(error)
