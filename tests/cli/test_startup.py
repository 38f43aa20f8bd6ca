"""Start-up cost: what each kind of run imports (no timings, just modules)."""

import subprocess
import sys

import pytest


def modules_after(code: str) -> set[str]:
    probe = code + "\nimport sys; print(' '.join(sorted(sys.modules)))"
    proc = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    return set(proc.stdout.splitlines()[-1].split())


def run_main(*args: str) -> str:
    return (
        "import sys\nfrom gradcli.cli.app import main\n"
        f"sys.argv = ['gradcli', *{list(args)!r}]\n"
        "try:\n    main()\nexcept SystemExit:\n    pass"
    )


def top(modules: set[str]) -> set[str]:
    return {name.split(".")[0] for name in modules}


def test_import_gradcli_is_light():
    loaded = top(modules_after("import gradcli"))
    assert not loaded & {"sympy", "typer", "rich", "matplotlib", "pydantic"}


def test_help_imports_neither_sympy_nor_rich():
    loaded = top(modules_after(run_main("descend", "--help")))
    assert not loaded & {"sympy", "rich", "matplotlib", "pydantic"}


@pytest.mark.parametrize("command", [["descend", "x**2", "--x0", "1"], ["grad", "x**2", "--at", "1"]])
def test_json_runs_import_no_tables_plots_or_pydantic(command):
    loaded = modules_after(run_main(*command, "--json"))
    assert "rich.table" not in loaded and "rich" not in top(loaded)
    assert "matplotlib" not in top(loaded)
    assert "pydantic" not in top(loaded)  # see gradcli/cli/coercion.py


def test_table_runs_import_rich_but_not_matplotlib():
    loaded = modules_after(run_main("descend", "x**2", "--x0", "1"))
    assert "rich.table" in loaded and "matplotlib" not in top(loaded)
