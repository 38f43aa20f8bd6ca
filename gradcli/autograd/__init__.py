"""gradcli's autograd engine: reverse-mode automatic differentiation on numpy
with PyTorch's semantics (``import gradcli as torch`` runs PyTorch's autograd
tutorial).

Modules: tensor (the data model; convert, tensor_checks, tensor_str around it),
ops_arith / ops_unary / ops_reduce / ops_shape / ops_select / ops_softmax /
ops_linalg / ops_einsum / ops_logic / ops_inplace (operations and their
derivative rules), views (view tracking and in-place history), backend (math
the rules share), graph (nodes and the backward engine), hooks, backward (grad,
backward), grad_mode, function (custom Function), anomaly_mode, creation and
random (factories), linalg, functional and gradcheck, methods (Tensor's
operator table).  Nothing here imports anything of gradcli outside this package.
"""

from . import function, functional, grad_mode  # modules: autograd.function.once_differentiable, ...
from .anomaly_mode import detect_anomaly, set_detect_anomaly
from .backward import backward, grad
from .function import Function
from .grad_mode import enable_grad, inference_mode, no_grad, set_grad_enabled
from .gradcheck import gradcheck, gradgradcheck
from .graph import Node
from .tensor import Tensor


class _VariableMeta(type):
    def __instancecheck__(cls, instance):
        return isinstance(instance, Tensor)


class Variable(metaclass=_VariableMeta):
    """PyTorch's legacy ``Variable``: ``Variable(t, requires_grad=True)`` is a leaf sharing
    t's memory; every Tensor is an instance."""

    def __new__(cls, data, requires_grad=False, volatile=False):
        out = data.detach() if isinstance(data, Tensor) else Tensor(data)
        return out.requires_grad_(requires_grad)


__all__ = [
    "Function",
    "Node",
    "Tensor",
    "backward",
    "detect_anomaly",
    "enable_grad",
    "function",
    "functional",
    "grad",
    "grad_mode",
    "gradcheck",
    "gradgradcheck",
    "inference_mode",
    "no_grad",
    "set_detect_anomaly",
    "set_grad_enabled",
    "Variable",
]
