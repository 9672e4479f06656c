"""The shape of an AWS invoke's result, read from the pulumi-aws SDK's own ``Get...Result`` classes.

For ``aws:ec2/getAmi:getAmi`` the SDK has ``pulumi_aws/ec2/get_ami.py`` with ``class GetAmiResult``, one
``@pulumi.getter(name="camelName")`` property per result field and its return annotation (``_builtins.str``,
``Sequence['outputs.GetAmiBlockDeviceMappingResult']``, ...); nested types are classes in the module's
``outputs.py``. The files are read as text (never imported): the checker does not need the program's version
of the provider loaded, only the field names and types, which pulumi-aws 6 and 7 share for nearly all invokes.
"""

from __future__ import annotations

import functools
import importlib.util
import re
from dataclasses import dataclass
from pathlib import Path

__all__ = ["Field", "Shape", "declared_inputs", "invoke_arguments", "resource_shape", "result_shape"]

_GETTER = re.compile(
    r"@pulumi\.getter(?:\(name=\"(?P<camel>\w+)\"\))?\s*\n\s*def (?P<snake>\w+)\(self\) -> (?P<type>[^:\n]+):"
)
#: a getter's wire name, whatever decorators follow it (``@_utilities.deprecated(...)`` on deprecated inputs)
_GETTER_NAME = re.compile(
    r"@pulumi\.getter(?:\(name=\"(?P<camel>\w+)\"\))?\s*\n(?:[ \t]*@[^\n]*\n)*\s*def (?P<snake>\w+)\(self\)"
)
_CLASS = re.compile(r"^class (\w+)(?:\(.*\))?:\s*$", re.M)


@dataclass(frozen=True)
class Shape:
    """A type: ``kind`` is str, int, float, bool, any, list, map or object (``fields`` then)."""

    kind: str
    item: Shape | None = None
    fields: tuple[Field, ...] = ()


@dataclass(frozen=True)
class Field:
    name: str  # camelCase, as on the wire
    shape: Shape
    optional: bool = False  # ``Optional[...]``: the provider may leave it unset


_SCALARS = {"str": "str", "int": "int", "float": "float", "bool": "bool", "Any": "any", "object": "any"}


@functools.cache
def _package_dir() -> Path | None:
    spec = importlib.util.find_spec("pulumi_aws")
    if spec is None or not spec.submodule_search_locations:
        return None
    return Path(next(iter(spec.submodule_search_locations)))


def _snake(name: str) -> str:
    return re.sub(r"(?<=[a-z0-9])([A-Z])", r"_\1", name).lower()


def _invoke_file(token: str) -> Path | None:
    """``aws:<module>/<function>:<function>`` -> the SDK file that calls it (checked by the token in it)."""
    base = _package_dir()
    parts = token.split(":")
    if base is None or len(parts) != 3 or "/" not in parts[1]:
        return None
    module, function = parts[1].split("/", 1)
    folder = base if module == "index" else base / module.lower()
    candidate = folder / f"{_snake(function)}.py"
    quoted = f"'{token}'"
    if candidate.is_file() and quoted in candidate.read_text(encoding="utf-8"):
        return candidate
    if not folder.is_dir():
        return None
    for path in folder.glob("get*.py"):  # odd file names: search the module's invoke files for the token
        if quoted in path.read_text(encoding="utf-8"):
            return path
    return None


@functools.cache
def _classes(path: Path) -> dict[str, str]:
    """Class name -> its source, for one SDK file."""
    text = path.read_text(encoding="utf-8")
    starts = [(m.start(), m.group(1)) for m in _CLASS.finditer(text)]
    out: dict[str, str] = {}
    for i, (start, name) in enumerate(starts):
        end = starts[i + 1][0] if i + 1 < len(starts) else len(text)
        out[name] = text[start:end]
    return out


def _split_top(text: str) -> list[str]:
    parts, depth, current = [], 0, ""
    for ch in text:
        if ch == "," and depth == 0:
            parts.append(current.strip())
            current = ""
            continue
        depth += ch == "["
        depth -= ch == "]"
        current += ch
    parts.append(current.strip())
    return parts


def _parse_type(text: str, folder: Path, seen: frozenset[str]) -> Shape:
    text = text.strip().strip("'\"")
    text = re.sub(r"\b_?builtins\.", "", text)
    wrapped = re.fullmatch(r"pulumi\.(?:Output|Input)\[(.*)\]", text, re.S)
    if wrapped:  # a resource's output property
        return _parse_type(wrapped.group(1), folder, seen)
    generic = re.fullmatch(r"(\w+)\[(.*)\]", text, re.S)
    if generic:
        outer, inner = generic.group(1), _split_top(generic.group(2))
        if outer == "Optional":
            return _parse_type(inner[0], folder, seen)
        if outer in ("Sequence", "List", "list"):
            return Shape("list", item=_parse_type(inner[0], folder, seen))
        if outer in ("Mapping", "Dict", "dict"):
            return Shape("map", item=_parse_type(inner[-1], folder, seen))
        if outer == "Union":
            return _parse_type(inner[0], folder, seen)
        return Shape("any")
    if text in _SCALARS:
        return Shape(_SCALARS[text])
    if text.startswith("outputs."):
        return _object(folder / "outputs.py", text.removeprefix("outputs."), folder, seen)
    return Shape("any")


def _object(path: Path, class_name: str, folder: Path, seen: frozenset[str]) -> Shape:
    if class_name in seen or not path.is_file():  # a recursive type: stop at an empty object
        return Shape("object")
    source = _classes(path).get(class_name)
    if source is None:
        return Shape("object")
    fields = tuple(
        Field(
            m.group("camel") or m.group("snake"),
            _parse_type(m.group("type"), folder, seen | {class_name}),
            "Optional[" in m.group("type"),
        )
        for m in _GETTER.finditer(source)
    )
    return Shape("object", fields=fields)


@functools.cache
def result_shape(token: str) -> Shape | None:
    """The result shape of an ``aws:`` invoke, or None when the installed pulumi-aws has no such invoke."""
    path = _invoke_file(token)
    if path is None:
        return None
    function = token.split(":")[2]
    class_name = f"{function[0].upper()}{function[1:]}Result"
    if class_name not in _classes(path):
        return None
    return _object(path, class_name, path.parent, frozenset())


@functools.cache
def invoke_arguments(token: str) -> frozenset[str]:
    """The wire names of the invoke's arguments (``__args__['camelName']`` in the SDK function)."""
    path = _invoke_file(token)
    if path is None:
        return frozenset()
    return frozenset(re.findall(r"__args__\['(\w+)'\]", path.read_text(encoding="utf-8")))


def _resource_file(token: str, package_dir: Path) -> tuple[Path, str] | None:
    """``random:index/randomString:RandomString`` -> (``pulumi_random/random_string.py``, ``RandomString``)."""
    parts = token.split(":")
    if len(parts) != 3:
        return None
    module = parts[1].split("/", 1)[0]
    folder = package_dir if module == "index" else package_dir / module.lower()
    path = folder / f"{_snake(parts[2])}.py"
    if not path.is_file() or parts[2] not in _classes(path):
        return None
    return path, parts[2]


@functools.cache
def resource_shape(token: str, package_dir: Path) -> Shape | None:
    """The output properties of a resource type, from its class in the SDK package at ``package_dir``."""
    found = _resource_file(token, package_dir)
    if found is None:
        return None
    path, class_name = found
    return _object(path, class_name, path.parent, frozenset())


@functools.cache
def declared_inputs(token: str, package_dir: Path) -> frozenset[str] | None:
    """The wire names of a resource type's inputs: the getters of its ``<Class>Args`` class (``TrailArgs`` beside
    ``class Trail``), which the SDK generates from the provider schema's ``inputProperties``; None when the SDK
    has no such class (a hand-written or unknown type: then nothing is known to drop)."""
    found = _resource_file(token, package_dir)
    if found is None:
        return None
    path, class_name = found
    source = _classes(path).get(f"{class_name}Args")
    if source is None:
        return None
    return frozenset(m.group("camel") or m.group("snake") for m in _GETTER_NAME.finditer(source))
