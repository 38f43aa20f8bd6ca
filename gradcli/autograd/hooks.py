"""Tensor hooks and retain_grad: run on the gradient arriving at a node, before it
runs.  Hooks first, in registration order (each may return a replacement
gradient); retain_grad last, so .grad sees what flows on (PyTorch's order).

Leaves keep their hooks on themselves (their AccumulateGrad node is recreated
with each graph); other tensors' hooks live on their grad_fn node.
"""

from typing import Any

import numpy as np

# Filled in by tensor.py (which imports this module first); Any: naming Tensor would be an import cycle.
_tensor_class: Any = None


def run_hooks(node, hooks, grads, create_graph):
    """Run ``node``'s hooks on the gradient(s) arriving at it; returns the gradient(s) to use."""
    several = node._n_outputs > 1
    if several:
        grads = list(grads)
    for kind, target, nr in sorted(hooks, key=lambda entry: entry[0] == "retain"):
        grad = grads[nr] if several else grads
        if grad is None:
            continue
        if kind == "hook":
            result = target(_tensor_class(np.array(grad)) if grad.__class__ is not _tensor_class else grad)
            if result is None:
                continue
            _check_hook_result(target, result, np.shape(grad))
            if not create_graph and result.__class__ is _tensor_class:
                result = result._data
            if several:
                grads[nr] = result
            else:
                grads = result
        else:
            _retain(target(), grad)
    return grads


def _check_hook_result(hook, result, shape):
    """PyTorch's checks on what a hook returns: a tensor of the gradient's shape."""
    if not isinstance(result, _tensor_class):
        raise TypeError(f"expected Variable, but hook returned '{type(result).__name__}'")
    if result._data.shape != shape:
        name = getattr(hook, "__name__", repr(hook))
        raise RuntimeError(f"hook '{name}' has changed the size of value")


def _retain(tensor, grad):
    if tensor is None:
        return
    if grad.__class__ is not _tensor_class:
        grad = _tensor_class(np.array(grad, dtype=tensor._data.dtype))
    tensor._grad = grad if tensor._grad is None else tensor._grad + grad


class RemovableHandle:
    """Returned by ``Tensor.register_hook``; ``remove()`` unregisters the hook."""

    def __init__(self, hooks, entry):
        self._hooks, self._entry = hooks, entry

    def remove(self):
        if self._entry in self._hooks:
            self._hooks.remove(self._entry)


def add_hook(tensor, kind, target):
    """Register ``target`` on the node that receives ``tensor``'s gradient.

    Leaves keep their hooks on themselves (their AccumulateGrad node is
    recreated with each graph) and the node reads them from its variable.
    """
    if tensor._grad_fn is None:
        if tensor.__dict__.get("_leaf_hooks") is None:
            tensor._leaf_hooks = []
        hooks = tensor._leaf_hooks
        entry = (kind, target, 0)
    else:
        node = tensor._grad_fn
        if node._hooks is None:
            node._hooks = []
        hooks = node._hooks
        entry = (kind, target, tensor._output_nr)
    hooks.append(entry)
    return RemovableHandle(hooks, entry)
