"""``ParticlePotential``: N particles interacting through one pair term V(r),
plus an optional one-body term in each particle's coordinates (x, y, z).

    V(x) = sum_{i<j} V_pair(|x_i - x_j|) + sum_i U(x_i)

It presents the interface of ``gradcli.frontend.Potential``, so every
command and optimiser takes either: ``variables`` (x1, y1, z1, x2, ...),
``n``, ``params``, ``text``, ``V(x)``, ``value_and_grad``, ``grad``,
``force``, ``hessian``, ``scalar_value_and_grad``, ``derivatives``, with the
same shapes (one point (n,), a batch (m, n)) and the same errors
(``InputError`` for bad coordinates, ``DomainError`` naming what failed).
The pair term is compiled once, whatever N (``pair.py``); energy, forces and
the Hessian are assembled over pairs with numpy (``assemble.py``).

Example (LJ13 on an icosahedron with neighbours at the pair minimum, not yet relaxed)::

    >>> from gradcli.particles.clusters import icosahedron_13
    >>> V = ParticlePotential("4*eps*((sigma/r)**12 - (sigma/r)**6)", 13, params={"eps": 1, "sigma": 1})
    >>> V.n, V.variables[:4]
    (39, ('x1', 'y1', 'z1', 'x2'))
    >>> energy, gradient = V.value_and_grad(icosahedron_13().ravel())   # x of shape (39,)
    >>> round(energy, 6), gradient.shape
    (-42.581543, (39,))
"""

from __future__ import annotations

import math
from collections.abc import Mapping
from functools import cached_property
from typing import TYPE_CHECKING

from .._lazy import LazyModule
from ..errors import DomainError, InputError
from ..frontend.domain import fmt
from ..frontend.potential import Potential
from . import assemble
from .derivatives import derivatives_along
from .graph import particle_graph
from .pair import PairFailure, PairFunction

if TYPE_CHECKING:
    import numpy as np
else:
    np = LazyModule("numpy", globals(), "np")  # imported on first use (gradcli/_lazy.py)

AXES = "xyz"


def coordinate_names(n_atoms: int, dim: int = 3) -> tuple[str, ...]:
    """('x1', 'y1', 'z1', 'x2', ...) for ``n_atoms`` particles in ``dim`` dimensions.

    >>> coordinate_names(2, 2)
    ('x1', 'y1', 'x2', 'y2')
    """
    return tuple(f"{axis}{a}" for a in range(1, n_atoms + 1) for axis in AXES[:dim])


def _shown(names) -> str:
    return ", ".join(names) if len(names) <= 12 else ", ".join(names[:6]) + ", ..., " + names[-1]


class ParticlePotential:
    """A pair term ``pair`` (text or SymPy in ``r``) over every pair of
    ``n_atoms`` particles in ``dim`` (1-3) dimensions; ``params`` for both
    terms; ``cutoff`` rc shifts the pair energy to V(r) - V(rc) inside rc
    and drops pairs beyond it (``shifted`` is then True, ``energy_shift`` is
    V(rc)); ``one_body`` an expression in x, y, z (the first ``dim`` of
    them) added for each particle (an external field, a confining well)."""

    def __init__(
        self,
        pair,
        n_atoms: int,
        *,
        dim: int = 3,
        params: Mapping[str, float] | None = None,
        cutoff: float | None = None,
        one_body=None,
    ):
        if isinstance(n_atoms, bool) or not isinstance(n_atoms, (int, np.integer)) or n_atoms < 1:
            raise InputError(f"the number of particles must be a whole number of at least 1, got {n_atoms!r}")
        if isinstance(dim, bool) or dim not in (1, 2, 3):
            raise InputError(f"the dimension must be 1, 2 or 3, got {dim!r}")
        self.n_atoms, self.dim = int(n_atoms), int(dim)
        self.pair = PairFunction(pair, params, cutoff)
        self.params = dict(self.pair.params)
        self.one_body = None
        if one_body is not None:
            self.one_body = Potential(one_body, variables=tuple(AXES[:dim]), params=params)
        self.variables = coordinate_names(self.n_atoms, self.dim)
        self.n = len(self.variables)
        self._pairs: dict[int, assemble.PairList] = {}

    # ----- description -------------------------------------------------------------

    @property
    def cutoff(self) -> float | None:
        return self.pair.cutoff

    @property
    def shifted(self) -> bool:
        """True when the pair energy is shifted to zero at the cutoff."""
        return self.pair.shifted

    @property
    def energy_shift(self) -> float:
        """V_pair(rc), subtracted from each pair inside the cutoff (0.0 without one)."""
        return self.pair.shift

    @property
    def symmetry_zero_modes(self) -> int:
        """Hessian eigenvalues zero at every stationary point by symmetry: with no
        one-body term, the translations and rotations of the whole system (3 + 3
        in 3D, 5 for a 3D pair, 2 + 1 in 2D, 1 in 1D); 0 for a single particle
        (nothing to set aside: V is constant) or with a one-body term (it
        generally breaks them)."""
        if self.one_body is not None or self.n_atoms == 1:
            return 0
        rotations = {1: 0, 2: 1, 3: 3 if self.n_atoms > 2 else 2}[self.dim]
        return self.dim + rotations

    @property
    def text(self) -> str:
        """'pair 4*((1/r)**12 - ...) over 13 atoms (3D)' with cutoff and one-body term when present."""
        text = f"pair {self.pair.text or self.pair.sympy_r} over {self.n_atoms} atoms ({self.dim}D)"
        if self.cutoff is not None:
            text += f", cutoff {fmt(self.cutoff)} (energy-shifted by {fmt(-self.energy_shift)})"
        if self.one_body is not None:
            text += f" + one-body {self.one_body.text}"
        return text

    def __repr__(self) -> str:
        return f"ParticlePotential({self.text!r})"

    # ----- evaluation --------------------------------------------------------------

    def _configurations(self, x):
        """(X of shape (m*N, dim), m, single) from one point (n,) or a batch (m, n)."""
        try:
            arr = np.asarray(x, dtype=np.float64)
        except (TypeError, ValueError, OverflowError):
            raise InputError(f"coordinates must be numbers, got {x!r:.80}") from None
        n, names = self.n, f" ({_shown(self.variables)})"
        if arr.ndim == 0 and n == 1:
            arr = arr.reshape(1)
        if arr.ndim == 1 and arr.shape[0] == n:
            single, m = True, 1
        elif arr.ndim == 2 and arr.shape[1] == n:
            single, m = False, arr.shape[0]
        elif arr.ndim <= 1:
            got = 1 if arr.ndim == 0 else arr.shape[0]
            raise InputError(f"expected {n} coordinate{'s' * (n != 1)}{names}, got {got}")
        else:
            raise InputError(f"expected one point of shape ({n},) or a batch of shape (m, {n}), got shape {arr.shape}")
        if not (math.isfinite(np.add.reduce(arr, axis=None)) or np.isfinite(arr).all()):  # the sum: one call
            raise InputError(f"coordinates must be finite numbers, got {arr!s:.80}")
        return arr.reshape(m * self.n_atoms, self.dim), m, single

    def _pair_list(self, X, m: int) -> assemble.PairList:
        if self.cutoff is not None and self.n_atoms * (self.n_atoms - 1) // 2 > assemble.BRUTE_FORCE_PAIRS:
            return assemble.pairs_within(X, self.cutoff, self.n_atoms, m)
        every = self._pairs.get(m)
        if every is None:
            every = assemble.all_pairs(self.n_atoms, self.dim, m)
            if m == 1:  # the one kept: batches come in many sizes
                self._pairs[m] = every
        if self.cutoff is not None:
            return assemble.pairs_within(X, self.cutoff, self.n_atoms, m, every)
        return every

    def _evaluate(self, kind: str, x):
        """(energy (m,), gradient (m, n) or None, Hessian (m, n, n) or None, single)."""
        X, m, single = self._configurations(x)
        pairs = self._pair_list(X, m)
        grad = hess = None
        try:
            if kind == "value":
                energy = assemble.energy(self.pair, X, pairs, m)
            elif kind == "grad":
                energy, grad = assemble.energy_and_grad(self.pair, X, pairs, m)
            else:
                energy, grad, hess = assemble.hessian(self.pair, X, pairs, m)
        except PairFailure as failure:
            raise self._pair_error(failure, X, pairs, m, single) from None
        if self.one_body is not None:
            energy, grad, hess = self._add_one_body(self.one_body, kind, X, m, single, energy, grad, hess)
        if grad is not None:
            grad = grad.reshape(m, self.n)
        return energy, grad, hess, single

    def _add_one_body(self, U: Potential, kind, X, m, single, energy, grad, hess):
        try:
            if kind == "value":
                energy = energy + U(X).reshape(m, self.n_atoms).sum(axis=1)
                return energy, grad, hess
            values, g = U.value_and_grad(X)
            energy = energy + values.reshape(m, self.n_atoms).sum(axis=1)
            grad = grad + g.ravel()
            if kind == "hessian":
                blocks = U.hessian(X).reshape(m, self.n_atoms, self.dim, self.dim)
                H = hess.reshape(m, self.n_atoms, self.dim, self.n_atoms, self.dim)
                atoms = np.arange(self.n_atoms)
                H[:, atoms, :, atoms, :] += blocks.transpose(1, 0, 2, 3)
        except DomainError as error:
            raise self._one_body_error(error, X, m, single) from None
        return energy, grad, hess

    def _pair_error(self, failure: PairFailure, X, pairs, m: int, single: bool) -> DomainError:
        k = failure.index
        gi, gj = int(pairs.gi[k]), int(pairs.gj[k])
        c = gi // self.n_atoms
        r = float(np.linalg.norm(X[gi] - X[gj]))
        where = "" if single else f", configuration {c + 1}"
        point = X[c * self.n_atoms : (c + 1) * self.n_atoms].ravel()
        return failure.domain_error((gi % self.n_atoms + 1, gj % self.n_atoms + 1), r, point, where)

    def _one_body_error(self, error: DomainError, X, m: int, single: bool) -> DomainError:
        point = getattr(error, "point", None)
        hits = np.flatnonzero((X == np.asarray(point)).all(axis=1)) if point else np.empty(0, dtype=np.intp)
        row = int(hits[0]) if len(hits) else 0
        c, atom = divmod(row, self.n_atoms)
        where = "" if single else f", configuration {c + 1}"
        wrapped = DomainError(f"{error.message} in the one-body term (atom {atom + 1}{where})")
        wrapped.reason = getattr(error, "reason", "unknown")
        wrapped.operation = getattr(error, "operation", None)
        wrapped.point = tuple(X[c * self.n_atoms : (c + 1) * self.n_atoms].ravel().tolist())
        return wrapped

    def __call__(self, x):
        """V(x): a float for one point (n,), (m,) for a batch (m, n)."""
        energy, _, _, single = self._evaluate("value", x)
        return float(energy[0]) if single else energy

    def value_and_grad(self, x):
        """(V(x), grad V(x)): (float, (n,)) or ((m,), (m, n))."""
        energy, grad, _, single = self._evaluate("grad", x)
        return (float(energy[0]), grad[0]) if single else (energy, grad)

    def value_and_grad_trusted(self, x):
        """(V(x), grad V(x)) of one point x, a finite float64 array (n,), without
        the input checks of ``value_and_grad`` (an optimiser's inner loop, whose
        points it made itself). A pair the pair term cannot evaluate raises
        ``PairFailure``; a one-body term takes the checked path."""
        if self.one_body is not None:
            return self.value_and_grad(x)
        X = x.reshape(self.n_atoms, self.dim)
        energy, grad = assemble.energy_and_grad(self.pair, X, self._pair_list(X, 1), 1)
        return float(energy[0]), grad

    def grad(self, x):
        """grad V(x): (n,) or (m, n)."""
        return self.value_and_grad(x)[1]

    def force(self, x):
        """F = -grad V(x): (n,) or (m, n)."""
        return -self.value_and_grad(x)[1]

    def hessian(self, x):
        """The exact matrix of second derivatives: (n, n) or (m, n, n)."""
        _, _, hess, single = self._evaluate("hessian", x)
        return hess[0] if single else hess

    @cached_property
    def scalar_value_and_grad(self):
        """``f(*coords) -> (V, g_1, ..., g_n)`` over Python floats, as for
        ``Potential`` (the descent loop's interface)."""

        def value_and_grad(*coords):
            energy, grad, _, _ = self._evaluate("grad", coords)
            return (float(energy[0]), *grad[0].tolist())

        return value_and_grad

    def atom_force_norms(self, x):
        """|F_a| of each particle: (N,) for one point, (m, N) for a batch."""
        f = self.force(x)
        norms = np.linalg.norm(f.reshape(-1, self.n_atoms, self.dim), axis=2)
        return norms[0] if f.ndim == 1 else norms

    def graph(self, x):
        """V evaluated with engine operations on the Tensor ``x`` (shape (n,) or
        (m, n)) -> Tensor of shape () or (m,), differentiable by the engine."""
        return particle_graph(self, x)

    def derivatives(self, x, order: int, variable: str | None = None, method: str = "taylor") -> list[float]:
        """[d^k V / d var^k for k = 0..order] at one point (n,), the other
        coordinates fixed, as ``Potential.derivatives``: the pairs of the
        variable's particle (inside the cutoff) and its one-body term, each
        by Taylor-mode arithmetic over the compiled pair term
        (``method="engine"``: the engine's repeated differentiation)."""
        return derivatives_along(self, x, order, variable, method)


def per_atom_max_force(gradient, dim: int = 3) -> float:
    """The largest per-particle force norm max_a |F_a| from a gradient (n,):
    the ``--fmax`` criterion for particle systems.

    >>> per_atom_max_force([3.0, 4.0, 0.0, 0.0, 0.0, 1.0])
    5.0
    """
    g = np.asarray(gradient, dtype=np.float64).reshape(-1, dim)
    return float(np.sqrt((g * g).sum(axis=1)).max()) if g.size else 0.0


def is_particle_potential(V) -> bool:
    """True for a ``ParticlePotential`` (commands ask before using per-atom options)."""
    return isinstance(V, ParticlePotential)
