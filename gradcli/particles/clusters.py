"""Starting structures of atomic clusters, built by construction.

* ``trigonal_bipyramid_5``, ``octahedron_6``, ``pentagonal_bipyramid_7``:
  every edge ``nn`` long (the lowest minima of LJ and Morse clusters of
  5, 6 and 7 atoms at every range in the Cambridge Cluster Database);
* ``icosahedron_13``: the Mackay icosahedron, a centre and 12 vertices at
  distance ``nn`` (the lowest LJ13 minimum's shape);
* ``truncated_octahedron_38``: the fcc truncated octahedron, the 38 sites of
  an fcc lattice nearest an octahedral hole (6 + 8 + 24), with nearest
  neighbours ``nn`` apart (the lowest LJ38 minimum's shape).

Relaxed on the Lennard-Jones pair they give the Cambridge Cluster
Database's energies, -44.326801 and -173.928427 (tests/particles).

    >>> icosahedron_13().shape, truncated_octahedron_38().shape, SHAPES[7]().shape
    ((13, 3), (38, 3), (7, 3))
"""

from __future__ import annotations

import itertools
import math
from typing import TYPE_CHECKING

from .._lazy import LazyModule

if TYPE_CHECKING:
    import numpy as np
else:
    np = LazyModule("numpy", globals(), "np")  # imported on first use (gradcli/_lazy.py)

LJ_PAIR_MINIMUM = 2 ** (1 / 6)  # r where 4 (r^-12 - r^-6) is lowest, sigma = 1


def icosahedron_13(nn: float = LJ_PAIR_MINIMUM) -> np.ndarray:
    """A centre and the 12 vertices (0, ±1, ±phi) and cyclic permutations, scaled
    to distance ``nn`` from it: (13, 3)."""
    phi = (1 + math.sqrt(5)) / 2
    vertices = []
    for a, b in itertools.product((1.0, -1.0), repeat=2):
        vertices += [(0.0, a, b * phi), (a, b * phi, 0.0), (b * phi, 0.0, a)]
    shell = np.array(vertices) * (nn / math.sqrt(1 + phi * phi))
    return np.vstack([np.zeros((1, 3)), shell])


def truncated_octahedron_38(nn: float = LJ_PAIR_MINIMUM) -> np.ndarray:
    """The fcc sites (i, j, k) with i + j + k odd and i^2 + j^2 + k^2 <= 5 (in
    units of half the cube edge, centred on an octahedral hole), scaled so that
    neighbours (distance sqrt(2) units) are ``nn`` apart: (38, 3)."""
    span = range(-2, 3)
    sites = [(i, j, k) for i in span for j in span for k in span if (i + j + k) % 2 == 1 and i * i + j * j + k * k <= 5]
    return np.array(sites, dtype=np.float64) * (nn / math.sqrt(2))


def _bipyramid(k: int, nn: float) -> np.ndarray:
    """A regular k-gon of side nn and two apexes nn from each of its corners."""
    radius = nn / (2 * math.sin(math.pi / k))
    height = math.sqrt(nn * nn - radius * radius)
    ring = [(radius * math.cos(2 * math.pi * i / k), radius * math.sin(2 * math.pi * i / k), 0.0) for i in range(k)]
    return np.array(ring + [(0.0, 0.0, height), (0.0, 0.0, -height)])


def trigonal_bipyramid_5(nn: float = LJ_PAIR_MINIMUM) -> np.ndarray:
    """Two tetrahedra sharing a face (D3h), every edge ``nn``: (5, 3)."""
    return _bipyramid(3, nn)


def octahedron_6(nn: float = LJ_PAIR_MINIMUM) -> np.ndarray:
    """The regular octahedron (Oh) of edge ``nn``: (6, 3)."""
    return np.vstack([np.eye(3), -np.eye(3)]) * (nn / math.sqrt(2))


def pentagonal_bipyramid_7(nn: float = LJ_PAIR_MINIMUM) -> np.ndarray:
    """A regular pentagon of side ``nn`` and two apexes (D5h; the axial edge is
    not ``nn`` but close to it): (7, 3)."""
    return _bipyramid(5, nn)


#: n -> the constructor of that cluster's shape (its nearest-neighbour distance the argument)
SHAPES = {
    5: trigonal_bipyramid_5,
    6: octahedron_6,
    7: pentagonal_bipyramid_7,
    13: icosahedron_13,
    38: truncated_octahedron_38,
}
