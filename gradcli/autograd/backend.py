"""Math used inside derivative rules, on numpy arrays or on Tensors alike.

A plain ``backward()`` hands the rules numpy arrays (no graph, no overhead);
``create_graph=True`` hands them Tensors, so the same rule is recorded and can
be differentiated again.  Operators (``* / + - ** @``, comparisons, ``[]``,
``.reshape``) already work on both; the few functions below fill the gap.
"""

import numpy as np

from . import graph  # graph._tensor_class is the Tensor class (set by tensor.py): no import cycle

_F64 = np.dtype(np.float64)
_CONSTANTS: dict[float, np.ndarray] = {}


def number(value, like):
    """The Python number ``value`` as an operand for numpy next to the array ``like``.

    numpy takes 0.3 µs longer for ``array * 10`` than for ``array * array(10.)``
    (it works out the dtype of a Python scalar on every call).  For a float64
    ``like`` a cached read-only 0-d float64 array gives the same dtype and the
    same bits, so it is used instead; anything else (arrays, Tensors, float32
    data, zero, whose -0.0 would share 0.0's cache slot, nan, huge ints) gets the
    number back unchanged.
    """
    if like.__class__ is not np.ndarray or like.dtype is not _F64:
        return value
    if value.__class__ is not float and value.__class__ is not int:  # an array, a Tensor
        return value
    constant = _CONSTANTS.get(value)
    if constant is None:
        if not value or value != value or not -(2**53) <= value <= 2**53 or len(_CONSTANTS) >= 512:
            return value
        constant = np.array(float(value))
        constant.flags.writeable = False
        _CONSTANTS[value] = constant
    return constant


def _is_tensor(x):
    tensor_class = graph._tensor_class
    return x.__class__ is tensor_class or isinstance(x, tensor_class)


def log(x):
    return x.log() if _is_tensor(x) else np.log(x)


def sqrt(x):
    return x.sqrt() if _is_tensor(x) else np.sqrt(x)


def exp(x):
    return x.exp() if _is_tensor(x) else np.exp(x)


def abs(x):
    return x.abs() if _is_tensor(x) else np.abs(x)


def sin(x):
    return x.sin() if _is_tensor(x) else np.sin(x)


def cos(x):
    return x.cos() if _is_tensor(x) else np.cos(x)


def sinh(x):
    return x.sinh() if _is_tensor(x) else np.sinh(x)


def cosh(x):
    return x.cosh() if _is_tensor(x) else np.cosh(x)


def where(condition, a, b):
    """``a`` where ``condition`` (a bool ndarray) holds, else ``b``."""
    if _is_tensor(a) or _is_tensor(b):
        from .ops_arith import where as tensor_where

        return tensor_where(condition, a, b)
    return np.where(condition, a, b)


def cast(x, dtype):
    """``x`` converted to the numpy ``dtype`` (differentiably for Tensors)."""
    if _is_tensor(x):
        return x.to(dtype)
    return x.astype(dtype, copy=False) if x.dtype != dtype else x


def sum_dims(x, dims, keepdim):
    return x.sum(dims, keepdim=keepdim) if _is_tensor(x) else x.sum(axis=dims, keepdims=keepdim)


def unbroadcast(grad, shape):
    """Sum ``grad`` back to ``shape``: the one place broadcasting is undone.

    Shapes: grad (*extra, *broadcast(shape)) -> shape.  Leading axes added by
    broadcasting are summed away; axes where ``shape`` has size 1 are summed
    with keepdim.
    """
    grad_shape = grad.shape
    if grad_shape == shape:
        return grad
    extra = len(grad_shape) - len(shape)
    dims = tuple(range(extra)) + tuple(
        i + extra for i, size in enumerate(shape) if size == 1 and grad_shape[i + extra] != 1
    )
    if dims:
        grad = sum_dims(grad, dims, True)
    return grad.reshape(shape)


def expand(x, shape):
    """Broadcast ``x`` to ``shape`` (read-only view for arrays)."""
    if _is_tensor(x):
        return x.expand(shape)
    return np.broadcast_to(x, shape)


def permute(x, dims):
    return x.permute(dims) if _is_tensor(x) else np.transpose(x, dims)


def transpose(x, dim0, dim1):
    """Swap two axes (``transpose(x, -1, -2)``: matrix transpose of each batch item)."""
    return x.transpose(dim0, dim1) if _is_tensor(x) else np.swapaxes(x, dim0, dim1)


def index_scatter(grad, shape, index):
    """Zeros of ``shape`` with ``grad`` added at ``index`` (repeats accumulate).

    The backward of ``x[index]``; differentiable for Tensors.
    """
    if _is_tensor(grad):
        from .ops_shape import index_scatter as tensor_index_scatter

        return tensor_index_scatter(grad, shape, index)
    out = np.zeros(shape, dtype=np.result_type(grad))
    np.add.at(out, index, grad)
    return out
