"""Find every stack in a self-managed backend, and in the exports and folders given, and read each one.

A self-managed ("diy") backend keeps each stack as one checkpoint file under ``.pulumi/stacks`` of its root
(pulumi/pulumi ``pkg/backend/diy/store.go``, ``StacksDir``), in one of two layouts:

- the project layout (``.pulumi/meta.yaml`` version 1): ``.pulumi/stacks/<project>/<stack>.json``, exactly two
  levels (``projectReferenceStore.ListReferences``; a project folder must be a ``tokens.IsName``);
- the older layout (no meta file, or version 0): ``.pulumi/stacks/<stack>.json`` (``legacyReferenceStore``).

Both are read, whatever ``meta.yaml`` says: a backend half way through ``pulumi state upgrade`` holds both, and an
audit that skipped one would pass stacks it never saw. As the CLI lists them: a file's name, less ``.gz`` or
``.zst``, must end in a marshaler's extension (``.json``, ``.yaml``, ``.yml``; ``encoding.Marshalers``), so
``*.bak`` files are not stacks, and the rest must be a valid stack name (``tokens.ParseStackName``). When a stack
has both a plain and a compressed file, the CLI reads the most recently modified one (``diyBackend.stackPath`` in
``state.go``), and so does this. ``.pulumi/history`` and ``.pulumi/backups`` hold earlier copies and are not read.

A checkpoint is ``apitype.VersionedCheckpoint`` (``{"version", "features", "checkpoint": {"stack", "config",
"latest": <deployment>}}``, ``sdk/go/common/apitype/core.go``); :func:`.state.parse_state` reads it as it reads a
``pulumi stack export``. Compression is told by the bytes, as ``getCheckpoint`` does
(``encoding.DetectCompression``): gzip (``DIY_BACKEND_GZIP``) is read, within the same size limit once
decompressed; zstd (``DIY_BACKEND_ZSTD``) needs a decompressor Python 3.11 lacks, so such a stack is named as not
judged. A bucket (``s3://``, ``gs://``, ``azblob://``) is not read directly: that would need each cloud's SDK and
credentials in an offline check; a synced copy (``aws s3 sync s3://bucket/.pulumi ./state/.pulumi``) is read.
"""

from __future__ import annotations

import os
import re
import zlib
from collections.abc import Iterable, Sequence
from dataclasses import dataclass
from pathlib import Path
from urllib.parse import unquote, urlparse

from .inputs import STATE_LIMIT, InputError, parse_json, read_bytes, shown_path
from .project import ConfigError, validate_stack_name
from .state import StackState, StateError, parse_state

__all__ = ["BackendError", "StackFile", "find_stacks", "read_stack"]

BOOKKEEPING_DIR = ".pulumi"
STACKS_DIR = "stacks"
#: encoding.Exts: what a stack file's name may end in once a compression suffix is taken off
MARSHALER_EXTS = (".json", ".yaml", ".yml")
COMPRESSION_EXTS = (".gz", ".zst")
#: tokens.IsName (sdk/go/common/tokens/names.go): a project folder's name
_NAME = re.compile(r"[A-Za-z0-9_.-]+")
_GZIP_MAGIC = b"\x1f\x8b"
_ZSTD_MAGIC = b"\x28\xb5\x2f\xfd"  # encoding.isZstdCompressed: RFC 8878's frame magic number
_URL_SCHEMES_NOT_READ = ("s3", "gs", "azblob", "https", "http")


class BackendError(InputError):
    """A location that holds no stack this can read (a missing folder, a bucket URL); one line naming it."""


@dataclass(frozen=True)
class StackFile:
    """One stack's state file, and the identity its place gives it (None where the place says nothing)."""

    path: Path
    #: the project folder (project layout); None for the older layout and for exports
    project: str | None = None
    #: the file's name less its extensions, for a backend's checkpoint; None for an export given by name
    stack: str | None = None


def _is_backend_root(path: Path) -> bool:
    if path.name == BOOKKEEPING_DIR and (path / STACKS_DIR).is_dir():
        return True
    return (path / BOOKKEEPING_DIR / STACKS_DIR).is_dir()


def _stack_name(file_name: str) -> str | None:
    """The stack a file in ``.pulumi/stacks`` stands for, as ``ListReferences`` decides it; None: not a stack."""
    base = file_name
    for ext in COMPRESSION_EXTS:
        if base.endswith(ext):
            base = base[: -len(ext)]
            break
    marshaler = next((e for e in MARSHALER_EXTS if base.endswith(e)), None)
    if marshaler is None:
        return None
    name = base[: -len(marshaler)]
    try:
        validate_stack_name(name)
    except ConfigError:
        return None
    return name


def _newest(candidates: Iterable[StackFile]) -> list[StackFile]:
    """One file per stack: of ``x.json``, ``x.json.gz`` and ``x.json.zst``, the most recently modified."""
    best: dict[tuple[str | None, str | None], tuple[float, StackFile]] = {}
    for found in candidates:
        mtime = found.path.stat().st_mtime
        key = (found.project, found.stack)
        if key not in best or mtime >= best[key][0]:
            best[key] = (mtime, found)
    return [found for _, found in best.values()]


def _listed(folder: Path) -> list[os.DirEntry[str]]:
    try:
        with os.scandir(folder) as entries:
            return sorted(entries, key=lambda e: e.name)
    except OSError as exc:
        raise BackendError(f"backend folder {shown_path(folder)}: cannot list it: {exc.strerror or exc}") from exc


def backend_stacks(root: Path) -> list[StackFile]:
    """Every stack of the backend whose root (the folder holding ``.pulumi``) or bookkeeping folder is ``root``."""
    stacks_dir = root / STACKS_DIR if root.name == BOOKKEEPING_DIR else root / BOOKKEEPING_DIR / STACKS_DIR
    if not stacks_dir.is_dir():
        raise BackendError(
            f"backend {shown_path(root)}: no {BOOKKEEPING_DIR}/{STACKS_DIR} folder; give the folder that "
            f"`pulumi login file://FOLDER` was given (it holds {BOOKKEEPING_DIR}/), or that {BOOKKEEPING_DIR} folder"
        )
    found: list[StackFile] = []
    for entry in _listed(stacks_dir):
        if entry.is_file():  # the older layout: .pulumi/stacks/<stack>.json
            name = _stack_name(entry.name)
            if name is not None:
                found.append(StackFile(Path(entry.path), None, name))
        elif entry.is_dir() and _NAME.fullmatch(entry.name):  # the project layout: .pulumi/stacks/<project>/...
            for inner in _listed(Path(entry.path)):
                name = _stack_name(inner.name) if inner.is_file() else None
                if name is not None:
                    found.append(StackFile(Path(inner.path), entry.name, name))
    return sorted(_newest(found), key=lambda s: (s.project or "", s.stack or "", str(s.path)))


def _folder_exports(folder: Path) -> list[StackFile]:
    """The exports in a folder that is not a backend: its ``*.json`` and ``*.json.gz`` files, not recursing."""
    return [StackFile(Path(e.path)) for e in _listed(folder)
            if e.is_file() and e.name.endswith((".json", ".json.gz"))]  # fmt: skip


def _local_path(location: str | Path) -> Path:
    text = str(location)
    if "://" not in text:
        return Path(text)
    url = urlparse(text)
    if url.scheme != "file":
        why = "reading a bucket needs its cloud's SDK and credentials" if url.scheme in _URL_SCHEMES_NOT_READ else ""
        raise BackendError(
            f"backend {shown_path(text)}: only file:// backends are read offline{f' ({why})' if why else ''}; "
            "sync the bucket to a folder first (e.g. `aws s3 sync s3://BUCKET/.pulumi ./state/.pulumi`) and give "
            "file://./state"
        )
    # file://PATH as `pulumi login` takes it: file://~ and file://./relative are common, file:///abs too.
    path = unquote(url.netloc + url.path)
    return Path(path).expanduser()


def find_stacks(locations: Sequence[str | Path]) -> list[StackFile]:
    """The stack files behind each location, in the order given: a backend (``file://PATH``, its root or its
    ``.pulumi`` folder) gives all its stacks; another folder, the exports in it; a file, itself. A location that
    does not exist, or gives no stack at all, is a BackendError: a check must not pass what it did not find."""
    out: list[StackFile] = []
    seen: set[Path] = set()
    for location in locations:
        for stack in _stacks_at(location):
            key = stack.path.resolve()
            if key not in seen:  # the same file through two locations is judged once
                seen.add(key)
                out.append(stack)
    return out


def _stacks_at(location: str | Path) -> list[StackFile]:
    path = _local_path(location)
    if _is_backend_root(path):
        found = backend_stacks(path)
        if not found:
            raise BackendError(f"backend {shown_path(location)}: no stack under {BOOKKEEPING_DIR}/{STACKS_DIR}; "
                               "nothing to judge there")  # fmt: skip
        return found
    if str(location).startswith("file://"):
        raise BackendError(
            f"backend {shown_path(location)}: no {BOOKKEEPING_DIR}/{STACKS_DIR} folder there; give the folder that "
            f"`pulumi login file://FOLDER` was given"
        )
    if path.is_dir():
        found = _folder_exports(path)
        if not found:
            raise BackendError(
                f"folder {shown_path(location)}: no *.json or *.json.gz export and no {BOOKKEEPING_DIR}/{STACKS_DIR}; "
                "nothing to judge there"
            )
        return found
    if not path.exists():
        raise BackendError(f"state {shown_path(location)}: no such file or folder")
    return [StackFile(path)]


def _gunzipped(data: bytes, path: Path) -> bytes:
    """Decompress, refusing more than the state limit once decompressed (a small file can inflate a thousandfold)."""
    inflater = zlib.decompressobj(wbits=16 + zlib.MAX_WBITS)
    try:
        out = inflater.decompress(data, STATE_LIMIT + 1)
    except zlib.error as exc:
        raise StateError(f"state file {shown_path(path)}: gzip data is corrupt ({exc})") from exc
    if len(out) > STATE_LIMIT or inflater.unconsumed_tail:
        raise StateError(
            f"state file {shown_path(path)}: more than {STATE_LIMIT >> 20} MiB once decompressed is too large; "
            f"give a stack of at most {STATE_LIMIT >> 20} MiB"
        )
    if not inflater.eof:
        raise StateError(f"state file {shown_path(path)}: gzip data is cut short (the file is incomplete)")
    return out


def read_stack(found: StackFile) -> StackState:
    """Read and parse one stack file (a checkpoint or an export, plain or gzip); every failure is one-line
    StateError naming the file."""
    path = found.path
    try:
        data = read_bytes(path, "state file", limit=STATE_LIMIT)
    except InputError as exc:
        raise StateError(str(exc)) from exc
    if data.startswith(_GZIP_MAGIC):
        data = _gunzipped(data, path)
    elif data.startswith(_ZSTD_MAGIC):
        raise StateError(
            f"state file {shown_path(path)}: zstd-compressed (DIY_BACKEND_ZSTD), which this check cannot read; "
            "decompress it (`zstd -d`) or judge a `pulumi stack export` of the stack"
        )
    if path.name.endswith((".yaml", ".yml", ".yaml.gz", ".yml.gz")):
        raise StateError(
            f"state file {shown_path(path)}: a YAML checkpoint, which this check does not read; judge a "
            "`pulumi stack export` of the stack"
        )

    def where(problem: str) -> StateError:
        return StateError(f"state file {shown_path(path)}: {problem}")

    if data.startswith(b"\xef\xbb\xbf"):
        raise where("starts with a UTF-8 byte-order mark, which JSON does not allow (the Pulumi CLI refuses it too)")
    try:
        text = data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise where(f"not UTF-8 text: {exc.reason} at byte {exc.start}") from exc
    del data
    return parse_state(parse_json(text, where), path)
