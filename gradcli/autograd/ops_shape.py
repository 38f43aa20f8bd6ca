"""Shape changes, indexing and joining.

Same pattern as ops_arith: forward on numpy, one node class per operation with
its rule in operators and ``backend`` helpers.  View-like results (reshape,
transpose, basic indexing) share memory and the version counter with their
input, as in PyTorch.
"""

import builtins

import numpy as np

from . import backend as B
from .graph import Node
from .tensor import Size, Tensor, _as_array, _plain, record
from .tensor import with_meta as _with_meta
from .views import mark_view as _mark_view


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
        raise RuntimeError(f"shape '[{', '.join(map(str, shape))}]' is invalid for input of size {data.size}") from None
    return _view_as(ViewBackward0, input, new)


def view(input, *shape):
    """``reshape`` that must not copy: the result always shares memory with ``input``."""
    out = reshape(input, *shape)
    if out._data.size and not np.may_share_memory(out._data, input._data):
        raise RuntimeError(
            "view size is not compatible with input tensor's size and stride (at least one "
            "dimension spans across two contiguous subspaces). Use .reshape(...) instead."
        )
    return out


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
    try:
        expanded = np.broadcast_to(data, shape)
    except ValueError:
        raise RuntimeError(
            f"The expanded size of the tensor ({shape[-1] if shape else 0}) must match the existing size "
            f"({data.shape[-1] if data.shape else 0}) at non-singleton dimension {len(shape) - 1}.  "
            f"Target sizes: [{', '.join(map(str, sizes))}].  Tensor sizes: [{', '.join(map(str, data.shape))}]"
        ) from None
    # A writeable view (PyTorch lets fill_ and single-element writes through); in-place
    # arithmetic on elements that share memory is refused (views.OVERLAP_MESSAGE).
    expanded = np.lib.stride_tricks.as_strided(data, expanded.shape, expanded.strides, writeable=data.flags.writeable)
    out = record(ExpandBackward0, expanded, (input,))
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


_ALL = slice(None)


def getitem(input, index):
    """``input[index]``: ints, slices, None, Ellipsis, integer or boolean tensors/lists."""
    index, basic = normalize_index(index)
    data = input._data[index]
    if not basic:
        cls = IndexBackward0
    else:  # named after the last step that does something, as PyTorch applies them in turn
        cls = SliceBackward0
        for part in index:
            if isinstance(part, int):
                cls = SelectBackward0
            elif isinstance(part, slice) and part != _ALL:
                cls = SliceBackward0
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
        raise RuntimeError("gradcli.cat(): expected a non-empty list of Tensors")
    for i, t in enumerate(tensors):
        if t._data.ndim == 0:
            raise RuntimeError(f"zero-dimensional tensor (at position {i}) cannot be concatenated")
    dim = dim % tensors[0]._data.ndim
    try:
        data = np.concatenate([t._data for t in tensors], axis=dim)
    except ValueError as error:
        raise RuntimeError(f"gradcli.cat(): {error}") from None
    out = record(CatBackward0, data, tuple(tensors))
    return _with_meta(out, (dim, [t._data.shape[dim] for t in tensors]))
