"""Issue 15 item 13: commands on many variables, in bounded time and memory.

    python bench/bench_scaling.py [--tree DIR] [--sizes 1000,3000]

Each case runs gradcli's command line (``gradcli.cli.app.main``) as a child process with PYTHONPATH set
to the gradcli source tree given by --tree (default: this one), so that the
code before a change (an exported older commit: ``git archive COMMIT | tar -x
-C /tmp/before``) and after run side by side on one machine. Reported per
case: wall time, CPU time (user + system) and peak resident memory of the
child, and its exit code. Then, in this process, where the time of the
Hessian of sum x_i**2 goes (build, compile, evaluate), for this tree only.
"""

from __future__ import annotations

import argparse
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

import numpy as np

HERE = Path(__file__).resolve().parent.parent


def squares(n: int) -> str:
    return "+".join(f"x{i}**2" for i in range(1, n + 1))


def ones(n: int) -> str:
    return ",".join(["1"] * n)


def lj_point(atoms: int) -> str:
    """A cubic lattice of spacing 1.1 (no two atoms closer): a valid point."""
    side = int(np.ceil(atoms ** (1 / 3)))
    grid = np.array([(i, j, k) for i in range(side) for j in range(side) for k in range(side)])[:atoms]
    return ",".join(f"{v:.3f}" for v in (1.1 * grid).reshape(-1))


def cases(sizes: list[int]) -> list[tuple[str, list[str]]]:
    out = []
    for n in sizes:
        out.append(
            (f"force-constant sum x_i**2, n = {n}, --json", ["force-constant", squares(n), "--at", ones(n), "--json"])
        )
        out.append((f"force-constant sum x_i**2, n = {n}, table", ["force-constant", squares(n), "--at", ones(n)]))
    out += [
        ("potentials show rosenbrock-nd --param n=1000", ["potentials", "show", "rosenbrock-nd", "--param", "n=1000"]),
        (
            "force-constant @lj-cluster --param n=40",
            ["force-constant", "@lj-cluster", "--param", "n=40", "--at", lj_point(40), "--json"],
        ),
        ("descend @lj-cluster --param n=40", ["descend", "@lj-cluster", "--param", "n=40", "--json"]),
    ]
    return out


def run(tree: Path, argv: list[str]) -> tuple[float, float, float, int]:
    """(wall s, CPU s, peak RSS MiB, exit code) of ``gradcli argv``."""
    env = {**os.environ, "PYTHONPATH": str(tree)}  # and cwd=tree: python -c puts the cwd first on sys.path
    start = time.perf_counter()
    command = [sys.executable, "-c", "from gradcli.cli.app import main; main()", *argv]
    child = subprocess.Popen(command, env=env, cwd=tree, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    _, status, usage = os.wait4(child.pid, 0)
    wall = time.perf_counter() - start
    child.returncode = os.waitstatus_to_exitcode(status)
    return wall, usage.ru_utime + usage.ru_stime, usage.ru_maxrss / 1024, child.returncode


def inside(n: int) -> None:
    """Where the time of one Hessian of sum x_i**2 goes, in this process."""
    from gradcli.frontend import Potential

    t0 = time.perf_counter()
    V = Potential(squares(n))
    t1 = time.perf_counter()
    c = V._get("hessian")
    t2 = time.perf_counter()
    c.scalar  # noqa: B018 (compiles)
    t3 = time.perf_counter()
    H = V.hessian(np.ones(n))
    t4 = time.perf_counter()
    assert np.array_equal(H, 2 * np.eye(n))
    print(
        f"| Hessian of sum x_i**2, n = {n}: parse {t1 - t0:.2f} s, Hessian program {t2 - t1:.2f} s "
        f"({len(c.program)} instructions, {len(c.program.outputs)} outputs), compile {t3 - t2:.2f} s, "
        f"first evaluation {t4 - t3:.2f} s |"
    )


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--tree", type=Path, default=HERE, help="the gradcli source tree to run")
    parser.add_argument("--sizes", default="1000,3000")
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]
    print(
        f"# {args.tree}: {platform.machine()}, Python {platform.python_version()}, "
        f"{time.strftime('%Y-%m-%d %H:%M UTC', time.gmtime())}, load {os.getloadavg()[0]:.1f}"
    )
    print(f"| {'command':48} | {'wall s':>7} | {'CPU s':>7} | {'peak MiB':>8} | exit |")
    print(f"|{'-' * 50}|{'-' * 9}|{'-' * 9}|{'-' * 10}|------|")
    for title, argv in cases(sizes):
        wall, cpu, peak, code = run(args.tree, argv)
        print(f"| {title:48} | {wall:7.2f} | {cpu:7.2f} | {peak:8.0f} | {code:4} |", flush=True)
    if args.tree.resolve() == HERE:
        for n in sizes:
            inside(n)


if __name__ == "__main__":
    main()
