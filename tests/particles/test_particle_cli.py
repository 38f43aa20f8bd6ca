"""Particle systems on the command line: --pair/--atoms/--cutoff/--one-body, .xyz files as
--x0/--at, --output and --trajectory (read back by ASE), and the cluster families.

References: the Cambridge Cluster Database's LJ13 and LJ38 energies (-44.326801, -173.928427;
Wales & Doye, J. Phys. Chem. A 101, 5111 (1997))."""

import numpy as np
import pytest
from cli_helpers import invoke as run
from cli_helpers import invoke_json as run_json

from gradcli.named import load
from gradcli.particles import ParticlePotential
from gradcli.particles.clusters import icosahedron_13
from gradcli.particles.xyz import read_xyz, write_xyz

ase_io = pytest.importorskip("ase.io")
LJ = "4*((1/r)**12-(1/r)**6)"


def perturbed(points, seed, size=0.05):
    return np.asarray(points).reshape(-1, 3) + np.random.default_rng(seed).uniform(-size, size, (len(points) // 3, 3))


@pytest.mark.parametrize("n, energy", [(13, -44.326801), (38, -173.928427)])
def test_lj_clusters_descend_from_the_perturbed_minimum_to_the_ccd_energy(tmp_path, n, energy):
    start = tmp_path / "start.xyz"
    write_xyz(start, perturbed(load("lj-cluster", n=n).stationary[0].point, seed=n), "Ar")
    out = run_json("descend", "@lj-cluster", "--param", f"n={n}", "--x0", start, "--output", tmp_path / "min.xyz")
    assert out["status"] == "converged" and out["value"] == pytest.approx(energy, abs=1e-6)
    final = ase_io.read(tmp_path / "min.xyz")
    assert final.get_chemical_symbols() == ["Ar"] * n  # the start file's elements
    assert final.get_potential_energy() == out["value"]
    np.testing.assert_array_equal(final.positions.ravel(), out["x"])


def test_lj13_from_the_family_start_with_its_trajectory(tmp_path):
    path = tmp_path / "path.xyz"
    out = run_json("descend", "@lj-cluster", "--trajectory", path)
    assert out["value"] == pytest.approx(-44.326801, abs=1e-6)
    frames = ase_io.read(path, index=":")
    assert len(frames) == len(out["trajectory"])
    for frame, point in zip(frames[::50], out["trajectory"][::50]):
        assert frame.info["step"] == point["step"] and frame.get_potential_energy() == point["value"]
        np.testing.assert_array_equal(frame.positions.ravel(), point["x"])


def test_a_pair_term_with_atoms_from_the_start_file(tmp_path):
    start = tmp_path / "ico.xyz"
    write_xyz(start, perturbed(icosahedron_13().ravel(), seed=1), "Kr")
    out = run_json("descend", "--pair", LJ, "--x0", start, "--lr", "0.001", "--steps", "20000")
    assert out["variables"][:4] == ["x1", "y1", "z1", "x2"]
    assert out["expression"] == f"pair {LJ} over 13 atoms (3D)"
    assert out["value"] == pytest.approx(-44.326801, abs=1e-6)
    at = tmp_path / "at.xyz"
    write_xyz(at, np.array(out["x"]).reshape(13, 3), "Kr")
    constants = run_json("force-constant", "--pair", LJ, "--at", at, "--zero-modes", "6")
    assert constants["classification"] == "minimum"


def test_cutoff_and_one_body_from_the_command_line():
    x = [0, 0, 0, 1.2, 0, 0, 0, 1.3, 0.2]
    out = run_json(
        "grad",
        "--pair",
        "4*eps*((1/r)**12-(1/r)**6)",
        "--atoms",
        "3",
        "--cutoff",
        "1.25",
        "--one-body",
        "g*z",
        "--param",
        "eps=2",
        "--param",
        "g=0.5",
        "--at",
        ",".join(map(str, x)),
    )
    V = ParticlePotential("4*eps*((1/r)**12-(1/r)**6)", 3, params={"eps": 2, "g": 0.5}, cutoff=1.25, one_body="g*z")
    assert out["value"] == pytest.approx(V(x), rel=1e-14)
    assert "cutoff 1.25 (energy-shifted by" in out["expression"]
    result = run("grad", "--pair", LJ, "--atoms", "2", "--dim", "2", "--at", "0,0,1.1,0")
    assert result.exit_code == 0 and "x2" in result.stdout and "z1" not in result.stdout


@pytest.mark.parametrize(
    "args, message",
    [
        (("grad", "--at", "1"), "error: EXPR is missing"),
        (("grad", "x**2", "--atoms", "3", "--at", "1"), "error: --atoms goes with --pair EXPR"),
        (("grad", "x**2", "--pair", LJ, "--atoms", "2", "--at", "1"), "error: give EXPR or --pair EXPR, not both"),
        (("grad", "--pair", LJ, "--at", "0,0,0,1,0,0"), "error: --pair needs --atoms N, or a coordinate file"),
        (("grad", "--pair", LJ, "--atoms", "2", "--vars", "a", "--at", "1"), "error: --vars does not apply to --pair"),
        (("grad", "--pair", LJ, "--atoms", "2", "--param", "k=1", "--at", "0,0,0,1,0,0"), "error: --param k:"),
        (
            ("grad", "--pair", LJ, "--atoms", "2", "--at", "0,0,0,0,0,0"),
            "error: division by zero in the pair term at r=0 (atoms 1 and 2)",
        ),
    ],
)
def test_particle_option_errors(args, message):
    result = run(*args)
    assert result.exit_code in (1, 2) and result.stderr.startswith(message), result.stderr
    assert result.exit_code == (1 if "division" in message else 2)


def test_bad_coordinate_files_are_one_line_errors(tmp_path):
    bad = tmp_path / "bad.xyz"
    bad.write_text("2\ncomment\nAr 0 0 0\nAr 1 x 0\n")
    result = run("descend", "@lj-cluster", "--param", "n=2", "--x0", bad)
    assert result.exit_code == 2
    assert result.stderr.strip() == f"error: {bad}, line 4: coordinate 'x' is not a number"
    result = run("descend", "@lj-cluster", "--output", tmp_path / "final.txt")
    assert result.exit_code == 2 and "--output" in result.stderr and "must end in .xyz or .extxyz" in result.stderr
    result = run("descend", "@lj-cluster", "--trajectory", tmp_path / "no" / "path.xyz")
    assert result.exit_code == 2 and "does not exist" in result.stderr
    assert not (tmp_path / "final.txt").exists()


def test_morse_cluster_writes_its_end_point(tmp_path):
    out = run_json("descend", "@morse-cluster", "--output", tmp_path / "m13.xyz")
    assert out["value"] == pytest.approx(-42.439863, abs=1e-6)  # CCD, rho = 6
    (frame,) = read_xyz(tmp_path / "m13.xyz")
    assert frame.symbols == ("X",) * 13 and float(frame.info["energy"]) == out["value"]


@pytest.mark.slow
def test_the_readme_particle_example_runs_in_order(tmp_path, monkeypatch):
    # README "Particle systems": the Python blocks (doctests) and the command lines, in one folder, in order.
    import doctest
    import re
    import shlex
    from pathlib import Path

    text = (Path(__file__).resolve().parents[2] / "README.md").read_text(encoding="utf-8")
    section = text[text.index("## Particle systems") :]
    section = section.split("\n## ", 1)[0]  # up to the next section
    monkeypatch.chdir(tmp_path)
    namespace = {}
    for language, body in re.findall(r"```(python|text)\n(.*?)```", section, re.S):
        if language == "text":
            for line in body.splitlines():
                result = run(*shlex.split(line)[1:])
                assert result.exit_code == 0, (line, result.stderr)
            continue
        test = doctest.DocTestParser().get_doctest(body, namespace, "README", "README.md", 0)
        runner = doctest.DocTestRunner(optionflags=doctest.ELLIPSIS | doctest.NORMALIZE_WHITESPACE)
        runner.run(test, clear_globs=False)
        assert runner.failures == 0


@pytest.mark.parametrize(
    "n, dim, one_body, expected",
    [
        (13, 3, None, 6),
        (2, 3, None, 5),
        (5, 2, None, 3),
        (4, 1, None, 1),
        (1, 3, None, 0),
        (13, 3, "z**2", 0),
    ],
)
def test_a_pair_system_sets_aside_its_translations_and_rotations(n, dim, one_body, expected):
    V = ParticlePotential(LJ, n, dim=dim, one_body=one_body)
    assert V.symmetry_zero_modes == expected


def test_force_constant_of_a_typed_pair_sets_aside_six_zero_modes(tmp_path):
    at = tmp_path / "lj13.xyz"
    write_xyz(at, np.reshape(load("lj-cluster", n=13).stationary[0].point, (13, 3)), "Ar")
    out = run_json("force-constant", "--pair", LJ, "--at", at)
    assert out["classification"] == "minimum" and out["zero_modes"] == 6
