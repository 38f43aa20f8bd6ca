"""Loading, validating, searching and resolving named potentials (gradcli.named)."""

import math

import numpy as np
import pytest

from gradcli.errors import InputError, PotentialFileError, UnknownPotentialError
from gradcli.named import (
    ENV_VAR,
    FAMILIES,
    Resolved,
    builtin_dir,
    classify_kind,
    find_potential,
    list_potentials,
    resolve,
)

BUILTIN = {
    "double-well",
    "harmonic",
    "morse",
    "lennard-jones",
    "muller-brown",
    "himmelblau",
    "rosenbrock",
    "mexican-hat",
    "pendulum",
    "lj-cluster",
    "rosenbrock-nd",
}


def test_every_builtin_loads_with_references_and_stationary_points():
    errors = []
    specs = {s.name: s for s in list_potentials(errors=errors)}
    assert errors == []
    assert BUILTIN <= set(specs)
    for spec in specs.values():
        assert spec.references, spec.name
        assert spec.stationary, spec.name
        assert len(spec.start) == len(spec.variables)
        assert "\n" not in spec.description


def test_builtin_folder_is_found_through_importlib_resources():
    names = sorted(f.name for f in builtin_dir().iterdir() if f.name.endswith(".toml"))
    assert "morse.toml" in names and "muller-brown.toml" in names
    # A family name never collides with a file.
    assert not set(FAMILIES) & {n[: -len(".toml")] for n in names}


def test_parameters_keep_values_and_units():
    morse = find_potential("morse")
    assert morse.parameters["D"] == {"value": 4.747, "units": "eV"}
    assert find_potential("rosenbrock").parameters["b"] == {"value": 100.0, "units": None}


def test_multiline_expression_reads_as_one_line():
    assert "\n" not in find_potential("muller-brown").expression


# --- resolve -----------------------------------------------------------------


def test_resolve_plain_text_is_untouched():
    assert resolve("x**2 + k", {"k": 2.0}) == Resolved("x**2 + k", None, {"k": 2.0}, None)


def test_resolve_named_potential_overrides_defaults():
    r = resolve("@morse", {"D": 4.7})
    assert r.expression == "D*(1 - exp(-a*(r - r0)))**2"
    assert r.variables == ("r",)
    assert r.params == {"D": 4.7, "a": 1.944, "r0": 0.7414}
    assert r.name == "morse"


def test_resolve_unknown_parameter_names_the_valid_ones():
    with pytest.raises(InputError, match=r"'@morse' has no parameter 'k' \(its parameters: D, a, r0\)"):
        resolve("@morse", {"k": 1.0})
    with pytest.raises(InputError, match="its parameters: none"):
        resolve("@himmelblau", {"k": 1.0})


@pytest.mark.parametrize(
    "typo, suggestion",
    [
        ("@mores", "did you mean '@morse'?"),
        ("@muller_brown", "'@muller-brown'"),
        ("@lj-clustr", "'@lj-cluster'"),
    ],
)
def test_unknown_name_suggests_the_closest(typo, suggestion):
    with pytest.raises(UnknownPotentialError, match=f"unknown potential '{typo}'; .*{suggestion}"):
        resolve(typo, {})


def test_unknown_name_without_a_close_one_points_to_the_listing():
    with pytest.raises(UnknownPotentialError, match="run 'gradcli potentials' to list them"):
        find_potential("zzzzzz")


def test_a_name_cannot_walk_out_of_the_folder(write):
    folder = write("inner")
    (folder.parent / "outside.toml").write_text((folder / "inner.toml").read_text().replace("inner", "outside"))
    with pytest.raises(UnknownPotentialError):
        find_potential("../outside", [folder])


# --- families ------------------------------------------------------------------


def test_lj_cluster_is_sized_by_n():
    r = resolve("@lj-cluster", {"n": 4, "eps": 2.0})
    assert r.variables == tuple(f"{c}{i}" for i in range(1, 5) for c in "xyz")
    assert r.params == {"eps": 2.0, "sigma": 1.0}
    assert r.expression == "4*eps*((sigma/r)**12 - (sigma/r)**6)"  # the pair term, over every pair
    assert r.potential.n_atoms == 4 and r.potential.n == 12
    spec = find_potential("lj-cluster").bind({"n": 4, "eps": 2.0})[0]
    assert spec.stationary[0].value == -12.0  # tetrahedron: 6 pairs at the pair minimum, -eps each
    assert spec.parameters["n"]["value"] == 4


def test_lj_cluster_scales_its_minimum_with_sigma():
    spec = find_potential("lj-cluster").bind({"n": 2, "sigma": 3.4})[0]
    (minimum,) = spec.stationary
    assert minimum.point[3] == pytest.approx(2 ** (1 / 6) * 3.4)


def test_rosenbrock_nd_is_sized_by_n():
    r = resolve("@rosenbrock-nd", {"n": 10})
    assert r.variables == tuple(f"x{i}" for i in range(1, 11))
    assert r.params == {}


@pytest.mark.parametrize(
    "name, n",
    [
        ("lj-cluster", 1),
        ("lj-cluster", 2.5),
        ("lj-cluster", 10_000),
        ("rosenbrock-nd", 0),
        ("rosenbrock-nd", 1e9),
    ],
)
def test_family_size_is_validated(name, n):
    with pytest.raises(InputError, match="parameter n must be an integer from 2 to"):
        resolve(f"@{name}", {"n": n})


# --- user folders and shadowing -------------------------------------------------------


def test_potentials_dir_adds_and_shadows(write):
    folder = write("morse", expression="k*x**4")
    write("mywell")
    names = {s.name: s for s in list_potentials([folder])}
    assert "mywell" in names
    assert names["morse"].expression == "k*x**4"
    assert resolve("@morse", {}, [folder]).expression == "k*x**4"
    assert resolve("@morse", {}).expression.startswith("D*")


def test_environment_variable_adds_folders_in_order(write, monkeypatch, tmp_path):
    first = write("well", expression="k*x**2", folder="first")
    second = write("well", expression="k*x**6", folder="second")
    write("other", folder="second")
    import os

    monkeypatch.setenv(ENV_VAR, os.pathsep.join([str(first), "", str(second)]))  # an empty entry is skipped
    assert resolve("@well", {}).expression == "k*x**2"
    assert resolve("@other", {}).name == "other"
    # --potentials-dir comes before the environment variable.
    third = write("well", expression="k*x**8", folder="third")
    assert resolve("@well", {}, [third]).expression == "k*x**8"


def test_missing_potentials_dir_is_an_input_error(tmp_path):
    with pytest.raises(InputError, match="does not exist"):
        list_potentials([tmp_path / "nope"])


def test_missing_folder_in_the_environment_variable_is_an_input_error(write, monkeypatch, tmp_path):
    # Issue 14 item 6: like --potentials-dir, not silently skipped.
    import os

    monkeypatch.setenv(ENV_VAR, os.pathsep.join([str(write("well")), str(tmp_path / "nope")]))
    message = f"potentials folder '{tmp_path / 'nope'}' (in $GRADCLI_POTENTIALS) does not exist or is not a folder"
    for call in (lambda: list_potentials(), lambda: resolve("@morse", {}), lambda: find_potential("well")):
        with pytest.raises(InputError) as raised:
            call()
        assert raised.value.message == message
    # A typed expression looks nothing up.
    assert resolve("x**2", {}).expression == "x**2"


# --- malformed files ----------------------------------------------------------------

BAD = {
    "bad TOML": ('name = "broken"\nexpression = \n', "not valid TOML"),
    "missing field": (
        'name = "broken"\ndescription = "d"\nvariables = ["x"]\nstart = [1]\n',
        "field 'expression' is missing",
    ),
    "wrong type": (
        'name = "broken"\ndescription = "d"\nexpression = "x"\nvariables = "x"\nstart = [1]\n',
        "field 'variables' must be a non-empty list of names",
    ),
    "name mismatch": (
        'name = "other"\ndescription = "d"\nexpression = "x"\nvariables = ["x"]\nstart = [1]\n',
        "field 'name' is 'other' but the file is broken.toml",
    ),
    "two-line description": (
        'name = "broken"\ndescription = """a\nb"""\nexpression = "x"\nvariables = ["x"]\nstart = [1]\n',
        "field 'description' must be one non-empty line",
    ),
    "start of the wrong length": (
        'name = "broken"\ndescription = "d"\nexpression = "x"\nvariables = ["x"]\nstart = [1, 2]\n',
        "field 'start' must be a list of 1 finite number",
    ),
    "unknown field": (
        'name = "broken"\ndescription = "d"\nexpression = "x"\nvariables = ["x"]\nstart = [1]\nstationnary = []\n',
        "unknown field 'stationnary'",
    ),
    "bad parameter": (
        'name = "broken"\ndescription = "d"\nexpression = "k*x"\nvariables = ["x"]\nstart = [1]\n'
        '[parameters]\nk = "two"\n',
        "field 'parameters.k' must be a finite number",
    ),
    "parameter named like a variable": (
        'name = "broken"\ndescription = "d"\nexpression = "x"\nvariables = ["x"]\nstart = [1]\n[parameters]\nx = 1\n',
        "field 'parameters.x'",
    ),
    "bad kind": (
        'name = "broken"\ndescription = "d"\nexpression = "x**2"\nvariables = ["x"]\nstart = [1]\n'
        '[[stationary]]\npoint = [0]\nvalue = 0\nkind = "minimun"\n',
        r"field 'stationary\[0\].kind' must be one of minimum, maximum, saddle",
    ),
    "stationary point missing its value": (
        'name = "broken"\ndescription = "d"\nexpression = "x**2"\n'
        'variables = ["x"]\nstart = [1]\n[[stationary]]\npoint = [0]\n'
        'kind = "minimum"\n',
        r"field 'stationary\[0\].value' is missing",
    ),
    "boolean as a number": (
        'name = "broken"\ndescription = "d"\nexpression = "x**2"\nvariables = ["x"]\nstart = [true]\n',
        "field 'start'",
    ),
}


@pytest.mark.parametrize("case", sorted(BAD))
def test_malformed_file_is_reported_and_the_others_still_load(case, write):
    text, problem = BAD[case]
    folder = write("broken", text)
    write("fine")
    errors = []
    names = {s.name for s in list_potentials([folder], errors=errors)}
    assert "fine" in names and "morse" in names and "broken" not in names
    (error,) = errors
    assert isinstance(error, PotentialFileError)
    assert str(folder / "broken.toml") in error.message
    assert error.message.count(": ") >= 1
    import re

    assert re.search(problem, error.message), error.message
    # Asking for it by name reports the same problem.
    with pytest.raises(PotentialFileError, match=problem):
        find_potential("broken", [folder])


def test_malformed_file_without_an_errors_list_warns(write):
    folder = write("broken", BAD["bad TOML"][0])
    with pytest.warns(UserWarning, match="broken.toml: not valid TOML"):
        names = {s.name for s in list_potentials([folder])}
    assert "morse" in names


def test_builtin_errors_name_the_potentials_folder(monkeypatch, tmp_path):
    from gradcli.named import registry

    (tmp_path / "oops.toml").write_text('name = "oops"\n')
    monkeypatch.setattr(registry, "builtin_dir", lambda: tmp_path)
    errors = []
    registry.list_potentials(errors=errors)
    assert errors[0].message == "potentials/oops.toml: field 'description' is missing"


# --- classifying a stationary point ---------------------------------------------------


@pytest.mark.parametrize(
    "eigenvalues, zero_modes, kind",
    [
        ([1.0, 2.0], 0, "minimum"),
        ([-1.0, -2.0], 0, "maximum"),
        ([-1.0, 2.0], 0, "saddle"),
        ([0.0, 2.0], 0, "degenerate"),
        ([1e-14, 8.0], 1, "minimum"),
        ([0.5, 8.0], 1, "minimum"),  # 0.5 is not zero: nothing is set aside, it counts
        ([-0.5, 8.0], 1, "saddle"),  # ... so a wrong zero_modes cannot hide a negative curvature
        ([1e-5, 2e-5, 8.0], 2, "minimum"),  # rotations at a point quoted to 4 figures
        ([0.0] * 6 + [1.0] * 3, 6, "minimum"),
        ([0.0] * 6 + [1.0] * 3, 5, "degenerate"),
    ],
)
def test_classify_kind(eigenvalues, zero_modes, kind):
    assert classify_kind(eigenvalues, zero_modes) == kind


def test_published_constants_behind_the_defaults():
    # Morse H2: 2 D a^2 is the harmonic force constant, mu (2 pi c omega_e)^2 = 575 N/m.
    D, a = 4.747, 1.944
    eV_per_A2_in_N_per_m = 1.602176634e-19 / 1e-20
    assert 2 * D * a**2 * eV_per_A2_in_N_per_m == pytest.approx(575, rel=2e-3)
    # Argon: eps = 119.8 K * k_B in eV.
    eps = find_potential("lennard-jones").defaults["eps"]
    assert eps == pytest.approx(119.8 * 1.380649e-23 / 1.602176634e-19, rel=1e-4)
    assert find_potential("lennard-jones").stationary[0].point[0] == pytest.approx(2 ** (1 / 6) * 3.405)
    assert find_potential("double-well").stationary[0].point[0] == pytest.approx(math.sqrt(5))


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(FAMILIES))
def test_largest_family_member_still_compiles(name):
    # rosenbrock-nd: the size bound is where the written-out expression still fits the parser's limit;
    # the clusters are particle potentials (one pair term whatever n), bounded at 1000 atoms.
    n_max = FAMILIES[name].n_max
    r = resolve(f"@{name}", {"n": n_max})
    V = r.potential
    assert V.n == len(r.variables) == (3 * n_max if name.endswith("-cluster") else n_max)
    assert np.isfinite(V(np.array(r.start)))
