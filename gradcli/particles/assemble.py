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

    >>> pairs = all_pairs(13, 1)               # the 78 pairs of one LJ13 configuration
    >>> energy, grad = energy_and_grad(pair_function, X, pairs, 1, 13, 3)
"""

from __future__ import annotations

from dataclasses import dataclass
from functools import cached_property

from .._lazy import LazyModule

np = LazyModule("numpy", globals(), "np")  # imported on first use (gradcli/_lazy.py)
spatial = LazyModule("scipy.spatial", globals(), "spatial")  # only with a cutoff


@dataclass
class PairList:
    """Pairs (gi, gj) of global particle rows, gi < gj in the same configuration,
    shape (k,) each; ``counts`` (m,) the pairs per configuration, or None when
    every configuration has all N(N-1)/2 pairs, in configuration order."""

    gi: np.ndarray
    gj: np.ndarray
    n_atoms: int
    dim: int
    counts: np.ndarray | None = None

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

    def per_config(self, values, m: int):
        """The sum of per-pair ``values`` (k,) over each configuration -> (m,)."""
        if self.counts is None:
            return np.add.reduce(values.reshape(m, -1), axis=1) if len(values) else np.zeros(m)
        return np.bincount(self.config, weights=values, minlength=m)


def all_pairs(n_atoms: int, dim: int, m: int = 1) -> PairList:
    """Every pair i < j of each of m configurations of ``n_atoms``."""
    i, j = np.triu_indices(n_atoms, 1)
    if m > 1:
        offsets = (np.arange(m) * n_atoms)[:, None]
        i, j = (i + offsets).ravel(), (j + offsets).ravel()
    return PairList(i, j, n_atoms, dim)


def pairs_within(X, cutoff: float, n_atoms: int, m: int) -> PairList:
    """The pairs closer than ``cutoff`` in each configuration of X (m*N, dim),
    from a k-d tree (scipy's cKDTree) per configuration."""
    found = []
    for c in range(m):
        block = X[c * n_atoms:(c + 1) * n_atoms]
        pairs = spatial.cKDTree(block).query_pairs(cutoff, output_type="ndarray")
        pairs = np.sort(pairs, axis=1)
        # Same order as all_pairs (by i, then j): results do not depend on the tree's order.
        pairs = pairs[np.lexsort((pairs[:, 1], pairs[:, 0]))]
        found.append(pairs + c * n_atoms)
    counts = np.array([len(p) for p in found])
    pairs = np.concatenate(found) if found else np.empty((0, 2), dtype=np.intp)
    return PairList(pairs[:, 0].astype(np.intp), pairs[:, 1].astype(np.intp), n_atoms, X.shape[1], counts)


def separations(X, pairs: PairList):
    """(d, s): d = x_i - x_j (k, dim) and s = |d|**2 (k,)."""
    d = X.take(pairs.gi, axis=0) - X.take(pairs.gj, axis=0)  # take: faster than X[gi]
    return d, np.einsum("ij,ij->i", d, d)


def energy(pair, X, pairs: PairList, m: int):
    """The pair energy of each configuration -> (m,)."""
    _, s = separations(X, pairs)
    return pairs.per_config(pair.evaluate(s, 0)[0], m)


def energy_and_grad(pair, X, pairs: PairList, m: int):
    """(energy (m,), gradient (m*N*dim,)) of the pair sum."""
    d, s = separations(X, pairs)
    values, w = pair.evaluate(s, 1)
    forces = (d * w[:, None]).ravel()  # dV/dx_i = W d for each pair, flattened like flat_i
    size = X.size
    grad = np.bincount(pairs.flat_i, forces, size) - np.bincount(pairs.flat_j, forces, size)
    return pairs.per_config(values, m), grad


def hessian(pair, X, pairs: PairList, m: int):
    """The pair sum's Hessian per configuration -> (m, N*dim, N*dim), with
    its energy (m,) and gradient (m*N*dim,) from the same evaluation."""
    n_atoms, dim = pairs.n_atoms, pairs.dim
    d, s = separations(X, pairs)
    values, w, k = pair.evaluate(s, 2)
    # Block of d^2V/dx_i dx_i^T for each pair: K d d^T + W I, shape (k, dim, dim).
    blocks = k[:, None, None] * (d[:, :, None] * d[:, None, :])
    diagonal = np.arange(dim)
    blocks[:, diagonal, diagonal] += w[:, None]
    H = np.zeros((m, n_atoms, dim, n_atoms, dim))
    c, a, b = pairs.config, pairs.gi % n_atoms, pairs.gj % n_atoms
    # Advanced indices split by slices: the indexed result is (k, dim, dim), as blocks are.
    H[c, a, :, b, :] = -blocks
    H[c, b, :, a, :] = -blocks  # each block is symmetric
    # Each row of blocks sums to zero over a particle's partners and itself (translation invariance).
    atoms = np.arange(n_atoms)
    H[:, atoms, :, atoms, :] = -H.sum(axis=3).transpose(1, 0, 2, 3)
    forces = (d * w[:, None]).ravel()
    grad = np.bincount(pairs.flat_i, forces, X.size) - np.bincount(pairs.flat_j, forces, X.size)
    return pairs.per_config(values, m), grad, H.reshape(m, n_atoms * dim, n_atoms * dim)
