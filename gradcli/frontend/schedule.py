"""Running a long Program with numpy batched across instructions.

Generated Python code costs about 10-20 us per instruction to compile, which
is what a Hessian of a large cluster (200,000 instructions for 40 atoms)
cannot afford. Here instead the instructions are grouped by *level* (an
instruction's level is one more than its deepest argument's) and opcode; the
instructions of one group are independent of one another, so each group runs
as ONE numpy call over all of them (and over a batch of points at once):

    values[group.ids] = exp(values[group.self])

A Program with 21,645 instructions (the LJ13 Hessian) has about 200 groups.
Setting up is a single pass over the instructions; there is no code to build.

Example::

    >>> import numpy as np, sympy
    >>> from gradcli.frontend.program import from_sympy
    >>> from gradcli.frontend.transforms import hessian_program
    >>> s = Schedule(hessian_program(from_sympy([sympy.Symbol("x") ** 3], ["x"])))
    >>> s.run(np.array([[1.0, 2.0]]))       # inputs (n_inputs, m) -> x**3, 3 x**2, 6 x: (k, m)
    array([[ 1.,  8.],
           [ 3., 12.],
           [ 6., 12.]])
"""

from __future__ import annotations

import numpy as np

from .ops import ARRAY
from .program import Program


class Schedule:
    """The groups of ``program``, ready to run on any number of points.

    Values are renumbered into slots so that each group's results are one
    contiguous block: a group then writes straight into its block (``out=``)
    and only its arguments are gathered."""

    def __init__(self, program: Program):
        instrs = program.instrs
        level = [0] * len(instrs)
        groups: dict[tuple[int, str], list[int]] = {}
        leaves = []
        for i, ins in enumerate(instrs):
            if ins.args:
                level[i] = 1 + max(level[a] for a in ins.args)
                groups.setdefault((level[i], ins.op), []).append(i)
            else:
                leaves.append(i)
        order = leaves + [i for key in sorted(groups) for i in groups[key]]
        slot = [0] * len(instrs)
        for position, i in enumerate(order):
            slot[i] = position
        self.size = len(instrs)
        inputs = [i for i in leaves if instrs[i].op == "input"]
        consts = [i for i in leaves if instrs[i].op == "const"]
        self.input_slots = np.array([slot[i] for i in inputs], dtype=np.intp)
        self.input_pos = np.array([instrs[i].attr for i in inputs], dtype=np.intp)
        self.const_slots = np.array([slot[i] for i in consts], dtype=np.intp)
        self.const_values = np.array([instrs[i].attr for i in consts], dtype=np.float64)
        self.outputs = np.array([slot[o] for o in program.outputs], dtype=np.intp)
        self.steps = []
        start = len(leaves)
        for key in sorted(groups):
            ids = groups[key]
            args = tuple(
                np.array([slot[instrs[i].args[k]] for i in ids], dtype=np.intp) for k in range(len(instrs[ids[0]].args))
            )
            fn = ARRAY[key[1]]
            self.steps.append((fn, isinstance(fn, np.ufunc), start, start + len(ids), args))
            start += len(ids)

    def __len__(self) -> int:
        """The number of numpy calls (groups) one run makes."""
        return len(self.steps)

    def run(self, inputs: np.ndarray) -> np.ndarray:
        """Outputs (k, m) for inputs of shape (n_inputs, m). Floating-point
        errors follow the caller's ``np.errstate``."""
        m = inputs.shape[1]
        values = np.empty((self.size, m))
        values[self.input_slots] = inputs[self.input_pos]
        values[self.const_slots] = self.const_values[:, None]
        for fn, is_ufunc, start, stop, args in self.steps:
            if is_ufunc:
                fn(*[values[a] for a in args], out=values[start:stop])
            else:
                values[start:stop] = fn(*[values[a] for a in args])
        return values[self.outputs]
