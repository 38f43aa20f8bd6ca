"""Writing a command's points as coordinate files: ``--output final.xyz``
(the result, with its energy and forces) and ``--trajectory path.xyz`` (the
recorded points, one frame each), readable by ASE (``ase.io.read(path,
index=":")``), OVITO and VMD. The paths are checked before the run, so a bad
one fails at once (exit 2); the files are written whole (gradcli.particles.xyz).
"""

from __future__ import annotations

import os

from gradcli._lazy import LazyModule
from gradcli.cli.points import COORDINATE_FILE_SUFFIXES, is_coordinate_file
from gradcli.errors import InputError

coordinates = LazyModule("gradcli.particles.coordinates", globals(), "coordinates")
xyz = LazyModule("gradcli.particles.xyz", globals(), "xyz")


def check_coordinate_path(path: str | None, option: str) -> None:
    """InputError when ``path`` does not end in .xyz/.extxyz or its folder is missing or not writable."""
    if path is None:
        return
    if not is_coordinate_file(path):
        raise InputError(f"{option} {path}: the file name must end in {' or '.join(COORDINATE_FILE_SUFFIXES)}")
    folder = os.path.dirname(os.path.abspath(path))
    if not os.path.isdir(folder):
        raise InputError(f"cannot write {option} {path}: the folder {folder} does not exist")
    if os.path.isdir(path):
        raise InputError(f"cannot write {option} {path}: it is a folder")
    if not os.access(folder, os.W_OK | os.X_OK):
        raise InputError(f"cannot write {option} {path}: no permission to write in {folder}")


def symbols(run, V) -> list[str]:
    """Element symbols: those of an .xyz start or point, else the named potential's element, else X."""
    n_atoms, _ = coordinates.layout(V)
    frame_symbols = None
    if run.coordinate_file is not None:
        frame_symbols = xyz.read_frame(run.coordinate_file.strip()).symbols
    spec = run.resolved.spec if run.resolved is not None else None
    element = spec.particles.element if spec is not None and spec.particles is not None else None
    return coordinates.symbols_for(n_atoms, element, frame_symbols)


def write_descent(run, V, result, output: str | None, trajectory: str | None) -> None:
    """The end point to ``output`` and the recorded trajectory to ``trajectory`` (either may be None)."""
    if output is None and trajectory is None:
        return
    names = symbols(run, V)
    if output is not None:
        gradient = result.gradient if all(g == g for g in result.gradient) else None  # NaN after a divergence
        coordinates.write_configuration(
            output,
            V,
            result.x,
            names,
            energy=result.value,
            gradient=gradient,
            info={"step": result.steps, "status": result.status},
        )
    if trajectory is not None:
        points = [p.x for p in result.trajectory]
        coordinates.write_trajectory(
            trajectory,
            V,
            points,
            names,
            energies=[p.value for p in result.trajectory],
            info=[{"step": p.step, "grad_norm": p.grad_norm} for p in result.trajectory],
        )
