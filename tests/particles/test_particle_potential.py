"""ParticlePotential against the written-out expression: the same sum over all
pairs spelled out as one expression and compiled by gradcli's ``Potential``
(an independent route: SymPy over the whole expression, no pair assembly)."""

import numpy as np
import pytest
from particle_helpers import LJ, MORSE, jittered_lattice, written_out

from gradcli import Potential
from gradcli.errors import InputError
from gradcli.optimize.descent import gradient_descent
from gradcli.particles import ParticlePotential, coordinate_names

LJ_PARAMS = {"eps": 1.3, "sigma": 0.9}
MORSE_PARAMS = {"eps": 1.0, "rho": 6.0, "r0": 1.1}


def close(actual, expected, tol=1e-12):
    expected = np.asarray(expected)
    np.testing.assert_allclose(actual, expected, rtol=tol, atol=tol * max(1.0, float(np.max(np.abs(expected)))))


@pytest.mark.parametrize("n", [2, 5, 13])
def test_lj_energy_and_gradient_equal_the_written_out_expression(n):
    V = ParticlePotential(LJ, n, params=LJ_PARAMS)
    W = Potential(written_out(LJ, n), variables=V.variables, params=LJ_PARAMS)
    x = 0.9 * jittered_lattice(n, seed=n)
    close(V(x), W(x))
    value, gradient = V.value_and_grad(x)
    ref_value, ref_gradient = W.value_and_grad(x)
    close(value, ref_value)
    close(gradient, ref_gradient)
    close(V.force(x), W.force(x))
    assert V.scalar_value_and_grad(*x) == pytest.approx(W.scalar_value_and_grad(*x), rel=1e-12, abs=1e-10)


@pytest.mark.parametrize("n", [7, 13])
def test_lj_hessian_equals_the_written_out_expression(n):
    V = ParticlePotential(LJ, n, params=LJ_PARAMS)
    W = Potential(written_out(LJ, n), variables=V.variables, params=LJ_PARAMS)
    x = 0.9 * jittered_lattice(n, seed=n)
    close(V.hessian(x), W.hessian(x))


def test_morse_in_two_dimensions_with_a_one_body_well_equals_the_written_out_expression():
    n, dim, well = 6, 2, "0.5*k*(x**2 + y**2) + g*y"
    params = {**MORSE_PARAMS, "k": 0.7, "g": 0.3}
    V = ParticlePotential(MORSE, n, dim=dim, params=params, one_body=well)
    W = Potential(written_out(MORSE, n, dim, well), variables=V.variables, params=params)
    assert V.variables == coordinate_names(n, 2) == W.variables
    batch = np.stack([jittered_lattice(n, dim, seed=s) for s in range(4)])
    close(V(batch), W(batch))
    for got, want in zip(V.value_and_grad(batch), W.value_and_grad(batch)):
        close(got, want)
    close(V.hessian(batch), W.hessian(batch))


def test_one_dimensional_chain_equals_the_written_out_expression():
    n = 5
    V = ParticlePotential(MORSE, n, dim=1, params=MORSE_PARAMS, one_body="x**4")
    W = Potential(written_out(MORSE, n, 1, "x**4"), variables=V.variables, params=MORSE_PARAMS)
    x = jittered_lattice(n, 1, seed=1)
    assert V.variables == ("x1", "x2", "x3", "x4", "x5")
    close(V.value_and_grad(x)[1], W.value_and_grad(x)[1])
    close(V.hessian(x), W.hessian(x))


def test_a_batch_gives_each_configuration_its_single_point_result():
    n = 8
    V = ParticlePotential(LJ, n, params=LJ_PARAMS)
    batch = np.stack([jittered_lattice(n, seed=s) for s in range(5)])
    energies, gradients = V.value_and_grad(batch)
    hessians = V.hessian(batch)
    assert energies.shape == (5,) and gradients.shape == (5, 24) and hessians.shape == (5, 24, 24)
    for k, x in enumerate(batch):
        assert energies[k] == pytest.approx(V(x), rel=1e-14)
        np.testing.assert_allclose(gradients[k], V.grad(x), rtol=1e-13, atol=1e-12)
        np.testing.assert_allclose(hessians[k], V.hessian(x), rtol=1e-13, atol=1e-11)
    np.testing.assert_allclose(V(batch), energies, rtol=1e-14)


@pytest.mark.parametrize("method", ["taylor", "engine"])
def test_derivatives_along_a_coordinate_equal_the_written_out_expression(method):
    n, well = 4, "0.2*x**3 + z**2"
    V = ParticlePotential(MORSE, n, params=MORSE_PARAMS, one_body=well)
    W = Potential(written_out(MORSE, n, 3, well), variables=V.variables, params=MORSE_PARAMS)
    x = jittered_lattice(n, seed=2)
    for variable in ("x1", "z3", "y4"):
        close(V.derivatives(x, 5, variable, method=method), W.derivatives(x, 5, variable), 1e-10)


def test_gradient_descent_runs_on_a_particle_potential():
    # The descent loop's interface (n, variables, scalar_value_and_grad): LJ3 to its triangle, V = -3.
    V = ParticlePotential(LJ, 3, params={"eps": 1, "sigma": 1})
    result = gradient_descent(V, jittered_lattice(3, seed=0), lr=0.005, steps=20_000, tol=1e-9)
    assert result.status == "converged"
    assert result.value == pytest.approx(-3.0, abs=1e-12)


def test_text_names_the_pair_the_atoms_the_cutoff_shift_and_the_one_body_term():
    V = ParticlePotential(LJ, 4, params={"eps": 1, "sigma": 1}, cutoff=2.5, one_body="z")
    shift = 4 * (2.5**-12 - 2.5**-6)
    assert V.shifted and V.energy_shift == pytest.approx(shift, rel=1e-15)
    assert V.text == f"pair {LJ} over 4 atoms (3D), cutoff 2.5 (energy-shifted by {-shift:.12g}) + one-body z"
    assert not ParticlePotential(LJ, 4, params={"eps": 1, "sigma": 1}).shifted


def test_the_engine_graph_gives_the_energy_and_its_gradient_by_backward():
    import gradcli

    V = ParticlePotential(MORSE, 6, params=MORSE_PARAMS, cutoff=2.0, one_body="0.1*(x**2 + y**2 + z**2)")
    batch = np.stack([jittered_lattice(6, seed=s) for s in range(3)])
    t = gradcli.tensor(batch, requires_grad=True)
    energies = V.graph(t)
    energies.sum().backward()
    close(energies.detach().numpy(), V(batch))
    close(t.grad.numpy(), V.grad(batch), 1e-11)
    single = gradcli.tensor(batch[0], requires_grad=True)
    V.graph(single).backward()
    close(single.grad.numpy(), V.grad(batch[0]), 1e-11)
    with pytest.raises(InputError, match=r"^graph\(\) takes a gradcli Tensor of shape \(18,\) or \(m, 18\)"):
        V.graph(batch)
