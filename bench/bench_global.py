"""Basin hopping against scipy.optimize.basinhopping, side by side in one run (issue 12).

    python bench/bench_global.py [--seeds 10] [--lj38-seconds 60] [--sizes 13 38]
    python bench/bench_global.py --per-hop 200 [--sizes 13 38]    # the cost of a hop
    python bench/bench_global.py --sizes 38 --lj38-seconds 600 --tools gradcli   # one search only

LJ13 (global minimum -44.326801) and LJ38 (-173.928427, Cambridge Cluster
Database), each from the same seeded random starts (atoms uniform in a ball),
to the global minimum: hops and wall time per seed, medians over the seeds,
and how often it was found within the budget. Both searches minimise with
L-BFGS-B on the same compiled gradcli gradient, at temperature 0.8, so the
figures compare the searches, not the potentials. The potential is the
particle (pair) potential when ``gradcli.particles`` exists, else the written-
out expression. pele (its own compiled LJ and L-BFGS) is run when it imports.
Run by hand, never in CI.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import statistics
import time

# Both searches with one BLAS thread (gradcli asks for one itself; scipy's would otherwise use two).
for _name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_name, "1")

import numpy as np  # noqa: E402

from gradcli.landscape.hopping import basin_hopping, random_cluster  # noqa: E402

TARGETS = {13: -44.326801, 38: -173.928427}


def lj(n: int):
    try:
        from gradcli.particles import ParticlePotential

        return ParticlePotential("4*((1/r)**12 - (1/r)**6)", n), "pair potential"
    except ImportError:
        from gradcli.frontend import Potential

        terms = []
        for i in range(1, n + 1):
            for j in range(i + 1, n + 1):
                r2 = f"((x{i}-x{j})**2+(y{i}-y{j})**2+(z{i}-z{j})**2)"
                terms.append(f"(1/{r2})**6-(1/{r2})**3")
        variables = [f"{axis}{i}" for i in range(1, n + 1) for axis in "xyz"]
        return Potential("4*(" + "+".join(terms) + ")", variables=variables), "expression"


def scipy_search(V, start, target, seed, budget):
    from scipy.optimize import basinhopping

    calls = [0]

    def fun(x):
        calls[0] += 1
        value, grad = V.value_and_grad(x)
        return float(value), grad

    found = {}
    started = time.perf_counter()

    def callback(x, f, accepted):
        callback.hop += 1
        if f <= target + 1e-6:
            found["time"] = time.perf_counter() - started
            found["hop"] = callback.hop
            return True
        return time.perf_counter() - started > budget

    callback.hop = 0
    basinhopping(
        fun,
        start,
        niter=10**9,
        T=0.8,
        stepsize=0.4,
        seed=seed,
        callback=callback,
        minimizer_kwargs={"jac": True, "method": "L-BFGS-B", "options": {"gtol": 1e-6, "ftol": 1e-15}},
    )
    return found.get("hop"), found.get("time"), calls[0]


def pele_search(n, start, target, seed, budget):
    """pele's own basin hopping on its own LJ cluster (compiled LJ, its own L-BFGS)."""
    import logging

    import numpy as np
    from pele.systems import LJCluster

    logging.getLogger("pele").setLevel(logging.ERROR)
    np.random.seed(seed)
    system = LJCluster(n)
    bh = system.get_basinhopping(database=system.create_database(), coords=np.asarray(start), outstream=None)
    started = time.perf_counter()
    hop = 0
    while time.perf_counter() - started < budget:
        bh.run(1)
        hop += 1
        # The hop's own quench (not a query of the whole database, which grows with every hop).
        if bh.trial_energy <= target + 1e-6 or bh.markovE <= target + 1e-6:
            return hop, time.perf_counter() - started
    return None, None


def per_hop(n: int, hops: int, seed: int = 0) -> None:
    """Wall time and evaluations per hop of each search over ``hops`` hops from one start, no target."""
    V, _ = lj(n)
    start = random_cluster(n, 0.6 * n ** (1 / 3), np.random.default_rng(1000 + seed))
    V.value_and_grad(start)  # compile outside the timing
    t = time.perf_counter()
    out = basin_hopping(V, start, hops=hops, seed=seed)
    seconds = time.perf_counter() - t
    print(
        f"  gradcli  {seconds / hops * 1e3:.1f} ms/hop, {out.evaluations / hops:.0f} evaluations/hop, "
        f"best {out.best.value:.6f}"
    )
    from scipy.optimize import basinhopping

    calls = [0]

    def fun(x):
        calls[0] += 1
        value, grad = V.value_and_grad(x)
        return float(value), grad

    t = time.perf_counter()
    result = basinhopping(
        fun,
        start,
        niter=hops,
        T=0.8,
        stepsize=0.4,
        seed=seed,
        minimizer_kwargs={"jac": True, "method": "L-BFGS-B", "options": {"gtol": 1e-6, "ftol": 1e-15}},
    )
    seconds = time.perf_counter() - t
    print(f"  scipy    {seconds / hops * 1e3:.1f} ms/hop, {calls[0] / hops:.0f} evaluations/hop, best {result.fun:.6f}")
    try:
        import logging

        from pele.systems import LJCluster
    except ImportError:
        return
    logging.getLogger("pele").setLevel(logging.ERROR)
    np.random.seed(seed)
    system = LJCluster(n)
    bh = system.get_basinhopping(database=system.create_database(), coords=np.asarray(start), outstream=None)
    t = time.perf_counter()
    bh.run(hops)
    seconds = time.perf_counter() - t
    best = min(m.energy for m in bh.storage.db.minima())
    print(f"  pele     {seconds / hops * 1e3:.1f} ms/hop, best {best:.6f}")


def main() -> None:
    parser = argparse.ArgumentParser()
    parser.add_argument("--seeds", type=int, default=10)
    parser.add_argument("--first-seed", type=int, default=0, help="seeds first-seed, first-seed + 1, ...")
    parser.add_argument("--lj13-seconds", type=float, default=60)
    parser.add_argument("--lj38-seconds", type=float, default=60)
    parser.add_argument("--sizes", type=int, nargs="+", default=[13, 38], choices=sorted(TARGETS))
    parser.add_argument(
        "--tools",
        nargs="+",
        default=["gradcli", "scipy", "pele"],
        choices=["gradcli", "scipy", "pele"],
        help="run only these searches (long budgets: one search per core, side by side)",
    )
    parser.add_argument("--per-hop", type=int, default=0, metavar="HOPS", help="only time HOPS hops of each search")
    args = parser.parse_args()
    print(
        f"# {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC, {platform.machine()}, "
        f"{os.cpu_count()} cores, Python {platform.python_version()}, load {os.getloadavg()[0]:.1f}"
    )
    if args.per_hop:
        for n in args.sizes:
            print(f"LJ{n}, {args.per_hop} hops from one start:")
            per_hop(n, args.per_hop)
        return
    budgets = {13: args.lj13_seconds, 38: args.lj38_seconds}
    for n in args.sizes:
        budget = budgets[n]
        V, kind = lj(n)
        target = TARGETS[n]
        rows: dict[str, list] = {name: [] for name in args.tools}
        for seed in range(args.first_seed, args.first_seed + args.seeds):
            start = random_cluster(n, 0.6 * n ** (1 / 3), np.random.default_rng(1000 + seed))
            if "gradcli" in rows:
                t = time.perf_counter()
                out = basin_hopping(V, start, hops=10**9, seed=seed, target=target, time_limit=budget)
                elapsed = time.perf_counter() - t
                hit = out.target_reached
                rows["gradcli"].append((out.best.hop if hit else None, elapsed if hit else None))
            if "scipy" in rows:
                hop, seconds, _ = scipy_search(V, start, target, seed, budget)
                rows["scipy"].append((hop, seconds))
            if "pele" in rows:
                try:
                    rows["pele"].append(pele_search(n, start, target, seed, budget))
                except ImportError:
                    rows.pop("pele")
            # Each seed as it ends: a long run stopped early still says what it found.
            seen = ", ".join(
                f"{name} " + (f"hop {r[-1][0]} at {r[-1][1]:.1f} s" if r[-1][0] is not None else "not found")
                for name, r in rows.items()
            )
            print(f"  LJ{n} seed {seed}: {seen}", flush=True)
        print(f"LJ{n} ({kind}), {args.seeds} seeds, budget {budget:g} s each:")
        for name, results in rows.items():
            if len(results) < args.seeds:
                continue
            hits = [(h, s) for h, s in results if h is not None]
            if hits:
                print(
                    f"  {name:8s} found {len(hits)}/{args.seeds}; "
                    f"median hops {statistics.median(h for h, _ in hits):.0f}, "
                    f"median time {statistics.median(s for _, s in hits):.2f} s"
                )
            else:
                print(f"  {name:8s} found 0/{args.seeds}")


if __name__ == "__main__":
    main()
