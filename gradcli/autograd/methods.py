"""Operators and methods of Tensor, bound from the ops modules.

One table, so "which operations does a Tensor have" has one answer.
"""

from typing import Any

from . import ops_arith as A
from . import ops_inplace as I
from . import ops_linalg as L
from . import ops_logic as Q
from . import ops_reduce as R
from . import ops_select as P
from . import ops_shape as S
from . import ops_softmax as M
from . import ops_unary as U
from .dtypes import bool_, float16, float32, float64, int32, int64
from .tensor import Tensor, _as_array, _plain


def _eq(self, other):
    return False if other is None else A.eq(self, other)


def _ne(self, other):
    return True if other is None else A.ne(self, other)


def _logical(other):
    return other._data if isinstance(other, Tensor) else other


def _rmatmul(self, other):
    return L.matmul(_plain(_as_array(other, None)), self)


_BINDINGS: dict[str, Any] = {
    # arithmetic operators (number or tensor on either side)
    "__add__": A.add,
    "__radd__": A.add,
    "__sub__": A.sub,
    "__rsub__": A.rsub,
    "__mul__": A.mul,
    "__rmul__": A.mul,
    "__truediv__": A.div,
    "__rtruediv__": A.rdiv,
    "__pow__": A.pow,
    "__rpow__": A.rpow,
    "__neg__": U.neg,
    "__pos__": lambda self: self,
    "__matmul__": L.matmul,
    "__rmatmul__": _rmatmul,
    "__abs__": U.abs,
    "__lt__": A.lt,
    "__le__": A.le,
    "__gt__": A.gt,
    "__ge__": A.ge,
    "__eq__": _eq,
    "__ne__": _ne,
    # in-place operators and indexing
    "__iadd__": I.add_,
    "__isub__": I.sub_,
    "__imul__": I.mul_,
    "__itruediv__": I.div_,
    "__getitem__": S.getitem,
    "__setitem__": I.setitem,
    # binary functions
    "add": A.add,
    "sub": A.sub,
    "mul": A.mul,
    "div": A.div,
    "pow": A.pow,
    "atan2": A.atan2,
    "maximum": A.maximum,
    "minimum": A.minimum,
    "where": lambda self, c, o: A.where(c, self, o),
    "lt": A.lt,
    "le": A.le,
    "gt": A.gt,
    "ge": A.ge,
    "eq": A.eq,
    "ne": A.ne,
    # unary functions
    "neg": U.neg,
    "reciprocal": U.reciprocal,
    "exp": U.exp,
    "log": U.log,
    "sqrt": U.sqrt,
    "sin": U.sin,
    "cos": U.cos,
    "tan": U.tan,
    "tanh": U.tanh,
    "sinh": U.sinh,
    "cosh": U.cosh,
    "asin": U.asin,
    "acos": U.acos,
    "atan": U.atan,
    "arcsin": U.asin,
    "arccos": U.acos,
    "arctan": U.atan,
    "abs": U.abs,
    "sigmoid": U.sigmoid,
    "relu": U.relu,
    "clamp": U.clamp,
    "clip": U.clamp,
    # reductions and products
    "sum": R.sum,
    "mean": R.mean,
    "max": R.max,
    "min": R.min,
    "matmul": L.matmul,
    "mm": L.mm,
    "mv": L.matmul,
    "dot": L.dot,
    # shape changes
    "reshape": S.reshape,
    "view": S.view,
    "flatten": S.flatten,
    "squeeze": S.squeeze,
    "unsqueeze": S.unsqueeze,
    "transpose": S.transpose,
    "permute": S.permute,
    "t": S.t,
    "expand": S.expand,
    "clone": S.clone,
    # in-place methods
    "add_": I.add_,
    "sub_": I.sub_,
    "mul_": I.mul_,
    "div_": I.div_,
    "clamp_": I.clamp_,
    "zero_": I.zero_,
    "fill_": I.fill_,
    "copy_": I.copy_,
    **I.UNARY_INPLACE,
    # taking apart and rearranging
    "narrow": P.narrow,
    "select": P.select,
    "chunk": P.chunk,
    "split": P.split,
    "unbind": P.unbind,
    "repeat": P.repeat,
    "flip": P.flip,
    "roll": P.roll,
    "tril": P.tril,
    "triu": P.triu,
    "diag": P.diag,
    # reductions with their own rules, products
    "cumsum": M.cumsum,
    "prod": M.prod,
    "logsumexp": M.logsumexp,
    "softmax": M.softmax,
    "log_softmax": M.log_softmax,
    "norm": M.norm,
    "outer": L.outer,
    "bmm": L.bmm,
    # tests on values
    "all": Q.all,
    "any": Q.any,
    "isclose": Q.isclose,
    "allclose": Q.allclose,
    "isfinite": Q.isfinite,
    "isnan": Q.isnan,
    "isinf": Q.isinf,
    "masked_fill": Q.masked_fill,
    # dtype conversions (to an integer or boolean type: detached)
    "double": lambda self: self.to(float64),
    "float": lambda self: self.to(float32),
    "half": lambda self: self.to(float16),
    "long": lambda self: self.to(int64),
    "int": lambda self: self.to(int32),
    "bool": lambda self: self.to(bool_),
}

_BINDINGS.update(
    {
        "T": property(S.T),
        "mT": property(lambda self: S.transpose(self, -1, -2)),
        "square": lambda self: A.pow(self, 2),
        "expand_as": lambda self, other: S.expand(self, other.shape),
        "view_as": lambda self, other: S.reshape(self, other.shape),
        "reshape_as": lambda self, other: S.reshape(self, other.shape),
        # logical operators on boolean (and integer) tensors: never recorded
        "__and__": lambda self, other: _plain(self._data & _logical(other)),
        "__or__": lambda self, other: _plain(self._data | _logical(other)),
        "__xor__": lambda self, other: _plain(self._data ^ _logical(other)),
        "__invert__": lambda self: _plain(~self._data),
        "logical_not": lambda self: _plain(~self._data.astype(bool)),
        "masked_fill_": lambda self, mask, value: I.copy_(self, Q.masked_fill(self, mask, value)),
    }
)
for _name in ("and", "or", "xor"):
    _BINDINGS[f"__r{_name}__"] = _BINDINGS[f"__{_name}__"]

for _name, _function in _BINDINGS.items():
    setattr(Tensor, _name, _function)
