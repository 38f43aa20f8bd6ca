"""XYZ / extended XYZ files: round trips through ASE (ase.io, the reference
reader and writer), element masses against ASE's table, and every bad file's
one-line message naming the file and the line."""

import numpy as np
import pytest

from gradcli.errors import InputError
from gradcli.particles.elements import MASSES, mass
from gradcli.particles.xyz import format_frame, read_frame, read_xyz, write_xyz

ase_io = pytest.importorskip("ase.io")


def positions(n=5, seed=0):
    return np.random.default_rng(seed).normal(scale=2.0, size=(n, 3))


def test_a_trajectory_written_here_is_read_back_exactly_by_ase(tmp_path):
    path = tmp_path / "path.xyz"
    frames = np.stack([positions(seed=s) for s in range(4)])
    write_xyz(
        path,
        frames,
        ["Ar", "Ar", "Kr", "Xe", "Ar"],
        energies=[-1.5, -2.0, -2.25, -2.5],
        forces=-frames,
        info=[{"step": 10 * s, "method": "lbfgs"} for s in range(4)],
    )
    atoms = ase_io.read(path, index=":")
    assert len(atoms) == 4
    for s, a in enumerate(atoms):
        np.testing.assert_array_equal(a.positions, frames[s])
        np.testing.assert_array_equal(a.get_forces(), -frames[s])
        assert a.get_chemical_symbols() == ["Ar", "Ar", "Kr", "Xe", "Ar"]
        assert a.get_potential_energy() == [-1.5, -2.0, -2.25, -2.5][s]
        assert a.info["step"] == 10 * s and a.info["method"] == "lbfgs"
    ours = read_xyz(path)
    assert [f.info["energy"] for f in ours] == ["-1.5", "-2.0", "-2.25", "-2.5"]
    np.testing.assert_array_equal(ours[3].positions, frames[3])


@pytest.mark.parametrize("fmt", ["xyz", "extxyz"])
def test_files_written_by_ase_are_read_exactly(tmp_path, fmt):
    from ase import Atoms

    path = tmp_path / f"ase.{fmt}"
    images = []
    for s in range(3):
        a = Atoms("CH4", positions=positions(5, seed=s), cell=[10, 11, 12], pbc=(fmt == "extxyz"))
        a.set_array("charges_extra", np.arange(5.0) + s)  # an extra column before nothing: must be skipped
        a.info["energy_note"] = s
        images.append(a)
    ase_io.write(path, images, format=fmt)
    frames, theirs = read_xyz(path), ase_io.read(path, index=":", format=fmt)
    assert len(frames) == len(theirs) == 3
    for s, frame in enumerate(frames):
        assert frame.symbols == ("C", "H", "H", "H", "H")
        np.testing.assert_array_equal(frame.positions, theirs[s].positions)  # ASE writes 8 decimals
    assert read_frame(path).line == 15  # the last frame (ase.io.read's default) starts at line 15
    np.testing.assert_allclose(frames[0].masses(), images[0].get_masses(), rtol=1e-3)


def test_properties_put_the_positions_where_they_say(tmp_path):
    path = tmp_path / "cols.xyz"
    path.write_text(
        '2\nLattice="5 0 0 0 5 0 0 0 5" Properties=id:I:1:species:S:1:m:R:1:pos:R:3 pbc="T T T"\n'
        "1 Ar 39.9 0.5 1.5 2.5\n2 Ne 20.2 -1 -2 -3\n"
    )
    frame = read_xyz(path)[0]
    assert frame.symbols == ("Ar", "Ne") and frame.info["Lattice"] == "5 0 0 0 5 0 0 0 5"
    np.testing.assert_array_equal(frame.positions, [[0.5, 1.5, 2.5], [-1, -2, -3]])


def test_coordinates_for_fewer_dimensions(tmp_path):
    path = tmp_path / "plane.xyz"
    write_xyz(path, [[1.0, 2.0], [3.0, 4.0]], "X")
    frame = read_xyz(path)[0]
    np.testing.assert_array_equal(frame.coordinates(2), [1, 2, 3, 4])
    np.testing.assert_array_equal(frame.coordinates(), [1, 2, 0, 3, 4, 0])
    path.write_text("2\n\nX 1 2 0\nX 3 4 0.5\n")
    with pytest.raises(InputError, match=r"plane.xyz, line 4: a 2-dimensional system needs coordinate z of 0"):
        read_xyz(path)[0].coordinates(2)


def test_masses_agree_with_ase():
    from ase.data import atomic_masses, atomic_numbers

    for symbol, value in MASSES.items():
        assert value == pytest.approx(atomic_masses[atomic_numbers[symbol]], rel=2e-4), symbol
    assert mass("ar") == MASSES["Ar"]
    with pytest.raises(InputError, match=r"^f.xyz, line 3: no atomic mass known for the element symbol 'Q'$"):
        mass("Q", "f.xyz, line 3")


@pytest.mark.parametrize(
    "text, message",
    [
        ("", r"^{p}: no frames \(the file is empty\)$"),
        ("two\n\nAr 0 0 0\n", r"^{p}, line 1: expected the number of atoms, got 'two'$"),
        ("-1\n\n", r"^{p}, line 1: the number of atoms must be 0 or more, got -1$"),
        ("2", r"^{p}, line 1: the file ends before the comment line of a frame of 2 atoms$"),
        (
            "3\nc\nAr 0 0 0\n",
            r"^{p}, line 3: the file ends 2 atom lines short of the frame of 3 atoms that starts at line 1$",
        ),
        ("1\nc\nAr 0 0\n", r"^{p}, line 3: expected an element symbol and 3 coordinates, got 'Ar 0 0'$"),
        ("1\nc\nAr 0 zero 0\n", r"^{p}, line 3: coordinate 'zero' is not a number$"),
        ("1\nc\nAr 0 nan 0\n", r"^{p}, line 3: coordinate 'nan' is not a finite number$"),
        ("1\nc\nAr 0 0 0\n\n1\nc\nAr 1 1 1\n", r"^{p}, line 4: expected the number of atoms, got an empty line$"),
        (
            "1\nProperties=species:S:1:pos:R\nAr 0 0 0\n",
            r"^{p}, line 2: Properties=species:S:1:pos:R is not a list of name:type:count$",
        ),
        ("1\nProperties=species:S:1:vel:R:3\nAr 0 0 0\n", r"^{p}, line 2: Properties has no pos:R:3 column$"),
        (
            "1\nProperties=pos:R:3:species:S:one\nAr 0 0 0\n",
            r"^{p}, line 2: Properties: the count of 'species' is not a number \('one'\)$",
        ),
        (
            "1\nProperties=species:S:1:pos:R:3:forces:R:3\nAr 0 0 0\n",
            r"^{p}, line 3: expected an element symbol and 3 coordinates \(7 columns\)",
        ),
    ],
)
def test_bad_files_are_one_line_input_errors_naming_file_and_line(tmp_path, text, message):
    path = tmp_path / "bad.xyz"
    path.write_text(text)
    with pytest.raises(InputError, match=message.format(p=str(path).replace("\\", "\\\\"))):
        read_xyz(path)


def test_unreadable_files(tmp_path):
    with pytest.raises(InputError, match=r"^cannot read .*missing.xyz: No such file or directory$"):
        read_xyz(tmp_path / "missing.xyz")
    binary = tmp_path / "binary.xyz"
    binary.write_bytes(b"\xff\xfe\x00")
    with pytest.raises(InputError, match=r"binary.xyz: not a text file \(not UTF-8\)$"):
        read_xyz(binary)
    with pytest.raises(InputError, match=r"no frame 5 \(the file has 1\)"):
        write_xyz(tmp_path / "one.xyz", positions(), "Ar") or read_frame(tmp_path / "one.xyz", 5)


def test_writing_refuses_bad_input_and_leaves_no_file(tmp_path):
    path = tmp_path / "out.xyz"
    with pytest.raises(InputError, match=r"^positions must be finite numbers to be written$"):
        write_xyz(path, [[0, 0, float("inf")]])
    with pytest.raises(InputError, match=r"^2 element symbols for 3 atoms$"):
        write_xyz(path, positions(3), ["Ar", "Ar"])
    with pytest.raises(InputError, match=r"^2 energies for 1 frame$"):
        write_xyz(path, positions(3), energies=[1.0, 2.0])
    with pytest.raises(InputError, match=r"^cannot write .*: No such file or directory$"):
        write_xyz(tmp_path / "no" / "such" / "dir.xyz", positions(3))
    assert list(tmp_path.iterdir()) == []
    assert format_frame([[0.0, -0.0, 1.0]], "X").splitlines()[2].split() == ["X", "0.0", "0.0", "1.0"]
