"""cg, bfgs, lbfgs, newton and trust are scipy.optimize.minimize on gradcli's exact gradient and
Hessian: the same iterations, end point and scipy's own nfev/njev/nhev as calling scipy directly
with the same options and a callback stopping at |grad V| <= tol."""

import numpy as np
import pytest
import scipy.optimize

from gradcli import Potential
from gradcli.optimize import minimize

ROSENBROCK = Potential("(1-x)**2 + 100*(y-x**2)**2")
BOWL3 = Potential("x**2 + 2*y**2 + 3*z**2 + x*y - 0.5*y*z + 0.1*x**4")
TOL = 1e-8
#: scipy's method and the options gradcli passes it (its own test is gradcli's where they agree).
DIRECT = {
    "cg": ("CG", {"gtol": TOL, "norm": 2.0}),
    "bfgs": ("BFGS", {"gtol": TOL, "norm": 2.0}),
    "lbfgs": ("L-BFGS-B", {"gtol": 0.0, "ftol": 0.0, "maxcor": 100, "maxfun": 15_000}),
    "newton": ("Newton-CG", {"xtol": 1e-300}),
    "trust": ("trust-exact", {"gtol": TOL}),
}


def direct(V, x0, method):
    name, options = DIRECT[method]

    def stop(intermediate_result):
        if np.linalg.norm(V.grad(intermediate_result.x)) <= TOL:
            raise StopIteration

    hess = V.hessian if method in ("newton", "trust") else None
    return scipy.optimize.minimize(
        V.value_and_grad,
        np.array(x0, dtype=float),
        jac=True,
        method=name,
        hess=hess,
        callback=stop,
        options={**options, "maxiter": 10_000},
    )


@pytest.mark.parametrize("method", list(DIRECT))
@pytest.mark.parametrize("V, x0", [(ROSENBROCK, (-1.2, 1.0)), (BOWL3, (1.0, -2.0, 0.5))], ids=["rosenbrock", "bowl3"])
def test_scipys_own_counts(method, V, x0):
    ours = minimize(V, x0, method=method, tol=TOL)
    theirs = direct(V, x0, method)
    assert ours.status == "converged" and ours.method == method
    assert ours.x == pytest.approx(theirs.x.tolist(), abs=0, rel=0)
    assert ours.steps == theirs.nit
    assert (ours.evaluations.value, ours.evaluations.gradient, ours.evaluations.hessian) == (
        theirs.nfev,
        theirs.get("njev", 0),
        theirs.get("nhev", 0),
    )
    # The recorded path is scipy's iterates, one per step.
    assert [p.step for p in ours.trajectory] == list(range(ours.steps + 1))


def test_rosenbrock_needs_tens_of_iterations():
    # Issue 10: gradient descent with a fixed step needs 69,779 steps; BFGS on the exact gradient 34.
    assert minimize(ROSENBROCK, (-1.2, 1.0), method="bfgs").steps == 34


def test_the_budget_and_divergence():
    assert minimize(ROSENBROCK, (-1.2, 1.0), method="bfgs", steps=5).status == "max_steps"
    out = minimize(Potential("-x**2"), 1.0, method="lbfgs", bound=1e6)
    assert out.status == "diverged" and abs(out.x[0]) > 1e6
