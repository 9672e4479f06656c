"""No import circles (STYLE.md, "Layout"): modules import each other in one direction only.

Data flows arguments -> validation -> settings -> builders in ``compliant_cloudtrail/component/``; a circle
means a data type lives in a module that also uses it, which is what let validation, naming, trail_key,
aws_context and policy_documents import each other in 0.2.0. The graph is read from the source with ``ast``
(imports inside functions included, so a local import cannot hide a circle the way 0.2.0's
``from .naming import ...`` inside validate_args did), over the whole ``compliant_cloudtrail`` package.
"""

from __future__ import annotations

import ast
from pathlib import Path

import compliant_cloudtrail

PACKAGE = Path(compliant_cloudtrail.__file__).parent


def modules(root: Path) -> dict[str, Path]:
    """Dotted module name -> file, for every module under ``root`` (a package folder)."""
    found = {}
    for path in root.rglob("*.py"):
        parts = path.relative_to(root.parent).with_suffix("").parts
        name = ".".join(parts[:-1] if parts[-1] == "__init__" else parts)
        found[name] = path
    return found


def import_graph(root: Path = PACKAGE) -> dict[str, set[str]]:
    """Module -> the modules of the same package it imports (a name imported from a package counts as the
    package's own module when it is one, else as the package)."""
    known = modules(root)

    def owner(name: str) -> str | None:
        while name and name not in known:
            name = name.rpartition(".")[0]
        return name or None

    graph: dict[str, set[str]] = {}
    for name, path in known.items():
        package = name if path.name == "__init__.py" else name.rpartition(".")[0]
        targets: list[str] = []
        for node in ast.walk(ast.parse(path.read_text(), filename=str(path))):
            if isinstance(node, ast.Import):
                targets += [alias.name for alias in node.names]
            elif isinstance(node, ast.ImportFrom):
                base = node.module or ""
                if node.level:
                    anchor = package.split(".")[: len(package.split(".")) - (node.level - 1)]
                    base = ".".join([*anchor, *([node.module] if node.module else [])])
                targets += [f"{base}.{alias.name}" for alias in node.names]
        graph[name] = {target for t in targets if (target := owner(t)) is not None and target != name}
    return graph


def circles(graph: dict[str, set[str]]) -> list[list[str]]:
    """Every import circle, each once, as the path of modules that closes it."""
    found: list[list[str]] = []
    seen: set[frozenset[str]] = set()

    def walk(path: list[str]) -> None:
        for nxt in sorted(graph.get(path[-1], ())):
            if nxt == path[0]:
                if frozenset(path) not in seen:
                    seen.add(frozenset(path))
                    found.append([*path, nxt])
            elif nxt not in path and nxt > path[0]:
                walk([*path, nxt])

    for start in sorted(graph):
        walk([start])
    return found


def test_compliant_cloudtrail_has_no_import_circle() -> None:
    graph = import_graph()
    assert "compliant_cloudtrail.component.validation" in graph, sorted(graph)[:5]
    assert circles(graph) == []


def test_the_settings_and_the_error_import_nothing_of_the_package() -> None:
    """Plain data and the error sit at the bottom: every module may use them, they use none."""
    graph = import_graph()
    assert graph["compliant_cloudtrail.component.settings"] == set()
    assert graph["compliant_cloudtrail.component.errors"] == set()


def test_the_circle_finder_sees_circles_closed_by_a_local_import(tmp_path: Path) -> None:
    """0.2.0's circle was closed by an import inside a function; the finder must see it."""
    package = tmp_path / "pkg"
    package.mkdir()
    (package / "__init__.py").write_text("")
    (package / "validation.py").write_text("from .settings import S\n\ndef check():\n    from .naming import n\n")
    (package / "naming.py").write_text("from pkg.validation import check\n")
    (package / "settings.py").write_text("S = 1\n")
    assert circles(import_graph(package)) == [["pkg.naming", "pkg.validation", "pkg.naming"]]
    (package / "naming.py").write_text("from . import settings\n")
    assert circles(import_graph(package)) == []
    assert import_graph(package)["pkg.naming"] == {"pkg.settings"}
