"""W2 (issue 12): one vectorised descent step for N walkers, gradcli side by side
with hand-written numpy and (when installed) JAX, in one run on one machine.

    python bench/bench_vectorised.py [--walkers 1000000] [--repeats 15]
    PYTHONPATH=. /work/sidevenv/bin/python bench/bench_vectorised.py     # with JAX

One step is: value and gradient at every walker, then x -= lr * g. Rows:

* gradcli value_and_grad: the public API, ``v, g = V.value_and_grad(X)`` on X (N, n);
* gradcli into: ``V.value_and_grad_into(C, out)`` on walkers C (n, N) and a
  buffer out (1 + n, N) owned by the caller, the update in place;
* numpy in place: the same formula written by hand with ufuncs and ``out=``,
  value and gradient (the baseline), and the gradient alone;
* numpy in place in chunks: the same, run 2**15 walkers at a time (as gradcli
  runs its generated code), so that the buffers stay in the cache;
* numpy temporaries (``--temporaries``): the formula as one numpy expression;
* JAX: ``jit(vmap(value_and_grad))`` and the update, called once per step, and
  50 steps fused in one ``lax.fori_loop`` (time per step); float64.

Peak memory of one step (tracemalloc, which numpy reports to) shows the
registers: O(N * registers), not O(N * instructions).
"""

from __future__ import annotations

import argparse
import gc
import platform
import time
import tomllib
import tracemalloc
from pathlib import Path

import numpy as np

from gradcli.frontend import Potential

CHUNK = 2**15  # the chunk width gradcli's generated code uses
DW = "x**4-10*x**2+5"
MB = tuple(
    zip(
        (-200.0, -100.0, -170.0, 15.0),
        (-1.0, -1.0, -6.5, 0.7),
        (0.0, 0.0, 11.0, 0.6),
        (-10.0, -10.0, -6.5, 0.7),
        (1.0, 0.0, -0.5, -1.0),
        (0.0, 0.5, 1.5, 1.0),
    )
)


def dw_hand(c, out, t, gradient_only=False):
    """Double well by hand: V = (x2 - 10) x2 + 5, g = (4 x2 - 20) x."""
    x = c[0]
    np.multiply(x, x, out=t[0])
    if not gradient_only:
        np.subtract(t[0], 10.0, out=out[0])
        np.multiply(out[0], t[0], out=out[0])
        np.add(out[0], 5.0, out=out[0])
    np.multiply(t[0], 4.0, out=out[1])
    np.subtract(out[1], 20.0, out=out[1])
    np.multiply(out[1], x, out=out[1])


def dw_temporaries(c):
    x = c[0]
    return x**4 - 10 * x**2 + 5, 4 * x**3 - 20 * x


def mb_hand(c, out, t, gradient_only=False):
    """Müller-Brown by hand: V = sum_k A exp(a dx^2 + b dx dy + c dy^2), its gradient."""
    x, y = c
    dx, dy, q, w, e = t
    out[0 if not gradient_only else 1 :] = 0.0
    for A, a, b, cc, x0, y0 in MB:
        np.subtract(x, x0, out=dx)
        np.subtract(y, y0, out=dy)
        np.multiply(dx, a, out=q)
        np.multiply(dy, b, out=w)
        np.add(q, w, out=q)
        np.multiply(q, dx, out=q)
        np.multiply(dy, cc, out=w)
        np.multiply(w, dy, out=w)
        np.add(q, w, out=q)
        np.exp(q, out=e)
        np.multiply(e, A, out=e)
        if not gradient_only:
            np.add(out[0], e, out=out[0])
        for row, (p, r) in ((1, (2 * a, b)), (2, (b, 2 * cc))):  # dV/dx, dV/dy
            np.multiply(dx, p, out=q)
            np.multiply(dy, r, out=w)
            np.add(q, w, out=q)
            np.multiply(q, e, out=q)
            np.add(out[row], q, out=out[row])


def mb_temporaries(c):
    x, y = c
    v, gx, gy = 0.0, 0.0, 0.0
    for A, a, b, cc, x0, y0 in MB:
        dx, dy = x - x0, y - y0
        e = A * np.exp(a * dx**2 + b * dx * dy + cc * dy**2)
        v, gx, gy = v + e, gx + e * (2 * a * dx + b * dy), gy + e * (b * dx + 2 * cc * dy)
    return v, gx, gy


def muller_brown_expression() -> str:
    path = Path(__file__).resolve().parent.parent / "potentials" / "muller-brown.toml"
    return tomllib.loads(path.read_text())["expression"]


def variants(V: Potential, hand, temporaries, n_temps: int, lr: float, temporaries_too: bool):
    """name -> (setup() -> step(state)), each step one descent step of the walkers in state."""
    n = V.n

    def api(X):
        def step():
            _, g = V.value_and_grad(X)
            np.multiply(g, lr, out=g)
            np.subtract(X, g, out=X)

        return step

    def into(X):
        C = np.ascontiguousarray(X.T)
        out = np.empty((1 + n, C.shape[1]))

        def step():
            V.value_and_grad_into(C, out)
            np.multiply(out[1:], lr, out=out[1:])
            np.subtract(C, out[1:], out=C)

        return step

    def by_hand(gradient_only):
        def setup(X):
            C = np.ascontiguousarray(X.T)
            out = np.empty((1 + n, C.shape[1]))
            t = np.empty((n_temps, C.shape[1]))

            def step():
                hand(C, out, t, gradient_only)
                np.multiply(out[1:], lr, out=out[1:])
                np.subtract(C, out[1:], out=C)

            return step

        return setup

    def temps(X):
        C = np.ascontiguousarray(X.T)

        def step():
            _, *g = temporaries(C)
            C[...] = C - lr * np.array(g)

        return step

    def by_hand_in_chunks(X):
        C = np.ascontiguousarray(X.T)
        out = np.empty((1 + n, C.shape[1]))
        t = np.empty((n_temps, CHUNK))

        def step():
            for s in range(0, C.shape[1], CHUNK):
                e = min(C.shape[1], s + CHUNK)
                hand(C[:, s:e], out[:, s:e], t[:, : e - s])
            np.multiply(out[1:], lr, out=out[1:])
            np.subtract(C, out[1:], out=C)

        return step

    rows = {
        "numpy in place (value + gradient)": by_hand(False),
        "numpy in place (gradient only)": by_hand(True),
        f"numpy in place, chunks of {CHUNK}": by_hand_in_chunks,
    }
    if temporaries_too:
        rows["numpy temporaries"] = temps
    if hasattr(V, "value_and_grad_into"):
        rows["gradcli value_and_grad_into"] = into
    rows["gradcli value_and_grad"] = api
    return rows


def jax_rows(kind: str, lr: float):
    try:
        import jax
    except ImportError:
        return {}
    jax.config.update("jax_enable_x64", True)
    jnp = jax.numpy

    def dw(p):
        return p[0] ** 4 - 10 * p[0] ** 2 + 5

    def mb(p):
        return sum(
            A * jnp.exp(a * (p[0] - x0) ** 2 + b * (p[0] - x0) * (p[1] - y0) + c * (p[1] - y0) ** 2)
            for A, a, b, c, x0, y0 in MB
        )

    vg = jax.vmap(jax.value_and_grad(dw if kind == "dw" else mb))

    @jax.jit
    def one(X):
        _, g = vg(X)
        return X - lr * g

    steps = 50

    @jax.jit
    def fused(X):
        return jax.lax.fori_loop(0, steps, lambda i, X: X - lr * vg(X)[1], X)

    def per_call(X):
        state = [jnp.asarray(X)]
        one(state[0]).block_until_ready()

        def step():
            state[0] = one(state[0])
            state[0].block_until_ready()

        return step

    def loop(X):
        state = [jnp.asarray(X)]
        fused(state[0]).block_until_ready()

        def step():
            state[0] = fused(state[0])
            state[0].block_until_ready()

        return step

    return {"JAX jit, one call per step": (per_call, 1), f"JAX jit, {steps} steps fused (per step)": (loop, steps)}


def peak_mib(setup, X) -> float:
    step = setup(X.copy())
    step()
    gc.collect()
    tracemalloc.start()
    step()
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    return peak / 2**20


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--walkers", type=int, default=10**6)
    parser.add_argument("--repeats", type=int, default=15)
    parser.add_argument(
        "--temporaries",
        action="store_true",
        help="also the formula as numpy expressions (its allocations slow the other rows)",
    )
    args = parser.parse_args()
    N = args.walkers
    rng = np.random.default_rng(12)
    print(
        f"# {platform.machine()}, {platform.python_version()}, numpy {np.__version__}, N = {N} walkers, "
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}"
    )
    cases = [
        ("double well", "dw", Potential(DW), dw_hand, dw_temporaries, 1, 1e-3, rng.uniform(-3, 3, (N, 1))),
        (
            "Müller-Brown",
            "mb",
            Potential(muller_brown_expression(), variables=["x", "y"]),
            mb_hand,
            mb_temporaries,
            5,
            1e-5,
            np.column_stack([rng.uniform(-1.5, 1.2, N), rng.uniform(-0.5, 2.0, N)]),
        ),
    ]
    for title, kind, V, hand, temporaries, n_temps, lr, X in cases:
        mine = variants(V, hand, temporaries, n_temps, lr, args.temporaries)
        rows = {name: (setup, 1) for name, setup in mine.items()}
        rows.update(jax_rows(kind, lr))
        steps = {name: (setup(X.copy()), k) for name, (setup, k) in rows.items()}
        best = {name: float("inf") for name in rows}
        for _ in range(args.repeats):  # alternated, so that load changes hit every row
            for name, (step, k) in steps.items():
                t = time.perf_counter()
                step()
                best[name] = min(best[name], (time.perf_counter() - t) / k)
        del steps
        base = best["numpy in place (value + gradient)"]
        c = V._get("grad")
        code = c._array_code
        registers = ""
        if code is not None and hasattr(code, "registers"):  # not in the code before issue 12
            width = c._width(code.registers)
            registers = (
                f"; {code.registers} registers of {width} walkers: a workspace of "
                f"{code.registers * width * 8 / 2**20:.2f} MiB, kept between calls"
            )
        print(f"\n## {title}: one step, best of {args.repeats} ({len(V._get('grad').program)} instructions{registers})")
        print(f"| {'step':44} | {'ms':>8} | {'/ numpy in place':>16} | {'peak MiB':>8} |")
        print(f"|{'-' * 46}|{'-' * 10}|{'-' * 18}|{'-' * 10}|")
        for name, (setup, _) in rows.items():
            memory = "" if name.startswith("JAX") else f"{peak_mib(setup, X):8.1f}"
            print(f"| {name:44} | {best[name] * 1e3:8.3f} | {best[name] / base:16.2f} | {memory:>8} |")
        check(V, hand, n_temps, X[:1000])


def check(V: Potential, hand, n_temps: int, X: np.ndarray) -> None:
    """The rows compute the same numbers."""
    out = np.empty((1 + V.n, len(X)))
    hand(np.ascontiguousarray(X.T), out, np.empty((n_temps, len(X))), False)
    v, g = V.value_and_grad(X)
    assert np.allclose(out[0], v, rtol=1e-12, atol=1e-9) and np.allclose(out[1:].T, g, rtol=1e-12, atol=1e-9)


if __name__ == "__main__":
    main()
