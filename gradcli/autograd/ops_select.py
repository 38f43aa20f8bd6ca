"""Taking tensors apart and rearranging them: narrow, select, chunk, split,
unbind (views, through indexing), repeat, flip, roll, tril, triu, diag, with
their derivative rules (written in operators and ``backend`` helpers, so they
hold under ``create_graph`` too)."""

import builtins

import numpy as np

from . import backend as B
from .grad_mode import _state
from .graph import Node
from .ops_shape import getitem
from .tensor import _plain, edge, record
from .tensor import with_meta as _with_meta
from .views import mark_view


def _dim(dim, ndim):
    size = builtins.max(ndim, 1)
    if not -size <= dim < size:
        raise IndexError(f"Dimension out of range (expected to be in range of [{-size}, {size - 1}], but got {dim})")
    return dim % size


def _along(dim, part):
    """Index taking ``part`` (an int or slice) along axis ``dim``."""
    return (slice(None),) * dim + (part,)


# ***** views through indexing *****
def narrow(input, dim, start, length):
    """``length`` elements from ``start`` along ``dim`` (a view).

    Example: arange(6).narrow(0, 1, 3) -> tensor([1, 2, 3]).
    """
    dim = _dim(dim, input._data.ndim)
    size = input._data.shape[dim]
    if start < 0:
        start += size
    if not 0 <= start <= size or length < 0 or start + length > size:
        raise RuntimeError(f"start ({start}) + length ({length}) exceeds dimension size ({size}).")
    return getitem(input, _along(dim, slice(start, start + length)))


def select(input, dim, index):
    """The slice at ``index`` along ``dim``, that axis removed (a view)."""
    dim = _dim(dim, input._data.ndim)
    size = input._data.shape[dim]
    if not -size <= index < size:
        raise IndexError(
            f"select(): index {index} out of range for tensor of size "
            f"[{', '.join(map(str, input._data.shape))}] at dimension {dim}"
        )
    return getitem(input, _along(dim, index % size))


class SplitBackward0(Node):
    """One node for all the pieces of a split (PyTorch's multi-output SplitBackward0)."""

    __slots__ = ("_meta",)  # (dim, piece shapes, input dtype)

    def backward(self, grads):
        dim, shapes, dtype = self._meta
        tensors = builtins.any(B._is_tensor(g) for g in grads)
        parts = [np.zeros(shape, dtype) if g is None else g for g, shape in zip(grads, shapes)]
        if tensors:
            from .ops_shape import cat

            return (cat(parts, dim),)
        return (np.concatenate(parts, dim),)


SplitWithSizesBackward0: type[SplitBackward0] = type("SplitWithSizesBackward0", (SplitBackward0,), {"__slots__": ()})


class UnbindBackward0(SplitBackward0):
    __slots__ = ()

    def backward(self, grads):
        dim, shapes, dtype = self._meta
        parts = [np.zeros(shape, dtype) if g is None else g for g, shape in zip(grads, shapes)]
        if builtins.any(B._is_tensor(g) for g in grads):
            from .ops_shape import stack

            return (stack(parts, dim),)
        return (np.stack(parts, dim),)


def _pieces(cls, input, dim, index_of_piece, count, remake):
    """Views of ``input`` (piece i = input[index_of_piece(i)]) sharing one ``cls`` node."""
    data = input._data
    arrays = [data[index_of_piece(i)] for i in range(count)]
    outs = [_plain(a) for a in arrays]
    if _state.enabled and input._requires_grad:
        node = Node.__new__(cls)
        node._next = (edge(input),)
        node._saved = ()
        node._versions = None
        node._n_outputs = count
        node._meta = (dim, [a.shape for a in arrays], data.dtype)
        for nr, out in enumerate(outs):
            out._grad_fn, out._output_nr, out._requires_grad = node, nr, True
    for nr, out in enumerate(outs):
        mark_view(out, input, lambda tensor, nr=nr: remake(tensor)[nr])
    return tuple(outs)


def split(input, split_size_or_sections, dim=0):
    """Pieces along ``dim``: of ``split_size`` each (the last may be shorter), or of the
    given list of sizes.  Views; returns a tuple."""
    dim = _dim(dim, input._data.ndim)
    size = input._data.shape[dim]
    if isinstance(split_size_or_sections, int):
        step = split_size_or_sections
        if step <= 0 and size:
            raise RuntimeError(f"split_size can only be 0 if dimension size is 0, but got dimension size of {size}")
        sections = [builtins.min(step, size - start) for start in range(0, size, step)] if size else [0]
        cls = SplitBackward0
    else:
        sections = list(split_size_or_sections)
        if builtins.sum(sections) != size:
            raise RuntimeError(
                f"split_with_sizes expects split_sizes to sum exactly to {size} (input tensor's size at "
                f"dimension {dim}), but got split_sizes={sections}"
            )
        cls = SplitWithSizesBackward0
    starts = np.concatenate([[0], np.cumsum(sections)]).astype(int).tolist()
    return _pieces(
        cls,
        input,
        dim,
        lambda i: _along(dim, slice(starts[i], starts[i + 1])),
        len(sections),
        lambda tensor: split(tensor, split_size_or_sections, dim),
    )


def chunk(input, chunks, dim=0):
    """At most ``chunks`` pieces of equal size ``ceil(n / chunks)`` along ``dim`` (views)."""
    if chunks <= 0:
        raise RuntimeError("chunk expects `chunks` to be greater than 0, got: " + str(chunks))
    dim = _dim(dim, input._data.ndim)
    size = input._data.shape[dim]
    return split(input, builtins.max(-(-size // chunks), 1) if size else 1, dim)


def unbind(input, dim=0):
    """Every slice along ``dim``, that axis removed: a tuple of views."""
    dim = _dim(dim, input._data.ndim)
    return _pieces(
        UnbindBackward0,
        input,
        dim,
        lambda i: _along(dim, i),
        input._data.shape[dim],
        lambda tensor: unbind(tensor, dim),
    )


# ***** copies that rearrange *****
class RepeatBackward0(Node):
    __slots__ = ("_meta",)  # (input shape, repeats)

    def backward(self, grad):
        shape, repeats = self._meta
        lead = len(repeats) - len(shape)
        full = (1,) * lead + tuple(shape)
        # grad shape (r0*s0, r1*s1, ...) -> (r0, s0, r1, s1, ...), summed over the r axes
        split = []
        for r, s in zip(repeats, full):
            split += [r, s]
        summed = B.sum_dims(grad.reshape(tuple(split)), tuple(range(0, 2 * len(full), 2)), False)
        return (summed.reshape(tuple(shape)),)


def repeat(input, *sizes):
    """Tile: ``x.repeat(2, 3)`` of shape (a, b) has shape (2a, 3b); extra leading sizes add axes."""
    sizes = tuple(sizes[0]) if len(sizes) == 1 and isinstance(sizes[0], (tuple, list)) else tuple(sizes)
    data = input._data
    if len(sizes) < data.ndim:
        raise RuntimeError("Number of dimensions of repeat dims can not be smaller than number of dimensions of tensor")
    out = record(RepeatBackward0, np.tile(data, sizes), (input,))
    return _with_meta(out, (data.shape, sizes))


class FlipBackward0(Node):
    __slots__ = ("_meta",)  # dims

    def backward(self, grad):
        return (flip(grad, self._meta) if B._is_tensor(grad) else np.flip(grad, self._meta),)


def flip(input, dims):
    """Reverse the order of elements along ``dims`` (a copy, as in PyTorch)."""
    dims = (dims,) if isinstance(dims, int) else tuple(dims)
    dims = tuple(_dim(d, input._data.ndim) for d in dims)
    return _with_meta(record(FlipBackward0, np.flip(input._data, dims).copy(), (input,)), dims)


class RollBackward0(Node):
    __slots__ = ("_meta",)  # (shifts, dims)

    def backward(self, grad):
        shifts, dims = self._meta
        back = tuple(-s for s in shifts)
        if B._is_tensor(grad):
            return (roll(grad, back, dims),)
        return (np.roll(grad, back, dims if dims is not None else None),)


def roll(input, shifts, dims=None):
    """Shift elements along ``dims`` by ``shifts`` (wrapping around); without dims, of the
    flattened tensor.  Example: tensor([1, 2, 3]).roll(1) -> tensor([3, 1, 2])."""
    shifts = (shifts,) if isinstance(shifts, int) else tuple(shifts)
    if dims is None:
        if len(shifts) != 1:
            raise RuntimeError(f"shifts and dimensions must align. shifts: {len(shifts)}, dims:0")
        data = np.roll(input._data, shifts[0])
        return _with_meta(record(RollBackward0, data, (input,)), (shifts, None))
    dims = (dims,) if isinstance(dims, int) else tuple(dims)
    if len(shifts) != len(dims):
        raise RuntimeError(f"shifts and dimensions must align. shifts: {len(shifts)}, dims:{len(dims)}")
    data = np.roll(input._data, shifts, dims)
    return _with_meta(record(RollBackward0, data, (input,)), (shifts, dims))


class TrilBackward0(Node):
    __slots__ = ("_meta",)  # diagonal

    def backward(self, grad):
        return (tril(grad, self._meta) if B._is_tensor(grad) else np.tril(grad, self._meta),)


class TriuBackward0(Node):
    __slots__ = ("_meta",)

    def backward(self, grad):
        return (triu(grad, self._meta) if B._is_tensor(grad) else np.triu(grad, self._meta),)


def _triangle(cls, numpy_function, name, input, diagonal):
    if input._data.ndim < 2:
        raise RuntimeError(f"{name}: input tensor must have at least 2 dimensions")
    return _with_meta(record(cls, numpy_function(input._data, diagonal), (input,)), diagonal)


def tril(input, diagonal=0):
    """Lower triangle of the last two axes (on and below ``diagonal``), zeros elsewhere."""
    return _triangle(TrilBackward0, np.tril, "tril", input, diagonal)


def triu(input, diagonal=0):
    """Upper triangle of the last two axes (on and above ``diagonal``), zeros elsewhere."""
    return _triangle(TriuBackward0, np.triu, "triu", input, diagonal)


def _diagonal_index(shape, diagonal):
    rows, cols = shape
    start_row, start_col = (0, diagonal) if diagonal >= 0 else (-diagonal, 0)
    n = builtins.max(builtins.min(rows - start_row, cols - start_col), 0)
    return (np.arange(n) + start_row, np.arange(n) + start_col)


class DiagEmbedBackward0(Node):
    __slots__ = ("_meta",)  # (input shape, diagonal)

    def backward(self, grad):  # the input was placed on a diagonal: read it back
        shape, diagonal = self._meta
        return (grad[_diagonal_index(grad.shape, diagonal)],)


class DiagonalBackward0(Node):
    __slots__ = ("_meta",)

    def backward(self, grad):
        shape, diagonal = self._meta
        return (B.index_scatter(grad, shape, _diagonal_index(shape, diagonal)),)


# PyTorch 2.13 names the node of diag(matrix) so (diag copies the diagonal view).
DiagonalBackward0.__name__ = DiagonalBackward0.__qualname__ = "DiagonalBackward0_copy"


def diag(input, diagonal=0):
    """1-D input: a square matrix with it on ``diagonal``; 2-D input: that diagonal (a copy)."""
    data = input._data
    if data.ndim not in (1, 2):
        raise RuntimeError("diag(): Supports 1D or 2D tensors. Got " + f"{data.ndim}D")
    cls = DiagEmbedBackward0 if data.ndim == 1 else DiagonalBackward0
    return _with_meta(record(cls, np.diag(data, diagonal).copy(), (input,)), (data.shape, diagonal))
