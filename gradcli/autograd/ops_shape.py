"""Reductions, shape changes, indexing, joining and matrix products.

Same pattern as ops_math: forward on numpy, one node class per operation with
its rule in operators and ``backend`` helpers.  View-like results (reshape,
transpose, basic indexing) share memory and the version counter with their
input, as in PyTorch.
"""

import builtins

import numpy as np

from . import backend as B
from .graph import Node
from .tensor import Size, Tensor, _as_array, _plain, record


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


def _mark_view(out, input, view_fn):
    """Record that ``out`` is a view of ``input``'s memory: they share the version
    counter, and ``out`` remembers its base tensor and how to recreate itself from
    it (``view_fn``: Tensor -> Tensor), so an in-place change of ``out`` can be
    recorded on the base too (see ops_inplace)."""
    if not np.may_share_memory(out._data, input._data):
        return out  # numpy had to copy: not a view
    out._counter = input._counter
    base = input._base
    if base is None:
        out._base, out._view_fn = input, view_fn
    else:
        parent_fn = input._view_fn
        out._base = base
        out._view_fn = lambda tensor: view_fn(parent_fn(tensor))
    return out


def _with_meta(out, meta):
    if out._grad_fn is not None:
        out._grad_fn._meta = meta
    return out


# ***** reductions *****
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
    if dim is None:
        return _with_meta(record(SumBackward0, data.sum(), (input,)), data.shape)
    dims = _dims(dim, data.ndim)
    out = record(SumBackward1, data.sum(axis=dims, keepdims=keepdim), (input,))
    return _with_meta(out, (data.shape, dims, keepdim))


def mean(input, dim=None, keepdim=False, dtype=None):
    """Mean of all elements, or over ``dim`` (int or tuple); floating tensors only."""
    data = input._data
    if data.dtype.kind != "f":
        raise RuntimeError(
            "mean(): could not infer output dtype. Input dtype must be either a floating point "
            f"or complex dtype. Got: {str(data.dtype).capitalize()}"
        )
    if dim is None:
        return _with_meta(record(MeanBackward0, data.mean(), (input,)), data.shape)
    dims = _dims(dim, data.ndim)
    out = record(MeanBackward1, data.mean(axis=dims, keepdims=keepdim), (input,))
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

    values = property(lambda self: self[0])
    indices = property(lambda self: self[1])


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
    return _ValuesIndices((out, _plain(indices if keepdim else np.squeeze(indices, dim))))


def max(input, dim=None, keepdim=False):
    """Largest element (0-d), or ``(values, indices)`` along ``dim``; ties share the gradient."""
    if isinstance(dim, Tensor):
        from .ops_math import maximum

        return maximum(input, dim)
    return _extreme(input, dim, keepdim, np.max, np.argmax, MaxBackward1, MaxBackward0)


def min(input, dim=None, keepdim=False):
    """Smallest element (0-d), or ``(values, indices)`` along ``dim``."""
    if isinstance(dim, Tensor):
        from .ops_math import minimum

        return minimum(input, dim)
    return _extreme(input, dim, keepdim, np.min, np.argmin, MinBackward1, MinBackward0)


# ***** shape changes *****
class ViewBackward0(Node):
    __slots__ = ("_meta",)  # input shape

    def backward(self, grad):
        return (grad.reshape(self._meta),)


class TransposeBackward0(Node):
    __slots__ = ("_meta",)  # (dim0, dim1)

    def backward(self, grad):
        return (B.transpose(grad, *self._meta),)


class PermuteBackward0(Node):
    __slots__ = ("_meta",)  # inverse permutation

    def backward(self, grad):
        return (B.permute(grad, self._meta),)


class ExpandBackward0(Node):
    __slots__ = ("_meta",)  # input shape

    def backward(self, grad):
        return (B.unbroadcast(grad, self._meta),)


class TBackward0(Node):
    __slots__ = ()

    def backward(self, grad):
        return (grad.t(),) if isinstance(grad, Tensor) else (grad.T,)


class CloneBackward0(Node):
    __slots__ = ()

    def backward(self, grad):
        return (grad,)


UnsqueezeBackward0 = type("UnsqueezeBackward0", (ViewBackward0,), {"__slots__": ()})
SqueezeBackward0 = type("SqueezeBackward0", (ViewBackward0,), {"__slots__": ()})
SqueezeBackward1 = type("SqueezeBackward1", (ViewBackward0,), {"__slots__": ()})


def _shape_args(shape):
    if len(shape) == 1 and isinstance(shape[0], (tuple, list, Size)):
        return tuple(shape[0])
    return tuple(shape)


def _view_as(cls, input, data):
    shape = data.shape
    out = _mark_view(record(cls, data, (input,)), input, lambda tensor: reshape(tensor, shape))
    return _with_meta(out, input._data.shape)


def reshape(input, *shape):
    """The same elements in a new shape (one entry may be -1); a view when possible.

    Example: tensor of shape (6,) -> x.reshape(2, 3) or x.reshape((2, -1)) shape (2, 3).
    """
    shape = _shape_args(shape)
    data = input._data
    try:
        new = data.reshape(shape)
    except ValueError:
        raise RuntimeError(
            f"shape '[{', '.join(map(str, shape))}]' is invalid for input of size {data.size}"
        ) from None
    return _view_as(ViewBackward0, input, new)


view = reshape


def flatten(input):
    return reshape(input, -1)


def unsqueeze(input, dim):
    """Insert a size-1 axis at ``dim``."""
    return _view_as(UnsqueezeBackward0, input, np.expand_dims(input._data, dim))


def squeeze(input, dim=None):
    """Remove size-1 axes (all, or only ``dim`` if it has size 1)."""
    data = input._data
    if dim is None:
        return _view_as(SqueezeBackward0, input, np.squeeze(data))
    dim = dim % builtins.max(data.ndim, 1)
    new = np.squeeze(data, dim) if data.ndim and data.shape[dim] == 1 else data.view()
    return _view_as(SqueezeBackward1, input, new)


def transpose(input, dim0, dim1):
    """Swap axes ``dim0`` and ``dim1`` (a view)."""
    out = record(TransposeBackward0, np.swapaxes(input._data, dim0, dim1), (input,))
    _mark_view(out, input, lambda tensor: transpose(tensor, dim0, dim1))
    return _with_meta(out, (dim0, dim1))


def permute(input, *dims):
    """Reorder axes: ``out.shape[i] == input.shape[dims[i]]`` (a view)."""
    dims = tuple(d % input._data.ndim for d in _shape_args(dims))
    out = record(PermuteBackward0, np.transpose(input._data, dims), (input,))
    _mark_view(out, input, lambda tensor: permute(tensor, dims))
    return _with_meta(out, tuple(np.argsort(dims)))


def T(input):
    """All axes reversed (``x.T``)."""
    return permute(input, tuple(reversed(range(input._data.ndim))))


def t(input):
    """Matrix transpose of a tensor with at most 2 dims."""
    if input._data.ndim > 2:
        raise RuntimeError(f"t() expects a tensor with <= 2 dimensions, but self is {input._data.ndim}D")
    return _mark_view(record(TBackward0, input._data.T, (input,)), input, t)


def expand(input, *sizes):
    """Broadcast to ``sizes`` without copying (-1 keeps a size)."""
    sizes = _shape_args(sizes)
    data = input._data
    offset = len(sizes) - data.ndim
    shape = tuple(data.shape[i - offset] if s == -1 else s for i, s in enumerate(sizes))
    out = record(ExpandBackward0, np.broadcast_to(data, shape), (input,))
    return _with_meta(_mark_view(out, input, lambda tensor: expand(tensor, shape)), data.shape)


def clone(input):
    return record(CloneBackward0, input._data.copy(), (input,))


# ***** indexing *****
class _IndexNode(Node):
    __slots__ = ("_meta",)  # (input shape, index)

    def backward(self, grad):
        shape, index = self._meta
        return (B.index_scatter(grad, shape, index),)


SelectBackward0 = type("SelectBackward0", (_IndexNode,), {"__slots__": ()})
SliceBackward0 = type("SliceBackward0", (_IndexNode,), {"__slots__": ()})
IndexBackward0 = type("IndexBackward0", (_IndexNode,), {"__slots__": ()})


class IndexBackwardBackward0(Node):
    __slots__ = ("_meta",)  # index

    def backward(self, grad):
        return (grad[self._meta],)


def normalize_index(index):
    """numpy index from a PyTorch-style one; returns (index, is_basic)."""
    if not isinstance(index, tuple):
        index = (index,)
    parts = []
    basic = True
    for part in index:
        if isinstance(part, Tensor):
            part = part._data
        elif isinstance(part, list):
            part = np.asarray(part)
        if isinstance(part, np.ndarray):
            if part.ndim == 0 and part.dtype.kind in "iu":
                part = int(part)
            else:
                basic = False
        parts.append(part)
    if basic and not any(p is Ellipsis for p in parts):
        parts.append(Ellipsis)  # so an all-integer index yields a 0-d view, not a copy
    return tuple(parts), basic


def getitem(input, index):
    """``input[index]``: ints, slices, None, Ellipsis, integer or boolean tensors/lists."""
    index, basic = normalize_index(index)
    data = input._data[index]
    if not basic:
        cls = IndexBackward0
    elif builtins.any(isinstance(p, slice) for p in index):
        cls = SliceBackward0
    else:
        cls = SelectBackward0
    out = record(cls, data, (input,))
    if basic:
        _mark_view(out, input, lambda tensor: getitem(tensor, index))
    return _with_meta(out, (input._data.shape, index))


def index_scatter(grad, shape, index):
    """Zeros of ``shape`` with ``grad`` added at ``index``: the backward of indexing."""
    data = np.zeros(shape, dtype=grad._data.dtype)
    np.add.at(data, index, grad._data)
    return _with_meta(record(IndexBackwardBackward0, data, (grad,)), index)


# ***** joining *****
class StackBackward0(Node):
    __slots__ = ("_meta",)  # (dim, count)

    def backward(self, grad):
        dim, count = self._meta
        lead = (slice(None),) * dim
        return tuple(grad[lead + (i,)] for i in range(count))


class CatBackward0(Node):
    __slots__ = ("_meta",)  # (dim, sizes along dim)

    def backward(self, grad):
        dim, sizes = self._meta
        lead = (slice(None),) * dim
        grads, start = [], 0
        for size in sizes:
            grads.append(grad[lead + (slice(start, start + size),)])
            start += size
        return tuple(grads)


def _tensors(tensors):
    return [t if isinstance(t, Tensor) else _plain(_as_array(t, None)) for t in tensors]


def stack(tensors, dim=0):
    """Join same-shape tensors along a new axis ``dim``: k of shape S -> shape (k, *S) at dim."""
    tensors = _tensors(tensors)
    if not tensors:
        raise RuntimeError("stack expects a non-empty TensorList")
    shape = tensors[0]._data.shape
    for i, t in enumerate(tensors):
        if t._data.shape != shape:
            raise RuntimeError(
                f"stack expects each tensor to be equal size, but got [{', '.join(map(str, shape))}] "
                f"at entry 0 and [{', '.join(map(str, t._data.shape))}] at entry {i}"
            )
    dim = dim % (len(shape) + 1)
    out = record(StackBackward0, np.stack([t._data for t in tensors], axis=dim), tuple(tensors))
    return _with_meta(out, (dim, len(tensors)))


def cat(tensors, dim=0):
    """Join tensors along the existing axis ``dim`` (other sizes must match)."""
    tensors = _tensors(tensors)
    if not tensors:
        raise RuntimeError("torch.cat(): expected a non-empty list of Tensors")
    dim = dim % builtins.max(tensors[0]._data.ndim, 1)
    try:
        data = np.concatenate([t._data for t in tensors], axis=dim)
    except ValueError as error:
        raise RuntimeError(f"torch.cat(): {error}") from None
    out = record(CatBackward0, data, tuple(tensors))
    return _with_meta(out, (dim, [t._data.shape[dim] for t in tensors]))


# ***** matrix products *****
class MatmulBackward(Node):
    """Rule shared by dot, mv, mm and batched matmul: 1-D operands act as row/column."""

    __slots__ = ("_meta",)  # (shape of self, shape of other)

    def backward(self, grad, self_, other):
        shape_a, shape_b = self._meta
        a = self_ if len(shape_a) > 1 else self_.reshape((1,) + shape_a)
        b = other if len(shape_b) > 1 else other.reshape(shape_b + (1,))
        g_shape = list(grad.shape)
        if len(shape_a) == 1:
            g_shape.insert(len(g_shape) - (len(shape_b) > 1), 1)
        if len(shape_b) == 1:
            g_shape.append(1)
        g = grad.reshape(tuple(g_shape))
        grad_a = grad_b = None
        if self._next[0][0] is not None:
            grad_a = B.unbroadcast(g @ B.transpose(b, -1, -2), a.shape).reshape(shape_a)
        if self._next[1][0] is not None:
            grad_b = B.unbroadcast(B.transpose(a, -1, -2) @ g, b.shape).reshape(shape_b)
        return grad_a, grad_b


DotBackward0 = type("DotBackward0", (MatmulBackward,), {"__slots__": ()})
MvBackward0 = type("MvBackward0", (MatmulBackward,), {"__slots__": ()})
MmBackward0 = type("MmBackward0", (MatmulBackward,), {"__slots__": ()})
BmmBackward0 = type("BmmBackward0", (MatmulBackward,), {"__slots__": ()})


def matmul(input, other):
    """Matrix product with numpy's rules: (n,)@(n,) -> (), (m,n)@(n,) -> (m,),
    (m,n)@(n,p) -> (m,p), batched (..., m, n)@(..., n, p) -> (..., m, p)."""
    if not isinstance(other, Tensor):
        other = _plain(_as_array(other, None))
    a, b = input._data, other._data
    if a.ndim == 0 or b.ndim == 0:
        raise RuntimeError("both arguments to matmul need to be at least 1D, but they are "
                           f"{a.ndim}D and {b.ndim}D")
    try:
        data = a @ b
    except ValueError:
        ra = a.reshape(1, -1) if a.ndim == 1 else a
        rb = b.reshape(1, -1) if b.ndim == 1 else b
        raise RuntimeError(
            f"mat1 and mat2 shapes cannot be multiplied ({ra.shape[-2]}x{ra.shape[-1]} and "
            f"{rb.shape[-2]}x{rb.shape[-1]})"
        ) from None
    if a.ndim == 1 and b.ndim == 1:
        cls = DotBackward0
    elif a.ndim == 2 and b.ndim == 1:
        cls = MvBackward0
    elif a.ndim <= 2 and b.ndim == 2:
        cls = MmBackward0
    else:
        cls = BmmBackward0
    out = record(cls, np.asarray(data), (input, other), (input, other))
    return _with_meta(out, (a.shape, b.shape))


def dot(input, other):
    """Inner product of two 1-D tensors of the same length -> 0-d tensor."""
    if input._data.ndim != 1 or _as_array(other._data if isinstance(other, Tensor) else other, None).ndim != 1:
        raise RuntimeError("1D tensors expected, but got "
                           f"{input._data.ndim}D and {other.ndim}D tensors")
    return matmul(input, other)
