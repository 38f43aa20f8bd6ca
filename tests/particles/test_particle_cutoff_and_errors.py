"""The cutoff (against a brute-force sum written here) and every error path:
the message and the exception class (the commands map the class to the exit code)."""

import itertools

import numpy as np
import pytest
from particle_helpers import LJ, jittered_lattice

from gradcli.errors import DomainError, ExpressionError, InputError
from gradcli.particles import ParticlePotential

UNIT = {"eps": 1.0, "sigma": 1.0}


def lj(r):
    return 4 * (r**-12 - r**-6)


def dlj(r):
    return 4 * (-12 * r**-13 + 6 * r**-7)


def brute_force(x, rc, n):
    """Energy and gradient by a Python loop over every pair, shifted inside rc."""
    X = np.asarray(x).reshape(n, 3)
    energy, grad = 0.0, np.zeros((n, 3))
    for i, j in itertools.combinations(range(n), 2):
        d = X[i] - X[j]
        r = float(np.sqrt(d @ d))
        if r < rc:
            energy += lj(r) - lj(rc)
            grad[i] += dlj(r) * d / r
            grad[j] -= dlj(r) * d / r
    return energy, grad.ravel()


@pytest.mark.parametrize("rc", [1.3, 2.5, 100.0])
def test_cutoff_energy_and_gradient_equal_a_brute_force_sum(rc):
    n = 64
    x = jittered_lattice(n, seed=7)
    V = ParticlePotential(LJ, n, params=UNIT, cutoff=rc)
    energy, grad = brute_force(x, rc, n)
    value, gradient = V.value_and_grad(x)
    assert value == pytest.approx(energy, rel=1e-12)
    np.testing.assert_allclose(gradient, grad, rtol=1e-12, atol=1e-12 * np.abs(grad).max())
    batch = np.stack([x, jittered_lattice(n, seed=8)])
    np.testing.assert_allclose(V(batch), [energy, brute_force(batch[1], rc, n)[0]], rtol=1e-12)


def test_with_a_cutoff_beyond_every_pair_only_the_shift_differs():
    n = 10
    x = jittered_lattice(n, seed=1)
    near, full = ParticlePotential(LJ, n, params=UNIT, cutoff=50.0), ParticlePotential(LJ, n, params=UNIT)
    assert near(x) == pytest.approx(full(x) - 45 * lj(50.0), rel=1e-13)
    np.testing.assert_allclose(near.hessian(x), full.hessian(x), rtol=1e-12, atol=1e-10)


def test_cutoff_hessian_equals_central_differences_of_the_gradient():
    n, rc = 20, 1.6
    x = jittered_lattice(n, seed=4)
    V = ParticlePotential(LJ, n, params=UNIT, cutoff=rc)
    h = 1e-6
    columns = [(V.grad(x + h * e) - V.grad(x - h * e)) / (2 * h) for e in np.eye(V.n)]
    np.testing.assert_allclose(V.hessian(x), np.array(columns).T, rtol=1e-6, atol=1e-5)


def test_coinciding_atoms_are_a_domain_error_naming_the_pair():
    V = ParticlePotential(LJ, 3, params=UNIT)
    x = [0, 0, 0, 1, 1, 1, 1, 1, 1]
    for evaluate in (V, V.grad, V.hessian, lambda p: V.scalar_value_and_grad(*p)):
        with pytest.raises(DomainError, match=r"^division by zero in the pair term at r=0 \(atoms 2 and 3\)$"):
            evaluate(x)
    with pytest.raises(DomainError, match=r"at r=0 \(atoms 2 and 3, configuration 2\)$"):
        V([[0, 0, 0, 1, 1, 1, 2, 2, 2], x])


def test_overflow_is_reported_as_overflow():
    V = ParticlePotential(LJ, 2, params=UNIT)
    with pytest.raises(DomainError) as caught:
        V.grad([0, 0, 0, 1e-30, 0, 0])
    assert caught.value.reason == "overflow" and "atoms 1 and 2" in caught.value.message


def test_one_body_domain_error_names_the_atom():
    V = ParticlePotential(LJ, 2, params=UNIT, one_body="log(z)")
    with pytest.raises(
        DomainError,
        match=r"^log of a negative number \(-1\) at x=1.5, y=0, z=-1 "
        r"in the one-body term \(atom 2\)$",
    ):
        V.grad([0, 0, 1, 1.5, 0, -1])


@pytest.mark.parametrize(
    "x, message",
    [
        ([0, 0, 0, 1], r"^expected 6 coordinates \(x1, y1, z1, x2, y2, z2\), got 4$"),
        ([[0, 0, 0]], r"^expected one point of shape \(6,\) or a batch of shape \(m, 6\), got shape \(1, 3\)$"),
        ([0, 0, 0, 1, 0, float("nan")], r"^coordinates must be finite numbers"),
        (["a", 0, 0, 1, 0, 0], r"^coordinates must be numbers"),
    ],
)
def test_bad_coordinates_are_input_errors(x, message):
    with pytest.raises(InputError, match=message):
        ParticlePotential(LJ, 2, params=UNIT)(x)


def test_many_coordinates_are_named_briefly():
    with pytest.raises(InputError, match=r"^expected 300 coordinates \(x1, y1, z1, x2, y2, z2, \.\.\., z100\), got 2$"):
        ParticlePotential(LJ, 100, params=UNIT).grad([1, 2])


@pytest.mark.parametrize(
    "kwargs, error, message",
    [
        ({"n_atoms": 0}, InputError, r"^the number of particles must be a whole number of at least 1, got 0$"),
        ({"n_atoms": 2.5}, InputError, r"^the number of particles must be a whole number"),
        ({"dim": 4}, InputError, r"^the dimension must be 1, 2 or 3, got 4$"),
        ({"cutoff": -1}, InputError, r"^the cutoff must be a positive number, got -1$"),
        ({"cutoff": "far"}, InputError, r"^the cutoff must be a number, got 'far'$"),
        ({"pair": "4*(r**-12 - q)"}, InputError, r"uses q, which is neither a variable \(r\) nor a parameter"),
        ({"pair": "__import__('os')"}, ExpressionError, r"^names beginning with '_' are not allowed"),
        ({"one_body": "x + w"}, InputError, r"uses w, which is neither a variable \(x, y, z\) nor a parameter"),
        ({"dim": 2, "one_body": "z"}, InputError, r"uses z, which is neither a variable \(x, y\)"),
        (
            {"pair": "1/(r - 2)", "cutoff": 2},
            InputError,
            r"^the pair term cannot be evaluated at the cutoff r=2: "
            r"division by zero",
        ),
    ],
)
def test_bad_construction_is_an_input_error(kwargs, error, message):
    arguments = {"pair": LJ, "n_atoms": 2, **kwargs}
    with pytest.raises(error, match=message):
        ParticlePotential(arguments.pop("pair"), arguments.pop("n_atoms"), params=UNIT, **arguments)


def test_derivatives_refuse_a_batch_an_unknown_variable_and_an_unknown_method():
    V = ParticlePotential(LJ, 2, params=UNIT)
    x = [0, 0, 0, 1.2, 0, 0]
    with pytest.raises(InputError, match="^derivatives takes one point, not a batch$"):
        V.derivatives([x, x], 2)
    with pytest.raises(InputError, match="^unknown variable 'w1'"):
        V.derivatives(x, 2, "w1")
    with pytest.raises(InputError, match="^unknown method 'fd'"):
        V.derivatives(x, 2, method="fd")


@pytest.mark.slow
def test_many_pairs_are_summed_in_slices_and_a_kd_tree_finds_the_cutoff_pairs():
    # 260 atoms: 33,670 pairs, more than one slice of assemble.CHUNK and past the brute-force
    # neighbour search (assemble.BRUTE_FORCE_PAIRS), so the cKDTree path is the one checked.
    from gradcli.particles import assemble

    n = 260
    assert n * (n - 1) // 2 > max(assemble.CHUNK, assemble.BRUTE_FORCE_PAIRS)
    x = jittered_lattice(n, seed=11)
    for rc in (2.2, 1e6):
        energy, grad = brute_force(x, rc, n)
        value, gradient = ParticlePotential(LJ, n, params=UNIT, cutoff=rc).value_and_grad(x)
        assert value == pytest.approx(energy, rel=1e-12)
        np.testing.assert_allclose(gradient, grad, rtol=1e-11, atol=1e-11 * np.abs(grad).max())
    full = ParticlePotential(LJ, 300, params=UNIT)
    x = jittered_lattice(300, seed=12)
    energy, grad = brute_force(x, 1e6, 300)
    assert full(x) == pytest.approx(energy - 44850 * lj(1e6), rel=1e-12)
    np.testing.assert_allclose(full.grad(x), grad, rtol=1e-11, atol=1e-11 * np.abs(grad).max())


def test_a_failure_in_a_later_slice_names_its_atoms():
    n = 300
    x = jittered_lattice(n, seed=12).reshape(n, 3)
    x[298] = x[299]
    with pytest.raises(DomainError, match=r"^division by zero in the pair term at r=0 \(atoms 299 and 300\)$"):
        ParticlePotential(LJ, n, params=UNIT).grad(x.ravel())
