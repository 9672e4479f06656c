"""Which files of a self-managed backend are stacks, and how each is read (pulumi/pulumi pkg/backend/diy)."""

from __future__ import annotations

import gzip
import json
import os
from pathlib import Path

import pytest

from compliant_cloudtrail.check.backend import BackendError, StackFile, find_stacks, read_stack
from compliant_cloudtrail.check.inputs import STATE_LIMIT
from compliant_cloudtrail.check.state import StateError

from .synthetic import EXPECTED, StackBuilder, write_backend, write_json, write_payments_export


@pytest.fixture
def backend(tmp_path: Path) -> Path:
    return write_backend(tmp_path / "state")


def identities(found: list[StackFile]) -> set[tuple[str | None, str | None]]:
    return {(f.project, f.stack) for f in found}


def test_every_stack_of_both_layouts_is_found_and_backups_and_history_are_not(backend: Path) -> None:
    # store.go: projectReferenceStore lists .pulumi/stacks/<project>/<stack>.json[.gz], legacyReferenceStore
    # .pulumi/stacks/<stack>.json; *.bak has no marshaler extension; backups/ and history/ are other folders.
    found = find_stacks([backend])
    expected = {(p, s) for p, s in EXPECTED if p not in ("payments", "legacy-project")} | {(None, "old")}
    assert identities(found) == expected
    assert not any("backups" in f.path.parts or "history" in f.path.parts or f.path.suffix == ".bak" for f in found)


@pytest.mark.parametrize("form", ["file://{root}", "{root}", "{root}/.pulumi", "file://{root}/.pulumi/"])
def test_a_backend_is_given_by_url_by_its_root_or_by_its_pulumi_folder(backend: Path, form: str) -> None:
    assert len(find_stacks([form.format(root=backend)])) == 6


def test_exports_beside_the_backend_and_the_same_file_twice_is_judged_once(backend: Path, tmp_path: Path) -> None:
    export = write_payments_export(tmp_path / "exports" / "live.json")
    found = find_stacks([backend, tmp_path / "exports", export])
    assert [f.path for f in found].count(export) == 1
    assert StackFile(export) in found


def test_of_a_plain_and_a_gzip_checkpoint_the_newer_is_read_as_the_cli_does(tmp_path: Path) -> None:
    # state.go stackPath: of <stack>.json, .json.gz and .json.zst, the most recently modified.
    stacks = tmp_path / ".pulumi" / "stacks" / "audit"
    old, new = StackBuilder("audit", "prod"), StackBuilder("audit", "prod")
    old.trail("old-trail")
    new.trail("new-trail", delivers=False)
    plain = write_json(stacks / "prod.json", old.checkpoint())
    packed = write_json(stacks / "prod.json.gz", new.checkpoint(), gzipped=True)
    os.utime(plain, (1_700_000_000, 1_700_000_000))
    found = find_stacks([tmp_path])
    assert [f.path for f in found] == [packed]
    os.utime(packed, (1_600_000_000, 1_600_000_000))
    assert [f.path for f in find_stacks([tmp_path])] == [plain]


def test_names_that_are_not_stacks_or_projects_are_skipped_as_the_cli_skips_them(tmp_path: Path) -> None:
    stacks = tmp_path / ".pulumi" / "stacks"
    good = StackBuilder("audit", "prod")
    write_json(stacks / "audit" / "prod.json", good.checkpoint())
    write_json(stacks / "audit" / "notes.txt", {})  # no marshaler extension
    write_json(stacks / "audit" / "bad name.json", good.checkpoint())  # tokens.ParseStackName refuses the space
    write_json(stacks / "not a project" / "prod.json", good.checkpoint())  # tokens.IsName refuses it
    write_json(stacks / "audit" / "deep" / "prod.json", good.checkpoint())  # three levels: not listed
    assert identities(find_stacks([tmp_path])) == {("audit", "prod")}


def test_a_checkpoint_and_an_export_of_the_same_stack_read_the_same(tmp_path: Path) -> None:
    stack = StackBuilder("audit", "prod")
    stack.trail("t")
    a = read_stack(StackFile(write_json(tmp_path / "a.json", stack.checkpoint())))
    b = read_stack(StackFile(write_json(tmp_path / "b.json", stack.export())))
    c = read_stack(StackFile(write_json(tmp_path / "c.json.gz", stack.export(), gzipped=True)))
    assert a.resources == b.resources == c.resources and len(a.resources) == 5
    assert (a.project, a.stack) == ("audit", "prod")


def test_a_checkpoint_of_a_stack_never_updated_has_no_resources(tmp_path: Path) -> None:
    # CheckpointV3.latest is omitted until the first update (apitype/core.go: `json:"latest,omitempty"`).
    path = write_json(tmp_path / "new.json", {"version": 3, "checkpoint": {"stack": "new"}})
    assert read_stack(StackFile(path, "audit", "new")).resources == []


@pytest.mark.parametrize(
    ("content", "says"),
    [
        (b'{"version": 3, "checkpoint": {"latest": {"resources": [', "not JSON"),
        (gzip.compress(b'{"version": 3}', mtime=0)[:-9], "cut short"),
        (bytes.fromhex("1f8b0800000000000003") + b"\xff" * 16, "gzip data is corrupt"),
        (b"\x28\xb5\x2f\xfd\x00\x00", "zstd-compressed"),
        (b"\xff\xfe{}", "not UTF-8"),
    ],
)
def test_a_corrupt_stack_file_is_one_line_naming_it(tmp_path: Path, content: bytes, says: str) -> None:
    path = tmp_path / "prod.json"
    path.write_bytes(content)
    with pytest.raises(StateError) as caught:
        read_stack(StackFile(path, "audit", "prod"))
    assert says in str(caught.value) and str(path) in str(caught.value) and "\n" not in str(caught.value)


def test_a_gzip_checkpoint_larger_than_the_state_limit_once_decompressed_is_refused(tmp_path: Path) -> None:
    # A gzip bomb: a small file that inflates past the limit must not be inflated into memory.
    path = tmp_path / "bomb.json.gz"
    path.write_bytes(gzip.compress(b" " * (STATE_LIMIT + 1024), compresslevel=9))
    assert path.stat().st_size < STATE_LIMIT // 100
    with pytest.raises(StateError, match="once decompressed is too large"):
        read_stack(StackFile(path, "audit", "bomb"))


@pytest.mark.parametrize(
    ("location", "says"),
    [
        ("s3://my-state-bucket", "only file:// backends are read offline"),
        ("{tmp}/missing", "no such file or folder"),
        ("{tmp}/empty", "no *.json or *.json.gz export"),
        ("file://{tmp}/empty", "no .pulumi/stacks folder"),
        ("{tmp}/bare", "no stack under .pulumi/stacks"),
    ],
)
def test_a_location_without_stacks_stops_the_run_with_one_line(tmp_path: Path, location: str, says: str) -> None:
    (tmp_path / "empty").mkdir()
    (tmp_path / "bare" / ".pulumi" / "stacks").mkdir(parents=True)
    with pytest.raises(BackendError) as caught:
        find_stacks([location.format(tmp=tmp_path)])
    assert says in str(caught.value)


def test_a_legacy_stack_takes_its_project_from_its_urns(backend: Path) -> None:
    (old,) = [f for f in find_stacks([backend]) if f.project is None]
    assert read_stack(old).project == "legacy-project"
    assert json.loads(old.path.read_text())["checkpoint"]["stack"] == "old"
