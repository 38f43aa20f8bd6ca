"""Shared helpers for the particle tests: the written-out all-pairs expression,
which gradcli's ``Potential`` compiles as one expression (the reference the
particle potential must equal)."""

import re

import numpy as np

LJ = "4*eps*((sigma/r)**12 - (sigma/r)**6)"
MORSE = "eps*exp(rho*(1 - r/r0))*(exp(rho*(1 - r/r0)) - 2)"


def distance(i: int, j: int, dim: int = 3) -> str:
    return "sqrt(" + " + ".join(f"({a}{i} - {a}{j})**2" for a in "xyz"[:dim]) + ")"


def written_out(pair: str, n: int, dim: int = 3, one_body: str | None = None) -> str:
    """The sum over all pairs of ``pair`` with r spelled out, plus ``one_body``
    per particle with x, y, z renamed to that particle's coordinates."""
    terms = [
        "(" + re.sub(r"\br\b", distance(i, j, dim), pair) + ")" for i in range(1, n + 1) for j in range(i + 1, n + 1)
    ]
    if one_body is not None:
        for i in range(1, n + 1):
            terms.append("(" + re.sub(r"\b([xyz])\b", lambda m, i=i: f"{m[1]}{i}", one_body) + ")")
    return " + ".join(terms)


def jittered_lattice(n: int, dim: int = 3, spacing: float = 1.12, seed: int = 0) -> np.ndarray:
    """n points on a simple cubic lattice of ``spacing``, each moved by up to 10%:
    no two closer than ~0.9 spacing (so no pair term blows up)."""
    side = int(np.ceil(n ** (1 / dim)))
    grid = np.stack(np.meshgrid(*[np.arange(side)] * dim, indexing="ij"), axis=-1).reshape(-1, dim)[:n]
    rng = np.random.default_rng(seed)
    return (spacing * (grid + rng.uniform(-0.1, 0.1, size=grid.shape))).ravel()
