"""gradcli's one lazy-loading idiom (``gradcli/_lazy.py``): what each step
of the front-end imports, and the two stand-ins' contracts."""

import subprocess
import sys

import pytest

from gradcli import _lazy


def modules_after(code: str) -> set[str]:
    probe = code + "\nimport sys; print(' '.join(sorted(sys.modules)))"
    proc = subprocess.run([sys.executable, "-c", probe], capture_output=True, text=True)
    assert proc.returncode == 0, proc.stderr
    return set(proc.stdout.splitlines()[-1].split())


@pytest.mark.slow
def test_the_compiler_imports_numpy_only_for_arrays_and_scipy_only_for_erf():
    loaded = modules_after("from gradcli.frontend import Potential\nPotential('erf(x)').scalar_value_and_grad(0.5)")
    assert "numpy" not in loaded and "scipy" not in loaded and "gradcli.autograd" not in loaded
    loaded = modules_after("from gradcli.frontend import ops\nops.ARRAY")
    assert "numpy" in loaded and "scipy.special" not in loaded
    loaded = modules_after(
        "import numpy\nfrom gradcli.frontend import Potential\nPotential('erf(x)').grad(numpy.array([[0.5]]))"
    )
    assert "scipy.special" in loaded


def test_exports_computes_a_name_once_and_keeps_it_as_a_global():
    calls = []
    namespace = {"__name__": "demo"}
    getattr_, dir_ = _lazy.exports(namespace, {"TABLE": lambda: calls.append(1) or {"a": 1}})
    assert "TABLE" in dir_() and "TABLE" not in namespace
    assert getattr_("TABLE") == {"a": 1} and namespace["TABLE"] == {"a": 1}
    assert calls == [1]
    with pytest.raises(AttributeError, match="module 'demo' has no attribute 'other'"):
        getattr_("other")


def test_attribute_loads_a_module_or_one_of_its_names():
    assert _lazy.attribute("math", "pi")() == pytest.approx(3.141592653589793)
    assert _lazy.attribute("math")().__name__ == "math"


def test_a_lazy_module_replaces_itself_on_first_use():
    namespace = {}
    namespace["m"] = _lazy.LazyModule("math", namespace, "m")
    assert "imported on first use" in repr(namespace["m"])
    assert namespace["m"].sqrt(4.0) == 2.0
    assert type(namespace["m"]).__name__ == "module"
