"""Tensor element types: thin named wrappers over numpy dtypes.

``gradcli.float64`` is the default (physics wants double precision); other
types are kept when asked for.  A dtype compares equal to itself and to the
numpy dtype it wraps, so ``x.dtype == numpy.float64`` also holds.
"""

import numpy as np


class dtype:
    """An element type, e.g. ``gradcli.float64``; ``.numpy`` is the numpy dtype."""

    __slots__ = ("name", "numpy", "is_floating_point", "itemsize")

    def __init__(self, name, numpy_dtype):
        self.name = name
        self.numpy = np.dtype(numpy_dtype)
        self.is_floating_point = self.numpy.kind == "f"
        self.itemsize = self.numpy.itemsize

    def __repr__(self):
        return f"gradcli.{self.name}"

    def __eq__(self, other):
        if isinstance(other, dtype):
            return self.numpy == other.numpy
        try:
            return self.numpy == np.dtype(other)
        except TypeError:
            return NotImplemented

    def __hash__(self):
        return hash(self.numpy)

    def __reduce__(self):
        return (from_numpy_dtype, (self.numpy,))


float64 = dtype("float64", np.float64)
float32 = dtype("float32", np.float32)
float16 = dtype("float16", np.float16)
int64 = dtype("int64", np.int64)
int32 = dtype("int32", np.int32)
int16 = dtype("int16", np.int16)
int8 = dtype("int8", np.int8)
uint8 = dtype("uint8", np.uint8)
bool_ = dtype("bool", np.bool_)
double, float, half, long, int = float64, float32, float16, int64, int32

_BY_NUMPY = {d.numpy: d for d in (float64, float32, float16, int64, int32, int16, int8, uint8, bool_)}

# PyTorch's legacy type names, used in the "modified by an inplace operation" message.
_LEGACY_NAMES = {
    "float64": "DoubleTensor",
    "float32": "FloatTensor",
    "float16": "HalfTensor",
    "int64": "LongTensor",
    "int32": "IntTensor",
    "int16": "ShortTensor",
    "int8": "CharTensor",
    "uint8": "ByteTensor",
    "bool": "BoolTensor",
}


def from_numpy_dtype(np_dtype):
    """The gradcli dtype wrapping ``np_dtype`` (made on the fly for unusual ones)."""
    found = _BY_NUMPY.get(np_dtype)
    if found is None:
        found = _BY_NUMPY[np_dtype] = dtype(np.dtype(np_dtype).name, np_dtype)
    return found


def to_numpy_dtype(d):
    """Accept a gradcli dtype, a numpy dtype/type, or Python's float/int/bool."""
    if isinstance(d, dtype):
        return d.numpy
    return np.dtype(d)  # Python's float -> float64, int -> int64, bool -> bool


def legacy_type_name(np_dtype):
    return "gradcli." + _LEGACY_NAMES.get(np.dtype(np_dtype).name, "Tensor")
