"""Python data (numbers, nested lists of numbers or tensors, arrays) to numpy
arrays with PyTorch's dtype rules: floats and bools kept, integers as int64."""

import numpy as np

from . import graph  # graph._tensor_class is the Tensor class (set by tensor.py)


def _as_array(data, dtype):
    """numpy array from numbers, nested lists/tuples (of numbers or tensors), arrays."""
    if isinstance(data, graph._tensor_class):
        array = data._data
    elif isinstance(data, (list, tuple)) and any(isinstance(v, graph._tensor_class) for v in _flatten(data)):
        array = np.array(_detach_nested(data))
    else:
        array = np.asarray(data)
    if dtype is not None:
        return array.astype(dtype, copy=False)
    kind = array.dtype.kind
    if kind == "f" or kind == "b":
        return array
    if kind in "iu":
        return array.astype(np.int64, copy=False)
    if kind == "O" or kind == "U":
        raise TypeError(f"can't convert {type(data).__name__} of this content to a tensor")
    return array


def _flatten(data):
    for value in data:
        if isinstance(value, (list, tuple)):
            yield from _flatten(value)
        else:
            yield value


def _detach_nested(data):
    if isinstance(data, graph._tensor_class):
        return data._data
    if isinstance(data, (list, tuple)):
        return [_detach_nested(v) for v in data]
    return data
