"""gradcli: a reverse-mode autograd engine on numpy with PyTorch's semantics,
and a command-line tool for potentials built on it.

``import gradcli as torch`` runs the PyTorch autograd tutorial unchanged.
Importing gradcli imports numpy only: the SymPy front-end (``Potential``,
``VectorFunction``) is loaded on first use.
"""

__version__ = "0.1.0"

# --- engine exports (gradcli/autograd) ---------------------------------------
from . import autograd
from .autograd.creation import (
    arange, eye, from_numpy, full, full_like, linspace, ones, ones_like, tensor, zeros, zeros_like,
)
from .autograd.dtypes import (
    bool_ as bool, double, dtype, float, float16, float32, float64, half, int, int32, int64, long,
)
from .autograd.grad_mode import enable_grad, is_grad_enabled, no_grad, set_grad_enabled
from .autograd.ops_arith import (
    add, atan2, div, eq, ge, gt, le, lt, maximum, minimum, mul, ne, pow, sub, where,
)
from .autograd.ops_linalg import dot, matmul
from .autograd.ops_reduce import max, mean, min, sum
from .autograd.ops_shape import cat, flatten, permute, reshape, squeeze, stack, transpose, unsqueeze
from .autograd.ops_unary import (
    abs, acos, asin, atan, clamp, cos, cosh, exp, log, neg, reciprocal, relu, sigmoid, sin, sinh,
    sqrt, tan, tanh,
)
from .autograd.ops_unary import acos as arccos, asin as arcsin, atan as arctan, clamp as clip
from .autograd.tensor import Size, Tensor


def is_tensor(obj):
    """True if ``obj`` is a gradcli Tensor."""
    return isinstance(obj, Tensor)


def numel(input):
    return input.numel()


def get_default_dtype():
    return float64


# --- front-end, imported lazily so `import gradcli` stays light ---------------
_LAZY = {
    "Potential": "gradcli.frontend.potential",
    "VectorFunction": "gradcli.frontend.potential",
}


def __getattr__(name):
    module_name = _LAZY.get(name)
    if module_name is None:
        raise AttributeError(f"module 'gradcli' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module_name), name)
    globals()[name] = value
    return value
