"""Compile a ``Program`` to a Python function by building an ``ast`` tree.

Why this is safe: the tree is assembled here node by node from a Program,
never from text. The only identifiers in it are ours (``x0``, ``v12``,
``r3``, ``out``, the primitive names of a fixed namespace such as ``exp``) and the
only literals are Python floats and ints; the user's expression was parsed
and checked long before (``parse.py``) and contributes no characters to the
code. The tree goes to ``compile(tree, "<gradcli:...>", "exec")`` and the
function's code object is taken from the module's constants and wrapped with
``types.FunctionType(code, namespace)`` -- there is no ``eval`` or ``exec``.

Two namespaces give two functions from the same instructions:

* scalar mode (``math`` over Python floats; the fastest for one point and the
  descent loop): ``f(x0, ..., x{n-1}) -> tuple`` of the outputs. Domain
  problems raise in ``math`` (``ValueError``, ``ZeroDivisionError``,
  ``OverflowError``) and silent infinities or NaNs are caught by a check on
  the outputs; both call ``fail(x0, ...)``, which raises ``DomainError``.
* array mode (numpy ufuncs over arrays of shape (m,), one per coordinate):
  ``f(out, work, x0, ..., x{n-1})`` fills ``out`` of shape (k, m) and returns
  it. Each instruction is one ufunc call with ``out=`` into a register (a row
  of ``work``, allocated by a linear scan over the SSA program: a register is
  free again after its value's last use) or straight into its output row, so
  memory is O(m * registers), not O(m * instructions). Run it under
  ``np.errstate(divide/over/invalid="raise")``. Only this mode needs numpy,
  and it is imported only when it is first used.

Example::

    >>> import sympy
    >>> from gradcli.frontend.program import from_sympy
    >>> from gradcli.frontend.transforms import grad_program
    >>> p = from_sympy([sympy.Symbol("x") ** 2], ["x"])
    >>> f = compile_scalar(grad_program(p), fail=print)   # outputs x**2, 2*x
    >>> f(3.0)
    (9.0, 6.0)
"""

from __future__ import annotations

import ast
import contextlib
import gc
import itertools
import math
import types
from collections.abc import Callable
from typing import TYPE_CHECKING, NamedTuple, TypedDict

from .._lazy import LazyModule
from . import ops
from .ops import INFIX, SCALAR
from .program import Program

if TYPE_CHECKING:
    import numpy as np
else:
    np = LazyModule("numpy", globals(), "np")  # array mode only (gradcli/_lazy.py)

_BINOPS = {"+": ast.Add, "-": ast.Sub, "*": ast.Mult, "/": ast.Div}
SCALAR_ERRORS = (ValueError, ZeroDivisionError, OverflowError)
_counter = itertools.count()


# Every node gets its location here: ast.fix_missing_locations would cost
# more than compile() itself on a program of thousands of instructions.
class _Location(TypedDict):
    lineno: int
    col_offset: int
    end_lineno: int
    end_col_offset: int


AT: _Location = {"lineno": 1, "col_offset": 0, "end_lineno": 1, "end_col_offset": 0}


def _load(name: str) -> ast.Name:
    return ast.Name(id=name, ctx=ast.Load(), **AT)


def _store(name: str) -> ast.Name:
    return ast.Name(id=name, ctx=ast.Store(), **AT)


# A value used exactly once is written inside its user's expression instead of
# being named: fewer AST nodes to build and compile and fewer local stores at
# run time. Nesting is capped so the compiler's recursion stays shallow.
MAX_INLINE_DEPTH = 24


def _body(program: Program, outputs_named: bool = False) -> tuple[list[ast.stmt], list[ast.expr]]:
    """(statements computing every value, the expression standing for each
    value afterwards: a parameter x{k}, a literal, v{i}, or an inline
    expression)."""
    uses = [0] * len(program.instrs)
    for ins in program.instrs:
        for a in ins.args:
            uses[a] += 1
    for o in program.outputs:
        uses[o] += 2 if outputs_named else 1
    operand: list[ast.expr] = []
    depth = [0] * len(program.instrs)
    body: list[ast.stmt] = []
    for i, ins in enumerate(program.instrs):
        op = ins.op
        if op == "input":
            operand.append(_load(f"x{ins.attr}"))
            continue
        if op == "const":
            operand.append(ast.Constant(ins.attr, **AT))
            continue
        args = [operand[a] for a in ins.args]
        value: ast.expr
        if op in INFIX:
            value = ast.BinOp(args[0], _BINOPS[INFIX[op]](), args[1], **AT)
        elif op == "neg":
            value = ast.UnaryOp(ast.USub(), args[0], **AT)
        else:
            value = ast.Call(func=_load(op), args=args, keywords=[], **AT)
        depth[i] = 1 + max(depth[a] for a in ins.args)
        if uses[i] == 1 and depth[i] < MAX_INLINE_DEPTH:
            operand.append(value)
        else:
            depth[i] = 0
            name = f"v{i}"
            body.append(ast.Assign(targets=[_store(name)], value=value, **AT))
            operand.append(_load(name))
    return body, operand


@contextlib.contextmanager
def gc_paused():
    """Pause the cyclic garbage collector: building tens of thousands of AST
    nodes (none of them garbage) otherwise triggers collections that cost
    as much as the compilation."""
    was_enabled = gc.isenabled()
    gc.disable()
    try:
        yield
    finally:
        if was_enabled:
            gc.enable()


def _function(name: str, params: list[str], body: list[ast.stmt], namespace: dict) -> Callable:
    arguments = ast.arguments(
        posonlyargs=[], args=[ast.arg(arg=p, **AT) for p in params], kwonlyargs=[], kw_defaults=[], defaults=[]
    )
    # type_params: Python 3.12's compile() requires it; 3.11's stubs do not know it.
    fdef = ast.FunctionDef(  # type: ignore[call-arg]
        name=name, args=arguments, body=body, decorator_list=[], returns=None, type_params=[], **AT
    )
    module = ast.Module(body=[fdef], type_ignores=[])
    code = compile(module, f"<gradcli:{name}>", "exec")
    (fcode,) = [c for c in code.co_consts if isinstance(c, types.CodeType)]
    return types.FunctionType(fcode, namespace, name)


def _all_finite(*values: float) -> bool:
    return all(map(math.isfinite, values))


def _finite_test(results: list[ast.expr]) -> ast.expr:
    """An expression that is True when some output is inf or NaN. For a few
    outputs: (r0*0.0 + r1*0.0 ...) != 0.0 (inf*0.0 is NaN); else a call."""
    if len(results) > 8:
        call = ast.Call(func=_load("_all_finite"), args=results, keywords=[], **AT)
        return ast.UnaryOp(ast.Not(), call, **AT)
    total: ast.expr | None = None
    for r in results:
        term = ast.BinOp(r, ast.Mult(), ast.Constant(0.0, **AT), **AT)
        total = term if total is None else ast.BinOp(total, ast.Add(), term, **AT)
    assert total is not None  # results is not empty
    return ast.Compare(total, [ast.NotEq()], [ast.Constant(0.0, **AT)], **AT)


def compile_scalar(program: Program, fail: Callable, name: str = "f") -> Callable:
    """``f(x0, ..., x{n-1}) -> tuple`` of outputs over Python floats; on a
    domain problem returns ``fail(x0, ..., x{n-1})`` (which should raise)."""
    params = [f"x{k}" for k in range(program.n_inputs)]
    statements, operand = _body(program, outputs_named=True)  # outputs are read twice: check, return
    results = [operand[o] for o in program.outputs]
    call_fail = ast.Return(ast.Call(func=_load("_fail"), args=[_load(p) for p in params], keywords=[], **AT), **AT)
    variable_outputs = [r for r in results if not isinstance(r, ast.Constant)]
    check: list[ast.stmt] = []
    if variable_outputs:
        check = [ast.If(test=_finite_test(variable_outputs), body=[call_fail], orelse=[], **AT)]
    ret = ast.Return(ast.Tuple(elts=results, ctx=ast.Load(), **AT), **AT)
    handler = ast.ExceptHandler(type=_load("_ERRORS"), name=None, body=[call_fail], **AT)
    body: list[ast.stmt] = [ast.Try(body=statements + check + [ret], handlers=[handler], orelse=[], finalbody=[], **AT)]
    namespace = {**SCALAR, "_fail": fail, "_ERRORS": SCALAR_ERRORS, "_all_finite": _all_finite, "__builtins__": {}}
    return _function(f"{name}_scalar_{next(_counter)}", params, body, namespace)


class ArrayCode(NamedTuple):
    """Generated array code: ``function(out, work, x0, ..., x{n-1})`` fills
    ``out`` (k, m) from inputs of shape (m,), using the rows of ``work``
    (shape (registers, m)) as its buffers."""

    function: Callable
    registers: int


def allocate_registers(program: Program) -> tuple[list[int | None], int]:
    """(the register of each value, the number of registers): a linear scan
    over the SSA program. A value's register returns to the free list at its
    last use, so the next value can take it (numpy ufuncs may write over an
    argument of the same shape). Inputs, constants and outputs (written
    straight into their row of ``out``) have no register (None).

    >>> import sympy
    >>> from gradcli.frontend.program import from_sympy
    >>> x = sympy.Symbol("x")
    >>> allocate_registers(from_sympy([x**4 - x], ["x"]))   # x, x*x, its square, minus x
    ([None, 0, 0, None], 1)
    """
    instrs = program.instrs
    is_output = set(program.outputs)
    last_use = list(range(len(instrs)))  # a value nobody reads dies where it is made
    for i, ins in enumerate(instrs):
        for a in ins.args:
            last_use[a] = i
    register: list[int | None] = [None] * len(instrs)
    free: list[int] = []
    count = 0
    for i, ins in enumerate(instrs):
        if not ins.args:
            continue
        for a in set(ins.args):
            released = register[a]
            if last_use[a] == i and released is not None:
                free.append(released)
        if i in is_output:
            continue
        if free:
            taken = free.pop()
        else:
            taken = count
            count += 1
        register[i] = taken
        if last_use[i] == i:
            free.append(taken)
    return register, count


def _unpack(names: list[str], source: str) -> ast.stmt:
    target = ast.Tuple(elts=[_store(n) for n in names], ctx=ast.Store(), **AT)
    return ast.Assign(targets=[target], value=_load(source), **AT)


def _fill(target: ast.expr, value: ast.expr) -> ast.stmt:
    """target[...] = value"""
    where = ast.Subscript(value=target, slice=ast.Constant(Ellipsis, **AT), ctx=ast.Store(), **AT)
    return ast.Assign(targets=[where], value=value, **AT)


def _register_body(program: Program, namespace: dict) -> tuple[list[ast.stmt], int]:
    """Statements computing every value with ``out=`` into a register or its
    output row: no temporary array per instruction."""
    register, count = allocate_registers(program)
    instrs = program.instrs
    first_slot: dict[int, int] = {}
    for slot, o in enumerate(program.outputs):
        first_slot.setdefault(o, slot)

    def operand(v: int) -> ast.expr:
        ins = instrs[v]
        if ins.op == "input":
            return _load(f"x{ins.attr}")
        if ins.op == "const":
            return ast.Constant(ins.attr, **AT)
        return _load(f"o{first_slot[v]}" if register[v] is None else f"r{register[v]}")

    body: list[ast.stmt] = []
    if program.outputs:
        body.append(_unpack([f"o{s}" for s in range(len(program.outputs))], "out"))
    if count:
        body.append(_unpack([f"r{r}" for r in range(count)], "work"))
    for i, ins in enumerate(instrs):
        if not ins.args:
            continue
        args = [operand(a) for a in ins.args]
        destination = operand(i)
        if isinstance(namespace[ins.op], np.ufunc):
            out = ast.keyword(arg="out", value=destination, **AT)
            body.append(ast.Expr(ast.Call(func=_load(ins.op), args=args, keywords=[out], **AT), **AT))
        else:  # a Python function of ufuncs (sigmoid, erf): its result is copied in
            body.append(_fill(destination, ast.Call(func=_load(ins.op), args=args, keywords=[], **AT)))
    for slot, o in enumerate(program.outputs):
        if first_slot[o] != slot or not instrs[o].args:  # a repeated output, an input, a constant
            body.append(_fill(_load(f"o{slot}"), operand(o)))
    return body, count


def compile_array(program: Program, name: str = "f", registers: bool = True) -> ArrayCode:
    """Array code ``f(out, work, x0, ..., x{n-1})``: x_k arrays of shape (m,),
    out of shape (len(outputs), m), work of shape (registers, m); fills
    out[i] with output i (constants broadcast) and returns out.

    With ``registers`` (the default) every instruction is one ufunc call
    writing into a register (a row of ``work``) or its output row, so the
    memory is O(m * registers) however long the program; without, each
    instruction makes a temporary array (kept for the tests: both give the
    same bits).

    >>> import numpy as np, sympy
    >>> from gradcli.frontend.program import from_sympy
    >>> from gradcli.frontend.transforms import grad_program
    >>> code = compile_array(grad_program(from_sympy([sympy.Symbol("x") ** 2], ["x"])))
    >>> code.function(np.empty((2, 3)), np.empty((code.registers, 3)), np.array([1.0, 2.0, 3.0]))
    array([[1., 4., 9.],
           [2., 4., 6.]])
    """
    params = ["out", "work"] + [f"x{k}" for k in range(program.n_inputs)]
    namespace = {**ops.ARRAY, "__builtins__": {}}  # numpy's ufuncs, imported by the first use
    if registers:
        body, count = _register_body(program, namespace)
    else:
        body, operand = _body(program)
        count = 0
        for i, o in enumerate(program.outputs):
            target = ast.Subscript(value=_load("out"), slice=ast.Constant(i, **AT), ctx=ast.Store(), **AT)
            body.append(ast.Assign(targets=[target], value=operand[o], **AT))
    body.append(ast.Return(_load("out"), **AT))
    return ArrayCode(_function(f"{name}_array_{next(_counter)}", params, body, namespace), count)
