"""Front-end benchmark (issue 3): the 13-atom Lennard-Jones cluster written out
as ONE expression string over 39 coordinates (78 pair terms, ~6,600
characters), gradcli side by side with SymPy (diff + lambdify) and, when
installed, PyTorch (torch.func.hessian / autograd) -- one run, one machine.

    /tmp/bench-venv/bin/python bench/bench_lj13.py            # with torch
    python bench/bench_lj13.py --sympy-hessian                # also build SymPy's Hessian (slow)

Targets: parse + compile + first gradient < 0.5 s; gradient <= 2x the
lambdify'd symbolic gradient; Hessian < 5 ms. Plus the descent fast path on
the double well (well under 1 us per call). Figures go in bench/README.md.
"""

from __future__ import annotations

import argparse
import gc
import os
import platform
import sys
import time
import timeit

import numpy as np
import sympy

from gradcli.frontend import Potential
from gradcli.frontend.parse import parse_expression

N_ATOMS = 13
VARIABLES = [f"{c}{i}" for i in range(1, N_ATOMS + 1) for c in "xyz"]


def lj13_text() -> str:
    pairs = []
    for i in range(1, N_ATOMS + 1):
        for j in range(i + 1, N_ATOMS + 1):
            r2 = f"((x{i}-x{j})**2+(y{i}-y{j})**2+(z{i}-z{j})**2)"
            pairs.append(f"4*({r2}**-6-{r2}**-3)")
    return "+".join(pairs)


def lj13_point(seed: int = 0) -> np.ndarray:
    """A centred icosahedron (the LJ13 minimum, E = -44.33), perturbed by 0.01."""
    phi = (1 + 5**0.5) / 2
    vertices = []
    for a in (-1, 1):
        for b in (-1, 1):
            vertices += [(0, a, b * phi), (a, b * phi, 0), (b * phi, 0, a)]
    v = np.array(vertices, dtype=float)
    v *= 1.0902 / np.linalg.norm(v[0])  # centre-vertex distance near the optimum
    cluster = np.vstack([np.zeros(3), v])
    return (cluster + np.random.default_rng(seed).normal(scale=0.01, size=cluster.shape)).ravel()


def per_call(f, seconds: float = 0.5) -> float:
    """Best-of-5 time of one call of f(), in seconds."""
    number = max(1, int(seconds / 5 / max(timeit.timeit(f, number=1), 1e-7)))
    return min(timeit.repeat(f, number=number, repeat=5)) / number


def fmt(seconds: float) -> str:
    if seconds >= 1:
        return f"{seconds:.2f} s"
    if seconds >= 1e-3:
        return f"{seconds * 1e3:.2f} ms"
    if seconds >= 1e-6:
        return f"{seconds * 1e6:.1f} us"
    return f"{seconds * 1e9:.0f} ns"


def row(label: str, *cells: str) -> None:
    print(f"  {label:<44}" + "".join(f"  {c:>14}" for c in cells))


def torch_lj(torch):
    """The same potential in PyTorch, written out pair by pair like the string."""

    def energy(x):
        total = x.new_zeros(())
        for i in range(N_ATOMS):
            for j in range(i + 1, N_ATOMS):
                d = x[3 * i : 3 * i + 3] - x[3 * j : 3 * j + 3]
                r2 = (d * d).sum()
                total = total + 4 * (r2**-6 - r2**-3)
        return total

    return energy


def main() -> None:
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--sympy-hessian", action="store_true", help="also build SymPy's symbolic Hessian")
    args = ap.parse_args()
    print(
        f"{platform.node()}: Python {platform.python_version()}, numpy {np.__version__}, "
        f"sympy {sympy.__version__}, {time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}"
    )
    text = lj13_text()
    x = lj13_point()
    xs = x.tolist()
    print(f"LJ13: {len(text)} characters, 39 variables, 78 pair terms")

    # --- gradcli: parse + compile + first gradient, in this fresh process
    t0 = time.perf_counter()
    expr = parse_expression(text)
    t1 = time.perf_counter()
    V = Potential(expr, variables=VARIABLES)
    t2 = time.perf_counter()
    value, g = V.value_and_grad(x)
    t3 = time.perf_counter()
    H = V.hessian(x)
    t4 = time.perf_counter()
    print(
        f"  E = {value:.6f}, |grad| = {np.linalg.norm(g):.4f}, "
        f"lowest Hessian eigenvalues {np.round(np.linalg.eigvalsh(H)[:7], 6).tolist()}"
    )
    print("\ngradcli")
    row("parse_expression", fmt(t1 - t0))
    row("Potential(...) (SymPy -> program)", fmt(t2 - t1))
    row("first gradient (transform + codegen + run)", fmt(t3 - t2))
    row("parse + compile + first gradient", fmt(t3 - t0), "target < 0.5 s")
    row("first Hessian (transform + codegen + run)", fmt(t4 - t3))
    gp, hp = V._get("grad").program, V._get("hessian").program
    row("program sizes: value / grad / Hessian", f"{len(V.program)} / {len(gp)} / {len(hp)}")
    t_grad = per_call(lambda: V.grad(x))
    t_grad_raw = per_call(lambda: V.scalar_value_and_grad(*xs))
    t_hess = per_call(lambda: V.hessian(x))
    row("V.grad(x) (array in, array out)", fmt(t_grad))
    row("V.scalar_value_and_grad(*coords)", fmt(t_grad_raw))
    row("V.hessian(x)", fmt(t_hess), "target < 5 ms")
    batch = np.stack([lj13_point(seed) for seed in range(1000)])
    row("V.grad(1000 points) per point", fmt(per_call(lambda: V.grad(batch)) / 1000))
    row("V.hessian(100 points) per point", fmt(per_call(lambda: V.hessian(batch[:100]), 2) / 100))

    # --- SymPy: symbolic gradient, lambdified
    syms = [sympy.Symbol(v, real=True) for v in VARIABLES]
    expr_syms = expr.xreplace({s: syms[VARIABLES.index(s.name)] for s in expr.free_symbols})
    t0 = time.perf_counter()
    grads = [sympy.diff(expr_syms, s) for s in syms]
    t1 = time.perf_counter()
    f_grad = sympy.lambdify([syms], grads)
    t2 = time.perf_counter()
    assert np.allclose(f_grad(xs), g, rtol=1e-9)
    t_lambdify = per_call(lambda: f_grad(xs))
    print("\nSymPy")
    row("diff (39 partial derivatives)", fmt(t1 - t0))
    row("lambdify of the gradient", fmt(t2 - t1))
    row("lambdified gradient, list of floats in", fmt(t_lambdify))
    row("lambdified gradient, ndarray in and out", fmt(per_call(lambda: np.array(f_grad(x)))))
    row("gradcli V.grad / lambdify", f"{t_grad / t_lambdify:.2f}x", "target <= 2x")
    if args.sympy_hessian:
        t0 = time.perf_counter()
        hess = [[sympy.diff(grads[i], syms[j]) for j in range(i + 1)] for i in range(39)]
        t1 = time.perf_counter()
        f_hess = sympy.lambdify([syms], hess)
        t2 = time.perf_counter()
        row("symbolic Hessian (lower triangle): diff", fmt(t1 - t0))
        row("symbolic Hessian: lambdify", fmt(t2 - t1))
        row("lambdified Hessian per call", fmt(per_call(lambda: f_hess(xs))))
    else:
        row("symbolic Hessian", "skipped (--sympy-hessian)")

    # --- PyTorch, if installed
    try:
        import torch
    except ImportError:
        print("\nPyTorch: not installed in this interpreter (run with /tmp/bench-venv/bin/python)")
    else:
        torch.set_default_dtype(torch.float64)
        energy = torch_lj(torch)
        xt = torch.tensor(x)
        th = torch.func.hessian(energy)(xt)
        assert np.allclose(th.numpy(), H, rtol=1e-9, atol=1e-9 * np.abs(H).max())

        def torch_grad():
            xr = xt.clone().requires_grad_(True)
            return torch.autograd.grad(energy(xr), xr)[0]

        print(f"\nPyTorch {torch.__version__}")
        t_th = per_call(lambda: torch.func.hessian(energy)(xt), 2)
        row("torch.autograd.grad of the pair loop", fmt(per_call(torch_grad)))
        row("torch.func.hessian of the pair loop", fmt(t_th))
        row("gradcli V.hessian speed-up", f"{t_th / t_hess:.0f}x")

    # --- the descent fast path on the double well
    W = Potential("x**4 - 10*x**2 + 5")
    f = W.scalar_value_and_grad
    f(3.0)
    n = 2_000_000
    gc.collect()
    per = min(timeit.repeat("f(3.0)", globals={"f": f}, number=n, repeat=5)) / n
    print("\nDouble well x**4 - 10*x**2 + 5")
    row("V.scalar_value_and_grad(3.0)", fmt(per), "budget 1 us")
    print(
        f"\n(machine: {platform.machine()}, {os.cpu_count()} cores, {sys.platform}; "
        f"load average {os.getloadavg()[0]:.1f})"
    )


if __name__ == "__main__":
    main()
