"""A particle potential as a differentiable graph of the autograd engine:
``ParticlePotential.graph(x)``, as ``Potential.graph``.

The pairs are gathered by integer indexing of the coordinate Tensor (the
engine's ``x[index]``, whose backward scatters), s = |x_i - x_j|**2 is
built from engine operations, and the pair term's Program runs on s with
engine operations (``engine_graph.evaluate``). With a cutoff, the pairs
inside it are chosen from the current values (a selection that is constant
between crossings of rc, so it carries no derivative), as in
``assemble.pairs_within``.

    >>> import gradcli as torch
    >>> from gradcli.particles import ParticlePotential
    >>> V = ParticlePotential("(r - 1)**2", 2)
    >>> x = torch.tensor([0.0, 0.0, 0.0, 2.0, 0.0, 0.0], requires_grad=True)
    >>> V.graph(x).backward()
    >>> x.grad                                   # grad V(x), as V.grad(x)
    tensor([-2.,  0.,  0.,  2.,  0.,  0.])
"""

from __future__ import annotations

from typing import TYPE_CHECKING

from .._lazy import LazyModule
from ..errors import InputError
from ..frontend import engine_graph

if TYPE_CHECKING:
    import numpy as np
else:
    np = LazyModule("numpy", globals(), "np")  # imported on first use (gradcli/_lazy.py)
creation = LazyModule("gradcli.autograd.creation", globals(), "creation")


def particle_graph(V, x):
    """V at the Tensor x (shape (n,) or (m, n)) -> Tensor of shape () or (m,)."""
    shape = tuple(getattr(x, "shape", ()))
    if not engine_graph.is_tensor(x) or len(shape) not in (1, 2) or shape[-1] != V.n:
        raise InputError(
            f"graph() takes a gradcli Tensor of shape ({V.n},) or (m, {V.n}), got {type(x).__name__} of shape {shape}"
        )
    m = shape[0] if len(shape) == 2 else 1
    X = x.reshape(m * V.n_atoms, V.dim)
    values = x.detach().numpy().reshape(m * V.n_atoms, V.dim)
    pairs = V._pair_list(values, m)
    d = X[pairs.gi] - X[pairs.gj]
    s = (d * d).sum(-1)
    (pair_values,) = engine_graph.evaluate(V.pair.program, [s])
    config = np.asarray(pairs.config)
    total = x.reshape(m, V.n)[:, 0] * 0.0  # ties a constant result to x
    for c in range(m):
        chosen = np.flatnonzero(config == c)
        if len(chosen):
            total_c = pair_values[chosen].sum() - V.energy_shift * len(chosen)
            total = total + _one_hot(m, c) * total_c
    if V.one_body is not None:
        (body,) = engine_graph.evaluate(V.one_body.program, [X[:, k] for k in range(V.dim)])
        body = body if engine_graph.is_tensor(body) else X[:, 0] * 0.0 + body
        total = total + body.reshape(m, V.n_atoms).sum(-1)
    return total[0] if len(shape) == 1 else total


def _one_hot(m: int, c: int):
    e = np.zeros(m)
    e[c] = 1.0
    return creation.tensor(e)
