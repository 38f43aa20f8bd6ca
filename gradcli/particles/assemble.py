"""Energy, gradient and Hessian of a sum over pairs, assembled with numpy.

A batch of m configurations of N particles in ``dim`` dimensions is held as
one array of m*N "global" particles, shape (m*N, dim): particle a of
configuration c is row c*N + a. A ``PairList`` names the interacting pairs
by global rows (gi, gj), so one set of array operations serves one
configuration and a batch, with or without a cutoff; nothing loops over
pairs in Python. The pair term is evaluated on s = |x_i - x_j|**2 (see
``pair.py``) and

    dV/dx_i = W d,    d = x_i - x_j      (and -that for x_j),
    H_ij = -(K d d^T + W I),   H_ii = -sum_j H_ij   (plus one-body terms),

with W = V'(r)/r and K = (V''(r) - V'(r)/r)/r**2 from the pair term.

Example::

    >>> import numpy as np
    >>> from gradcli.particles.pair import PairFunction
    >>> len(all_pairs(13, 3).gi)               # the 78 pairs of one LJ13 configuration
    78
    >>> X = np.array([[0.0, 0, 0], [2, 0, 0],   # m = 2 configurations of N = 2: (m*N, dim)
    ...               [0.0, 0, 0], [0, 3, 0]])
    >>> energy_and_grad(PairFunction("(r - 1)**2"), X, all_pairs(2, 3, m=2), 2)
    (array([1., 4.]), array([-2.,  0.,  0.,  2.,  0.,  0.,  0., -4.,  0.,  0.,  4.,  0.]))
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property
from typing import TYPE_CHECKING

from .._lazy import LazyModule
from .pair import PairFailure

if TYPE_CHECKING:
    import numpy as np
else:
    np = LazyModule("numpy", globals(), "np")  # imported on first use (gradcli/_lazy.py)
spatial = LazyModule("scipy.spatial", globals(), "spatial")  # only with a cutoff


# Pairs per slice: a slice's arrays (d, s, V, W, forces) stay in cache, which
# at N = 1000 (500,000 pairs) halves the time of energy + forces.
CHUNK = 32768
# Below this many pairs per configuration a cutoff's pairs are found by testing
# every pair (faster than building a k-d tree).
BRUTE_FORCE_PAIRS = 20_000


@dataclass
class PairList:
    """Pairs (gi, gj) of global particle rows, gi < gj in the same configuration,
    shape (k,) each, in configuration order."""

    gi: np.ndarray
    gj: np.ndarray
    n_atoms: int
    dim: int

    @cached_property
    def flat_i(self):
        """Indices of (row gi, component k) in the flattened (m*N*dim,) gradient: (k*dim,)."""
        return (self.gi[:, None] * self.dim + np.arange(self.dim)).ravel()

    @cached_property
    def flat_j(self):
        return (self.gj[:, None] * self.dim + np.arange(self.dim)).ravel()

    @cached_property
    def config(self):
        """The configuration of each pair, (k,)."""
        return self.gi // self.n_atoms

    @cached_property
    def slices(self) -> list[tuple[int, int]]:
        """(start, stop) of the slices of at most CHUNK pairs (one empty slice when there are none)."""
        k = len(self.gi)
        return [(a, min(a + CHUNK, k)) for a in range(0, k, CHUNK)] or [(0, 0)]

    def per_config(self, values, m: int, a: int):
        """The sum over each configuration of ``values`` of pairs a, a+1, ... -> (m,)."""
        if m == 1:
            return np.add.reduce(values, keepdims=True)
        return np.bincount(self.config[a : a + len(values)], weights=values, minlength=m)


def all_pairs(n_atoms: int, dim: int, m: int = 1) -> PairList:
    """Every pair i < j of each of m configurations of ``n_atoms``."""
    i, j = np.triu_indices(n_atoms, 1)
    if m > 1:
        offsets = (np.arange(m) * n_atoms)[:, None]
        i, j = (i + offsets).ravel(), (j + offsets).ravel()
    return PairList(i, j, n_atoms, dim)


def pairs_within(X, cutoff: float, n_atoms: int, m: int, every: PairList | None = None) -> PairList:
    """The pairs closer than ``cutoff`` (or at it) in each configuration of X
    (m*N, dim): every pair tested for small N, else a k-d tree (scipy's
    cKDTree) per configuration; ordered by configuration, i, then j. ``every``:
    all the pairs, when the caller keeps them."""
    if n_atoms * (n_atoms - 1) // 2 <= BRUTE_FORCE_PAIRS:
        every = every if every is not None else all_pairs(n_atoms, X.shape[1], m)
        _, s = separations(X, every, 0, len(every.gi))
        inside = s <= cutoff * cutoff
        return PairList(every.gi[inside], every.gj[inside], n_atoms, X.shape[1])
    found = []
    for c in range(m):
        block = X[c * n_atoms : (c + 1) * n_atoms]
        pairs = np.sort(spatial.cKDTree(block).query_pairs(cutoff, output_type="ndarray"), axis=1)
        found.append(pairs[np.lexsort((pairs[:, 1], pairs[:, 0]))] + c * n_atoms)
    pairs = np.concatenate(found).astype(np.intp)
    return PairList(pairs[:, 0].copy(), pairs[:, 1].copy(), n_atoms, X.shape[1])


def separations(X, pairs: PairList, a: int, b: int):
    """(d, s) of pairs a..b-1: d = x_i - x_j (b-a, dim) and s = |d|**2 (b-a,)."""
    d = X.take(pairs.gi[a:b], axis=0) - X.take(pairs.gj[a:b], axis=0)  # take: faster than X[gi]
    return d, np.einsum("ij,ij->i", d, d)


def _evaluate(pair, s, order: int, a: int):
    try:
        return pair.evaluate(s, order)
    except PairFailure as failure:
        failure.index += a  # the index in the whole pair list
        raise


def energy(pair, X, pairs: PairList, m: int):
    """The pair energy of each configuration -> (m,)."""
    total = 0.0
    for a, b in pairs.slices:
        _, s = separations(X, pairs, a, b)
        total = total + pairs.per_config(_evaluate(pair, s, 0, a)[0], m, a)
    return total


def energy_and_grad(pair, X, pairs: PairList, m: int):
    """(energy (m,), gradient (m*N*dim,)) of the pair sum."""
    if len(pairs.slices) == 1:  # the common case, with nothing to add up: fewer numpy calls for small N
        d = X.take(pairs.gi, axis=0) - X.take(pairs.gj, axis=0)
        values, w = _evaluate(pair, np.einsum("ij,ij->i", d, d), 1, 0)
        forces = (d * w[:, None]).ravel()  # dV/dx_i = W d for each pair, flattened like flat_i
        gradient = np.bincount(pairs.flat_i, forces, X.size) - np.bincount(pairs.flat_j, forces, X.size)
        return pairs.per_config(values, m, 0), gradient
    # the first slice's arrays replace these
    total: np.ndarray | float = 0.0
    grad: np.ndarray | float = 0.0
    size, dim = X.size, pairs.dim
    for a, b in pairs.slices:
        d, s = separations(X, pairs, a, b)
        values, w = _evaluate(pair, s, 1, a)
        forces = (d * w[:, None]).ravel()
        grad = grad + (
            np.bincount(pairs.flat_i[a * dim : b * dim], forces, size)
            - np.bincount(pairs.flat_j[a * dim : b * dim], forces, size)
        )
        total = total + pairs.per_config(values, m, a)
    return total, grad


def hessian(pair, X, pairs: PairList, m: int):
    """The pair sum's Hessian per configuration -> (m, N*dim, N*dim), with
    its energy (m,) and gradient (m*N*dim,) from the same evaluation."""
    n_atoms, dim = pairs.n_atoms, pairs.dim
    H = np.zeros((m, n_atoms, dim, n_atoms, dim))
    total: np.ndarray | float = 0.0
    grad: np.ndarray | float = 0.0
    size, diagonal = X.size, np.arange(dim)
    for a, b in pairs.slices:
        d, s = separations(X, pairs, a, b)
        values, w, k = _evaluate(pair, s, 2, a)
        # Block of d^2V/dx_i dx_i^T for each pair: K d d^T + W I, shape (b-a, dim, dim).
        blocks = k[:, None, None] * (d[:, :, None] * d[:, None, :])
        blocks[:, diagonal, diagonal] += w[:, None]
        c, i, j = pairs.config[a:b], pairs.gi[a:b] % n_atoms, pairs.gj[a:b] % n_atoms
        # Advanced indices split by slices: the indexed result is (b-a, dim, dim), as blocks are.
        H[c, i, :, j, :] = -blocks
        H[c, j, :, i, :] = -blocks  # each block is symmetric
        forces = (d * w[:, None]).ravel()
        grad = grad + (
            np.bincount(pairs.flat_i[a * dim : b * dim], forces, size)
            - np.bincount(pairs.flat_j[a * dim : b * dim], forces, size)
        )
        total = total + pairs.per_config(values, m, a)
    # Each row of blocks sums to zero over a particle's partners and itself (translation invariance).
    atoms = np.arange(n_atoms)
    H[:, atoms, :, atoms, :] = -H.sum(axis=3).transpose(1, 0, 2, 3)
    return total, grad, H.reshape(m, n_atoms * dim, n_atoms * dim)
