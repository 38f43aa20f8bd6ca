"""d^k V/dx^k for k = 0..N of exp(sin(x))*log(1+x**2) at x = 0.7: Taylor
mode (the default) against the engine's repeated create_graph, one process.

    python bench/bench_derivative.py [--engine-max-order 10]

The engine path grows exponentially with the order; orders above
--engine-max-order are not run for it.
"""

import argparse
import time

from gradcli.frontend import Potential

EXPR = "exp(sin(x))*log(1+x**2)"


def best(f, repeats):
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        f()
        times.append(time.perf_counter() - t)
    return min(times)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--engine-max-order", type=int, default=10)
    args = parser.parse_args()
    V = Potential(EXPR)
    V(0.7)  # compile the checked value path once
    print(f"{EXPR} at x=0.7")
    print(f"{'order':>5} {'taylor':>12} {'engine':>12}")
    for order in (4, 8, 10, 20, 100):
        taylor = best(lambda order=order: V.derivatives(0.7, order), 5)
        if order <= args.engine_max_order:
            repeats = 1 if order > 8 else 3
            engine = f"{best(lambda order=order: V.derivatives(0.7, order, method='engine'), repeats) * 1e3:9.1f} ms"
        else:
            engine = "not run"
        print(f"{order:>5} {taylor * 1e3:9.2f} ms {engine:>12}")


if __name__ == "__main__":
    main()
