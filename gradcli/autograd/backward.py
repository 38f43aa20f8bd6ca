"""``gradcli.autograd.backward`` and ``gradcli.autograd.grad``: the public entry
points of the backward engine (graph.execute)."""

import numpy as np

from . import graph
from .tensor import Tensor, _ones, edge


def _as_tuple(values):
    if values is None:
        return None
    if isinstance(values, Tensor):
        return (values,)
    return tuple(values)


def _shape_text(shape):
    return f"gradcli.Size({list(shape)})"


def _root_grads(outputs, grad_outputs, create_graph):
    """The gradient that seeds each output: given, or 1 for a one-element output."""
    if grad_outputs is None:
        grad_outputs = (None,) * len(outputs)
    if len(grad_outputs) != len(outputs):
        raise RuntimeError(
            f"grad requires one gradient per output: got {len(grad_outputs)} gradients and {len(outputs)} outputs"
        )
    roots, grads = [], []
    for i, (out, grad) in enumerate(zip(outputs, grad_outputs)):
        if not out._requires_grad:
            raise RuntimeError(f"element {i} of tensors does not require grad and does not have a grad_fn")
        if grad is None:
            if out._data.size != 1:
                raise RuntimeError("grad can be implicitly created only for scalar outputs")
            grad = _ones(out._data)
            if create_graph:
                grad = Tensor(grad.copy())
        else:
            grad_data = grad._data if isinstance(grad, Tensor) else np.asarray(grad, dtype=out._data.dtype)
            if grad_data.shape != out._data.shape:
                raise RuntimeError(
                    f"Mismatch in shape: grad_output[{i}] has a shape of "
                    f"{_shape_text(grad_data.shape)} and output[{i}] has a shape of "
                    f"{_shape_text(out._data.shape)}."
                )
            if create_graph:
                grad = grad if isinstance(grad, Tensor) else Tensor(grad_data)
            else:
                grad = grad_data
        roots.append(edge(out))
        grads.append(grad)
    return roots, grads


def backward(tensors, grad_tensors=None, retain_graph=None, create_graph=False, inputs=None):
    """Accumulate the gradients of ``tensors`` into the ``.grad`` of every leaf they depend on.

    ``grad_tensors``: one per tensor, same shape (may be None for one-element tensors).
    ``retain_graph`` defaults to ``create_graph``; without it, saved values are freed.

    Example::

        >>> import gradcli as torch
        >>> x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
        >>> torch.autograd.backward(x ** 2, torch.tensor([1.0, 1.0, 1.0]))
        >>> x.grad
        tensor([2., 4., 6.])
    """
    outputs = _as_tuple(tensors)
    grad_tensors = _as_tuple(grad_tensors)
    if retain_graph is None:
        retain_graph = create_graph
    roots, grads = _root_grads(outputs, grad_tensors, create_graph)
    if inputs is not None:
        if len(_as_tuple(inputs)) == 0:
            raise RuntimeError("`inputs` argument to `backward()` cannot be empty.")
        captured = grad(outputs, inputs, grad_tensors, retain_graph, create_graph, allow_unused=True)
        for tensor, value in zip(_as_tuple(inputs), captured):
            if value is not None:
                tensor._grad = value if tensor._grad is None else tensor._grad + value
        return
    graph.execute(roots, grads, retain_graph, create_graph)


def grad(
    outputs,
    inputs,
    grad_outputs=None,
    retain_graph=None,
    create_graph=False,
    allow_unused=False,
    materialize_grads=False,
):
    """Gradients of ``outputs`` with respect to ``inputs``, returned (not accumulated).

    Returns a tuple with one tensor per input, shaped like that input (None for
    an input the outputs do not depend on, if ``allow_unused``).  With
    ``create_graph=True`` the results are themselves differentiable.

    Example::

        >>> import gradcli as torch
        >>> x = torch.tensor([2.0], requires_grad=True)
        >>> (dy,) = torch.autograd.grad(x ** 3, x, create_graph=True)
        >>> dy
        tensor([12.], grad_fn=<MulBackward0>)
    """
    outputs = _as_tuple(outputs)
    inputs = _as_tuple(inputs)
    grad_outputs = _as_tuple(grad_outputs)
    if retain_graph is None:
        retain_graph = create_graph
    for tensor in inputs:
        if not tensor._requires_grad:
            raise RuntimeError("One of the differentiated Tensors does not require grad")
    roots, grads = _root_grads(outputs, grad_outputs, create_graph)
    targets = [edge(tensor) for tensor in inputs]
    capture = {target: None for target in targets}
    graph.execute(roots, grads, retain_graph, create_graph, capture)
    results: list[Tensor | None] = []
    for i, (tensor, target) in enumerate(zip(inputs, targets)):
        value = capture[target]
        if value is None:
            if materialize_grads:
                value = np.zeros_like(tensor._data)
            elif not allow_unused:
                raise RuntimeError(
                    f"The differentiated Tensor at index {i} appears to not have been used in the "
                    "graph. Set allow_unused=True if this is the desired behavior."
                )
            else:
                results.append(None)
                continue
        if not isinstance(value, Tensor):
            value = Tensor(np.array(value, dtype=tensor._data.dtype))
        results.append(value)
    return tuple(results)
