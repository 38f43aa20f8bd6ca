"""Tensor factories: tensor, zeros, ones, *_like, full, arange, linspace, eye.

Floating results are float64 (gradcli's default dtype); ``arange`` with only
integer arguments gives int64, as in PyTorch.
"""

import numpy as np

from .dtypes import to_numpy_dtype
from .tensor import Tensor, _as_array, _plain


def tensor(data, requires_grad=False, dtype=None):
    """A new leaf tensor holding a copy of ``data`` (number, nested list, array, Tensor).

    Floating data is float64 unless ``dtype`` says otherwise; integers are int64.

    Example::

        >>> import gradcli as torch
        >>> torch.tensor([2.0], requires_grad=True)
        tensor([2.], requires_grad=True)
    """
    np_dtype = to_numpy_dtype(dtype) if dtype is not None else None
    array = np.array(_as_array(data, np_dtype), copy=True)
    if requires_grad and array.dtype.kind != "f":
        raise RuntimeError("Only Tensors of floating point and complex dtype can require gradients")
    return Tensor(array, requires_grad=bool(requires_grad))


def _sizes(size):
    if len(size) == 1 and isinstance(size[0], (tuple, list)):
        return tuple(size[0])
    return tuple(size)


def _leaf(data, requires_grad):
    if requires_grad and data.dtype.kind != "f":
        raise RuntimeError("Only Tensors of floating point and complex dtype can require gradients")
    out = _plain(data)
    out._requires_grad = bool(requires_grad)
    return out


def _dtype(dtype, default=np.float64):
    return to_numpy_dtype(dtype) if dtype is not None else np.dtype(default)


def zeros(*size, dtype=None, requires_grad=False):
    """Tensor of zeros: ``zeros(2, 3)`` or ``zeros((2, 3))`` -> shape (2, 3)."""
    return _leaf(np.zeros(_sizes(size), dtype=_dtype(dtype)), requires_grad)


def ones(*size, dtype=None, requires_grad=False):
    """Tensor of ones: ``ones(3)`` -> tensor([1., 1., 1.])."""
    return _leaf(np.ones(_sizes(size), dtype=_dtype(dtype)), requires_grad)


def _fill_dtype(fill_value):
    # PyTorch infers full()'s dtype from the value: bool, int64, or the default float64
    if isinstance(fill_value, bool):
        return np.bool_
    if isinstance(fill_value, (int, np.integer)):
        return np.int64
    return np.float64


def full(size, fill_value, dtype=None, requires_grad=False):
    """Tensor of shape ``size`` filled with ``fill_value`` (dtype from the value unless given).

    Example: full((2,), 1.5) -> tensor([1.5000, 1.5000]); full((2,), 3) -> int64.
    """
    return _leaf(np.full(_sizes((size,)), fill_value, dtype=_dtype(dtype, _fill_dtype(fill_value))), requires_grad)


def empty(*size, dtype=None, requires_grad=False):
    """Tensor of the given shape with unspecified values (numpy's empty)."""
    return _leaf(np.empty(_sizes(size), dtype=_dtype(dtype)), requires_grad)


def empty_like(input, dtype=None, requires_grad=False):
    """Unspecified values with the shape (and dtype, unless given) of ``input``."""
    return _leaf(np.empty(input.shape, dtype=_dtype(dtype, input._data.dtype)), requires_grad)


def eye(n, m=None, dtype=None, requires_grad=False):
    """Identity matrix of shape (n, m or n)."""
    return _leaf(np.eye(n, m, dtype=_dtype(dtype)), requires_grad)


def zeros_like(input, dtype=None, requires_grad=False):
    """Zeros with the shape (and dtype, unless given) of ``input``."""
    return _leaf(np.zeros(input.shape, dtype=_dtype(dtype, input._data.dtype)), requires_grad)


def ones_like(input, dtype=None, requires_grad=False):
    """Ones with the shape (and dtype, unless given) of ``input``."""
    return _leaf(np.ones(input.shape, dtype=_dtype(dtype, input._data.dtype)), requires_grad)


def full_like(input, fill_value, dtype=None, requires_grad=False):
    return _leaf(np.full(input.shape, fill_value, dtype=_dtype(dtype, input._data.dtype)), requires_grad)


def arange(start, end=None, step=1, dtype=None, requires_grad=False):
    """Values start, start+step, ... below end: ``arange(5)`` -> tensor([0, 1, 2, 3, 4]) (int64);
    ``arange(0, 1, 0.25)`` -> tensor([0.0000, 0.2500, 0.5000, 0.7500])."""
    if end is None:
        start, end = 0, start
    if step == 0:
        raise RuntimeError("step must be nonzero")
    if (end - start) * step < 0:
        raise RuntimeError("upper bound and lower bound inconsistent with step sign")
    values = (start, end, step)
    if dtype is None:
        integral = all(isinstance(v, (int, np.integer)) and not isinstance(v, bool) for v in values)
        dtype = np.int64 if integral else np.float64
    return _leaf(np.arange(start, end, step, dtype=_dtype(dtype)), requires_grad)


def linspace(start, end, steps, dtype=None, requires_grad=False):
    """``steps`` evenly spaced values from start to end inclusive: linspace(0, 1, 5) shape (5,)."""
    return _leaf(np.linspace(start, end, steps, dtype=_dtype(dtype)), requires_grad)


def from_numpy(array):
    """A tensor sharing memory with the numpy ``array``."""
    return Tensor(np.asarray(array))
