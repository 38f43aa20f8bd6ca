"""Named potentials from Python: ``gradcli.named.load`` (README, Potentials)."""

import subprocess
import sys

import pytest

import gradcli
from gradcli.errors import InputError, UnknownPotentialError
from gradcli.named import Resolved, load


def test_load_gives_the_compiled_potential_and_its_spec():
    mb = load("muller-brown")
    assert isinstance(mb, Resolved) and mb.name == "muller-brown" and mb.variables == ("x", "y")
    V = mb.potential
    assert V is mb.potential  # compiled once
    for point in mb.stationary:
        assert float(V(point.point)) == pytest.approx(point.value, abs=1e-9)
        assert max(abs(g) for g in V.grad(point.point)) < 1e-6
    assert mb.start == (-0.5, 1.5)
    assert mb.descent_settings() == {"lr": 0.0002, "steps": 2000} and mb.source == "@muller-brown"
    assert mb.descent_settings(skip=("lr",)) == {"steps": 2000}


def test_load_takes_parameters_as_keywords():
    harmonic = load("@harmonic", k=4.0)  # the @ is optional
    assert harmonic.params == {"k": 4.0}
    assert float(harmonic.potential(3.0)) == pytest.approx(18.0)  # k x^2 / 2
    assert harmonic.descent_settings() == {"lr": 0.125, "steps": 1000}  # lr = 0.5/k follows k
    lj = load("lj-cluster", n=2, sigma=2.0)
    assert lj.params == {"eps": 1.0, "sigma": 2.0} and len(lj.variables) == 6 and lj.zero_modes == 5
    (minimum,) = lj.stationary
    assert float(lj.potential(minimum.point)) == pytest.approx(-1.0)  # -eps at r = 2^(1/6) sigma


def test_load_errors_are_gradcli_errors():
    with pytest.raises(InputError, match=r"'@morse' has no parameter 'k' \(its parameters: D, a, r0\)"):
        load("morse", k=1.0)
    with pytest.raises(UnknownPotentialError, match="did you mean '@morse'"):
        load("mores")


def test_load_searches_a_folder_given(write):
    folder = write("mywell")
    assert load("mywell", potentials_dir=folder).expression == "k*x**2"
    assert load("mywell", potentials_dir=[str(folder)]).params == {"k": 3.0}
    with pytest.raises(UnknownPotentialError):
        load("mywell")


def test_named_is_reachable_from_the_package_without_a_cost_at_import():
    assert gradcli.named.load("double-well").potential(3.0) == pytest.approx(-4.0)  # the tutorial's V(3)
    assert "named" not in gradcli.__all__
    code = "import sys, gradcli; print('gradcli.named' in sys.modules, 'sympy' in sys.modules)"
    out = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True).stdout
    assert out.split() == ["False", "False"]


def test_the_readme_example_shows_real_output():
    import doctest
    import re
    from pathlib import Path

    readme = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    (example,) = [block for block in re.findall(r"```python\n(.*?)```", readme, re.S) if "gradcli.named.load" in block]
    test = doctest.DocTestParser().get_doctest(example, {}, "README (From Python)", "README.md", 0)
    runner = doctest.DocTestRunner(optionflags=doctest.NORMALIZE_WHITESPACE)
    runner.run(test)
    assert runner.summarize(verbose=False) == (0, len(test.examples)) and len(test.examples) >= 8
