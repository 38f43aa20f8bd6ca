"""Minimising over some variables with the others held fixed (``--fix y`` or ``--fix y=1``).

``Fixed(V, values)`` is the potential of the free variables alone; the
optimiser runs on it and ``expand`` puts the fixed values back, so the result,
its gradient and its trajectory cover all ``n`` variables. The gradient along
a fixed variable is reported but is not part of the stopping test: ``grad_norm``
is the norm over the free variables.
"""

from __future__ import annotations

from dataclasses import replace

from gradcli.errors import GradcliError, InputError
from gradcli.optimize.result import DescentResult
from gradcli.optimize.trajectory import TrajectoryPoint


class Fixed:
    """The potential ``V`` as a function of its free variables, the others at ``values``
    (index -> value). Offers what the optimisers use: ``n``, ``variables``,
    ``scalar_value_and_grad``, ``value_and_grad`` and ``hessian``.

    >>> from gradcli import Potential
    >>> W = Fixed(Potential("x**2 + x*y + y**2"), {1: 2.0})
    >>> W.variables, W.scalar_value_and_grad(1.0)
    (('x',), (7.0, 4.0))
    """

    def __init__(self, V, values: dict[int, float]):
        self.V = V
        self.values = dict(values)
        self.free = [i for i in range(V.n) if i not in self.values]
        if not self.free:
            raise InputError("every variable is fixed: nothing is left to minimise")
        self.n = len(self.free)
        self.variables = tuple(V.variables[i] for i in self.free)
        f = getattr(V, "scalar_value_and_grad", None)
        if f is not None:
            free = self.free

            def scalar(*x):
                out = f(*self.full(x))
                return (out[0], *[out[1 + i] for i in free])

            self.scalar_value_and_grad = scalar

    def full(self, x) -> list[float]:
        """The point of all ``n`` variables with the free ones at ``x``."""
        point = [0.0] * self.V.n
        for i, value in self.values.items():
            point[i] = value
        for i, value in zip(self.free, x):
            point[i] = float(value)
        return point

    def value_and_grad(self, x):
        import numpy as np

        value, gradient = self.V.value_and_grad(np.array(self.full(x)))
        return value, np.asarray(gradient)[self.free]

    def hessian(self, x):
        import numpy as np

        return np.asarray(self.V.hessian(np.array(self.full(x))))[np.ix_(self.free, self.free)]


def fixed_values(V, x0, fix) -> dict[int, float]:
    """``fix`` (names, or name -> value or None) as index -> value, None taking ``x0``'s value."""
    from gradcli.optimize.descent import as_point

    start = as_point(x0, V.n, V.variables)
    items = fix.items() if isinstance(fix, dict) else ((name, None) for name in fix)
    values = {}
    for name, value in items:
        if name not in V.variables:
            raise InputError(f"cannot fix '{name}': it is not a variable ({', '.join(V.variables)})")
        i = V.variables.index(name)
        values[i] = start[i] if value is None else float(value)
    return values


def minimize_fixed(run, V, x0, fix, settings: dict) -> DescentResult:
    """Run ``run(W, x0_free, **settings)`` on the free variables and expand the result."""
    from gradcli.optimize.descent import as_point

    values = fixed_values(V, x0, fix)
    W = Fixed(V, values)
    start = as_point(x0, V.n, V.variables)
    result = run(W, tuple(start[i] for i in W.free), **settings)
    return expand(W, result, start)


def expand(W: Fixed, result: DescentResult, x0) -> DescentResult:
    """``result`` over all variables: the fixed ones put back, the gradient of all of them."""
    import math

    x = tuple(W.full(result.x))
    gradient = [math.nan] * W.V.n
    for i, g in zip(W.free, result.gradient):
        gradient[i] = g
    if all(map(math.isfinite, x)):
        try:  # the gradient along the fixed variables too (reported, not part of the stopping test)
            import numpy as np

            gradient = np.asarray(W.V.value_and_grad(np.array(x))[1], dtype=np.float64).tolist()
        except (ArithmeticError, GradcliError):
            pass
    trajectory = [TrajectoryPoint(p.step, tuple(W.full(p.x)), p.value, p.grad_norm) for p in result.trajectory]
    return replace(result, x0=tuple(x0), x=x, gradient=tuple(gradient), trajectory=trajectory)
