"""Tests on values (all, any, isclose, allclose, isfinite, isnan, isinf) whose
results are boolean and never recorded, and ``masked_fill``, which is."""

import numpy as np

from . import backend as B
from .graph import Node
from .ops_reduce import _dims
from .tensor import Tensor, _as_array, _plain, record
from .tensor import with_meta as _with_meta
from .tensor_checks import c_type_name


def _array(value):
    return value._data if isinstance(value, Tensor) else _as_array(value, None)


def all(input, dim=None, keepdim=False):
    """True where every element (along ``dim``) is nonzero: a bool tensor."""
    data = input._data
    axis = None if dim is None else _dims(dim, data.ndim)
    return _plain(np.all(data, axis=axis, keepdims=keepdim and dim is not None))


def any(input, dim=None, keepdim=False):
    """True where some element (along ``dim``) is nonzero: a bool tensor."""
    data = input._data
    axis = None if dim is None else _dims(dim, data.ndim)
    return _plain(np.any(data, axis=axis, keepdims=keepdim and dim is not None))


def isclose(input, other, rtol=1e-05, atol=1e-08, equal_nan=False):
    """Elementwise |input - other| <= atol + rtol * |other| (a bool tensor)."""
    return _plain(np.isclose(input._data, _array(other), rtol=rtol, atol=atol, equal_nan=equal_nan))


def allclose(input, other, rtol=1e-05, atol=1e-08, equal_nan=False):
    """True if ``isclose`` holds everywhere (a Python bool)."""
    return bool(np.all(np.isclose(input._data, _array(other), rtol=rtol, atol=atol, equal_nan=equal_nan)))


def isfinite(input):
    """Elementwise: neither inf nor nan (bool, same shape).  isfinite(tensor([1., inf])) -> [True, False]."""
    return _plain(np.isfinite(input._data))


def isnan(input):
    """Elementwise: is nan (bool, same shape)."""
    return _plain(np.isnan(input._data))


def isinf(input):
    """Elementwise: is +inf or -inf (bool, same shape)."""
    return _plain(np.isinf(input._data))


class MaskedFillBackward0(Node):
    __slots__ = ("_meta",)  # (mask broadcast to the output, shape of input)

    def backward(self, grad):
        mask, shape = self._meta
        grad_input = B.unbroadcast(B.where(mask, 0.0, grad), shape) if self._next[0][0] is not None else None
        grad_value = None
        if self._next[1][0] is not None:
            grad_value = B.sum_dims(B.where(mask, grad, 0.0), tuple(range(len(mask.shape))), False)
        return (grad_input, grad_value)


def masked_fill(input, mask, value):
    """``input`` with ``value`` where the boolean ``mask`` (broadcast to input) is True.
    ``value``: a number or a 0-d tensor (which then receives the gradient of the filled places)."""
    mask = _array(mask)
    if mask.dtype != np.bool_:
        raise RuntimeError(
            f"masked_fill_ only supports boolean masks, but got mask with dtype {c_type_name(mask.dtype)}"
        )
    if isinstance(value, Tensor) and value._data.ndim != 0:
        raise RuntimeError(
            "masked_fill_ only supports a 0-dimensional value tensor, but got tensor with "
            f"{value._data.ndim} dimension(s)."
        )
    data = input._data
    mask = np.broadcast_to(mask, data.shape)
    filled = np.where(mask, value._data if isinstance(value, Tensor) else value, data).astype(data.dtype)
    out = record(MaskedFillBackward0, filled, (input, value))
    return _with_meta(out, (mask, data.shape))
