"""The gradcli command against its baselines, side by side in one run (issue 4).

    python bench/bench_cli.py [--runs 9] [--steps 200000]

(a) The descent loop on the double well x**4-10*x**2+5 from x=3, lr 0.01,
    tol 0 (the tutorial's loop), per step:
    - gradcli in-process: ``gradient_descent`` on a compiled ``Potential``;
    - gradcli as a process, less its start-up: ``--steps N`` minus ``--steps 0``;
    - a hand-derived pure-Python loop (x -= lr*(4x^3-20x));
    - PyTorch's eager loop (the tutorial's code), if /tmp/bench-venv/bin/python
      has torch.
(b) Whole processes, ``gradcli descend "x**4-10*x**2+5" --x0 3 --json``
    against a hand-written SymPy script (parse, diff, lambdify, 200-step loop)
    and the tutorial's PyTorch script without its matplotlib import.
Medians of --runs runs each, interleaved so that load on the machine hits all
alike. Run by hand, never in CI.
"""

from __future__ import annotations

import argparse
import datetime
import os
import platform
import shutil
import statistics
import subprocess
import sys
import tempfile
import textwrap
import time

EXPR = "x**4-10*x**2+5"
TORCH_PYTHON = "/tmp/bench-venv/bin/python"

HAND_LOOP = """
import time
steps = {steps}
x = 3.0
lr = 0.01
t = time.perf_counter()
for _ in range(steps):
    x -= lr * (4 * x**3 - 20 * x)
print((time.perf_counter() - t) / steps)
"""

TORCH_LOOP = """
import time
import torch

def potential(x):
    return x**4 - 10*x**2 + 5

steps = {steps}
x = torch.tensor([3.0], requires_grad=True)
t = time.perf_counter()
for step in range(steps):
    V = potential(x)
    V.backward()
    with torch.no_grad():
        x -= 0.01 * x.grad
    x.grad.zero_()
print((time.perf_counter() - t) / steps)
"""

# The tutorial's descent script as written (trajectory and energies recorded,
# results printed), without `import matplotlib.pyplot as plt`.
TORCH_SCRIPT = """
import torch

def potential(x):
    return x**4 - 10*x**2 + 5

x = torch.tensor([3.0], requires_grad=True)
learning_rate = 0.01
n_steps = 200
trajectory = [x.item()]
energies = [potential(x).item()]
for step in range(n_steps):
    V = potential(x)
    V.backward()
    with torch.no_grad():
        x -= learning_rate * x.grad
    x.grad.zero_()
    trajectory.append(x.item())
    energies.append(potential(x).item())
print(f"{trajectory[0]:.4f} {trajectory[-1]:.4f} {energies[0]:.4f} {energies[-1]:.4f}")
print(f"{5**0.5:.4f}")
"""

# What a person writes with SymPy to get the same numbers.
SYMPY_SCRIPT = """
import sympy

x = sympy.Symbol("x")
V = sympy.parse_expr("x**4-10*x**2+5")
dV = sympy.diff(V, x)
f = sympy.lambdify(x, V)
g = sympy.lambdify(x, dV)
xv = 3.0
for _ in range(200):
    xv -= 0.01 * g(xv)
print(xv, f(xv))
"""


def has_torch() -> bool:
    if not os.path.exists(TORCH_PYTHON):
        return False
    return subprocess.run([TORCH_PYTHON, "-c", "import torch"], capture_output=True).returncode == 0


def gradcli_command() -> list[str]:
    """The installed console script next to this interpreter (not a pyenv shim)."""
    script = os.path.join(os.path.dirname(sys.executable), "gradcli")
    if os.path.exists(script):
        return [script]
    found = shutil.which("gradcli")
    return [found] if found else [sys.executable, "-m", "gradcli.cli.app"]


def wall(argv: list[str]) -> float:
    t = time.perf_counter()
    proc = subprocess.run(argv, stdout=subprocess.DEVNULL, stderr=subprocess.PIPE, text=True)
    elapsed = time.perf_counter() - t
    if proc.returncode != 0:
        raise SystemExit(f"{argv[:3]} failed ({proc.returncode}): {proc.stderr.strip()}")
    return elapsed


def output(argv: list[str]) -> float:
    proc = subprocess.run(argv, capture_output=True, text=True, check=True)
    return float(proc.stdout.split()[-1])


def medians(jobs: dict[str, list[str]], runs: int, reduce=statistics.median) -> dict[str, float]:
    """Median (or ``reduce``) wall time of each job, the jobs interleaved run by run."""
    times: dict[str, list[float]] = {name: [] for name in jobs}
    for argv in jobs.values():  # one warm-up each (file cache, .pyc)
        wall(argv)
    for _ in range(runs):
        for name, argv in jobs.items():
            times[name].append(wall(argv))
    return {name: reduce(values) for name, values in times.items()}


def in_process_loop(steps: int, repeats: int = 5) -> float:
    from gradcli.frontend.potential import Potential
    from gradcli.optimize import gradient_descent

    V = Potential(EXPR)
    V.scalar_value_and_grad(3.0)  # compile outside the timing
    best = []
    for _ in range(repeats):
        t = time.perf_counter()
        result = gradient_descent(V, 3.0, lr=0.01, steps=steps, tol=0)
        best.append((time.perf_counter() - t) / steps)
        assert result.status == "completed" and abs(result.x[0] - 5**0.5) < 1e-12
    return statistics.median(best)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--runs", type=int, default=9, help="runs per process timing (median)")
    parser.add_argument("--steps", type=int, default=200_000, help="steps for the loop timings")
    parser.add_argument("--torch-steps", type=int, default=20_000, help="steps for PyTorch's loop")
    args = parser.parse_args()
    torch = has_torch()
    gradcli = gradcli_command()

    print(f"# gradcli command benchmark, {datetime.datetime.now(datetime.UTC):%Y-%m-%d %H:%M} UTC")
    print(
        f"# {platform.machine()}, {os.cpu_count()} cores, Python {platform.python_version()}, "
        f"load average {os.getloadavg()[0]:.2f}; torch: {'yes' if torch else 'no (skipped)'}"
    )

    with tempfile.TemporaryDirectory() as folder:
        scripts = {}
        for name, text in [
            ("hand_loop", HAND_LOOP.format(steps=args.steps)),
            ("torch_loop", TORCH_LOOP.format(steps=args.torch_steps)),
            ("torch_script", TORCH_SCRIPT),
            ("sympy_script", SYMPY_SCRIPT),
        ]:
            scripts[name] = os.path.join(folder, f"{name}.py")
            with open(scripts[name], "w") as f:
                f.write(textwrap.dedent(text))

        print("\n(a) descent loop, double well, per step (median)")
        loop = in_process_loop(args.steps)
        hand = statistics.median(output([sys.executable, scripts["hand_loop"]]) for _ in range(5))
        descend = [*gradcli, "descend", EXPR, "--x0", "3", "--tol", "0", "--json"]
        # The fastest of several runs: a difference of two noisy medians can even come out negative.
        processes = medians(
            {"long": [*descend, "--steps", str(args.steps)], "zero": [*descend, "--steps", "0"]}, args.runs, reduce=min
        )
        less_startup = (processes["long"] - processes["zero"]) / args.steps
        rows = [
            ("gradcli gradient_descent (in-process)", loop),
            (f"gradcli descend --steps {args.steps} --tol 0, less start-up", less_startup),
            ("hand-derived pure-Python loop", hand),
        ]
        if torch:
            rows.append(
                (
                    "PyTorch eager loop (tutorial)",
                    statistics.median(output([TORCH_PYTHON, scripts["torch_loop"]]) for _ in range(3)),
                )
            )
        for name, seconds in rows:
            print(f"  {name:<58} {seconds * 1e6:8.3f} us/step")

        print(f"\n(b) whole processes, median of {args.runs}")
        jobs = {
            "gradcli descend ... --json": [*gradcli, "descend", EXPR, "--x0", "3", "--json"],
            "hand-written SymPy script": [sys.executable, scripts["sympy_script"]],
        }
        if torch:
            jobs["tutorial's PyTorch script"] = [TORCH_PYTHON, scripts["torch_script"]]
        times = medians(jobs, args.runs)
        ours = times["gradcli descend ... --json"]
        for name, seconds in times.items():
            print(f"  {name:<32} {seconds:6.3f} s   gradcli / this = {ours / seconds:5.2f}")
        print("\ntargets: loop <= 1 us/step; gradcli <= 0.8 x SymPy script and well under 0.5 x PyTorch script")


if __name__ == "__main__":
    main()
