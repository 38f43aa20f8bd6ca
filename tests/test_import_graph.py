"""gradcli's packages import one way (issue 8): the import graph between its
subpackages and top-level modules, read with ``ast`` by ``docs/import_graph.py``
(imports inside functions and the lazy loaders' module strings included), has
no cycle, and nothing imports upwards (the engine's relative imports:
tests/autograd/test_layering.py)."""

import ast
import importlib.util
import pathlib

import pytest

ROOT = pathlib.Path(__file__).resolve().parents[1]
_spec = importlib.util.spec_from_file_location("import_graph", ROOT / "docs" / "import_graph.py")
import_graph = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(import_graph)

GRAPH = import_graph.import_graph()
LIBRARY_FILES = [
    path for path in import_graph.source_files() if import_graph.node_of(import_graph.module_name(path)) != "cli"
]
COMMAND_LINE_PACKAGES = ("typer", "rich", "click")


def test_the_graph_covers_every_subpackage():
    assert {"autograd", "frontend", "named", "optimize", "optim", "analysis", "particles", "landscape", "batch"} <= set(
        GRAPH
    )
    assert {"cli", "gradcli", "errors", "_lazy"} <= set(GRAPH)


def test_the_graph_reads_imports_inside_functions_and_lazy_module_strings():
    # cli imports the optimisers only inside its commands; named loads the front-end through LazyModule
    assert "optimize" in GRAPH["cli"]
    assert "frontend" in GRAPH["named"]
    assert "optimize" in GRAPH["named"]


def test_no_import_cycle_between_packages():
    assert import_graph.cycles(GRAPH) == []
    assert sum(len(layer) for layer in import_graph.layers(GRAPH)) == len(GRAPH)


def test_cycles_are_found():
    graph = {"a": {"b"}, "b": {"c"}, "c": {"a"}, "d": {"a"}}
    assert import_graph.cycles(graph) == [["a", "b", "c"]]
    with pytest.raises(ValueError, match="import cycle among"):
        import_graph.layers(graph)


def test_the_engine_imports_nothing_else_of_gradcli():
    assert GRAPH["autograd"] == set()
    assert GRAPH["optim"] == {"autograd"}


def test_only_the_command_line_imports_it():
    assert [node for node, targets in GRAPH.items() if "cli" in targets] == []


def test_only_the_command_line_imports_the_facade():
    # the façade (gradcli/__init__.py) sits above the library: a library module importing it imports upwards
    assert sorted(node for node, targets in GRAPH.items() if "gradcli" in targets) == ["cli"]


@pytest.mark.parametrize("path", LIBRARY_FILES, ids=lambda p: str(p.relative_to(ROOT)))
def test_the_library_never_imports_the_command_line_packages(path):
    for module in import_graph.imported_modules(path):
        assert module.split(".")[0] not in COMMAND_LINE_PACKAGES, f"{path.name} imports {module}"
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Constant) and isinstance(node.value, str):
            # a lazy loader's module name: LazyModule("rich.table", ...)
            assert node.value.split(".")[0] not in COMMAND_LINE_PACKAGES or " " in node.value, (path.name, node.value)


def test_the_rendered_graph_lists_lower_layers_first():
    lines = import_graph.render(GRAPH).splitlines()
    order = [line.split(" -> ")[0] for line in lines]
    assert len(lines) == len(GRAPH)
    assert order.index("autograd") < order.index("frontend") < order.index("named") < order.index("cli")
    assert order[-1] == "cli"


def test_readme_shows_todays_import_graph():
    readme = (ROOT / "README.md").read_text(encoding="utf-8")
    shown = readme.split("## How it works", 1)[1].split("```text\n", 1)[1].split("```", 1)[0]
    assert shown.strip() == import_graph.render(GRAPH).strip()
