"""``Potential`` (a scalar function of n variables) and ``VectorFunction``
(m functions of n variables), compiled once and re-evaluated cheaply.

An expression (text, parsed safely by ``parse.py``, or a SymPy expression)
becomes a ``Program`` at construction (so an unsupported construct fails
there); derivative programs and their compiled functions are made on first
use and cached. One point runs the scalar (``math``) code, a batch the array
(numpy) code -- vectorised over the points, no Python loop over them. numpy
is imported by the first call that needs it: ``scalar_value_and_grad``, the
descent loop's path, never does.

Example (the tutorial's spring, k = 2, at x = 3)::

    >>> V = Potential("0.5*k*x**2", params={"k": 2})
    >>> V.variables, V(3.0), V.force(3.0), V.hessian(3.0)
    (('x',), 9.0, array([-6.]), array([[2.]]))
    >>> F = VectorFunction("[x*y, x + y**2]")
    >>> F.jacobian([2, 3])
    array([[3., 2.],
           [1., 6.]])
"""

from __future__ import annotations

import math
from collections.abc import Mapping, Sequence
from functools import cached_property
from typing import TYPE_CHECKING

from .._lazy import LazyModule
from ..errors import DomainError, InputError
from . import engine_graph, transforms
from .binding import (
    bind,
    check_order,
    check_params,
    check_variables,
    read_expressions,
    substitute,
    symbol_for,
    variable_index,
)
from .codegen import gc_paused
from .compiled import Compiled
from .domain import format_point
from .points import as_points, as_vectors
from .program import from_sympy

if TYPE_CHECKING:
    import numpy as np
else:
    np = LazyModule("numpy", globals(), "np")  # imported on first use (gradcli/_lazy.py)
taylor = LazyModule("gradcli.frontend.taylor", globals(), "taylor")  # numpy's: for `derivative` only


class _Function:
    """What Potential and VectorFunction share: binding, the program, and
    compiled variants keyed by transform name."""

    def __init__(self, expressions, vector: bool, variables, params):
        # Checked before parsing: a declared name (pi, E, exp, ...) is then that symbol everywhere.
        params = check_params(params)
        variables = check_variables(variables, params)
        declared = {*(variables or ()), *params}
        text, exprs, names = read_expressions(expressions, vector=vector, declared=declared)
        self._text = text
        self._exprs = exprs
        self.variables, self.params = bind(self._exprs, text, variables, params, names)
        self.n = len(self.variables)
        with gc_paused():
            self.program = from_sympy(self._exprs, self.variables, text, constants=self.params)
        self._compiled: dict[str, Compiled] = {}

    @cached_property
    def sympy_exprs(self) -> tuple:
        """The SymPy expressions with the parameters substituted."""
        return tuple(substitute(e, self.params) for e in self._exprs)

    @property
    def text(self) -> str:
        """The expression as given, or SymPy's printing of it."""
        if self._text is None:
            exprs = self.sympy_exprs
            self._text = str(exprs[0]) if isinstance(self, Potential) else "[" + ", ".join(map(str, exprs)) + "]"
        return self._text

    def _get(self, kind: str) -> Compiled:
        found = self._compiled.get(kind)
        if found is None:
            with gc_paused():
                found = self._compiled[kind] = Compiled(self._make(kind), self.variables)
        return found

    def _make(self, kind: str):
        p = self.program
        if kind == "value":
            return p
        if kind == "grad":
            return transforms.grad_program(p)
        if kind == "hessian":  # its non-zero entries only: H[rows[e]][cols[e]]
            program, *self._hessian_entries = transforms.sparse_hessian_program(p, self._get("grad").program)
            return program
        if kind == "jacobian":
            return transforms.jacobian_program(p)
        if kind == "vjp":
            return transforms.vjp_program(p)
        if kind == "jvp":
            return transforms.jvp_program(p)
        raise KeyError(kind)

    def _points(self, x):
        return as_points(x, self.variables)

    def graph(self, x):
        """The outputs evaluated with engine Tensor operations on ``x`` (a
        Tensor of shape (n,) or (m, n)): a differentiable engine graph.
        Potential: one Tensor of shape () or (m,)."""
        shape = tuple(getattr(x, "shape", ()))
        if not engine_graph.is_tensor(x) or len(shape) not in (1, 2) or shape[-1] != self.n:
            raise InputError(
                f"graph() takes a gradcli Tensor of shape ({self.n},) or (m, {self.n}), "
                f"got {type(x).__name__} of shape {shape}"
            )
        coords = [x[..., k] for k in range(self.n)]
        outputs = engine_graph.evaluate(self.program, coords)
        # A constant output is still tied to x so that autograd sees a graph.
        return [o if engine_graph.is_tensor(o) else x[..., 0] * 0.0 + o for o in outputs]


class Potential(_Function):
    """A scalar potential V(x_1, ..., x_n).

    ``x`` is one point (shape (n,); a float when n is 1) or a batch (m, n):
    ``V(x)`` -> float or (m,); ``grad`` -> (n,) or (m, n); ``hessian`` ->
    (n, n) or (m, n, n). ``V.scalar_value_and_grad(*coords)`` is the fast
    path for optimisers: generated straight-line code over floats returning
    ``(value, g_0, ..., g_{n-1})``, raising ``DomainError`` on a domain problem.

    >>> V = Potential("x**4 - 10*x**2 + 5")
    >>> V.scalar_value_and_grad(3.0)
    (-4.0, 48.0)
    """

    def __init__(self, expression, variables: Sequence[str] | None = None, params: Mapping[str, float] | None = None):
        super().__init__(expression, False, variables, params)

    @property
    def sympy(self):
        """The SymPy expression, parameters substituted."""
        return self.sympy_exprs[0]

    def __repr__(self) -> str:
        return f"Potential({self.text!r}, variables={self.variables!r})"

    def derivative_expressions(self) -> tuple:
        """(dV/dx_1, ..., dV/dx_n) as SymPy expressions (for display)."""
        return tuple(self.sympy.diff(symbol_for(self.sympy, v)) for v in self.variables)

    @cached_property
    def scalar_value_and_grad(self):
        return self._get("grad").scalar

    def __call__(self, x):
        pts, single = self._points(x)
        c = self._get("value")
        return c.scalar(*pts[0].tolist())[0] if single else c.array(pts)[0]

    def value_and_grad(self, x):
        """(V(x), grad V(x)): (float, (n,)) or ((m,), (m, n))."""
        pts, single = self._points(x)
        c = self._get("grad")
        if single:
            out = c.scalar(*pts[0].tolist())
            return out[0], np.array(out[1:])
        out = c.array(pts)
        return out[0], out[1:].T.copy()

    def value_and_grad_into(self, columns, out):
        """The batch path for optimisers: fills ``out`` (1 + n, m) with V (row
        0) and dV/dx_k (row 1 + k) at the m points whose coordinate k is row k
        of ``columns`` (n, m) (any strides: ``X.T`` of walkers X (m, n) is
        fine). Both arrays are the caller's, float64; nothing is allocated per
        point, so a descent step costs about what hand-written numpy does.

        >>> V = Potential("x**2")
        >>> V.value_and_grad_into(np.array([[1.0, 2.0, 3.0]]), np.empty((2, 3)))
        array([[1., 4., 9.],
               [2., 4., 6.]])
        """
        return self._get("grad").into(columns, out)

    def grad(self, x):
        """grad V(x): (n,) or (m, n)."""
        return self.value_and_grad(x)[1]

    def force(self, x):
        """F = -grad V(x): (n,) or (m, n)."""
        return -self.value_and_grad(x)[1]

    def hessian(self, x):
        """The matrix of second derivatives: (n, n) or (m, n, n)."""
        pts, single = self._points(x)
        c = self._get("hessian")
        rows, cols = self._hessian_entries
        skip = 1 + self.n  # the value and gradient come first
        if single:
            tri = np.array(c.scalar(*pts[0].tolist())[skip:])
            h = np.zeros((self.n, self.n))
            h[rows, cols] = tri
            h[cols, rows] = tri
            return h
        tri = c.array(pts)[skip:].T
        h = np.zeros((len(pts), self.n, self.n))
        h[:, rows, cols] = tri
        h[:, cols, rows] = tri
        return h

    def graph(self, x):
        """V evaluated with engine operations on the Tensor ``x`` (shape (n,)
        or (m, n)) -> Tensor of shape () or (m,), differentiable by the engine.

        >>> import gradcli as torch
        >>> x = torch.tensor([3.0], requires_grad=True)
        >>> Potential("x**4 - 10*x**2 + 5").graph(x).backward()
        >>> x.grad                                   # 4 x**3 - 20 x
        tensor([48.])
        """
        return super().graph(x)[0]

    def derivatives(self, x, order: int, variable: str | None = None, method: str = "taylor") -> list[float]:
        """[d^k V / d var^k for k = 0..order] at the point x (shape (n,); a
        float when n is 1), the other variables held fixed; ``variable``
        defaults to the first. ``order`` is at most ``taylor.MAX_ORDER`` (100).

        method="taylor" (default): Taylor-mode arithmetic over the program
        (``taylor.py``), O(order^2) per instruction: order 20 in about a
        millisecond. method="engine": the engine's repeated
        ``autograd.grad(create_graph=True)`` (the tutorial's mechanism; cost
        grows exponentially with the order: the cross-check for low orders).

        A domain problem in V itself, or a point where the derivatives do not
        exist (abs at its kink, sqrt of 0), raises DomainError.

        >>> Potential("x**3").derivatives(2.0, 5)
        [8.0, 12.0, 12.0, 6.0, 0.0, 0.0]
        """
        if method not in ("taylor", "engine"):
            raise InputError(f"unknown method {method!r} for derivatives; use 'taylor' or 'engine'")
        pts, single = self._points(x)
        if not single:
            raise InputError("derivatives takes one point, not a batch")
        order = check_order(order)
        if order > taylor.MAX_ORDER:
            raise InputError(f"the order must be at most {taylor.MAX_ORDER}, got {order}")
        k = variable_index(self.variables, variable)
        self(pts[0])  # a domain problem in V itself is reported by the checked path
        if method == "taylor":
            return taylor.taylor_derivatives(self.program, pts[0], k, order, self.variables)
        values = engine_graph.derivatives_at(self.program, pts[0], k, order)
        if not all(map(math.isfinite, values)):
            where = format_point(self.variables, pts[0])
            raise DomainError(f"a derivative of order up to {order} is not finite at {where}")
        return values


class VectorFunction(_Function):
    """m functions F_i(x_1, ..., x_n), for Jacobians and their products.

    ``F(x)`` -> (m,) or (b, m); ``jacobian`` -> (m, n) or (b, m, n);
    ``vjp(x, v)`` = v^T J -> (n,) or (b, n); ``jvp(x, u)`` = J u -> (m,) or (b, m).

    >>> F = VectorFunction("[x*y, x + y**2]")
    >>> F.vjp([2, 3], [1, 1]), F.jvp([2, 3], [1, 0])
    (array([4., 8.]), array([3., 1.]))
    """

    def __init__(self, expressions, variables: Sequence[str] | None = None, params: Mapping[str, float] | None = None):
        super().__init__(expressions, True, variables, params)
        self.m = len(self._exprs)

    @property
    def sympy(self) -> tuple:
        """The SymPy expressions, parameters substituted."""
        return self.sympy_exprs

    def __repr__(self) -> str:
        return f"VectorFunction({self.text!r}, variables={self.variables!r})"

    def _run(self, kind: str, pts, single, extra=None):
        """The outputs of program ``kind`` after the m values of F: (k,) or (b, k)."""
        c = self._get(kind)
        skip = 0 if kind == "value" else self.m
        if extra is not None:
            pts = np.concatenate([pts, extra], axis=1)
        if single:
            return np.array(c.scalar(*pts[0].tolist())[skip:])
        return c.array(pts)[skip:].T.copy()

    def __call__(self, x):
        pts, single = self._points(x)
        return self._run("value", pts, single)

    def jacobian(self, x):
        """J[i, j] = dF_i/dx_j: (m, n) or (b, m, n)."""
        pts, single = self._points(x)
        out = self._run("jacobian", pts, single)
        return out.reshape(self.m, self.n) if single else out.reshape(len(pts), self.m, self.n)

    def vjp(self, x, v):
        """v^T J with v of shape (m,) (or (b, m) for a batch): (n,) or (b, n)."""
        pts, single = self._points(x)
        return self._run("vjp", pts, single, as_vectors(v, self.m, len(pts), single, "v"))

    def jvp(self, x, u):
        """J u with u of shape (n,) (or (b, n) for a batch): (m,) or (b, m)."""
        pts, single = self._points(x)
        return self._run("jvp", pts, single, as_vectors(u, self.n, len(pts), single, "u"))

    def graph(self, x):
        """F evaluated with engine operations on ``x`` (shape (n,) or (b, n)):
        a list of m Tensors of shape () or (b,)."""
        return super().graph(x)
