"""Which of gradcli's packages imports which: ``python docs/import_graph.py``.

A node is a subpackage (``autograd``, ``frontend``, ``cli``, ...), a
top-level module (``errors``, ``_lazy``, ...) or ``gradcli`` itself (the
façade, ``gradcli/__init__.py``). An edge is any import of one from the
other, read with ``ast`` from every file: imports at the top, inside
functions, and the module names given as strings to the lazy loaders
(``LazyModule("gradcli.frontend.parse", ...)``, ``"gradcli.optimize.fire:run"``).
``tests/test_import_graph.py`` checks the graph; README "How it works" shows it.

Example output line::

    frontend -> _lazy, autograd, errors
"""

from __future__ import annotations

import ast
import pathlib
import re
from collections.abc import Iterator

PACKAGE = pathlib.Path(__file__).resolve().parents[1] / "gradcli"
#: A string naming a gradcli module (optionally ``:attribute``), as the lazy loaders take it.
MODULE_STRING = re.compile(r"^gradcli(\.\w+)*(:\w+)?$")


def module_name(path: pathlib.Path) -> str:
    """``gradcli/frontend/parse.py`` -> ``gradcli.frontend.parse``."""
    parts = path.relative_to(PACKAGE.parent).with_suffix("").parts
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def is_module(name: str) -> bool:
    """True if ``name`` (``gradcli.x.y``) is a module or package of gradcli."""
    path = PACKAGE.parent.joinpath(*name.split("."))
    return path.with_suffix(".py").is_file() or (path / "__init__.py").is_file()


def imported_modules(path: pathlib.Path) -> Iterator[str]:
    """Every module name ``path`` imports, absolute, third-party ones included."""
    here = module_name(path)
    package = here if path.name == "__init__.py" else here.rpartition(".")[0]
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            yield from (alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                base = ".".join(package.split(".")[: len(package.split(".")) - node.level + 1])
                base = f"{base}.{node.module}" if node.module else base
            else:
                base = node.module or ""
            for alias in node.names:
                # `from .. import errors` imports the module gradcli.errors, not the façade gradcli
                yield f"{base}.{alias.name}" if is_module(f"{base}.{alias.name}") else base
        elif isinstance(node, ast.Constant) and isinstance(node.value, str) and MODULE_STRING.match(node.value):
            name = node.value.partition(":")[0]
            if is_module(name):
                yield name


def node_of(module: str) -> str | None:
    """The graph node of a gradcli module (None for a module outside gradcli)."""
    parts = module.split(".")
    if parts[0] != "gradcli":
        return None
    return parts[1] if len(parts) > 1 else "gradcli"


def source_files() -> list[pathlib.Path]:
    """gradcli's Python files, in a fixed order."""
    return sorted(PACKAGE.rglob("*.py"))


def import_graph() -> dict[str, set[str]]:
    """node -> the other nodes it imports (every node is a key)."""
    graph: dict[str, set[str]] = {}
    for path in source_files():
        source = node_of(module_name(path))
        targets = graph.setdefault(source, set())
        for module in imported_modules(path):
            target = node_of(module)
            if target is not None and target != source:
                targets.add(target)
    return graph


def cycles(graph: dict[str, set[str]]) -> list[list[str]]:
    """The strongly connected components of more than one node (Tarjan), each sorted."""
    index: dict[str, int] = {}
    low: dict[str, int] = {}
    stack: list[str] = []
    found: list[list[str]] = []

    def visit(node: str) -> None:
        index[node] = low[node] = len(index)
        stack.append(node)
        for target in sorted(graph.get(node, ())):
            if target not in index:
                visit(target)
                low[node] = min(low[node], low[target])
            elif target in stack:
                low[node] = min(low[node], index[target])
        if low[node] == index[node]:
            component = []
            while True:
                member = stack.pop()
                component.append(member)
                if member == node:
                    break
            if len(component) > 1:
                found.append(sorted(component))

    for node in sorted(graph):
        if node not in index:
            visit(node)
    return found


def layers(graph: dict[str, set[str]]) -> list[list[str]]:
    """The nodes in layers, each importing only from the layers before it."""
    placed: set[str] = set()
    result = []
    while len(placed) < len(graph):
        layer = sorted(node for node in graph if node not in placed and graph[node] <= placed)
        if not layer:
            raise ValueError(f"import cycle among {sorted(set(graph) - placed)}")
        result.append(layer)
        placed.update(layer)
    return result


def render(graph: dict[str, set[str]]) -> str:
    """One line per node, lowest layer first: ``node -> imported, nodes``."""
    lines = []
    for layer in layers(graph):
        for node in layer:
            lines.append(f"{node} -> {', '.join(sorted(graph[node])) or '(nothing of gradcli)'}")
    return "\n".join(lines)


if __name__ == "__main__":
    print(render(import_graph()))
