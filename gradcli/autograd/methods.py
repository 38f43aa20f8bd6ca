"""Operators and methods of Tensor, bound from the ops modules.

One table, so "which operations does a Tensor have" has one answer.
"""

from . import ops_inplace as I
from . import ops_math as M
from . import ops_shape as S
from .tensor import Tensor


def _eq(self, other):
    if other is None:
        return False
    return M.eq(self, other)


def _ne(self, other):
    if other is None:
        return True
    return M.ne(self, other)


def _rmatmul(self, other):
    from .tensor import _as_array, _plain

    return S.matmul(_plain(_as_array(other, None)), self)


_BINDINGS = {
    # arithmetic operators (number or tensor on either side)
    "__add__": M.add, "__radd__": M.add, "__sub__": M.sub, "__rsub__": M.rsub,
    "__mul__": M.mul, "__rmul__": M.mul, "__truediv__": M.div, "__rtruediv__": M.rdiv,
    "__pow__": M.pow, "__rpow__": M.rpow, "__neg__": M.neg, "__pos__": lambda self: self,
    "__matmul__": S.matmul, "__rmatmul__": _rmatmul, "__abs__": M.abs,
    "__lt__": M.lt, "__le__": M.le, "__gt__": M.gt, "__ge__": M.ge, "__eq__": _eq, "__ne__": _ne,
    # in-place operators
    "__iadd__": I.add_, "__isub__": I.sub_, "__imul__": I.mul_, "__itruediv__": I.div_,
    "__getitem__": S.getitem, "__setitem__": I.setitem,
    # named methods
    "add": M.add, "sub": M.sub, "mul": M.mul, "div": M.div, "pow": M.pow, "neg": M.neg,
    "reciprocal": M.reciprocal, "exp": M.exp, "log": M.log, "sqrt": M.sqrt, "sin": M.sin,
    "cos": M.cos, "tan": M.tan, "tanh": M.tanh, "sinh": M.sinh, "cosh": M.cosh,
    "asin": M.asin, "acos": M.acos, "atan": M.atan, "arcsin": M.asin, "arccos": M.acos,
    "arctan": M.atan, "atan2": M.atan2, "abs": M.abs, "sigmoid": M.sigmoid, "relu": M.relu,
    "clamp": M.clamp, "clip": M.clamp, "lt": M.lt, "le": M.le, "gt": M.gt, "ge": M.ge,
    "eq": M.eq, "ne": M.ne,
    "sum": S.sum, "mean": S.mean, "max": S.max, "min": S.min,
    "maximum": M.maximum, "minimum": M.minimum, "where": lambda self, c, o: M.where(c, self, o), "matmul": S.matmul, "dot": S.dot, "mm": S.matmul,
    "mv": S.matmul, "reshape": S.reshape, "view": S.view, "flatten": S.flatten,
    "squeeze": S.squeeze, "unsqueeze": S.unsqueeze, "transpose": S.transpose,
    "permute": S.permute, "t": S.t, "expand": S.expand, "clone": S.clone,
    "add_": I.add_, "sub_": I.sub_, "mul_": I.mul_, "div_": I.div_, "clamp_": I.clamp_,
    "zero_": I.zero_, "fill_": I.fill_, "copy_": I.copy_,
}

for _name, _function in _BINDINGS.items():
    setattr(Tensor, _name, _function)

Tensor.T = property(S.T)
Tensor.mT = property(lambda self: S.transpose(self, -1, -2))
Tensor.square = lambda self: M.pow(self, 2)
Tensor.expand_as = lambda self, other: S.expand(self, other.shape)
Tensor.view_as = lambda self, other: S.reshape(self, other.shape)
Tensor.reshape_as = lambda self, other: S.reshape(self, other.shape)
