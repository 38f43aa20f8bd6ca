"""The numpy code with register allocation (issue 12): the same bits as the code
with a temporary per instruction, a bounded number of buffers, batches run
chunk by chunk, and the caller-owned batch entry point ``into``."""

import tracemalloc

import numpy as np
import pytest
import sympy
from hypothesis import given, settings
from hypothesis import strategies as st

from gradcli.errors import DomainError, InputError
from gradcli.frontend import Potential, codegen, compiled, transforms
from gradcli.frontend.program import Builder, Program

UNARY = ["neg", "sin", "cos", "tanh", "atan", "exp", "sqrt", "log", "abs", "sigmoid", "dabs"]
BINARY = ["add", "sub", "mul", "div", "atan2"]


@st.composite
def programs(draw) -> Program:
    """A random program: 1-3 inputs, up to 40 instructions on earlier values or
    constants, outputs drawn from every value (repeats, inputs, constants too)."""
    n = draw(st.integers(1, 3))
    b = Builder([f"x{k}" for k in range(n)])
    values = list(range(n))
    for _ in range(draw(st.integers(1, 40))):

        def operand():
            if draw(st.integers(0, 5)) == 0:
                return draw(st.sampled_from([0.5, -2.0, 3.0]))
            return draw(st.sampled_from(values))

        if draw(st.booleans()):
            values.append(b.emit(draw(st.sampled_from(UNARY)), operand()))
        else:
            values.append(b.emit(draw(st.sampled_from(BINARY)), operand(), operand()))
    values = sorted(set(values) | set(range(len(b.instrs))))
    outputs = draw(st.lists(st.sampled_from(values), min_size=1, max_size=6))
    return b.build(outputs)


def run(code: codegen.ArrayCode, program: Program, columns: np.ndarray) -> np.ndarray:
    out = np.full((len(program.outputs), columns.shape[1]), 7.0)
    work = np.full((code.registers, columns.shape[1]), 7.0)
    with np.errstate(all="ignore"):  # NaNs and infinities must agree too
        return code.function(out, work, *columns)


def max_live(program: Program) -> int:
    """The most computed non-output values alive at once (made, and read later),
    counted directly: a register allocation cannot do better."""
    last = {}
    for i, ins in enumerate(program.instrs):
        for a in ins.args:
            last[a] = i
    outputs = set(program.outputs)
    most = 0
    for i in range(len(program.instrs)):
        alive = [
            v for v in range(i + 1) if program.instrs[v].args and v not in outputs and (last.get(v, v) > i or v == i)
        ]
        most = max(most, len(alive))
    return most


@settings(max_examples=200, deadline=None, derandomize=True)
@given(programs(), st.integers(1, 5))
def test_registers_give_the_same_bits_as_a_temporary_per_instruction(program, m):
    columns = np.random.default_rng(m).uniform(-3, 3, (program.n_inputs, m))
    plain = run(codegen.compile_array(program, registers=False), program, columns)
    allocated = codegen.compile_array(program)
    assert np.array_equal(run(allocated, program, columns), plain, equal_nan=True)
    assert allocated.registers <= max_live(program)


def test_a_long_chain_needs_a_constant_number_of_registers():
    for n in (10, 200):
        program = Potential("+".join(f"sin(x{i})**2" for i in range(1, n + 1))).program
        assert len(program) > 3 * n
        assert codegen.compile_array(program).registers <= 2


def test_registers_are_reused_at_the_last_use():
    x = sympy.Symbol("x", real=True)
    program = transforms.grad_program(Potential(x**4 - 10 * x**2 + 5).program)
    register, count = codegen.allocate_registers(program)
    # x*x lives until the gradient uses it; x**4 + 5 and 10*x*x meet at the subtraction,
    # which writes the value's output row; x**4 dies into x**4 + 5, which takes its register.
    assert count == 3 == max_live(program)
    x4, x4_plus_5 = [i for i, ins in enumerate(program.instrs) if ins.op in ("mul", "add")][1:3]
    assert program.instrs[x4_plus_5].args[1] == x4 and register[x4] == register[x4_plus_5]


def test_memory_is_registers_not_instructions():
    V = Potential("+".join(f"exp(-(x-{i})**2)" for i in range(40)))
    c = V._get("grad")
    m = 200_000
    points = np.linspace(-1, 41, m)[:, None]
    c.array(points[:100])  # compiled, workspace made
    tracemalloc.start()
    c.array(points)
    peak = tracemalloc.get_traced_memory()[1]
    tracemalloc.stop()
    outputs = 2 * m * 8
    registers = c._array_code.registers
    assert len(c.program) > 4 * registers  # reverse mode keeps the 40 terms' values for the gradient
    workspace = registers * c._width(registers) * 8  # kept from the first call
    assert workspace <= compiled.WORKSPACE_ELEMENTS * 8
    assert peak < outputs + 2**20  # the result and a little: no array of m per instruction


def test_chunks_and_their_remainder_give_the_same_numbers(monkeypatch):
    V = Potential("sin(x)*y + x**3 - exp(-y**2)")
    pts = np.random.default_rng(3).uniform(-2, 2, (1001, 2))
    whole = V.value_and_grad(pts)
    monkeypatch.setattr(compiled, "CHUNK", 64)  # 15 full chunks and one of 41
    V2 = Potential("sin(x)*y + x**3 - exp(-y**2)")
    again = V2.value_and_grad(pts)
    assert np.array_equal(whole[0], again[0]) and np.array_equal(whole[1], again[1])
    single = np.array([V.scalar_value_and_grad(*p) for p in pts])
    assert np.allclose(again[1], single[:, 1:], rtol=1e-14, atol=1e-15)


def test_into_fills_the_callers_buffer_in_any_layout():
    V = Potential("sin(x)*y + x**3")
    X = np.random.default_rng(4).uniform(-2, 2, (500, 2))
    value, grad = V.value_and_grad(X)
    out = np.empty((3, 500))
    assert V.value_and_grad_into(X.T, out) is out  # strided rows of the walkers' array
    assert np.array_equal(out[0], value) and np.array_equal(out[1:].T, grad)
    walkers = np.ascontiguousarray(X.T)
    transposed = np.empty((500, 3))
    V.value_and_grad_into(walkers, transposed.T)  # out may be a view too
    assert np.array_equal(transposed[:, 0], value) and np.array_equal(transposed[:, 1:], grad)


@pytest.mark.parametrize(
    "columns, out, message",
    [
        (
            np.zeros((1, 4)),
            np.zeros((3, 4)),
            "columns must be a float64 array of shape (2, m), got ndarray of shape (1, 4)",
        ),
        (
            np.zeros((2, 4)),
            np.zeros((2, 4)),
            "out must be a float64 array of shape (3, m), got ndarray of shape (2, 4)",
        ),
        (
            np.zeros((2, 4), dtype=np.float32),
            np.zeros((3, 4)),
            "columns must be a float64 array of shape (2, m), got ndarray of shape (2, 4)",
        ),
        ([[0.0], [1.0]], np.zeros((3, 1)), "columns must be a float64 array of shape (2, m), got list"),
        (np.zeros((2, 4)), np.zeros((3, 5)), "columns and out must hold the same number of points, got 4 and 5"),
        (
            np.array([[0.0, 1.0, np.nan], [1.0, 2.0, 3.0]]),
            np.zeros((3, 3)),
            "coordinates must be finite numbers, got [nan, 3.0] for point 2",
        ),
        (
            np.array([[0.0, np.inf], [1.0, 2.0]]),
            np.zeros((3, 2)),
            "coordinates must be finite numbers, got [inf, 2.0] for point 1",
        ),
    ],
)
def test_into_refuses_bad_buffers(columns, out, message):
    V = Potential("sin(x)*y + x**3")
    with pytest.raises(InputError) as info:
        V.value_and_grad_into(columns, out)
    assert str(info.value) == message


def test_into_refuses_a_read_only_buffer():
    out = np.zeros((2, 3))
    out.flags.writeable = False
    with pytest.raises(InputError, match="out must be writeable"):
        Potential("x**2").value_and_grad_into(np.zeros((1, 3)), out)


def test_into_diagnoses_a_domain_error_as_a_single_point_does():
    V = Potential("log(x) + y")
    with pytest.raises(DomainError) as single:
        V.value_and_grad([-2.0, 1.0])
    columns = np.ones((2, 5000))
    columns[0, 3210] = -2.0
    with pytest.raises(DomainError) as batch:
        V.value_and_grad_into(columns, np.empty((3, 5000)))
    assert str(batch.value) == str(single.value)
