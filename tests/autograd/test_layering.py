"""The engine's imports point one way (issue 8): modules in gradcli/autograd/ import
each other relatively and nothing else of gradcli (not the façade); gradcli/optim/
imports only the engine."""

import ast
import pathlib

import pytest

PACKAGE = pathlib.Path(__file__).resolve().parents[2] / "gradcli"


def gradcli_imports(path):
    """(module imported, is relative) for every import of a gradcli module in ``path``."""
    found = []
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Import):
            found += [(alias.name, False) for alias in node.names if alias.name.split(".")[0] == "gradcli"]
        elif isinstance(node, ast.ImportFrom):
            if node.level:
                found.append(("." * node.level + (node.module or ""), True))
            elif node.module and node.module.split(".")[0] == "gradcli":
                found.append((node.module, False))
    return found


@pytest.mark.parametrize("path", sorted((PACKAGE / "autograd").glob("*.py")), ids=lambda p: p.name)
def test_engine_modules_import_only_each_other_relatively(path):
    for module, relative in gradcli_imports(path):
        assert relative, f"{path.name} imports {module} absolutely"
        assert not module.startswith(".."), f"{path.name} reaches outside the engine: {module}"


@pytest.mark.parametrize("path", sorted((PACKAGE / "optim").glob("*.py")), ids=lambda p: p.name)
def test_optim_imports_only_the_engine(path):
    for module, relative in gradcli_imports(path):
        assert relative, f"{path.name} imports {module} absolutely"
        if module.startswith(".."):
            assert module == "..autograd" or module.startswith("..autograd."), f"{path.name} imports {module}"
