"""The commands saddle, path and modes: values against the listed stationary
points (potentials/*.toml: Müller & Brown 1979), H2's ωe (Huber & Herzberg
1979), the central-force tetrahedron; every error path's message and exit code."""

import math

import numpy as np
import pytest
from ts_helpers import by_note, invoke, invoke_json

S1 = "between MA and MC"
S2 = "between MC and MB"


# --- saddle -------------------------------------------------------------------


def test_saddle_finds_s1_with_its_transition_vector():
    out = invoke_json("saddle", "@muller-brown", "--x0", "-0.8,0.6")
    s1, v1 = by_note("muller-brown", S1)
    assert out["status"] == "converged" and out["index"] == 1 and out["kind"] == "saddle"
    np.testing.assert_allclose(out["point"], s1, atol=1e-6)
    assert out["value"] == pytest.approx(v1, abs=1e-6)
    vectors = np.array(out["eigenvectors"])
    assert vectors.shape == (2, 2) and out["eigenvalues"][0] < 0 < out["eigenvalues"][1]
    np.testing.assert_allclose(out["transition_vector"], vectors[0])
    assert out["evaluations"]["hessian"] == out["steps"] + 1


def test_saddle_from_a_label_and_following_a_mode():
    out = invoke_json("saddle", "@muller-brown", "--x0", "MA", "--follow", "2")
    s1, _ = by_note("muller-brown", S1)
    np.testing.assert_allclose(out["point"], s1, atol=1e-6)
    out = invoke_json("saddle", "@muller-brown", "--x0", "mc", "--follow", "lowest")
    s2, _ = by_note("muller-brown", S2)
    assert min(np.abs(np.array(out["point"]) - s1).max(), np.abs(np.array(out["point"]) - s2).max()) < 1e-6


def test_saddle_table():
    result = invoke("saddle", "@himmelblau", "--x0", "3.3,0.2")
    assert result.exit_code == 0
    for text in ("converged", "1 (saddle); asked for 1", "13.31192627", "Hessian eigenvalues and eigenvectors"):
        assert text in result.stdout


def test_saddle_that_cannot_converge_exits_1_and_says_why():
    result = invoke("saddle", "x**2 + y**2", "--x0", "1,1")
    assert result.exit_code == 1
    assert "error: not converged: the climb left the basin without meeting negative curvature" in result.stderr
    out = invoke_json("saddle", "x**2 + y**2", "--x0", "1,1", exit_code=1)
    assert out["status"] == "ran-away" and out["kind"] == "minimum" and out["transition_vector"] is None


def test_saddle_stopped_at_a_minimum_is_not_a_saddle():
    out = invoke_json("saddle", "@muller-brown", "--x0", "MA", "--steps", "0", exit_code=1)
    assert (out["status"], out["kind"], out["index"]) == ("wrong-index", "minimum", 0)
    assert out["message"] == "stopped at a minimum (index 0), not a saddle of index 1"


@pytest.mark.parametrize(
    "args, message",
    [
        (
            ("@muller-brown", "--x0", "S9"),
            "--x0 S9: @muller-brown has no point of that name; it lists M1, M2, M3, MA, MB, MC, S1, S2",
        ),
        (("x**2 - y**2", "--x0", "S1"), "--x0 S1: not a point (a typed expression has no listed points)"),
        (("x**2 - y**2",), "--x0 POINT is required"),
        (("@muller-brown", "--follow", "3"), "--follow 3: give 'lowest' or a mode number from 1 to 2"),
        (("@muller-brown", "--trust", "0"), "--trust 0: must be positive"),
        (("@muller-brown", "--zero-modes", "2"), "--zero-modes 2: must be from 0 to 1"),
        (("@muller-brown", "--index", "3"), "the index must be an integer from 0 to 2"),
        (("@morse", "--param", "D=5", "--x0", "M1"), "--x0 M1: @morse's points are listed for its default parameters"),
    ],
)
def test_saddle_bad_input(args, message):
    result = invoke("saddle", *args)
    assert result.exit_code == 2, result.stdout
    assert message in result.stderr


# --- path ---------------------------------------------------------------------


def test_path_muller_brown_from_ma_to_mb(tmp_path):
    plot = tmp_path / "mb.png"
    out = invoke_json("path", "@muller-brown", "--from", "MA", "--to", "MB", "--plot", plot)
    (ma, v_ma), (mb, v_mb), (mc, v_mc) = (by_note("muller-brown", w) for w in ("MA", "MB", "MC"))
    (s1, v1), (s2, v2) = by_note("muller-brown", S1), by_note("muller-brown", S2)
    assert out["converged"] and out["band"]["status"] == "converged"
    np.testing.assert_allclose([s["point"] for s in out["saddles"]], [s1, s2], atol=1e-6)
    assert [s["index"] for s in out["saddles"]] == [1, 1]
    np.testing.assert_allclose(out["minima"][0]["point"], mc, atol=1e-6)
    assert out["forward_barrier"] == pytest.approx(v1 - v_ma, abs=1e-6)
    assert out["backward_barrier"] == pytest.approx(v1 - v_mb, abs=1e-6)
    assert out["barriers"][1] == {
        "saddle": 2,
        "forward": pytest.approx(v2 - v_mc, abs=1e-6),
        "backward": pytest.approx(v2 - v_mb, abs=1e-6),
    }
    assert len(out["images"]) == 11 and out["images"][0]["arc_length"] == 0.0
    assert plot.read_bytes()[:8] == b"\x89PNG\r\n\x1a\n" and out["plot"] == str(plot)


def test_path_table_and_energy_profile_for_one_variable(tmp_path):
    plot = tmp_path / "well.svg"
    result = invoke("path", "x**4 - 10*x**2 + 5", "--from", "-2", "--to", "2", "--plot", plot)
    assert result.exit_code == 0, result.stderr
    assert "forward barrier  │ 25 " in result.stdout and "saddle 1" in result.stdout
    assert plot.read_text().lstrip().startswith("<?xml")
    out = invoke_json("path", "x**4 - 10*x**2 + 5", "--from", str(-math.sqrt(5)), "--to", str(math.sqrt(5)))
    assert out["forward_barrier"] == pytest.approx(25.0, abs=1e-12)


def test_path_options():
    out = invoke_json(
        "path",
        "@muller-brown",
        "--from",
        "MA",
        "--to",
        "MB",
        "--no-climb",
        "--images",
        "15",
        "--spring",
        "1",
        "--no-relax",
    )
    assert out["climbing_image"] is None and len(out["images"]) == 15 and out["start"] is None
    assert out["band"]["spring"] == 1.0 and len(out["saddles"]) == 2


def test_path_that_does_not_converge_exits_1():
    result = invoke("path", "@muller-brown", "--from", "MA", "--to", "MB", "--steps", "3")
    assert result.exit_code == 1
    assert "error: the band did not converge in 3 FIRE steps" in result.stderr


@pytest.mark.parametrize(
    "args, code, message",
    [
        (("--from", "MA", "--to", "MA"), 1, "the start and end are the same point after relaxing"),
        (("--from", "MA", "--to", "MB", "--spring", "0"), 2, "--spring 0: must be positive"),
        (("--from", "MA", "--to", "MB", "--fmax", "-1"), 2, "--fmax -1: must be positive"),
        (("--from", "MA", "--to", "MB", "--plot", "band.txt"), 2, "must end in .png, .svg or .pdf"),
        (("--from", "1,2,3", "--to", "MB"), 2, "--from"),
    ],
)
def test_path_bad_input(args, code, message):
    result = invoke("path", "@muller-brown", *args)
    assert result.exit_code == code, (result.stdout, result.stderr)
    assert message in result.stderr


# --- modes --------------------------------------------------------------------


def test_modes_at_morse_needs_no_options():
    out = invoke_json("modes", "@morse")
    (mode,) = out["modes"]
    assert mode["frequency_cm1"] == pytest.approx(4401.213, abs=2.0)
    assert out["units"] == {"energy": "eV", "length": "Å", "mass": "amu"} and out["masses"] == [0.503912516]
    assert out["zero_point_energy_meV"] == pytest.approx(mode["frequency_meV"] / 2, rel=1e-12)


def test_modes_at_a_muller_brown_saddle_has_one_imaginary_frequency():
    out = invoke_json("modes", "@muller-brown", "--at", "S1")
    assert out["imaginary"] == 1 and [m["kind"] for m in out["modes"]] == ["imaginary", "real"]
    assert out["modes"][0]["label"].endswith("i")
    table = invoke("modes", "@muller-brown", "--at", "S1").stdout
    assert out["modes"][0]["label"] in table and "ω (reduced)" in table


def test_modes_of_the_lennard_jones_tetrahedron():
    # Central forces on a regular tetrahedron of equal springs k (the LJ pair's
    # 72 * 2^(-1/3) at its minimum), masses 1: ω² = k (E, twice), 2k (T2, three
    # times), 4k (A1); 6 rigid motions projected out.
    out = invoke_json("modes", "@lj-cluster", "--param", "n=4")
    k = 72 * 2 ** (-1 / 3)
    omega = [m["frequency_omega"] for m in out["modes"]]
    assert out["projected"] == 6 and [m["kind"] for m in out["modes"]][:6] == ["zero"] * 6
    np.testing.assert_allclose(omega[6:], np.sqrt([k, k, 2 * k, 2 * k, 2 * k, 4 * k]), rtol=1e-9)


def test_modes_of_a_typed_triatomic_with_element_masses():
    # Two harmonic bonds of a linear symmetric triatomic (CO2-like), eV and Å.
    names = ",".join(f"{c}{i}" for i in (1, 2, 3) for c in "xyz")
    bond = "(sqrt((x{0}-x{1})**2+(y{0}-y{1})**2+(z{0}-z{1})**2)-1.16)**2"
    expression = f"50*({bond.format(1, 2)} + {bond.format(2, 3)})"
    at = "0,0,-1.16,0,0,0,0,0,1.16"
    out = invoke_json("modes", expression, "--vars", names, "--at", at, "--masses", "O,C,O")
    kinds = [m["kind"] for m in out["modes"]]
    # 5 rigid motions projected; the 2 bends cost nothing in a bonds-only model: zero too.
    assert out["projected"] == 5 and kinds.count("zero") == 7 and kinds.count("real") == 2
    # The symmetric stretch: only the O atoms move, ω² = k/m(O) with k = 100 eV/Å².
    stretch = math.sqrt(100 * 1.602176634e-19 / (1e-20 * 15.999 * 1.66053906660e-27)) / (2 * math.pi * 29979245800)
    assert any(m["frequency_cm1"] == pytest.approx(stretch, rel=1e-9) for m in out["modes"])
    plain = invoke_json("modes", expression, "--vars", names, "--at", at, "--masses", "O,C,O", "--no-project")
    assert plain["projected"] == 0


@pytest.mark.parametrize(
    "args, message",
    [
        (("x**2 + y**2",), "--at POINT is required"),
        (("x**2 + y**2", "--at", "0,0", "--masses", "Qx"), "a mass is a positive number or an element symbol"),
        (("x**2 + y**2", "--at", "0,0", "--units", "eV,furlong,amu"), "unknown length unit 'furlong'"),
        (("x**2 + y**2", "--at", "0,0", "--project"), "needs atomic coordinates"),
        (("x**2 + y**2", "--at", "0,0", "--project", "--zero-modes", "1"), "--project and --zero-modes"),
        (("@muller-brown", "--at", "S7"), "--at S7: @muller-brown has no point of that name"),
        (("@pendulum",), "@pendulum's coordinates are angles (rad)"),
    ],
)
def test_modes_bad_input(args, message):
    result = invoke("modes", *args)
    assert result.exit_code == 2, (result.stdout, result.stderr)
    assert message in result.stderr


# --- force-constant: eigenvectors and listed points ---------------------------


def test_force_constant_eigenvectors_at_a_listed_point():
    out = invoke_json("force-constant", "@muller-brown", "--at", "S1")
    s1, _ = by_note("muller-brown", S1)
    np.testing.assert_allclose(out["point"], s1)
    hessian, vectors = np.array(out["hessian"]), np.array(out["eigenvectors"])
    for value, vector in zip(out["eigenvalues"], vectors):
        np.testing.assert_allclose(hessian @ vector, value * vector, atol=1e-9 * abs(value))
    np.testing.assert_allclose(vectors @ vectors.T, np.eye(2), atol=1e-12)
    assert out["classification"] == "saddle" and out["saddle_index"] == 1
    table = invoke("force-constant", "@muller-brown", "--at", "S1").stdout
    # Each eigenvalue's row carries its eigenvector's components under x and y.
    assert "-750.8626628 │ 0.7613963558 │ -0.6482866568" in table


def test_force_constant_eigenvectors_beyond_eight_variables_are_in_the_json():
    result = invoke("force-constant", "@lj-cluster", "--param", "n=3", "--at", "M1")
    assert result.exit_code == 0
    assert "eigenvectors of 9 variables: see --json" in result.stdout
    out = invoke_json("force-constant", "@lj-cluster", "--param", "n=3", "--at", "M1")
    assert np.array(out["eigenvectors"]).shape == (9, 9) and out["classification"] == "minimum"


def test_force_constant_unknown_label():
    result = invoke("force-constant", "@himmelblau", "--at", "S5")
    assert result.exit_code == 2
    assert (
        "--at S5: @himmelblau has no point of that name; it lists M1, M2, M3, M4, S1, S2, S3, S4, X1" in result.stderr
    )


def test_path_of_one_atom_uses_the_per_atom_force():
    # x1, y1, z1: atomic coordinates, so the band's fmax is the atom's force norm (ASE's criterion).
    out = invoke_json(
        "path",
        "(x1**2 - 1)**2 + y1**2 + z1**2",
        "--vars",
        "x1,y1,z1",
        "--from",
        "-0.9,0.1,0",
        "--to",
        "1.1,0,0.1",
        "--images",
        "7",
    )
    assert out["forward_barrier"] == pytest.approx(1.0, abs=1e-12)
    np.testing.assert_allclose(out["saddles"][0]["point"], [0.0, 0.0, 0.0], atol=1e-9)
    assert out["band"]["fmax"] < 0.05
