"""gradcli.named imports one way (issue 8, item 2): each room only the rooms
below it, at module level or inside a function; nothing below imports it back;
and it knows nothing of the command line."""

import ast
from pathlib import Path

PACKAGE = Path(__file__).resolve().parents[2] / "gradcli"
# Each room may import only those listed before it.
ORDER = ["units", "spec", "files", "families", "check", "resolved", "registry", "__init__"]


def imported_modules(path: Path) -> set[str]:
    """Every module an ``import`` or ``from ... import`` in ``path`` names, anywhere in the file."""
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names.update(alias.name for alias in node.names)
        elif isinstance(node, ast.ImportFrom) and node.module:
            names.add(node.module)
            names.update(f"{node.module}.{alias.name}" for alias in node.names)
    return names


def test_rooms_import_only_the_rooms_below():
    assert sorted(p.stem for p in (PACKAGE / "named").glob("*.py")) == sorted(ORDER)
    for i, room in enumerate(ORDER):
        imported = imported_modules(PACKAGE / "named" / f"{room}.py")
        named = {m.split(".")[2] for m in imported if m.startswith("gradcli.named.")}
        allowed = set(ORDER[:i])
        assert named <= allowed, (room, named - allowed)
        assert not any(m.startswith(("gradcli.cli", "typer", "rich")) for m in imported), room


def test_nothing_below_imports_the_named_potentials():
    for folder in ("autograd", "frontend", "optimize"):
        for path in (PACKAGE / folder).glob("*.py"):
            assert not any(m.startswith("gradcli.named") for m in imported_modules(path)), path
    for path in PACKAGE.glob("*.py"):
        if path.name != "__init__.py":  # which names gradcli.named lazily, by string
            assert not any(m.startswith("gradcli.named") for m in imported_modules(path)), path
