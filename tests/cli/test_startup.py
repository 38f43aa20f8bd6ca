"""Start-up cost: what each kind of run imports (no timings, just modules)."""

import subprocess
import sys

import pytest

pytestmark = pytest.mark.slow  # every test here starts a real process


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
    assert not loaded & {"numpy", "sympy", "typer", "rich", "matplotlib", "pydantic"}


def test_engine_names_load_on_first_use():
    # gradcli/__init__.py: the engine (numpy) loads on the first engine name used,
    # which then is an ordinary attribute; dir() and __all__ list the names before.
    loaded = modules_after(
        "import sys, gradcli\n"
        "assert 'numpy' not in sys.modules and 'tensor' in dir(gradcli) and 'tensor' in gradcli.__all__\n"
        "t = gradcli.tensor([2.0])\n"
        "assert vars(gradcli)['tensor'] is gradcli.autograd.creation.tensor and gradcli.is_tensor(t)"
    )
    assert "numpy" in top(loaded) and "sympy" not in top(loaded)


# descend, grad and force at one point run generated code over Python floats:
# importing numpy (and the engine) would be a tenth of the process (bench/README.md).
ONE_POINT = [
    ["descend", "x**4-10*x**2+5", "--x0", "3"],
    ["grad", "x**2*y", "--at", "1,2"],
    ["force", "0.5*k*x**2", "--param", "k=2", "--at", "3"],
]


@pytest.mark.parametrize("command", ONE_POINT)
def test_one_point_json_runs_import_no_numpy(command):
    loaded = modules_after(run_main(*command, "--json"))
    assert "gradcli.frontend.compiled" in loaded  # the expression was compiled and run
    assert "numpy" not in top(loaded)
    assert "gradcli.autograd" not in loaded


def test_numpy_replaces_its_stand_in_on_first_use():
    # gradcli/_lazy.py: after the first batch, `np` in the front-end modules is numpy itself.
    modules_after(
        "import numpy\nfrom gradcli.frontend import Potential, compiled, points\n"
        "assert Potential('x**2')(numpy.array([[1.0], [2.0]])).tolist() == [1.0, 4.0]\n"
        "assert points.np is numpy and compiled.np is numpy"
    )


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
