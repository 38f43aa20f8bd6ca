"""Adam and AdamW: PyTorch's ``torch.optim.Adam`` / ``AdamW`` update, formula for formula.

For each parameter p with gradient g (negated if maximize), at step t::

    AdamW: p = p * (1 - lr * weight_decay)        Adam: g = g + weight_decay * p
    m = lerp(m, g, 1 - beta1)                     v = beta2 * v + (1 - beta2) * g * g
    vmax = max(vmax, v)    (amsgrad; then v is vmax below)
    denom = sqrt(v) / sqrt(1 - beta2**t) + eps
    p = p - lr / (1 - beta1**t) * m / denom
"""

import numpy as np

from ..autograd.tensor import _plain
from .optimizer import Optimizer, fma, grad_array, update_


def _lerp(start, end, weight):
    # ATen's lerp (fused): the form that is exact at weight 0 and at weight 1
    if abs(weight) < 0.5:
        return fma(weight, end - start, start)
    return fma(weight - 1, end - start, end)


class Adam(Optimizer):
    """``Adam(params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0, amsgrad=False,
    maximize=False)``.  State per parameter: ``step``, ``exp_avg``, ``exp_avg_sq``
    (and ``max_exp_avg_sq`` with amsgrad).

    Example::

        >>> import gradcli as torch
        >>> w = torch.tensor([1.0, -2.0], requires_grad=True)
        >>> optimizer = torch.optim.Adam([w], lr=0.1)
        >>> (w * w).sum().backward(); optimizer.step()
        >>> w            # the first Adam step moves each coordinate by lr
        tensor([ 0.9000, -1.9000], requires_grad=True)
    """

    _decoupled = False

    def __init__(
        self,
        params,
        lr=1e-3,
        betas=(0.9, 0.999),
        eps=1e-8,
        weight_decay=0,
        amsgrad=False,
        *,
        foreach=None,
        maximize=False,
        capturable=False,
        differentiable=False,
        fused=None,
        decoupled_weight_decay=None,
    ):
        if not 0.0 <= lr:
            raise ValueError(f"Invalid learning rate: {lr}")
        if not 0.0 <= eps:
            raise ValueError(f"Invalid epsilon value: {eps}")
        if not 0.0 <= betas[0] < 1.0:
            raise ValueError(f"Invalid beta parameter at index 0: {betas[0]}")
        if not 0.0 <= betas[1] < 1.0:
            raise ValueError(f"Invalid beta parameter at index 1: {betas[1]}")
        if not 0.0 <= weight_decay:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        if decoupled_weight_decay is None:
            decoupled_weight_decay = self._decoupled
        defaults = {
            "lr": lr,
            "betas": betas,
            "eps": eps,
            "weight_decay": weight_decay,
            "amsgrad": amsgrad,
            "maximize": maximize,
            "foreach": foreach,
            "capturable": capturable,
            "differentiable": differentiable,
            "fused": fused,
            "decoupled_weight_decay": decoupled_weight_decay,
        }
        super().__init__(params, defaults)

    def step(self, closure=None):
        """One Adam update of every parameter that has a gradient; returns ``closure()``'s loss."""
        loss = self._closure_loss(closure)
        for group in self.param_groups:
            lr, eps, weight_decay = group["lr"], group["eps"], group["weight_decay"]
            beta1, beta2 = group["betas"]
            for p in group["params"]:
                grad = grad_array(p, group["maximize"])
                if grad is None:
                    continue
                data = p._data
                state = self.state[p]
                if not state:
                    state["step"] = _plain(np.array(0.0))
                    state["exp_avg"] = _plain(np.zeros_like(data))
                    state["exp_avg_sq"] = _plain(np.zeros_like(data))
                    if group["amsgrad"]:
                        state["max_exp_avg_sq"] = _plain(np.zeros_like(data))
                step_t = state["step"]
                step_t._data = step_t._data + 1
                if weight_decay != 0:
                    if group["decoupled_weight_decay"]:
                        update_(p, data * (1 - lr * weight_decay))
                    else:
                        grad = fma(weight_decay, data, grad)
                exp_avg, exp_avg_sq = state["exp_avg"]._data, state["exp_avg_sq"]._data
                exp_avg[...] = _lerp(exp_avg, grad, 1 - beta1)
                exp_avg_sq[...] = fma((1 - beta2) * grad, grad, exp_avg_sq * beta2)  # addcmul_
                step = float(step_t._data)
                bias_correction1 = 1 - beta1**step
                bias_correction2 = 1 - beta2**step
                step_size = lr / bias_correction1
                bias_correction2_sqrt = bias_correction2**0.5
                if group["amsgrad"]:
                    max_exp_avg_sq = state["max_exp_avg_sq"]._data
                    np.maximum(max_exp_avg_sq, exp_avg_sq, out=max_exp_avg_sq)
                    denom = np.sqrt(max_exp_avg_sq) / bias_correction2_sqrt + eps
                else:
                    denom = np.sqrt(exp_avg_sq) / bias_correction2_sqrt + eps
                update_(p, data + (-step_size) * exp_avg / denom)
        return loss


class AdamW(Adam):
    """Adam with decoupled weight decay (``p *= 1 - lr * weight_decay`` before the update);
    ``AdamW(params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2, amsgrad=False)``.

    Example::

        >>> import gradcli as torch
        >>> w = torch.tensor([1.0], requires_grad=True)
        >>> optimizer = torch.optim.AdamW([w], lr=0.1, weight_decay=0.5)
        >>> (w * w).sum().backward(); optimizer.step()
        >>> w            # 1 * (1 - 0.1 * 0.5) - 0.1
        tensor([0.8500], requires_grad=True)
    """

    _decoupled = True

    def __init__(
        self,
        params,
        lr=1e-3,
        betas=(0.9, 0.999),
        eps=1e-8,
        weight_decay=1e-2,
        amsgrad=False,
        *,
        maximize=False,
        foreach=None,
        capturable=False,
        differentiable=False,
        fused=None,
    ):
        super().__init__(
            params,
            lr,
            betas,
            eps,
            weight_decay,
            amsgrad,
            foreach=foreach,
            maximize=maximize,
            capturable=capturable,
            differentiable=differentiable,
            fused=fused,
            decoupled_weight_decay=True,
        )
