"""Reductions with their own rules: cumsum, prod, logsumexp, softmax,
log_softmax, norm (vector p-norms and the Frobenius norm).

The rules are written in operators and ``backend`` helpers, so they also hold
under ``create_graph`` (checked by gradgradcheck), except where noted.
"""

import builtins
import math

import numpy as np

from . import backend as B
from .graph import Node, ResultNode, quiet_numpy, restore_numpy
from .ops_reduce import _dims
from .tensor import record
from .tensor import with_meta as _with_meta


def _keep(grad, shape, dims, keepdim):
    """``grad`` of a reduction over ``dims`` reshaped to broadcast against the input."""
    if keepdim:
        return grad
    return grad.reshape(tuple(1 if i in dims else n for i, n in enumerate(shape)))


def _single_dim(dim, ndim):
    (dim,) = _dims(dim, ndim)
    return dim


# ***** cumsum *****
class CumsumBackward0(Node):
    __slots__ = ("_meta",)  # dim

    def backward(self, grad):
        dim = self._meta
        if B._is_tensor(grad):  # reversed cumulative sum: flip, cumsum, flip
            return (grad.flip(dim).cumsum(dim).flip(dim),)
        return (np.flip(np.cumsum(np.flip(grad, dim), dim), dim),)


def cumsum(input, dim, dtype=None):
    """Running sums along ``dim``: out[..., i, ...] = sum of input[..., :i+1, ...]."""
    data = input._data
    dim = _single_dim(dim, data.ndim)
    if dtype is not None:
        from .dtypes import to_numpy_dtype

        data = data.astype(to_numpy_dtype(dtype))
    elif data.dtype.kind in "bui":
        data = data.astype(np.int64)
    with np.errstate(over="ignore", invalid="ignore"):  # inf or nan, silently as in PyTorch
        value = np.cumsum(data, axis=dim) if data.ndim else data.copy()
    return _with_meta(record(CumsumBackward0, value, (input,)), dim)


# ***** prod *****
class ProdBackward0(ResultNode):
    __slots__ = ("_meta",)  # (input shape, dims, keepdim)

    def backward(self, grad, self_, result):
        shape, dims, keepdim = self._meta
        grad = _keep(grad, shape, dims, keepdim)
        result = _keep(result, shape, dims, keepdim)
        data = self_._data if B._is_tensor(self_) else self_
        if not (data == 0).any():
            return (grad * result / self_,)
        # A zero factor: the product of the other factors, computed directly (not differentiated
        # again: the second derivative through this branch is not recorded).
        others = _product_of_others(data, dims)
        return (grad * others,)


def _product_of_others(data, dims):
    """For each element, the product of the others in its reduction group."""
    moved = np.moveaxis(data, dims, tuple(range(-len(dims), 0)))
    flat = moved.reshape(moved.shape[: moved.ndim - len(dims)] + (-1,))
    left = np.cumprod(np.concatenate([np.ones(flat.shape[:-1] + (1,)), flat[..., :-1]], -1), -1)
    right = np.flip(
        np.cumprod(np.concatenate([np.ones(flat.shape[:-1] + (1,)), np.flip(flat, -1)[..., :-1]], -1), -1), -1
    )
    return np.moveaxis((left * right).reshape(moved.shape), tuple(range(-len(dims), 0)), dims)


ProdBackward1 = type("ProdBackward1", (ProdBackward0,), {"__slots__": ()})  # prod along a dim


def prod(input, dim=None, keepdim=False, dtype=None):
    """Product of all elements (0-d), or along ``dim``."""
    data = input._data
    if dtype is None and data.dtype.kind in "bui":
        data = data.astype(np.int64)
    dims = _dims(dim, data.ndim)
    with np.errstate(over="ignore", invalid="ignore", under="ignore"):  # inf or nan, silently as in PyTorch
        value = np.prod(data, axis=dims if dim is not None else None, keepdims=keepdim and dim is not None)
    out = record(ProdBackward0 if dim is None else ProdBackward1, value, (input,), (input,))
    return _with_meta(out, (data.shape, dims, keepdim and dim is not None))


# ***** logsumexp, softmax, log_softmax *****
class LogsumexpBackward0(ResultNode):
    __slots__ = ("_meta",)  # (input shape, dims, keepdim)

    def backward(self, grad, self_, result):
        shape, dims, keepdim = self._meta
        return (_keep(grad, shape, dims, keepdim) * B.exp(self_ - _keep(result, shape, dims, keepdim)),)


def logsumexp(input, dim, keepdim=False):
    """log(sum(exp(input))) along ``dim``, computed without overflow."""
    data = input._data
    dims = _dims(dim, data.ndim)
    peak = np.max(data, axis=dims, keepdims=True) if data.size else np.zeros((1,) * data.ndim)
    peak = np.where(np.isfinite(peak), peak, 0.0)
    token = quiet_numpy()
    try:
        value = np.log(np.sum(np.exp(data - peak), axis=dims, keepdims=True)) + peak
    finally:
        restore_numpy(token)
    if not keepdim:
        value = np.squeeze(value, dims)
    out = record(LogsumexpBackward0, value, (input,), (input,))
    return _with_meta(out, (data.shape, dims, keepdim))


class SoftmaxBackward0(ResultNode):
    __slots__ = ("_meta",)  # dim

    def backward(self, grad, result):
        dim = self._meta
        return (result * (grad - B.sum_dims(grad * result, (dim,), True)),)


class LogSoftmaxBackward0(ResultNode):
    __slots__ = ("_meta",)

    def backward(self, grad, result):
        dim = self._meta
        return (grad - B.exp(result) * B.sum_dims(grad, (dim,), True),)


def _shifted(data, dim):
    peak = np.max(data, axis=dim, keepdims=True) if data.size else 0.0
    return data - np.where(np.isfinite(peak), peak, 0.0)


def softmax(input, dim, dtype=None):
    """exp(input) / sum(exp(input)) along ``dim``: each slice sums to 1."""
    data = input._data if dtype is None else input.to(dtype)._data
    dim = _single_dim(dim, data.ndim)
    with np.errstate(all="ignore"):  # an inf entry gives nan, silently as in PyTorch
        exp = np.exp(_shifted(data, dim))
        value = exp / np.sum(exp, axis=dim, keepdims=True)
    return _with_meta(record(SoftmaxBackward0, value, (input,)), dim)


def log_softmax(input, dim, dtype=None):
    """log(softmax(input)) along ``dim``, computed stably."""
    data = input._data if dtype is None else input.to(dtype)._data
    dim = _single_dim(dim, data.ndim)
    with np.errstate(all="ignore"):  # an inf entry gives nan, silently as in PyTorch
        shifted = _shifted(data, dim)
        value = shifted - np.log(np.sum(np.exp(shifted), axis=dim, keepdims=True))
    return _with_meta(record(LogSoftmaxBackward0, value, (input,)), dim)


# ***** norms *****
class LinalgVectorNormBackward0(ResultNode):
    __slots__ = ("_meta",)  # (p, input shape, dims, keepdim)

    def backward(self, grad, self_, result):
        p, shape, dims, keepdim = self._meta
        grad = _keep(grad, shape, dims, keepdim)
        norm = _keep(result, shape, dims, keepdim)
        norm_data = norm._data if B._is_tensor(norm) else norm
        zero = np.broadcast_to(norm_data == 0, shape)
        if p == 2:  # x / |x|, 0 where the norm is 0 (PyTorch's choice at the kink)
            return (self_ * B.where(zero, 0.0, grad / norm),)
        if p == 1:
            data = self_._data if B._is_tensor(self_) else self_
            return (grad * np.sign(data),)
        if p in (math.inf, -math.inf):  # shared equally among the extreme entries
            data = self_._data if B._is_tensor(self_) else self_
            hit = (np.abs(data) == norm_data).astype(data.dtype)
            share = np.sign(data) * hit / B.sum_dims(hit, dims, True)
            return (grad * share,)
        if p == 0:
            return (grad * 0,)
        # general p: x |x|^(p-2) / |x|_p^(p-1)
        return (B.where(zero, 0.0, grad * self_ * B.abs(self_) ** (p - 2) / norm ** (p - 1)),)


def norm(input, p="fro", dim=None, keepdim=False, dtype=None):
    """Vector p-norm over all elements or ``dim`` (p = 2 and "fro" alike; 1, inf, -inf, 0,
    any other number).  Example: norm(tensor([3., 4.])) -> tensor(5.)."""
    data = input._data if dtype is None else input.to(dtype)._data
    if p == "fro" or p is None:
        p = 2
    if isinstance(p, str):
        raise RuntimeError(f"norm(): p={p!r} is not supported by gradcli (only numeric p and 'fro')")
    if data.dtype.kind != "f":
        raise RuntimeError(
            f"linalg.vector_norm: Expected a floating point or complex tensor as input. Got {_name(data)}"
        )
    dims = _dims(dim, data.ndim)
    absolute = np.abs(data)
    token = quiet_numpy()
    try:
        if p == math.inf:
            value = np.max(absolute, axis=dims, keepdims=keepdim) if data.size else np.zeros(())
        elif p == -math.inf:
            value = np.min(absolute, axis=dims, keepdims=keepdim)
        elif p == 0:
            value = np.sum(absolute != 0, axis=dims, keepdims=keepdim).astype(data.dtype)
        elif p == 2:
            value = np.sqrt(np.sum(absolute * absolute, axis=dims, keepdims=keepdim))
        elif p == 1:
            value = np.sum(absolute, axis=dims, keepdims=keepdim)
        else:
            value = np.sum(absolute**p, axis=dims, keepdims=keepdim) ** (1.0 / p)
    finally:
        restore_numpy(token)
    out = record(LinalgVectorNormBackward0, np.asarray(value, dtype=data.dtype), (input,), (input,))
    return _with_meta(out, (p, data.shape, dims, keepdim))


def _name(data):
    from .dtypes import from_numpy_dtype

    return builtins.repr(from_numpy_dtype(data.dtype)).replace("gradcli.", "")
