"""``einsum``: Einstein summation over any number of operands, differentiable.

The gradient for operand k is itself an einsum: the incoming gradient (indexed
by the output's letters) times every other operand, summed to operand k's
letters.  A letter that appears only in operand k is supplied by a constant of
ones; a letter repeated within operand k (a diagonal, "ii") gets a fresh letter
and an identity matrix tying the two.  Because the rule calls ``einsum`` again,
it is recorded under ``create_graph``.
"""

import string

import numpy as np

from .graph import Node
from .tensor import Tensor, _as_array, _plain, record
from .tensor import with_meta as _with_meta


def _parse(equation, operands):
    equation = equation.replace(" ", "")
    if "..." in equation:
        raise RuntimeError("einsum(): gradcli does not support '...' (ellipsis) in the equation")
    if "->" in equation:
        inputs, output = equation.split("->")
    else:
        inputs = equation
        letters = inputs.replace(",", "")
        output = "".join(sorted(c for c in set(letters) if letters.count(c) == 1))
    terms = inputs.split(",")
    if len(terms) != len(operands):
        raise RuntimeError(f"einsum(): {len(terms)} operands in the equation but {len(operands)} were given")
    for term, operand in zip(terms, operands):
        if len(term) != operand._data.ndim:
            raise RuntimeError(
                f"einsum(): the number of subscripts in the equation ({len(term)}) does not match the "
                f"number of dimensions ({operand._data.ndim}) for operand {terms.index(term)}"
            )
    return terms, output


class EinsumBackward0(Node):
    __slots__ = ("_meta",)  # (terms, output)

    def backward(self, grad, *operands):
        terms, output = self._meta
        tensors = isinstance(grad, Tensor)
        grads: list = []
        for k in range(len(terms)):
            if self._next[k][0] is None:
                grads.append(None)
                continue
            grads.append(_operand_grad(k, terms, output, grad, operands, tensors))
        return tuple(grads)


def _operand_grad(k, terms, output, grad, operands, tensors):
    term = terms[k]
    sizes = {}
    for t, operand in zip(terms, operands):
        for letter, size in zip(t, operand.shape):
            sizes[letter] = size
    used = set("".join(terms) + output)
    fresh = iter(c for c in string.ascii_letters if c not in used)
    target, extra_terms, extra_operands, seen = "", [], [], set()
    for letter in term:
        if letter in seen:  # a repeated letter: a fresh one, tied by an identity matrix
            new = next(fresh)
            target += new
            extra_terms.append(letter + new)
            extra_operands.append(np.eye(sizes[letter]))
        else:
            seen.add(letter)
            target += letter
    others = [t for i, t in enumerate(terms) if i != k]
    present = set(output).union(*others) if others else set(output)
    for letter in seen - present:  # summed away inside operand k only: broadcast back
        extra_terms.append(letter)
        extra_operands.append(np.ones(sizes[letter]))
    equation = ",".join([output] + others + extra_terms) + "->" + target
    values = [grad] + [op for i, op in enumerate(operands) if i != k] + extra_operands
    if tensors:
        values = [v if isinstance(v, Tensor) else _plain(np.asarray(v)) for v in values]
        return einsum(equation, *values)
    return np.einsum(equation, *values)


def einsum(equation, *operands):
    """Einstein summation: ``einsum("ij,jk->ik", a, b)`` is ``a @ b``; ``einsum("ii", a)`` the
    trace; ``einsum("i,j->ij", u, v)`` the outer product.  Operands may also be given as one list.

    Example: einsum("bij,bjk->bik", x, y) for x (b, n, m), y (b, m, p) -> (b, n, p).
    """
    if len(operands) == 1 and isinstance(operands[0], (list, tuple)):
        operands = tuple(operands[0])
    operands = tuple(op if isinstance(op, Tensor) else _plain(_as_array(op, None)) for op in operands)
    terms, output = _parse(equation, operands)
    equation = ",".join(terms) + "->" + output
    try:
        data = np.einsum(equation, *(op._data for op in operands))
    except ValueError as error:
        raise RuntimeError(f"einsum(): {error}") from None
    out = record(EinsumBackward0, np.asarray(data), operands, operands)
    return _with_meta(out, (terms, output))
