"""The SSA program: SymPy -> IR table, hash-consing, unsupported constructs,
the derivative transforms and the generated code."""

import ast
import math

import pytest
import sympy

from gradcli.errors import UnsupportedExpressionError
from gradcli.frontend import codegen, transforms
from gradcli.frontend.program import Builder, from_sympy

x, y, z = (sympy.Symbol(n, real=True) for n in "xyz")


def ops(program):
    return [ins.op for ins in program.instrs if ins.op not in ("input", "const")]


def run(program, *coords):
    return codegen.compile_scalar(program, fail=lambda *a: pytest.fail(f"domain error at {a}"))(*coords)


def test_shared_subexpression_is_one_instruction():
    p = from_sympy([sympy.sin(x * y) ** 2 + sympy.sin(x * y)], ["x", "y"])
    assert ops(p).count("sin") == 1
    assert ops(p).count("mul") == 2  # x*y once, sin(x*y)**2 as a product


def test_repeated_pair_distance_in_lennard_jones_term_is_computed_once():
    r2 = (x - y) ** 2 + (y - z) ** 2
    p = from_sympy([4 * (r2**-6 - r2**-3)], ["x", "y", "z"])
    # r2**-6 is (r2**-3)**2: one reciprocal, and r2 itself is formed once.
    assert ops(p).count("div") == 1
    assert ops(p).count("sub") == 3  # x-y, y-z, and the difference of the powers


@pytest.mark.parametrize(
    "expr, expected",
    [
        (x**2, ["mul"]),
        (x**3, ["mul", "mul"]),
        (x**-1, ["div"]),
        (sympy.sqrt(x), ["sqrt"]),
        (1 / sympy.sqrt(x), ["sqrt", "div"]),
        (x ** sympy.Rational(1, 3), ["pow"]),
        (x**y, ["pow"]),
        (x - y, ["sub"]),
        (-x, ["neg"]),
        (x / y, ["div"]),
        (sympy.atan2(y, x), ["atan2"]),
        (sympy.Abs(x), ["abs"]),
    ],
)
def test_sympy_nodes_map_to_engine_operations(expr, expected):
    assert sorted(ops(from_sympy([expr], ["x", "y"]))) == sorted(expected)


@pytest.mark.parametrize(
    "expr, name",
    [
        (sympy.gamma(x), "gamma"),
        (sympy.Max(x, y), "Max"),
        (sympy.Heaviside(x), "Heaviside"),
        (sympy.I * x, "I"),
        (x + sympy.zoo, "zoo"),
        (sympy.Function("f")(x), "f"),
    ],
)
def test_unsupported_construct_is_named(expr, name):
    with pytest.raises(UnsupportedExpressionError, match=f"'{name}.*' has no engine operation"):
        from_sympy([expr], ["x", "y"])


def test_unsupported_error_points_at_the_name_in_the_text():
    with pytest.raises(UnsupportedExpressionError) as info:
        from_sympy([sympy.gamma(x)], ["x"], text="1 + gamma(x)")
    assert info.value.column == 4


def test_builder_folds_constants_and_identities():
    b = Builder(["x"])
    one = b.const(1.0)
    assert b.mul(0, one) == 0
    assert b.add(0, 0.0) == 0
    assert b.value_of(b.mul(2.0, 3.0)) == 6.0
    assert b.neg(b.neg(0)) == 0
    assert b.mul(0, 0) == b.mul(0, 0)  # hash-consed


def test_grad_program_of_cube():
    p = from_sympy([x**3], ["x"])
    assert run(transforms.grad_program(p), 2.0) == (8.0, 12.0)
    assert run(transforms.hessian_program(p), 2.0) == (8.0, 12.0, 12.0)


def test_hessian_program_keeps_only_the_lower_triangle():
    p = from_sympy([x**2 * y + y**3], ["x", "y"])
    # value 10, gradient (4, 13), H = [[2y, 2x], [2x, 6y]] at (1, 2): lower triangle (0,0), (1,0), (1,1)
    assert run(transforms.hessian_program(p), 1.0, 2.0) == (10.0, 4.0, 13.0, 4.0, 2.0, 12.0)


def test_jvp_and_vjp_programs():
    p = from_sympy([x * y, x + y**2], ["x", "y"])
    # Each transform returns F = (6, 11) first, then its derivative.
    assert run(transforms.jvp_program(p), 2.0, 3.0, 1.0, 0.0) == (6.0, 11.0, 3.0, 1.0)
    assert run(transforms.vjp_program(p), 2.0, 3.0, 1.0, 1.0) == (6.0, 11.0, 4.0, 8.0)
    assert run(transforms.jacobian_program(p), 2.0, 3.0) == (6.0, 11.0, 3.0, 2.0, 1.0, 6.0)


def test_jacobian_program_forward_mode_when_outputs_outnumber_inputs():
    p = from_sympy([x**2, sympy.sin(x), 3 * x], ["x"])
    assert run(transforms.jacobian_program(p), 0.0)[3:] == (0.0, 1.0, 3.0)


def test_constant_has_no_tangent_so_programs_stay_small():
    p = from_sympy([sympy.exp(x) + y], ["x", "y"])
    g = transforms.grad_program(p)
    assert ops(g).count("exp") == 1  # d/dx exp(x) reuses the value; d/dy is the constant 1
    assert run(g, 0.0, 5.0) == (6.0, 1.0, 1.0)


def test_generated_code_contains_only_our_names():
    p = transforms.grad_program(from_sympy([sympy.log(x) * sympy.exp(y)], ["x", "y"]))
    f = codegen.compile_scalar(p, fail=None)
    names = set(f.__code__.co_names) | set(f.__code__.co_varnames)
    allowed = {"log", "exp", "_fail", "_ERRORS", "_all_finite", "x0", "x1"}
    assert all(n in allowed or n.startswith("v") and n[1:].isdigit() for n in names)


def test_codegen_never_calls_eval_or_exec():
    source = open(codegen.__file__).read()
    calls = {n.func.id for n in ast.walk(ast.parse(source)) if isinstance(n, ast.Call) and isinstance(n.func, ast.Name)}
    assert not calls & {"eval", "exec"}


def test_array_mode_gives_the_same_numbers():
    import numpy as np

    p = transforms.grad_program(from_sympy([sympy.sin(x) * y**2 + 1], ["x", "y"]))
    code = codegen.compile_array(p)
    out = code.function(np.empty((3, 2)), np.empty((code.registers, 2)), np.array([0.5, 1.0]), np.array([2.0, -1.0]))
    for k, (a, b) in enumerate([(0.5, 2.0), (1.0, -1.0)]):
        assert np.allclose(out[:, k], run(p, a, b), rtol=1e-15)
    assert math.isclose(out[0, 0], math.sin(0.5) * 4 + 1)


def test_the_sparse_hessian_keeps_only_structural_non_zeros():
    x, y = sympy.symbols("x y", real=True)
    p = from_sympy([x**2 + 3 * x * y], ["x", "y"])
    program, rows, cols = transforms.sparse_hessian_program(p)
    assert (rows, cols) == ((0, 1), (0, 0))  # H[1][1] = 0 is no entry
    assert run(program, 1.0, 2.0) == (7.0, 8.0, 3.0, 2.0, 3.0)  # V, grad, H[0][0], H[1][0]


@pytest.mark.slow
def test_a_separable_hessian_program_grows_linearly():
    """sum x_i**2: n diagonal entries, and a program of O(n) instructions (the
    dense triangle would be n(n+1)/2 outputs, the forward sweeps O(n^2) work)."""
    for n in (50, 400):
        p = from_sympy([sum(sympy.Symbol(f"x{i}", real=True) ** 2 for i in range(n))], [f"x{i}" for i in range(n)])
        program, rows, cols = transforms.sparse_hessian_program(p)
        assert rows == cols == tuple(range(n))
        assert len(program) < 6 * n
        assert run(program, *[1.0] * n)[1 + n :] == (2.0,) * n


def test_the_dense_hessian_program_is_the_sparse_one_filled_with_zeros():
    x, y, z = sympy.symbols("x y z", real=True)
    p = from_sympy([sympy.sin(x) * y + z**3], ["x", "y", "z"])
    dense = run(transforms.hessian_program(p), 0.5, 2.0, -1.0)
    sparse, rows, cols = transforms.sparse_hessian_program(p)
    values = run(sparse, 0.5, 2.0, -1.0)
    filled = dict(zip(zip(rows, cols), values[4:]))
    assert dense[:4] == values[:4]
    assert dense[4:] == tuple(filled.get((i, j), 0.0) for i in range(3) for j in range(i + 1))
    assert (rows, cols) == ((0, 1, 2), (0, 0, 2))  # H[1][1], H[2][0], H[2][1] are 0


def test_an_imaginary_unit_made_by_sympy_says_the_expression_is_not_real():
    # The user typed no I: SymPy wrote sqrt(-x**2) as I*|x|.
    with pytest.raises(UnsupportedExpressionError) as info:
        from_sympy([sympy.sqrt(-(x**2))], ["x"], text="sqrt(-x**2)")
    assert str(info.value.message) == (
        "'I (the imaginary unit)' has no engine operation: SymPy found the expression not real "
        "(as sqrt(-x**2) = I*|x|); gradcli computes with reals"
    )
