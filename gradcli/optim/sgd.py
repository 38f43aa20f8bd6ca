"""Stochastic gradient descent with momentum, dampening, Nesterov momentum,
weight decay and maximize: PyTorch's ``torch.optim.SGD`` update, formula for formula.

For each parameter p with gradient g (negated if maximize)::

    g = g + weight_decay * p
    buf = g (first step) or momentum * buf + (1 - dampening) * g
    g = g + momentum * buf (nesterov) or buf
    p = p - lr * g

Each ``u + a * v`` is one fused multiply-add, as in PyTorch's ``add(alpha=)`` kernel.
"""

from ..autograd.tensor import _plain
from .optimizer import Optimizer, check_nonnegative, fma, grad_array, update_


class SGD(Optimizer):
    """Gradient descent: ``SGD(params, lr=1e-3, momentum=0, dampening=0, weight_decay=0,
    nesterov=False, maximize=False)``.  State per parameter: ``momentum_buffer``.

    Example (the tutorial's double well, x0 = 3)::

        >>> import gradcli as torch
        >>> x = torch.tensor([3.0], requires_grad=True)
        >>> optimizer = torch.optim.SGD([x], lr=0.01)
        >>> for _ in range(200):
        ...     optimizer.zero_grad(); (x**4 - 10*x**2 + 5).backward(); optimizer.step()
        >>> round(x.item(), 4)
        2.2361
    """

    def __init__(
        self,
        params,
        lr=1e-3,
        momentum=0,
        dampening=0,
        weight_decay=0,
        nesterov=False,
        *,
        maximize=False,
        foreach=None,
        differentiable=False,
        fused=None,
    ):
        check_nonnegative(lr, "Invalid learning rate")
        check_nonnegative(momentum, "Invalid momentum value")
        check_nonnegative(weight_decay, "Invalid weight_decay value")
        defaults = {
            "lr": lr,
            "momentum": momentum,
            "dampening": dampening,
            "weight_decay": weight_decay,
            "nesterov": nesterov,
            "maximize": maximize,
            "foreach": foreach,
            "differentiable": differentiable,
            "fused": fused,
        }
        if nesterov and (momentum <= 0 or dampening != 0):
            raise ValueError("Nesterov momentum requires a momentum and zero dampening")
        super().__init__(params, defaults)

    def step(self, closure=None):
        """One update of every parameter that has a gradient; returns ``closure()``'s loss."""
        loss = self._closure_loss(closure)
        for group in self.param_groups:
            lr = group["lr"]
            momentum = group["momentum"]
            weight_decay = group["weight_decay"]
            maximize = group["maximize"]
            for p in group["params"]:
                if p._grad is None:
                    continue
                data = p._data
                if not (momentum or weight_decay or maximize):
                    # plain descent, the common case
                    data[...] = fma(-lr, p._grad._data, data)
                    p._counter[0] += 1
                    continue
                grad = grad_array(p, maximize)
                if weight_decay != 0:
                    grad = fma(weight_decay, data, grad)
                if momentum != 0:
                    state = self.state[p]
                    buf = state.get("momentum_buffer")
                    if buf is None:
                        buf = state["momentum_buffer"] = _plain(grad.copy())
                    else:
                        buf._data[...] = fma(1 - group["dampening"], grad, buf._data * momentum)
                    grad = fma(momentum, buf._data, grad) if group["nesterov"] else buf._data
                update_(p, fma(-lr, grad, data))
        return loss
