"""Untrusted input files, read once and safely: the check's only way to turn a user's file into Python values.

Every file the check reads (``Pulumi.yaml``, ``Pulumi.<stack>.yaml``, ``--state``, ``--policy-pack-config``,
``--mocks``, ``--stack-reference``) may come from a pull request or a hand edit, so reading it must not hang,
exhaust memory or raise anything but :class:`InputError`, whose message is one line naming the file, what is
wrong and what is allowed. In order:

- only a regular file is opened (``stat`` first; ``O_NONBLOCK`` so a FIFO swapped in after the ``stat`` cannot
  block the ``open``; the open descriptor is checked again), and at most ``limit`` bytes are read;
- the bytes are strict UTF-8;
- JSON: no ``NaN``/``Infinity``, no number beyond a double (Go's ``encoding/json``, which the Pulumi CLI uses,
  refuses both) and no integer beyond Python's 4300-digit conversion limit;
  a UTF-16 surrogate escape that pairs with nothing becomes U+FFFD, as Go's decoder does;
- YAML: :class:`BoundedSafeLoader` (safe tags only) that refuses alias expansion beyond the file's own size
  ("billion laughs") and recursive aliases, and builds no ``date``/``bytes``/``set`` values JSON cannot carry;
- both: nesting at most ``max_depth`` levels, mapping keys strings.
"""

from __future__ import annotations

import json
import math
import os
import re
import stat
import sys
from collections.abc import Callable
from pathlib import Path
from typing import Any

import yaml
from yaml.nodes import MappingNode, Node, ScalarNode

__all__ = [
    "MAX_DEPTH",
    "MOCKS_LIMIT",
    "POLICY_CONFIG_LIMIT",
    "PROJECT_FILE_LIMIT",
    "STACK_OUTPUTS_LIMIT",
    "STATE_LIMIT",
    "BoundedSafeLoader",
    "InputError",
    "check_tree",
    "read_bytes",
    "read_json",
    "read_text",
    "read_yaml",
    "shown_path",
]

MiB = 1 << 20
# Size limits, per kind of file. Each is far above what a real file of that kind holds and far below what would
# hurt a CI runner: parsing costs a few times the file's size in memory.
#: ``pulumi stack export``: the review measured a 100k-resource export at ~60 MB (71 s, 0.8 GB) and a 200 MB one
#: at 0.8 GB; 256 MiB keeps the largest real stacks readable and the check's memory near 1 GB.
STATE_LIMIT = 256 * MiB
#: ``pulumi stack output --json``: one stack's outputs, a small part of its state.
STACK_OUTPUTS_LIMIT = 64 * MiB
#: Pulumi.yaml and Pulumi.<stack>.yaml are written by hand; config values (policies, certificates) are kilobytes.
PROJECT_FILE_LIMIT = 8 * MiB
#: ``--mocks``: hand-written invoke answers.
MOCKS_LIMIT = 8 * MiB
#: ``--policy-pack-config``: a level and a few properties per policy.
POLICY_CONFIG_LIMIT = 1 * MiB
#: Nesting, in lists and mappings. Real exports nest a few tens deep (the review judged 120 fine); the state reader
#: and the protobuf conversion after it recurse per level, so a bound here keeps them far from Python's recursion
#: limit.
MAX_DEPTH = 128

_FILE_KINDS = (
    (stat.S_ISDIR, "a directory"),
    (stat.S_ISFIFO, "a FIFO (named pipe)"),
    (stat.S_ISCHR, "a character device"),
    (stat.S_ISBLK, "a block device"),
    (stat.S_ISSOCK, "a socket"),
)


class InputError(ValueError):
    """An input file that cannot be used; ``str()`` is one line naming the file, the fault and what is allowed.

    One line whatever the message quotes (a key, a URN, a path from the file): control characters are shown
    escaped, as ``\\n``."""

    def __init__(self, message: str) -> None:
        super().__init__(_escaped_controls(message))


_CONTROL = re.compile("[\x00-\x1f\x7f]")


def _escaped_controls(text: str) -> str:
    return _CONTROL.sub(lambda m: repr(m.group())[1:-1], text) if _CONTROL.search(text) else text


def _size(n: int) -> str:
    return f"{n // MiB} MiB" if n >= MiB and n % MiB == 0 else f"{n} bytes"


def _kind_of(mode: int) -> str:
    for test, name in _FILE_KINDS:
        if test(mode):
            return name
    return "not a regular file"


class _Where:
    """How messages name the file: ``<what> <path> (<option>): <problem>``."""

    def __init__(self, path: Path, what: str, option: str | None) -> None:
        self.path, self.what, self.option = path, what, option

    def error(self, problem: str) -> InputError:
        opt = f" ({self.option})" if self.option else ""
        return InputError(f"{self.what} {shown_path(self.path)}{opt}: {_one_line(problem)}")


def shown_path(path: Path | str) -> str:
    """A path as a message shows it: quoted when it holds a control character (a newline would split the line)."""
    text = str(path)
    return repr(text) if any(ord(c) < 32 or ord(c) == 127 for c in text) else text


def _one_line(text: str) -> str:
    """Parser errors may span lines; the message must not."""
    return " ".join(text.split()) if any(ord(c) < 32 for c in text) else text


def read_bytes(path: Path, what: str, *, limit: int, option: str | None = None) -> bytes:
    """The file's bytes, if it is a regular file of at most ``limit`` bytes; else InputError."""
    where = _Where(path, what, option)
    allowed = f"give a regular file of at most {_size(limit)}"
    try:
        # stat first: opening a FIFO for reading blocks until a writer comes, and /dev/zero never ends.
        before = os.stat(path)
        if not stat.S_ISREG(before.st_mode):
            raise where.error(f"{_kind_of(before.st_mode)}, not a regular file; {allowed}")
        if before.st_size > limit:
            raise where.error(f"{before.st_size} bytes is too large; {allowed}")
        # O_NONBLOCK: should a FIFO replace the file between stat and open, open returns at once instead of waiting.
        fd = os.open(path, os.O_RDONLY | os.O_NONBLOCK | os.O_CLOEXEC | getattr(os, "O_NOCTTY", 0))
        with os.fdopen(fd, "rb") as handle:
            now = os.fstat(handle.fileno())
            if not stat.S_ISREG(now.st_mode):
                raise where.error(f"{_kind_of(now.st_mode)}, not a regular file; {allowed}")
            data = handle.read(limit + 1)  # a file that grows while read is cut off here
    except InputError:
        raise
    except (OSError, ValueError) as exc:  # ValueError: a path with a NUL byte
        reason = exc.strerror if isinstance(exc, OSError) and exc.strerror else str(exc)
        raise where.error(f"cannot read it: {reason}") from exc
    if len(data) > limit:
        raise where.error(f"more than {_size(limit)} is too large; {allowed}")
    return data


_UTF8_BOM = b"\xef\xbb\xbf"


def _decode(data: bytes, where: _Where, *, strip_bom: bool) -> str:
    if data.startswith(_UTF8_BOM):
        if strip_bom:
            data = data[len(_UTF8_BOM) :]
        else:
            raise where.error(
                "starts with a UTF-8 byte-order mark, which JSON does not allow (the Pulumi CLI refuses it too); "
                "save it as UTF-8 without BOM"
            )
    try:
        return data.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise where.error(f"not UTF-8 text: {exc.reason} at byte {exc.start}; save it as UTF-8") from exc


def read_text(path: Path, what: str, *, limit: int, option: str | None = None, strip_bom: bool = True) -> str:
    """The file as strict UTF-8 text (a leading UTF-8 byte-order mark dropped unless ``strip_bom`` is False)."""
    where = _Where(path, what, option)
    return _decode(read_bytes(path, what, limit=limit, option=option), where, strip_bom=strip_bom)


# ------------------------------------------------------------------------------------------------------
# The parsed tree: depth, keys, floats, strings
# ------------------------------------------------------------------------------------------------------
_LONE_SURROGATE = re.compile("[\ud800-\udfff]")  # a valid pair is already one character after json.loads


def _fixed_string(text: str) -> str:
    """A lone UTF-16 surrogate (from a ``\\ud800`` escape) becomes U+FFFD, as Go's encoding/json decodes it;
    left in, it would fail later, when the value is encoded for the wire."""
    if text.isascii():
        return text
    return _LONE_SURROGATE.sub("\ufffd", text)


def _type_word(value: Any) -> str:
    if value is None:
        return "null"
    return {bool: "a boolean", int: "an integer", float: "a number", list: "a list", dict: "a mapping"}.get(
        type(value), type(value).__name__
    )


def _joined(at: str, key: Any) -> str:
    if isinstance(key, int):
        return f"{at}[{key}]"
    return f"{at}.{key}" if at else str(key)


def check_tree(value: Any, where: Callable[[str], InputError], *, max_depth: int = MAX_DEPTH) -> Any:
    """Walk a parsed value without recursion: nesting at most ``max_depth``, string keys, finite numbers, plain
    values only, strings that can be encoded (fixed in place). Returns the value; raises ``where(problem)``."""
    if not isinstance(value, (dict, list)):
        return _leaf(value, "", where)
    todo: list[tuple[dict[str, Any] | list[Any], int, str]] = [(value, 1, "")]
    while todo:
        node, depth, at = todo.pop()
        if depth > max_depth:
            shown = at if len(at) <= 60 else at[:57] + "..."
            raise where(f"nested more than {max_depth} levels deep (at {shown}); at most {max_depth}")
        items: list[tuple[Any, Any]]
        if isinstance(node, dict):
            bad = next((k for k in node if type(k) is not str), _NO_KEY)
            if bad is not _NO_KEY:
                raise where(f"mapping key {bad!r} ({_type_word(bad)}) at {at or 'the top'}: keys must be strings; "
                            "quote it")  # fmt: skip
            if not all(k.isascii() for k in node):
                fixed = {_fixed_string(k): v for k, v in node.items()}
                node.clear()
                node.update(fixed)
            items = list(node.items())
        else:
            items = list(enumerate(node))
        for key, item in items:
            if isinstance(item, (dict, list)):
                todo.append((item, depth + 1, _joined(at, key)))
            else:
                fixed_item = _leaf(item, _joined(at, key), where)
                if fixed_item is not item:
                    node[key] = fixed_item
    return value


_NO_KEY = object()


def _leaf(value: Any, at: str, where: Callable[[str], InputError]) -> Any:
    if isinstance(value, str):
        return _fixed_string(value)
    place = f"{at}: " if at else ""
    if isinstance(value, float) and not math.isfinite(value):
        raise where(f"{place}{value} is not a finite number; numbers must be finite")
    if value is not None and not isinstance(value, (bool, int, float)):
        raise where(f"{place}a {type(value).__name__} value is not allowed; give strings, numbers, booleans, "
                    "null, lists and mappings")  # fmt: skip
    return value


# ------------------------------------------------------------------------------------------------------
# JSON
# ------------------------------------------------------------------------------------------------------
class _NumberError(ValueError):
    pass


def _no_constant(name: str) -> Any:
    raise _NumberError(f"{name} is not JSON; numbers must be finite")


def _finite_float(text: str) -> float:
    value = float(text)
    if not math.isfinite(value):
        raise _NumberError(f"the number {text[:40]} is beyond a 64-bit float; numbers must be finite")
    return value


def _float_sized_int(text: str) -> int:
    # Property values travel as protobuf Struct numbers, which are doubles (struct.proto), as in the engine; an
    # integer past a double's range cannot be sent at all (found by fuzzing: 309 digits raised OverflowError).
    value = int(text)
    if len(text) > 300 and abs(value) > sys.float_info.max:
        raise _NumberError(f"the number {text[:40]}... is beyond a 64-bit float; numbers must fit a double")
    return value


def parse_json(text: str, where: Callable[[str], InputError], *, max_depth: int = MAX_DEPTH) -> Any:
    """JSON text as Python values, checked by :func:`check_tree`; every failure is ``where(problem)``."""
    try:
        data = json.loads(text, parse_constant=_no_constant, parse_float=_finite_float, parse_int=_float_sized_int)
    except _NumberError as exc:
        raise where(f"not JSON: {exc}") from None
    except json.JSONDecodeError as exc:
        raise where(f"not JSON: {exc}") from None
    except RecursionError:
        # The C decoder counts its own depth and stops cleanly at Python's recursion limit.
        raise where(f"nested more than {max_depth} levels deep; at most {max_depth}") from None
    except ValueError as exc:  # "Exceeds the limit (4300 digits) for integer string conversion"
        raise where(f"not JSON this check can read: {str(exc).split(';')[0]}; integers up to 4300 digits") from None
    return check_tree(data, where, max_depth=max_depth)


def read_json(path: Path, what: str, *, limit: int, option: str | None = None, max_depth: int = MAX_DEPTH) -> Any:
    """A JSON file as Python values; InputError for anything else (a UTF-8 BOM included, as for the CLI)."""
    where = _Where(path, what, option)
    text = read_text(path, what, limit=limit, option=option, strip_bom=False)
    return parse_json(text, where.error, max_depth=max_depth)


# ------------------------------------------------------------------------------------------------------
# YAML
# ------------------------------------------------------------------------------------------------------
class _YamlLimit(yaml.YAMLError):
    """A limit of :class:`BoundedSafeLoader`; its text is the whole problem."""


class BoundedSafeLoader(yaml.SafeLoader):
    """PyYAML's SafeLoader with bounds: nesting at most ``max_depth``, aliases that expand the document to at most
    ``max_expanded`` characters and never into themselves; timestamps stay the text written (as yaml.v3 decodes
    them into ``interface{}``), and ``!!binary``, ``!!set``, ``!!omap`` and ``!!pairs`` are refused."""

    max_depth = MAX_DEPTH
    max_expanded = PROJECT_FILE_LIMIT

    def __init__(self, stream: str) -> None:
        super().__init__(stream)
        self._depth = 0
        self._aliases = 0

    def compose_node(self, parent: Node | None, index: Any) -> Node:
        if self.check_event(yaml.AliasEvent):
            self._aliases += 1
        self._depth += 1
        try:
            if self._depth > self.max_depth:
                raise _YamlLimit(f"nested more than {self.max_depth} levels deep; at most {self.max_depth}")
            return super().compose_node(parent, index)
        finally:
            self._depth -= 1

    def compose_document(self) -> Node | None:
        node = super().compose_document()
        if node is not None and self._aliases:
            self._check_expansion(node)
        return node

    def _check_expansion(self, root: Node) -> None:
        """The size of the document with every alias expanded, in characters of scalars plus one per node,
        counted once per distinct node (memoised), so a bomb is measured without being built."""
        sizes: dict[int, int] = {}
        open_nodes: set[int] = set()
        todo: list[tuple[Node, bool]] = [(root, False)]
        while todo:
            node, children_done = todo.pop()
            key = id(node)
            if key in sizes:
                continue
            if isinstance(node, ScalarNode):
                sizes[key] = 1 + len(node.value)
                continue
            children: list[Node] = (
                [n for pair in node.value for n in pair] if isinstance(node, MappingNode) else list(node.value)
            )
            if children_done:
                open_nodes.discard(key)
                sizes[key] = 1 + sum(sizes[id(c)] for c in children)
                if sizes[key] > self.max_expanded:
                    raise _YamlLimit(
                        f"its aliases expand it to more than {self.max_expanded} characters (an alias bomb?); "
                        f"at most {self.max_expanded}, the size this kind of file may have"
                    )
                continue
            if key in open_nodes:
                raise _YamlLimit(f"an alias refers to a node that contains it (line {node.start_mark.line + 1}); "
                                 "recursive aliases are not allowed")  # fmt: skip
            open_nodes.add(key)
            todo.append((node, True))
            for child in children:
                if id(child) in open_nodes:
                    raise _YamlLimit(f"an alias refers to a node that contains it (line {child.start_mark.line + 1});"
                                     " recursive aliases are not allowed")  # fmt: skip
                if id(child) not in sizes:
                    todo.append((child, False))


def _refuse_tag(loader: BoundedSafeLoader, node: Node) -> Any:
    raise _YamlLimit(f"the YAML tag {node.tag} is not supported (line {node.start_mark.line + 1}); give plain "
                     "strings, numbers, booleans, lists and mappings")  # fmt: skip


BoundedSafeLoader.add_constructor("tag:yaml.org,2002:timestamp", BoundedSafeLoader.construct_yaml_str)
for _tag in ("binary", "set", "omap", "pairs"):
    BoundedSafeLoader.add_constructor(f"tag:yaml.org,2002:{_tag}", _refuse_tag)


def parse_yaml(
    text: str,
    where: Callable[[str], InputError],
    *,
    max_depth: int = MAX_DEPTH,
    max_expanded: int = PROJECT_FILE_LIMIT,
) -> Any:
    """One YAML document as Python values, through :class:`BoundedSafeLoader` and :func:`check_tree`."""
    loader: BoundedSafeLoader | None = None
    try:
        loader = BoundedSafeLoader(text)  # the reader refuses control characters here, before any parsing
        loader.max_depth, loader.max_expanded = max_depth, max_expanded
        data = loader.get_single_data()
    except _YamlLimit as exc:
        raise where(str(exc)) from None
    except yaml.YAMLError as exc:
        said = " ".join(str(exc).replace('"<unicode string>", ', "").split()) or "invalid YAML"
        raise where(f"does not parse as YAML: {said[:300]}") from None
    except RecursionError:  # a last guard: the depth bound above keeps the composer far from the limit
        raise where(f"nested more than {max_depth} levels deep; at most {max_depth}") from None
    except ValueError as exc:  # an integer beyond Python's 4300-digit conversion limit
        raise where(f"does not parse as YAML: {str(exc).split(';')[0]}; integers up to 4300 digits") from None
    finally:
        if loader is not None:
            loader.dispose()
    return check_tree(data, where, max_depth=max_depth)


def read_yaml(path: Path, what: str, *, limit: int, option: str | None = None, max_depth: int = MAX_DEPTH) -> Any:
    """A YAML file (one document) as Python values; a leading UTF-8 BOM is dropped, as the Pulumi CLI's
    ``readFileStripUTF8BOM`` (sdk/go/common/workspace/loaders.go) does for project and stack files."""
    where = _Where(path, what, option)
    text = read_text(path, what, limit=limit, option=option, strip_bom=True)
    return parse_yaml(text, where.error, max_depth=max_depth, max_expanded=limit)
