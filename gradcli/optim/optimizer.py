"""The optimiser base class: parameter groups, per-parameter state,
``zero_grad``, ``state_dict``/``load_state_dict`` (PyTorch's torch.optim.Optimizer).

Subclasses set their defaults and write ``step``, updating parameters in place
through ``update_`` (the parameter's numpy data, version bumped once) so that a
step records nothing and costs a few numpy calls per parameter.
"""

import copy
import warnings
from collections import defaultdict
from itertools import chain
from typing import Any

import numpy as np

from ..autograd.dtypes import legacy_type_name
from ..autograd.grad_mode import _state
from ..autograd.tensor import Tensor, _plain


class _RequiredParameter:
    """Marks a default that each parameter group must give (``lr`` of a few optimisers)."""

    def __repr__(self):
        return "<required parameter>"


required = _RequiredParameter()

_DUPLICATE_WARNING = (
    "optimizer contains a parameter group with duplicate parameters; in future, this will cause "
    "an error; see github.com/pytorch/pytorch/issues/40967 for more information"
)


def update_(param, data):
    """Write ``data`` (an array shaped like ``param``) into ``param`` in place, as an
    in-place operation outside the graph would (the version counter moves)."""
    target = param._data
    if data is not target:
        target[...] = data
    param._counter[0] += 1


class Optimizer:
    """Base class of gradcli's optimisers.

    ``params``: an iterable of Tensors, or of dicts (parameter groups: ``{"params":
    [...], "lr": ...}``) whose keys override ``defaults`` for that group.

    Example::

        >>> import gradcli as torch
        >>> w = torch.tensor([1.0, 2.0], requires_grad=True)
        >>> optimizer = torch.optim.SGD([w], lr=0.1)
        >>> (w * w).sum().backward(); optimizer.step()
        >>> w
        tensor([0.8000, 1.6000], requires_grad=True)
    """

    def __init__(self, params, defaults):
        self.defaults = defaults
        # per-parameter state: each optimiser keeps its own mix of tensors, arrays and numbers
        self.state: defaultdict[object, dict[str, Any]] = defaultdict(dict)
        self.param_groups: list[dict[str, Any]] = []
        if isinstance(params, Tensor):
            raise TypeError(
                "params argument given to the optimizer should be an iterable of Tensors or dicts, "
                f"but got {legacy_type_name(params._data.dtype)}"
            )
        param_groups = list(params)
        if not param_groups:
            raise ValueError("optimizer got an empty parameter list")
        if not isinstance(param_groups[0], dict):
            param_groups = [{"params": param_groups}]
        for group in param_groups:
            self.add_param_group(group)

    def __repr__(self):
        lines = [self.__class__.__name__ + " ("]
        for i, group in enumerate(self.param_groups):
            lines.append(f"Parameter Group {i}")
            lines += [f"    {key}: {group[key]}" for key in sorted(group) if key != "params"]
        return "\n".join(lines) + "\n)"

    def add_param_group(self, param_group):
        """Add a group of parameters (a dict with ``"params"`` and optional overrides)."""
        if not isinstance(param_group, dict):
            raise TypeError(f"param_group must be a dict, but got {type(param_group).__name__}")
        params = param_group["params"]
        if isinstance(params, Tensor):
            param_group["params"] = [params]
        elif isinstance(params, set):
            raise TypeError(
                "optimizer parameters need to be organized in ordered collections, but the ordering "
                "of tensors in sets will change between runs. Please use a list instead."
            )
        else:
            param_group["params"] = list(params)
        for param in param_group["params"]:
            if not isinstance(param, Tensor):
                raise TypeError(f"optimizer can only optimize Tensors, but one of the params is {type(param).__name__}")
            if not (param.is_leaf or param.retains_grad):
                raise ValueError("can't optimize a non-leaf Tensor")
        for name, default in self.defaults.items():
            if default is required and name not in param_group:
                raise ValueError(f"parameter group didn't specify a value of required optimization parameter {name}")
            param_group.setdefault(name, default)
        ids = [id(p) for p in param_group["params"]]
        if len(set(ids)) != len(ids):
            warnings.warn(_DUPLICATE_WARNING, UserWarning, stacklevel=3)
        existing = {id(p) for group in self.param_groups for p in group["params"]}
        if existing & set(ids):
            raise ValueError("some parameters appear in more than one parameter group")
        self.param_groups.append(param_group)

    def zero_grad(self, set_to_none=True):
        """Forget every parameter's gradient (``None``), or set it to zero in place."""
        for group in self.param_groups:
            for p in group["params"]:
                grad = p._grad
                if grad is None:
                    continue
                if set_to_none:
                    p._grad = None
                else:
                    if grad._grad_fn is not None:
                        grad.detach_()
                    else:
                        grad._requires_grad = False
                    grad.zero_()

    def step(self, closure=None):
        raise NotImplementedError

    def _closure_loss(self, closure):
        """Run ``closure`` with recording on (it calls backward), as PyTorch's step does."""
        if closure is None:
            return None
        previous = _state.enabled
        _state.enabled = True
        try:
            return closure()
        finally:
            _state.enabled = previous

    # -- saving and restoring ---------------------------------------------
    def state_dict(self):
        """``{"state": {index: {name: value}}, "param_groups": [{..., "params": [index]}]}``:
        parameters are numbered in group order; the values are the live state (not copies)."""
        index: dict[int, int] = {}
        groups = []
        for group in self.param_groups:
            packed = {key: value for key, value in group.items() if key != "params"}
            for p in group["params"]:
                index.setdefault(id(p), len(index))
            packed["params"] = [index[id(p)] for p in group["params"]]
            groups.append(packed)
        state = {index[id(p)] if isinstance(p, Tensor) else p: value for p, value in self.state.items()}
        return {"state": state, "param_groups": groups}

    def load_state_dict(self, state_dict):
        """Restore what ``state_dict()`` returned (copies it; tensors take each parameter's dtype,
        except ``step``)."""
        saved_groups = copy.deepcopy(state_dict["param_groups"])
        if len(self.param_groups) != len(saved_groups):
            raise ValueError("loaded state dict has a different number of parameter groups")
        for group, saved in zip(self.param_groups, saved_groups):
            if len(group["params"]) != len(saved["params"]):
                raise ValueError(
                    "loaded state dict contains a parameter group that doesn't match the size of optimizer's group"
                )
        id_map = dict(
            zip(
                chain.from_iterable(g["params"] for g in saved_groups),
                chain.from_iterable(g["params"] for g in self.param_groups),
            )
        )
        state: defaultdict[object, dict[str, Any]] = defaultdict(dict)
        for key, value in state_dict["state"].items():
            if key in id_map:
                param = id_map[key]
                state[param] = {name: _copy_state_value(param, name, v) for name, v in value.items()}
            else:
                state[key] = copy.deepcopy(value)
        self.state = state
        for group, saved in zip(self.param_groups, saved_groups):
            saved["params"] = group["params"]
            group.clear()
            group.update(saved)


def _copy_state_value(param, name, value):
    if isinstance(value, Tensor):
        data = value._data
        if name != "step" and param._data.dtype.kind == "f":
            data = data.astype(param._data.dtype)
        return _plain(np.array(data, copy=True))
    if isinstance(value, dict):
        return {k: _copy_state_value(param, k, v) for k, v in value.items()}
    if isinstance(value, list):
        return [_copy_state_value(param, name, v) for v in value]
    return copy.deepcopy(value)


def grad_array(param, maximize):
    """The parameter's gradient as a numpy array (negated for ``maximize``), or None."""
    grad = param._grad
    if grad is None:
        return None
    data = grad._data
    return -data if maximize else data


def fma(a, b, c):
    """``a * b + c`` rounded once, as PyTorch's CPU kernels compute ``c.add(b, alpha=a)``,
    ``lerp`` and ``addcmul`` (a fused multiply-add).  Python 3.11 has no math.fma:
    the sum is formed in numpy's 80-bit long double and rounded to float64, which
    gives the fused result except in rare double-rounding ties (about 1 in 1000)."""
    return (np.multiply(a, b, dtype=_LONG) + c).astype(np.float64)


_LONG = np.longdouble


def check_nonnegative(value, message):
    """PyTorch's ValueError for a negative hyperparameter: "Invalid learning rate: -1"."""
    if not 0.0 <= value:
        raise ValueError(f"{message}: {value}")
