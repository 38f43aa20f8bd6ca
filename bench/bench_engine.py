"""The tutorial's double-well descent loop, gradcli vs PyTorch eager, in one process.

Run:  PYTHONPATH=. /work/sidevenv/bin/python bench/bench_engine.py   (PyTorch measured if importable)

Each step is exactly the tutorial's: V = potential(x); V.backward();
``with no_grad(): x -= lr * x.grad``; x.grad.zero_(); record x.item() and
potential(x).item().  Prints microseconds per step: the best of many short runs
(25 steps each, the libraries alternated), so that on a loaded machine some
runs fall in a quiet moment for both.
"""

import argparse
import importlib
import platform
import time


def potential(x):
    return x**4 - 10 * x**2 + 5


def descent(lib, n_steps=200, learning_rate=0.01):
    x = lib.tensor([3.0], requires_grad=True)
    trajectory = [x.item()]
    energies = [potential(x).item()]
    for _ in range(n_steps):
        V = potential(x)
        V.backward()
        with lib.no_grad():
            x -= learning_rate * x.grad
        x.grad.zero_()
        trajectory.append(x.item())
        energies.append(potential(x).item())
    return trajectory, energies


def seconds(lib, n_steps):
    start = time.perf_counter()
    descent(lib, n_steps)
    return time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=200)
    parser.add_argument("--steps", type=int, default=25, help="steps per timed run")
    args = parser.parse_args()
    libraries = {}
    for name in ("gradcli", "torch"):
        try:
            libraries[name] = importlib.import_module(name)
        except ImportError:
            print(f"{name:8s} not importable, skipped")
    if "torch" in libraries:
        libraries["torch"].set_num_threads(1)  # scalar work: threads only add overhead
    finals = {name: descent(lib) for name, lib in libraries.items()}  # also the warm-up
    # Alternate the libraries so that a change in machine load hits both; keep each best run.
    best = {name: float("inf") for name in libraries}
    for _ in range(args.repeats):
        for name, lib in libraries.items():
            best[name] = min(best[name], seconds(lib, args.steps))
    results = {name: best[name] / args.steps * 1e6 for name in libraries}
    for name, (trajectory, energies) in finals.items():
        print(f"{name:8s} {results[name]:7.1f} us/step   final x = {trajectory[-1]:.4f}, V = {energies[-1]:.4f}")
    if len(results) == 2:
        print(f"gradcli / torch = {results['gradcli'] / results['torch']:.2f}")
    print(f"python {platform.python_version()}, {platform.machine()}, {platform.processor() or ''}")


if __name__ == "__main__":
    main()
