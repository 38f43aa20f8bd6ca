"""Reductions: sum, mean, max, min (over everything or along dims) and their
derivative rules; ``max``/``min`` with ``dim`` return ``(values, indices)``."""

import builtins
import warnings

import numpy as np

from . import backend as B
from .dtypes import legacy_type_name
from .graph import Node, quiet_numpy, restore_numpy
from .tensor import Tensor, _plain, record
from .tensor import with_meta as _with_meta


def _dims(dim, ndim):
    """Normalise ``dim`` (int, sequence or None) to a sorted tuple of axes."""
    if dim is None:
        return tuple(range(ndim))
    if isinstance(dim, int):
        dim = (dim,)
    axes = []
    for d in dim:
        if not -builtins.max(ndim, 1) <= d < builtins.max(ndim, 1):
            raise IndexError(
                f"Dimension out of range (expected to be in range of [{-builtins.max(ndim, 1)}, "
                f"{builtins.max(ndim, 1) - 1}], but got {d})"
            )
        axes.append(d % ndim if ndim else 0)
    return tuple(sorted(axes))


class SumBackward0(Node):
    __slots__ = ("_meta",)  # input shape

    def backward(self, grad):
        return (B.expand(grad, self._meta),)


class SumBackward1(Node):
    __slots__ = ("_meta",)  # (input shape, dims, keepdim)

    def backward(self, grad):
        shape, dims, keepdim = self._meta
        if not keepdim:
            grad = grad.reshape(tuple(1 if i in dims else n for i, n in enumerate(shape)))
        return (B.expand(grad, shape),)


class MeanBackward0(Node):
    __slots__ = ("_meta",)

    def backward(self, grad):
        shape = self._meta
        return (B.expand(grad / builtins.max(int(np.prod(shape)), 1), shape),)


class MeanBackward1(Node):
    __slots__ = ("_meta",)

    def backward(self, grad):
        shape, dims, keepdim = self._meta
        count = int(np.prod([shape[d] for d in dims]))
        if not keepdim:
            grad = grad.reshape(tuple(1 if i in dims else n for i, n in enumerate(shape)))
        return (B.expand(grad / count, shape),)


def sum(input, dim=None, keepdim=False, dtype=None):
    """Sum of all elements (0-d result) or over ``dim`` (int or tuple), keeping dims if asked.

    Example: x shape (2, 3) -> x.sum() shape (), x.sum(0) shape (3,), x.sum(1, keepdim=True) (2, 1).
    """
    data = input._data
    if dtype is not None:
        from .dtypes import to_numpy_dtype

        data = data.astype(to_numpy_dtype(dtype))
    elif data.dtype.kind in "bui":
        data = data.astype(np.int64)
    dims = None if dim is None else _dims(dim, data.ndim)
    # A sum past the largest float is inf, silently as in PyTorch.
    token = quiet_numpy()
    try:
        total = data.sum() if dims is None else data.sum(axis=dims, keepdims=keepdim)
    finally:
        restore_numpy(token)
    if dims is None:
        return _with_meta(record(SumBackward0, total, (input,)), data.shape)
    out = record(SumBackward1, total, (input,))
    return _with_meta(out, (data.shape, dims, keepdim))


def mean(input, dim=None, keepdim=False, dtype=None):
    """Mean of all elements, or over ``dim`` (int or tuple); floating tensors only."""
    data = input._data
    if data.dtype.kind != "f":
        raise RuntimeError(
            "mean(): could not infer output dtype. Input dtype must be either a floating point "
            f"or complex dtype. Got: {legacy_type_name(data.dtype).removeprefix('gradcli.').removesuffix('Tensor')}"
        )
    dims = None if dim is None else _dims(dim, data.ndim)
    if data.size == 0:  # nan, as in PyTorch, without numpy's "Mean of empty slice" warning
        with warnings.catch_warnings(), np.errstate(all="ignore"):
            warnings.simplefilter("ignore", RuntimeWarning)
            value = data.mean(axis=dims, keepdims=keepdim)
    else:
        with np.errstate(over="ignore", invalid="ignore"):  # inf or nan, silently as in PyTorch
            value = data.mean(axis=dims, keepdims=keepdim)
    if dim is None:
        return _with_meta(record(MeanBackward0, value, (input,)), data.shape)
    out = record(MeanBackward1, value, (input,))
    return _with_meta(out, (data.shape, dims, keepdim))


class MaxBackward1(Node):
    __slots__ = ("_meta",)  # mask of the extreme elements / their count (ties share)

    def backward(self, grad):
        return (grad * self._meta,)


MinBackward1 = type("MinBackward1", (MaxBackward1,), {"__slots__": ()})


class MaxBackward0(Node):
    __slots__ = ("_meta",)  # (input shape, dim, keepdim, indices with keepdim)

    def backward(self, grad):
        shape, dim, keepdim, indices = self._meta
        if not keepdim:
            grad = grad.reshape(indices.shape)
        index = tuple(
            indices if axis == dim else np.arange(n).reshape([-1 if a == axis else 1 for a in range(len(shape))])
            for axis, n in enumerate(indices.shape)
        )
        return (B.index_scatter(grad, shape, index),)


MinBackward0 = type("MinBackward0", (MaxBackward0,), {"__slots__": ()})


class _ValuesIndices(tuple):
    """(values, indices) as returned by ``max(dim=...)``: also ``.values``, ``.indices``."""

    name: str  # "max" or "min", for the repr
    values = property(lambda self: self[0])
    indices = property(lambda self: self[1])

    def __repr__(self):
        return f"gradcli.return_types.{self.name}(\nvalues={self[0]!r},\nindices={self[1]!r})"


def _extreme(input, dim, keepdim, reduce, arg, full_cls, dim_cls):
    data = input._data
    if dim is None:
        value = reduce(data)
        out = record(full_cls, value, (input,))
        if out._grad_fn is not None:
            mask = (data == value).astype(data.dtype)
            out._grad_fn._meta = mask / mask.sum()
        return out
    dim = dim % builtins.max(data.ndim, 1)
    indices = np.expand_dims(arg(data, axis=dim), dim)
    values = np.take_along_axis(data, indices, axis=dim)
    out = record(dim_cls, values if keepdim else np.squeeze(values, dim), (input,))
    _with_meta(out, (data.shape, dim, keepdim, indices))
    result = _ValuesIndices((out, _plain(indices if keepdim else np.squeeze(indices, dim))))
    result.name = "max" if dim_cls is MaxBackward0 else "min"
    return result


def max(input, dim=None, keepdim=False):
    """Largest element (0-d), or ``(values, indices)`` along ``dim``; ties share the gradient."""
    if isinstance(dim, Tensor):
        from .ops_arith import maximum

        return maximum(input, dim)
    return _extreme(input, dim, keepdim, np.max, np.argmax, MaxBackward1, MaxBackward0)


def min(input, dim=None, keepdim=False):
    """Smallest element (0-d), or ``(values, indices)`` along ``dim``."""
    if isinstance(dim, Tensor):
        from .ops_arith import minimum

        return minimum(input, dim)
    return _extreme(input, dim, keepdim, np.min, np.argmin, MinBackward1, MinBackward0)
