"""Matrix products: ``matmul``/``@`` (dot, matrix-vector, matrix-matrix,
batched) and ``dot``, with one shared derivative rule."""

import numpy as np

from . import backend as B
from .graph import Node, quiet_numpy, restore_numpy
from .tensor import Tensor, _as_array, _plain, record
from .tensor import with_meta as _with_meta


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
        raise RuntimeError(f"both arguments to matmul need to be at least 1D, but they are {a.ndim}D and {b.ndim}D")
    token = quiet_numpy()  # overflow is inf, silently as in PyTorch
    try:
        data = a @ b
    except ValueError:
        ra = a.reshape(1, -1) if a.ndim == 1 else a
        rb = b.reshape(1, -1) if b.ndim == 1 else b
        raise RuntimeError(
            f"mat1 and mat2 shapes cannot be multiplied ({ra.shape[-2]}x{ra.shape[-1]} and "
            f"{rb.shape[-2]}x{rb.shape[-1]})"
        ) from None
    finally:
        restore_numpy(token)
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
        raise RuntimeError(f"1D tensors expected, but got {input._data.ndim}D and {other.ndim}D tensors")
    return matmul(input, other)


def mm(input, mat2):
    """Matrix product of two 2-D tensors: (n, m) @ (m, p) -> (n, p)."""
    if input._data.ndim != 2:
        raise RuntimeError("self must be a matrix")
    if _data_of(mat2).ndim != 2:
        raise RuntimeError("mat2 must be a matrix")
    return matmul(input, mat2)


def bmm(input, mat2):
    """Batched matrix product of 3-D tensors: (b, n, m) @ (b, m, p) -> (b, n, p)."""
    if input._data.ndim != 3:
        raise RuntimeError("batch1 must be a 3D tensor")
    if _data_of(mat2).ndim != 3:
        raise RuntimeError("batch2 must be a 3D tensor")
    return matmul(input, mat2)


def outer(input, vec2):
    """Outer product of two vectors: (n,) and (m,) -> (n, m) (``input[:, None] * vec2``, as PyTorch
    computes it)."""
    if input._data.ndim != 1 or _data_of(vec2).ndim != 1:
        raise RuntimeError(
            f"outer: Expected 1-D argument self, but got {input._data.ndim}-D"
            if input._data.ndim != 1
            else f"outer: Expected 1-D argument vec2, but got {_data_of(vec2).ndim}-D"
        )
    return input.reshape(-1, 1) * vec2


def _data_of(value):
    return value._data if isinstance(value, Tensor) else np.asarray(value)
