"""In-place operations: ``add_ sub_ mul_ div_ clamp_ zero_ fill_ copy_``, the
in-place unary functions (``exp_``, ``sqrt_``, ...), ``+=`` and friends, and item
assignment.

Every in-place change bumps the tensor's version counter, which is how a
backward later notices that a value it saved was overwritten.  When the change
must be recorded, the out-of-place operation is applied to a snapshot of the
old value (same graph position, own copy of the data) and the tensor takes
over the result's values and ``grad_fn`` (``views.set_history`` then carries
the change to its base and to every view of the base).  Arithmetic into a
tensor whose elements share memory (an ``expand()``ed one) is refused.
"""

from collections.abc import Callable

import numpy as np

from . import backend as B
from . import ops_arith, ops_unary
from .grad_mode import _state
from .graph import Node, quiet_numpy, restore_numpy
from .ops_shape import normalize_index
from .tensor import Tensor, _as_array, _plain, record
from .views import NO_GRAD_VIEW_MESSAGE, OVERLAP_MESSAGE, overlaps, set_history

_F64 = np.dtype(np.float64)
_LEAF_MESSAGE = "a leaf Variable that requires grad is being used in an in-place operation."
_VIEW_OF_LEAF_MESSAGE = "a view of a leaf Variable that requires grad is being used in an in-place operation."


def _recording(self, other=None):
    """Whether this in-place change must be recorded; raises where PyTorch does (a leaf
    that requires grad, a view of one, a view made under no_grad)."""
    if not _state.enabled:
        return False
    base = self._base
    if base is not None:
        if self._no_grad_view:
            raise RuntimeError(NO_GRAD_VIEW_MESSAGE)
        if base._requires_grad and base._grad_fn is None:
            raise RuntimeError(_VIEW_OF_LEAF_MESSAGE)
    if self._requires_grad:
        if self._grad_fn is None:
            raise RuntimeError(_LEAF_MESSAGE)
        return True
    return isinstance(other, Tensor) and other._requires_grad


def _snapshot(self):
    """The tensor's current value as a separate tensor at the same place in the graph."""
    old = _plain(self._data.copy())
    old._grad_fn = self._grad_fn
    old._output_nr = self._output_nr
    old._requires_grad = self._requires_grad
    return old


def _take_over(self, result):
    data = self._data
    if result._data.shape != data.shape:
        raise RuntimeError(
            f"output with shape [{', '.join(map(str, data.shape))}] doesn't match the broadcast "
            f"shape [{', '.join(map(str, result._data.shape))}]"
        )
    np.copyto(data, result._data, casting="same_kind")
    self._counter[0] += 1
    set_history(self, result._grad_fn, result._output_nr)
    return self


def _binary_inplace(op, ufunc) -> Callable[..., Tensor]:
    def inplace(self, other):
        if self._overlap:
            raise RuntimeError(OVERLAP_MESSAGE)
        if _recording(self, other):
            return _take_over(self, op(_snapshot(self), other))
        other_data = other._data if isinstance(other, Tensor) else other
        data = self._data
        # inf * 0 and overflows give nan and inf without a numpy warning, as in PyTorch
        token = quiet_numpy()
        try:
            if (
                other_data.__class__ is np.ndarray
                and data.dtype is _F64
                and other_data.dtype is _F64
                and data.shape == other_data.shape
            ):
                # Same bits as the call below (float64 both sides, no broadcasting), but
                # numpy's ufunc call with out= costs 0.4 µs more on a small array
                # (the descent update `x -= lr * x.grad`).
                data[...] = ufunc(data, other_data)
            else:
                ufunc(data, other_data, out=data)  # ufuncs default to same_kind casting
        except ValueError:
            shape = np.broadcast_shapes(data.shape, np.shape(other_data))
            raise RuntimeError(
                f"output with shape [{', '.join(map(str, data.shape))}] doesn't match the "
                f"broadcast shape [{', '.join(map(str, shape))}]"
            ) from None
        finally:
            restore_numpy(token)
        self._counter[0] += 1
        return self

    return inplace


add_: Callable[..., Tensor] = _binary_inplace(ops_arith.add, np.add)
sub_: Callable[..., Tensor] = _binary_inplace(ops_arith.sub, np.subtract)
mul_: Callable[..., Tensor] = _binary_inplace(ops_arith.mul, np.multiply)
div_: Callable[..., Tensor] = _binary_inplace(ops_arith.div, np.true_divide)


def _unary_inplace(op) -> Callable[..., Tensor]:
    """In-place form of the elementwise ``op`` (``exp_``, ``sqrt_``, ...): recorded as ``op``
    on the old value when needed, else computed straight into the tensor's memory."""

    def inplace(self, *args):
        if self._overlap:
            raise RuntimeError(OVERLAP_MESSAGE)
        if _recording(self):
            return _take_over(self, op(_snapshot(self), *args))
        np.copyto(self._data, op(_plain(self._data), *args)._data, casting="same_kind")
        self._counter[0] += 1
        return self

    inplace.__name__ = op.__name__ + "_"
    inplace.__doc__ = f"In-place {op.__name__}: changes the tensor and returns it."
    return inplace


UNARY_INPLACE: dict[str, Callable[..., Tensor]] = {
    name + "_": _unary_inplace(op)
    for name, op in [
        ("exp", ops_unary.exp),
        ("log", ops_unary.log),
        ("sqrt", ops_unary.sqrt),
        ("neg", ops_unary.neg),
        ("reciprocal", ops_unary.reciprocal),
        ("sin", ops_unary.sin),
        ("cos", ops_unary.cos),
        ("tan", ops_unary.tan),
        ("tanh", ops_unary.tanh),
        ("sinh", ops_unary.sinh),
        ("cosh", ops_unary.cosh),
        ("asin", ops_unary.asin),
        ("acos", ops_unary.acos),
        ("atan", ops_unary.atan),
        ("sigmoid", ops_unary.sigmoid),
        ("abs", ops_unary.abs),
        ("relu", ops_unary.relu),
        ("pow", ops_arith.pow),
        ("square", lambda x: ops_arith.pow(x, 2)),
    ]
}
UNARY_INPLACE["square_"].__name__ = "square_"


def clamp_(self, min=None, max=None):
    """In-place clamp to [min, max]."""
    if self._overlap:
        raise RuntimeError(OVERLAP_MESSAGE)
    if _recording(self):
        return _take_over(self, ops_unary.clamp(_snapshot(self), min, max))
    lo = -np.inf if min is None else min
    hi = np.inf if max is None else max
    np.clip(self._data, lo, hi, out=self._data)
    self._counter[0] += 1
    return self


class ZeroBackward0(Node):
    __slots__ = ()

    def backward(self, grad):
        return (grad * 0,)


class FillBackward2(Node):
    __slots__ = ()

    def backward(self, grad):
        return (grad * 0, None)


class CopyBackwards(Node):
    __slots__ = ("_meta",)  # (shape, dtype) of the source

    def backward(self, grad):
        shape, dtype = self._meta
        grad_src = None
        if self._next[1][0] is not None:
            grad_src = B.cast(B.unbroadcast(grad, shape), dtype)
        return (grad * 0, grad_src)


class CopySlices(Node):
    __slots__ = ("_meta",)  # (index, kept-mask ndarray, shape and dtype of the value)

    def backward(self, grad):
        index, kept, shape, dtype = self._meta
        grad_value = None
        if self._next[1][0] is not None:
            grad_value = B.cast(B.unbroadcast(grad[index], shape), dtype)
        return (grad * kept, grad_value)


def _overwrite(self, cls, new_data, source=None, meta=None):
    """Replace the values of ``self`` (recording a node whose old-self gradient is zero)."""
    if _recording(self, source):
        old = _snapshot(self)
        result = record(cls, new_data, (old, source) if cls is not ZeroBackward0 else (old,))
        if meta is not None and result._grad_fn is not None:
            result._grad_fn._meta = meta
        return _take_over(self, result)
    data = self._data
    if not data.flags.writeable:  # e.g. a gradient that is a broadcast view
        self._data = data = data.copy()
    np.copyto(data, new_data, casting="unsafe")
    self._counter[0] += 1
    return self


def zero_(self):
    """Set every element to 0."""
    if _state.enabled and self._requires_grad:
        return _overwrite(self, ZeroBackward0, np.zeros_like(self._data))
    try:
        self._data.fill(0)
    except ValueError:  # read-only, e.g. a gradient that is a broadcast view
        self._data = np.zeros_like(self._data)
    self._counter[0] += 1
    return self


def fill_(self, value):
    """Set every element to ``value`` (a number or one-element tensor)."""
    number = value._data if isinstance(value, Tensor) else value
    return _overwrite(self, FillBackward2, np.full_like(self._data, number), value)


def copy_(self, src):
    """Copy ``src`` (broadcast to self's shape) into self; self keeps its dtype."""
    if self._overlap:
        raise RuntimeError(OVERLAP_MESSAGE)
    src = src if isinstance(src, Tensor) else _plain(_as_array(src, None))
    new = np.broadcast_to(src._data, self._data.shape).astype(self._data.dtype)
    return _overwrite(self, CopyBackwards, new, src, (src._data.shape, src._data.dtype))


def setitem(self, index, value):
    """``self[index] = value``: in place, recorded as CopySlices when needed."""
    index, _ = normalize_index(index)
    if _state.enabled and self._requires_grad and self._grad_fn is None:
        raise RuntimeError(_VIEW_OF_LEAF_MESSAGE)
    if self._overlap and overlaps(self._data[index]):
        raise RuntimeError(OVERLAP_MESSAGE)
    if not isinstance(value, Tensor) and not isinstance(value, (int, float)):
        value = _plain(_as_array(value, None))
    if _recording(self, value):
        old = _snapshot(self)
        new = old._data.copy()
        new[index] = value._data if isinstance(value, Tensor) else value
        kept = np.ones(self._data.shape, dtype=self._data.dtype)
        kept[index] = 0
        if isinstance(value, Tensor):
            meta = (index, kept, value._data.shape, value._data.dtype)
        else:
            meta = (index, kept, (), np.dtype(np.float64))
        result = record(CopySlices, new, (old, value))
        if result._grad_fn is not None:
            result._grad_fn._meta = meta
        return _take_over(self, result)
    self._data[index] = value._data if isinstance(value, Tensor) else value
    self._counter[0] += 1
    return self
