"""gradcli's autograd engine: reverse-mode automatic differentiation on numpy
with PyTorch's semantics (``import gradcli as torch`` runs PyTorch's autograd
tutorial).

Modules: tensor (the data model), ops_arith / ops_unary / ops_reduce /
ops_shape / ops_linalg / ops_inplace (operations and their derivative rules),
backend (math the rules share), graph (nodes and the backward engine),
backward (grad, backward), grad_mode, function (custom Function),
anomaly_mode, creation (factories), tensor_str (repr), methods (Tensor's
operator table).
"""

from . import grad_mode
from .anomaly_mode import detect_anomaly, set_detect_anomaly
from .backward import backward, grad
from .function import Function
from .grad_mode import enable_grad, no_grad, set_grad_enabled
from .graph import Node
from .tensor import Tensor

from . import functional  # jacobian, hessian, vjp, jvp, hvp, vhp
from . import function  # noqa: F401  (autograd.function.once_differentiable)
from .gradcheck import gradcheck, gradgradcheck
from .grad_mode import inference_mode


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
    "Function", "Node", "Tensor", "backward", "detect_anomaly", "enable_grad", "functional",
    "grad", "grad_mode", "gradcheck", "gradgradcheck", "inference_mode", "no_grad", "set_detect_anomaly",
    "set_grad_enabled", "Variable",
]
