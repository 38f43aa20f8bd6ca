"""``optimizer.step()`` of SGD on one parameter, gradcli vs PyTorch eager, in one process.

Run:  PYTHONPATH=. /work/sidevenv/bin/python bench/bench_optim.py   (PyTorch measured if importable)

The parameter is the tutorial's x (shape (1,), float64) with a gradient set once;
each timed call is one ``optimizer.step()`` (lr 0.01; then momentum 0.9 too), so
the figure is the optimiser's own overhead per step.  Prints microseconds per
step (best of several repeats, libraries alternated).
"""

import argparse
import importlib
import platform
import time


def make(lib, **options):
    x = lib.tensor([3.0], requires_grad=True)
    x.grad = lib.tensor([1e-6])
    return lib.optim.SGD([x], lr=0.01, **options)


def seconds(optimizer, n_steps):
    step = optimizer.step
    start = time.perf_counter()
    for _ in range(n_steps):
        step()
    return time.perf_counter() - start


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--repeats", type=int, default=20)
    parser.add_argument("--steps", type=int, default=2000)
    args = parser.parse_args()
    libraries = {}
    for name in ("gradcli", "torch"):
        try:
            libraries[name] = importlib.import_module(name)
        except ImportError:
            print(f"{name:8s} not importable, skipped")
    if "torch" in libraries:
        libraries["torch"].set_num_threads(1)
        libraries["torch"].set_default_dtype(libraries["torch"].float64)
    for label, options in (("SGD(lr=0.01)", {}), ("SGD(lr=0.01, momentum=0.9)", {"momentum": 0.9})):
        optimizers = {name: make(lib, **options) for name, lib in libraries.items()}
        for optimizer in optimizers.values():
            seconds(optimizer, args.steps)  # warm-up
        best = {name: float("inf") for name in libraries}
        for _ in range(args.repeats):
            for name, optimizer in optimizers.items():
                best[name] = min(best[name], seconds(optimizer, args.steps))
        results = {name: best[name] / args.steps * 1e6 for name in libraries}
        print(label)
        for name, value in results.items():
            print(f"  {name:8s} {value:7.2f} us/step")
        if len(results) == 2:
            print(f"  gradcli / torch = {results['gradcli'] / results['torch']:.2f}")
    print(f"python {platform.python_version()}, {platform.machine()}")


if __name__ == "__main__":
    main()
