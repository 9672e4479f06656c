"""The component's modules import each other in one direction only (STYLE.md, "Layout": no import circles).

Data flows arguments -> validation -> settings -> builders; a circle means a data type lives in a module
that also uses it, which is what let validation, naming, trail_key, aws_context and policy_documents import
each other in 0.2.0. The graph is read from the source with ``ast`` (imports inside functions included), so a
local import cannot hide a circle the way the old ``from .naming import ...`` inside validate_args did.
"""

from __future__ import annotations

import ast
from pathlib import Path

import compliant_cloudtrail.component as component_package

PACKAGE = Path(component_package.__file__).parent


def imports_of(module: Path, siblings: set[str]) -> set[str]:
    """The sibling modules one module imports (``from .x import``, ``from . import x``, absolute ones too)."""
    found: set[str] = set()
    for node in ast.walk(ast.parse(module.read_text(), filename=str(module))):
        if isinstance(node, ast.ImportFrom):
            if node.level == 1 and node.module:
                found.add(node.module.split(".")[0])
            elif node.level == 1:
                found.update(alias.name for alias in node.names)
            elif node.level == 0 and node.module and node.module.startswith("compliant_cloudtrail.component."):
                found.add(node.module.split(".")[2])
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.startswith("compliant_cloudtrail.component."):
                    found.add(alias.name.split(".")[2])
    return (found & siblings) - {module.stem}


def import_graph(package: Path = PACKAGE) -> dict[str, set[str]]:
    siblings = {path.stem for path in package.glob("*.py")}
    return {path.stem: imports_of(path, siblings) for path in package.glob("*.py")}


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every import circle, each once, as the path of modules that closes it."""
    found: list[list[str]] = []
    seen: set[frozenset[str]] = set()

    def walk(path: list[str]) -> None:
        for nxt in sorted(graph.get(path[-1], ())):
            if nxt == path[0]:
                key = frozenset(path)
                if key not in seen:
                    seen.add(key)
                    found.append([*path, nxt])
            elif nxt not in path and nxt > path[0]:
                walk([*path, nxt])

    for start in sorted(graph):
        walk([start])
    return found


def test_the_component_has_no_import_circle() -> None:
    assert circles(import_graph()) == []


def test_the_settings_and_the_error_import_nothing_of_the_component() -> None:
    """Plain data and the error sit at the bottom: every module may use them, they use none."""
    graph = import_graph()
    assert graph["settings"] == set(), graph["settings"]
    assert graph["errors"] == set(), graph["errors"]


def test_the_circle_finder_sees_circles_closed_by_a_local_import(tmp_path: Path) -> None:
    """0.2.0's circle was closed by an import inside a function; the finder must see it."""
    (tmp_path / "validation.py").write_text("from .settings import S\n\ndef check():\n    from .naming import n\n")
    (tmp_path / "naming.py").write_text("from .validation import check\n")
    (tmp_path / "settings.py").write_text("S = 1\n")
    assert circles(import_graph(tmp_path)) == [["naming", "validation", "naming"]]
    (tmp_path / "naming.py").write_text("from .settings import S\n")
    assert circles(import_graph(tmp_path)) == []
    assert circles({"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}) == [["a", "b", "c", "a"]]
