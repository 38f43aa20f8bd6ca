"""Points of a potential as particle coordinates: what ``--x0 start.xyz``,
``--at min.xyz``, ``--output final.xyz`` and ``--trajectory path.xyz`` do.

A potential's variables are read as particles: a ``ParticlePotential``'s
(x1, y1, z1, x2, ...) in its ``dim``; a ``Potential`` whose variables are
named that way (x1, y1, z1, x2, ...); otherwise one particle whose
coordinates are all the variables (at most 3: Muller-Brown's (x, y) is one
particle in the plane).

Example::

    >>> import os, tempfile
    >>> from gradcli.particles import ParticlePotential
    >>> V = ParticlePotential("(r - 1)**2", 2)           # two particles in 3D: V.n = 6
    >>> tmp = tempfile.TemporaryDirectory()
    >>> path = os.path.join(tmp.name, "final.xyz")
    >>> x = (0.0, 0.0, 0.0, 2.0, 0.0, 0.0)
    >>> write_configuration(path, V, x, energy=V(x), gradient=V.grad(x))
    >>> point_from_file(path, V)                         # a tuple of V.n floats
    (0.0, 0.0, 0.0, 2.0, 0.0, 0.0)
    >>> tmp.cleanup()
"""

from __future__ import annotations

import re
from collections.abc import Sequence
from typing import TYPE_CHECKING

from .._lazy import LazyModule
from ..errors import InputError
from . import xyz

if TYPE_CHECKING:
    import numpy as np
else:
    np = LazyModule("numpy", globals(), "np")  # imported on first use (gradcli/_lazy.py)

COORDINATE_FILE_SUFFIXES = (".xyz", ".extxyz")


def is_coordinate_file(text: str) -> bool:
    """True when a POINT option's text names a coordinate file (``*.xyz``, ``*.extxyz``).

    >>> is_coordinate_file("min.xyz"), is_coordinate_file("1,2,3")
    (True, False)
    """
    return text.strip().lower().endswith(COORDINATE_FILE_SUFFIXES)


def layout(V) -> tuple[int, int]:
    """(particles, dimensions) of V's variables (a potential, or a tuple of
    variable names); InputError when they are not coordinates."""
    dim = getattr(V, "dim", None)
    if dim is not None and hasattr(V, "n_atoms"):
        return V.n_atoms, dim
    names = tuple(getattr(V, "variables", V))
    for d in (3, 2, 1):
        count = len(names) // d
        if len(names) % d == 0 and names == tuple(f"{a}{i}" for i in range(1, count + 1) for a in "xyz"[:d]):
            return count, d
    if len(names) <= 3:
        return 1, len(names)
    raise InputError(
        f"the variables ({', '.join(names[:4])}{', ...' if len(names) > 4 else ''}) are not "
        f"particle coordinates (x1, y1, z1, x2, ... or at most 3 variables)"
    )


def point_from_file(path, V, what: str = "--x0", index: int = -1) -> tuple[float, ...]:
    """V's variables (V a potential or a tuple of names) from frame ``index``
    (default the last, as ASE) of an XYZ file."""
    frame = xyz.read_frame(path, index)
    n_atoms, dim = layout(V)
    if frame.n_atoms != n_atoms:
        raise InputError(
            f"{what} {path}: the frame has {frame.n_atoms} atom{'s' * (frame.n_atoms != 1)}, the potential {n_atoms}"
        )
    return tuple(frame.coordinates(dim).tolist())


def masses_from_file(path, V, index: int = -1) -> tuple[float, ...]:
    """One mass per variable of V from the element symbols of an XYZ file's frame."""
    frame = xyz.read_frame(path, index)
    n_atoms, dim = layout(V)
    if frame.n_atoms != n_atoms:
        raise InputError(f"{path}: the frame has {frame.n_atoms} atoms, the potential {n_atoms}")
    return tuple(np.repeat(frame.masses(), dim).tolist())


def _positions(V, points) -> np.ndarray:
    n_atoms, dim = layout(V)
    P = np.asarray(points, dtype=np.float64)
    if P.shape[-1] != n_atoms * dim:
        raise InputError(f"expected points of {n_atoms * dim} coordinates, got shape {P.shape}")
    return P.reshape(*P.shape[:-1], n_atoms, dim)


def write_configuration(
    path, V, x, symbols="X", *, energy: float | None = None, gradient=None, info: dict | None = None
) -> None:
    """One frame: the point ``x`` (V.n,) as particles, with its energy and
    forces (-gradient) when given."""
    forces = None if gradient is None else -_positions(V, gradient)
    xyz.write_xyz(
        path,
        _positions(V, x),
        symbols,
        energies=None if energy is None else [energy],
        forces=forces,
        info=None if info is None else [info],
    )


def write_trajectory(
    path,
    V,
    points: Sequence,
    symbols="X",
    *,
    energies: Sequence[float] | None = None,
    info: Sequence[dict] | None = None,
) -> None:
    """Frames of ``points`` (F, V.n): a descent's path, a path's images, minima found."""
    if len(points) == 0:
        raise InputError(f"nothing to write to {path}: no frames")
    xyz.write_xyz(path, _positions(V, points), symbols, energies=energies, info=info)


def symbols_for(n_atoms: int, element: str | None = None, frame_symbols: Sequence[str] | None = None):
    """The element symbols to write: a start file's, else ``element`` for every atom, else 'X'."""
    if frame_symbols is not None and len(frame_symbols) == n_atoms:
        return list(frame_symbols)
    symbol = element or "X"
    if not re.fullmatch(r"[A-Za-z][A-Za-z0-9_]*", symbol):
        raise InputError(f"an element symbol must be a word such as Ar, got {symbol!r}")
    return [symbol] * n_atoms
