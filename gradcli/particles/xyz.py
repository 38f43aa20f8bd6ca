"""XYZ and extended XYZ coordinate files: reading frames, writing single
frames and multi-frame trajectories (readable by ASE's
``ase.io.read(path, index=":")``, OVITO and VMD).

A frame is a line with the number of atoms N, a comment line, and N lines
``symbol x y z`` (further columns ignored). An extended-XYZ comment line
(``Lattice="..." Properties=species:S:1:pos:R:3:forces:R:3 energy=-1.5``)
is read as key=value pairs into ``Frame.info``; when it has ``Properties``,
the species and position columns are found from it (ASE's convention), and
the lattice and periodicity are kept in ``info`` but not used. A bad file is
an ``InputError`` of one line naming the file and the line.

Files are written with an extended-XYZ comment (``Properties``, ``pbc``,
``energy`` and other keys given) and coordinates to 17 significant digits,
so a float written is the float read back; the file appears whole or not at
all (written to a temporary file, then renamed).

Example::

    >>> import os, tempfile
    >>> tmp = tempfile.TemporaryDirectory()
    >>> path = os.path.join(tmp.name, "ar2.xyz")
    >>> write_xyz(path, [[0.0, 0.0, 0.0], [1.5, 0.0, 0.0]], "Ar", energies=[-0.3])
    >>> frame = read_xyz(path)[-1]
    >>> frame.symbols, frame.positions.shape, frame.info["energy"]
    (('Ar', 'Ar'), (2, 3), '-0.3')
    >>> tmp.cleanup()
"""

from __future__ import annotations

import math
import os
import re
import tempfile
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .._lazy import LazyModule
from ..errors import InputError
from .elements import mass

if TYPE_CHECKING:
    import numpy as np
else:
    np = LazyModule("numpy", globals(), "np")  # imported on first use (gradcli/_lazy.py)

_KEY_VALUE = re.compile(r'([A-Za-z_][\w\-]*)=(?:"([^"]*)"|(\S+))')
_PLAIN_PROPERTIES = (("species", "S", 1), ("pos", "R", 3))


@dataclass(frozen=True)
class Frame:
    """One frame: ``symbols`` (N,), ``positions`` (N, 3), the ``comment``
    line, ``info`` (its key=value pairs, values as text), and where it came
    from: ``path`` and ``line`` (1-based, the atom-count line)."""

    symbols: tuple[str, ...]
    positions: np.ndarray
    comment: str = ""
    info: dict = field(default_factory=dict)
    path: str = ""
    line: int = 1

    @property
    def n_atoms(self) -> int:
        return len(self.symbols)

    def masses(self) -> np.ndarray:
        """Atomic masses (N,) from the element symbols; an unknown symbol is an
        InputError naming the file and the atom's line."""
        return np.array([mass(s, f"{self.path}, line {self.line + 2 + a}") for a, s in enumerate(self.symbols)])

    def coordinates(self, dim: int = 3) -> np.ndarray:
        """The flat point (x1, y1, z1, x2, ...) of shape (N*dim,) for a system in
        ``dim`` dimensions; the dropped axes must be 0 (InputError otherwise)."""
        dropped = self.positions[:, dim:]
        if dropped.size and np.any(dropped != 0):
            a = int(np.argmax(np.any(dropped != 0, axis=1)))
            raise InputError(
                f"{self.path}, line {self.line + 2 + a}: a {dim}-dimensional system needs "
                f"coordinate{'s' * (dim < 2)} {'yz'[dim - 1 :] if dim < 3 else ''} of 0 "
                f"(got {' '.join(map(repr, dropped[a].tolist()))})"
            )
        return np.ascontiguousarray(self.positions[:, :dim]).ravel()


def read_xyz(path) -> list[Frame]:
    """Every frame of the XYZ / extended XYZ file at ``path``, in order."""
    name = str(path)
    try:
        text = Path(path).read_text(encoding="utf-8")
    except UnicodeDecodeError:
        raise InputError(f"{name}: not a text file (not UTF-8)") from None
    except OSError as error:
        raise InputError(f"cannot read {name}: {error.strerror or error}") from None
    lines = text.splitlines()
    frames, k = [], 0
    while k < len(lines):
        if not lines[k].strip():
            if all(not rest.strip() for rest in lines[k:]):
                break  # trailing blank lines
            raise InputError(f"{name}, line {k + 1}: expected the number of atoms, got an empty line")
        frame, k = _read_frame(lines, k, name)
        frames.append(frame)
    if not frames:
        raise InputError(f"{name}: no frames (the file is empty)")
    return frames


def read_frame(path, index: int = -1) -> Frame:
    """One frame of the file (default the last, as ``ase.io.read``)."""
    frames = read_xyz(path)
    try:
        return frames[index]
    except IndexError:
        raise InputError(f"{path}: no frame {index} (the file has {len(frames)})") from None


def _read_frame(lines: list[str], k: int, name: str) -> tuple[Frame, int]:
    count_line = lines[k].strip()
    try:
        n_atoms = int(count_line)
    except ValueError:
        raise InputError(f"{name}, line {k + 1}: expected the number of atoms, got {count_line[:40]!r}") from None
    if n_atoms < 0:
        raise InputError(f"{name}, line {k + 1}: the number of atoms must be 0 or more, got {n_atoms}")
    if k + 1 >= len(lines):
        raise InputError(f"{name}, line {k + 1}: the file ends before the comment line of a frame of {n_atoms} atoms")
    comment = lines[k + 1]
    info = {m.group(1): m.group(2) if m.group(2) is not None else m.group(3) for m in _KEY_VALUE.finditer(comment)}
    species, pos, width = _columns(info, name, k + 2)
    missing = k + 2 + n_atoms - len(lines)
    if missing > 0:
        raise InputError(
            f"{name}, line {len(lines)}: the file ends {missing} atom line{'s' * (missing != 1)} "
            f"short of the frame of {n_atoms} atoms that starts at line {k + 1}"
        )
    symbols, positions = [], np.empty((n_atoms, 3))
    for a in range(n_atoms):
        number = k + 3 + a
        fields = lines[number - 1].split()
        if len(fields) < width:
            raise InputError(
                f"{name}, line {number}: expected an element symbol and 3 coordinates"
                f"{f' ({width} columns)' if width != 4 else ''}, got {lines[number - 1].strip()[:60]!r}"
            )
        symbols.append(fields[species])
        for c in range(3):
            text = fields[pos + c]
            try:
                value = float(text)
            except ValueError:
                raise InputError(f"{name}, line {number}: coordinate {text[:30]!r} is not a number") from None
            if not math.isfinite(value):
                raise InputError(f"{name}, line {number}: coordinate {text[:30]!r} is not a finite number")
            positions[a, c] = value
    return Frame(tuple(symbols), positions, comment, info, name, k + 1), k + 2 + n_atoms


def _columns(info: Mapping[str, str], name: str, line: int) -> tuple[int, int, int]:
    """(species column, first position column, columns needed) from an
    extended-XYZ Properties value (or the plain layout)."""
    spec = next((v for key, v in info.items() if key.lower() == "properties"), None)
    if spec is None:
        return 0, 1, 4
    parts = spec.split(":")
    if len(parts) % 3:
        raise InputError(f"{name}, line {line}: Properties={spec[:60]} is not a list of name:type:count")
    columns, species, pos = 0, None, None
    for p in range(0, len(parts), 3):
        prop, kind, count = parts[p], parts[p + 1], parts[p + 2]
        if not count.isdigit():
            raise InputError(f"{name}, line {line}: Properties: the count of {prop!r} is not a number ({count!r})")
        if prop.lower() == "species" and kind.upper() == "S" and count == "1":
            species = columns
        elif prop.lower() == "pos" and kind.upper() == "R" and count == "3":
            pos = columns
        columns += int(count)
    if species is None or pos is None:
        missing = "species:S:1" if species is None else "pos:R:3"
        raise InputError(f"{name}, line {line}: Properties has no {missing} column")
    return species, pos, columns


def format_frame(
    positions, symbols, energy: float | None = None, forces=None, info: Mapping[str, object] | None = None
) -> str:
    """One frame as extended XYZ text. ``positions`` (N, dim) with dim <= 3
    (missing axes written as 0), ``symbols`` one symbol or N of them,
    ``forces`` (N, dim) or None, ``info`` further comment keys (numbers or
    text without quotes)."""
    P = _as_xyz(positions, "positions")
    n = len(P)
    names = [symbols] * n if isinstance(symbols, str) else [str(s) for s in symbols]
    if len(names) != n:
        raise InputError(f"{len(names)} element symbols for {n} atoms")
    if any(not s or any(ch.isspace() for ch in s) for s in names):
        raise InputError("an element symbol must be one word")
    properties = "species:S:1:pos:R:3"
    F = None
    if forces is not None:
        F = _as_xyz(forces, "forces")
        if F.shape != P.shape:
            raise InputError(f"forces of shape {F.shape} for positions of shape {P.shape}")
        properties += ":forces:R:3"
    keys = {"Properties": properties}
    if energy is not None:
        keys["energy"] = repr(float(energy))
    for key, value in (info or {}).items():
        if not re.fullmatch(r"[A-Za-z_][\w\-]*", key) or '"' in str(value):
            raise InputError(f"cannot write the comment key {key!r}={value!r} in an XYZ file")
        text = repr(float(value)) if isinstance(value, float) else str(value)
        keys[key] = f'"{text}"' if any(ch.isspace() for ch in text) or not text else text
    keys["pbc"] = '"F F F"'
    lines = [str(n), " ".join(f"{k}={v}" for k, v in keys.items())]
    for a in range(n):
        row = [f"{names[a]:<3}"] + [f"{c!r:>24}" for c in P[a].tolist()]
        if F is not None:
            row += [f"{c!r:>24}" for c in F[a].tolist()]
        lines.append(" ".join(row))
    return "\n".join(lines) + "\n"


def _as_xyz(values, what: str) -> np.ndarray:
    arr = np.asarray(values, dtype=np.float64)
    if arr.ndim != 2 or not 1 <= arr.shape[1] <= 3:
        raise InputError(f"{what} must have shape (N, 1..3), got {arr.shape}")
    if not np.isfinite(arr).all():
        raise InputError(f"{what} must be finite numbers to be written")
    return np.pad(arr, ((0, 0), (0, 3 - arr.shape[1]))) + 0.0  # + 0.0: no "-0.0" in the file


def write_xyz(
    path,
    positions,
    symbols="X",
    *,
    energies: Sequence[float] | None = None,
    forces=None,
    info: Sequence[Mapping[str, object]] | None = None,
) -> None:
    """Write one frame (``positions`` of shape (N, dim)) or a trajectory
    ((F, N, dim)) to ``path``; ``energies`` (F,), ``forces`` like positions
    and ``info`` (F dicts) are optional, per frame. The file is replaced
    whole (a temporary file renamed), never left half-written."""
    P = np.asarray(positions, dtype=np.float64)
    frames = P[None] if P.ndim == 2 else P
    if frames.ndim != 3:
        raise InputError(f"positions must have shape (N, dim) or (frames, N, dim), got {P.shape}")
    count = len(frames)
    forces_all = None if forces is None else np.asarray(forces, dtype=np.float64).reshape(frames.shape)
    for what, given in (("energies", energies), ("info", info)):
        if given is not None and len(given) != count:
            raise InputError(f"{len(given)} {what} for {count} frame{'s' * (count != 1)}")
    text = "".join(
        format_frame(
            frames[f],
            symbols,
            None if energies is None else energies[f],
            None if forces_all is None else forces_all[f],
            None if info is None else info[f],
        )
        for f in range(count)
    )
    target = Path(path)
    try:
        handle, temporary = tempfile.mkstemp(prefix=f".{target.name}.", dir=target.parent or ".")
        with os.fdopen(handle, "w", encoding="utf-8") as out:
            out.write(text)
        os.replace(temporary, target)
    except OSError as error:
        raise InputError(f"cannot write {path}: {error.strerror or error}") from None
