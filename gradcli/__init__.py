"""gradcli: a reverse-mode autograd engine on numpy with PyTorch's semantics,
and a command-line tool for potentials built on it.

``import gradcli as torch`` runs the PyTorch autograd tutorial unchanged.
Importing gradcli imports nothing heavy: the engine (``gradcli.tensor``,
``gradcli.autograd``, ..., which import numpy) and the SymPy front-end
(``Potential``, ``VectorFunction``) load on first use of one of their names
(``gradcli/_lazy.py``, the package's one lazy-loading idiom), so ``gradcli
descend``, which needs neither numpy nor the engine, pays for neither.
"""

from . import _lazy

__version__ = "0.1.0"

# --- names loaded on first access ---------------------------------------------
# module -> its names exported here; "public=attr" where the two differ, and
# "=" alone for the module itself.
_SOURCES = {
    "gradcli.autograd": "autograd=",
    "gradcli.autograd.creation": (
        "arange empty empty_like eye from_numpy full full_like linspace ones ones_like tensor zeros zeros_like"
    ),
    "gradcli.autograd.random": "manual_seed rand rand_like randint randn randn_like",
    "gradcli.autograd.dtypes": ("bool=bool_ double dtype float float16 float32 float64 half int int32 int64 long"),
    "gradcli.autograd.grad_mode": (
        "enable_grad inference_mode is_grad_enabled is_inference_mode_enabled no_grad set_grad_enabled"
    ),
    "gradcli.autograd.ops_arith": ("add atan2 div eq ge gt le lt maximum minimum mul ne pow sub where"),
    "gradcli.autograd.ops_linalg": "bmm dot matmul mm outer",
    "gradcli.autograd.ops_einsum": "einsum",
    "gradcli.autograd.ops_logic": "all allclose any isclose isfinite isinf isnan masked_fill",
    "gradcli.autograd.ops_reduce": "max mean min sum",
    "gradcli.autograd.ops_select": "chunk diag flip narrow roll select split tril triu unbind",
    "gradcli.autograd.ops_softmax": "cumsum log_softmax logsumexp norm prod softmax",
    "gradcli.autograd.linalg": "linalg=",
    "gradcli.autograd.ops_shape": "cat flatten permute reshape squeeze stack transpose unsqueeze",
    "gradcli.autograd.ops_unary": (
        "abs acos asin atan clamp cos cosh exp log neg reciprocal relu sigmoid sin sinh sqrt tan tanh"
        " arccos=acos arcsin=asin arctan=atan clip=clamp"
    ),
    "gradcli.autograd.tensor": "Size Tensor",
    "gradcli.optim": "optim=",
    # the SymPy front-end and the named potentials (not in __all__: `from gradcli import *` stays free of SymPy)
    "gradcli.frontend.potential": "Potential VectorFunction",
    "gradcli.named": "named=",
}

#: public name -> (module, attribute or "" for the module itself)
_LAZY = {
    entry.partition("=")[0]: (module, entry.partition("=")[2] if "=" in entry else entry)
    for module, entries in _SOURCES.items()
    for entry in entries.split()
}

# Only names that gradcli never re-exports may be used in this module: the
# engine's `float`, `max`, `sum`, ... land in its globals once loaded.
__getattr__, __dir__ = _lazy.exports(globals(), {name: _lazy.attribute(*found) for name, found in _LAZY.items()})
_tensor = _lazy.LazyModule("gradcli.autograd.tensor", globals(), "_tensor")
_dtypes = _lazy.LazyModule("gradcli.autograd.dtypes", globals(), "_dtypes")


# --- PyTorch helpers -----------------------------------------------------------


def is_tensor(obj):
    """True if ``obj`` is a gradcli Tensor."""
    return isinstance(obj, _tensor.Tensor)


def numel(input):
    return input.numel()


def get_default_dtype():
    return _dtypes.float64


__all__ = sorted(
    [name for name, (module, _) in _LAZY.items() if not module.startswith(("gradcli.frontend", "gradcli.named"))]
    + ["get_default_dtype", "is_tensor", "numel"]
)
