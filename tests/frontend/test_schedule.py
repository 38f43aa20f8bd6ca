"""The Schedule (numpy batched across instructions) gives the same numbers
and the same domain errors as the generated code; Potentials use it for
programs too long to compile and for wide batches."""

import numpy as np
import pytest
import sympy
from test_domain import CASES  # tests/frontend is on sys.path (pytest rootdir-less layout)

from gradcli.errors import DomainError
from gradcli.frontend import Potential, VectorFunction, compiled, transforms
from gradcli.frontend.program import from_sympy
from gradcli.frontend.schedule import Schedule

LJ3 = (
    "4*((x1-x2)**2+(y1-y2)**2)**-6 - 4*((x1-x2)**2+(y1-y2)**2)**-3"
    " + 4*((x1-x3)**2+(y1-y3)**2)**-6 - 4*((x1-x3)**2+(y1-y3)**2)**-3"
    " + 4*((x2-x3)**2+(y2-y3)**2)**-6 - 4*((x2-x3)**2+(y2-y3)**2)**-3"
)
POINT = [0.0, 1.12, 0.5, 0.01, 0.02, 0.97]


@pytest.fixture
def schedule_only(monkeypatch):
    """Every Potential evaluates on the Schedule, single points and batches."""
    monkeypatch.setattr(compiled, "CODEGEN_MAX", 0)
    monkeypatch.setattr(compiled, "SCHEDULE_MIN_WIDTH", 0)


def test_groups_run_many_instructions_per_numpy_call():
    p = transforms.hessian_program(Potential(LJ3).program)
    s = Schedule(p)
    assert len(s) < len(p) / 3


def test_schedule_matches_generated_code(monkeypatch):
    V = Potential(LJ3)
    for kind in ("value", "grad", "hessian"):
        c = V._get(kind)
        out = Schedule(c.program).run(np.array(POINT)[:, None])[:, 0]
        assert np.allclose(out, c.scalar(*POINT), rtol=1e-14, atol=0)
    monkeypatch.setattr(compiled, "CODEGEN_MAX", 0)
    W = Potential(LJ3)  # a fresh one: nothing compiled yet
    assert np.allclose(W.hessian(POINT), V.hessian(POINT), rtol=1e-14)
    assert np.allclose(W.grad(POINT), V.grad(POINT), rtol=1e-14)


def test_tutorial_numbers_on_the_schedule(schedule_only):
    V = Potential("0.5*k*x**2", params={"k": 2})
    assert (V(3.0), V.force(3.0).tolist(), V.hessian(3.0).tolist()) == (9.0, [-6.0], [[2.0]])
    assert V.scalar_value_and_grad(3.0) == (9.0, 6.0)
    F = VectorFunction("[x*y, x + y**2]")
    assert F.jacobian([2, 3]).tolist() == [[3.0, 2.0], [1.0, 6.0]]
    assert F.vjp([2, 3], [1, 1]).tolist() == [4.0, 8.0]
    assert F.jvp([2, 3], [1, 0]).tolist() == [3.0, 1.0]


def test_batches_on_the_schedule_agree_with_single_points(schedule_only):
    V = Potential(LJ3)
    pts = np.array([POINT, np.add(POINT, 0.05), np.add(POINT, -0.03)])
    H = V.hessian(pts)
    for i, p in enumerate(pts):
        assert np.allclose(H[i], V.hessian(p), rtol=1e-14)


@pytest.mark.parametrize("expr, point, message", CASES)
def test_domain_errors_on_the_schedule(schedule_only, expr, point, message):
    V = Potential(expr)
    with pytest.raises(DomainError) as info:
        V(point)
    assert str(info.value) == message
    with pytest.raises(DomainError) as info:
        V(np.array([[0.5] * V.n, point]))
    assert str(info.value) == message


def test_a_constant_output_is_broadcast():
    x = sympy.Symbol("x", real=True)
    s = Schedule(transforms.grad_program(from_sympy([3 * x], ["x"])))
    assert s.run(np.array([[1.0, 2.0]])).tolist() == [[3.0, 6.0], [3.0, 3.0]]
