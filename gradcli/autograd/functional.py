"""Higher-level derivatives of whole functions: ``jacobian``, ``hessian``,
``vjp``, ``jvp``, ``hvp``, ``vhp`` (PyTorch's ``torch.autograd.functional``).

Every function takes ``func`` (Tensor(s) in, Tensor(s) out) and ``inputs``
(a Tensor or a tuple of Tensors) and mirrors the structure it was given: a
Tensor in gives a Tensor out, a tuple in gives a tuple out.  All of them are
built on ``autograd.grad`` only, so anything the engine can differentiate
(including with ``create_graph=True``) works here, to any order.

``strict=True`` raises, with PyTorch's messages, when an output does not
depend on an input; ``strict=False`` returns zeros there (the mathematical
value).  With ``create_graph=False`` results are detached.

One extension over PyTorch: ``vjp(func, inputs)`` with ``v`` omitted and a
non-scalar output returns ``(output, vjp_fn)`` where ``vjp_fn(v)`` gives the
vector-Jacobian product, so the tutorial's ``output, vjp_fn = vjp(f, x)`` runs.
"""

from __future__ import annotations

import numpy as np

from .creation import ones_like, tensor, zeros, zeros_like
from .functional_helpers import (
    _as_tuple,
    _autograd_grad,
    _check_requires_grad,
    _fill_in_zeros,
    _grad_postprocess,
    _grad_preprocess,
    _numel,
    _prepare_v,
    _require_v_or_single_element,
    _single_scalar_output,
    _tuple_postprocess,
)
from .grad_mode import enable_grad, no_grad
from .ops_shape import stack

__all__ = ["vjp", "jvp", "jacobian", "hessian", "hvp", "vhp"]


# ----- public API -----


def vjp(func, inputs, v=None, create_graph=False, strict=False):
    """Vector-Jacobian product ``v^T J`` of ``func`` at ``inputs``.

    Shapes: ``v`` is shaped like ``func``'s output(s); the result is shaped like
    ``inputs`` (a Tensor for a Tensor, a tuple for a tuple).  ``v`` may be omitted
    when the output has a single element (it is then 1).  If ``v`` is omitted and
    the output has several elements, returns ``(output, vjp_fn)`` instead, where
    ``vjp_fn(v)`` computes the product (a gradcli extension; can be called again).

    Returns ``(func_output, vjp)``.

    Example::

        >>> import gradcli as torch
        >>> f = lambda x: torch.stack([x[0] * x[1], x[0] + x[1] ** 2])
        >>> x = torch.tensor([2.0, 3.0])
        >>> vjp(f, x, torch.tensor([1.0, 1.0]))[1]   # J = [[3, 2], [1, 6]]
        tensor([4., 8.])
        >>> output, vjp_fn = vjp(f, x); vjp_fn(torch.tensor([1.0, 0.0]))
        tensor([3., 2.])
    """
    with enable_grad():
        is_inputs_tuple, inputs = _as_tuple(inputs, "inputs", "vjp")
        inputs = _grad_preprocess(inputs, create_graph=create_graph, need_graph=True)
        outputs = func(*inputs)
        is_outputs_tuple, outputs = _as_tuple(outputs, "outputs of the user-provided function", "vjp")
        _check_requires_grad(outputs, "outputs", strict=strict)

        def product(v, retain_graph):
            with enable_grad():
                v = _prepare_v(v, outputs, is_outputs_tuple, "vjp", create_graph)
                grad_res = _autograd_grad(outputs, inputs, v, create_graph=create_graph, retain_graph=retain_graph)
                result = _fill_in_zeros(grad_res, inputs, strict, create_graph, "back")
            return _tuple_postprocess(_grad_postprocess(result, create_graph), is_inputs_tuple)

        returned_outputs = _tuple_postprocess(_grad_postprocess(outputs, create_graph), is_outputs_tuple)
        if v is None:
            if len(outputs) == 1 and _numel(outputs[0]) == 1:
                v = ones_like(outputs[0])
            else:
                return returned_outputs, lambda v: product(v, retain_graph=True)
        return returned_outputs, product(v, retain_graph=None)


def jvp(func, inputs, v=None, create_graph=False, strict=False):
    """Jacobian-vector product ``J u`` of ``func`` at ``inputs``.

    Shapes: ``v`` (the tangent ``u``) is shaped like ``inputs``; the result is
    shaped like ``func``'s output(s).  ``v`` may be omitted when the input is a
    single one-element Tensor.  Computed exactly with the double-backward trick:
    ``J u = d/dg (g^T J) . u`` for a dummy cotangent ``g``.

    Returns ``(func_output, jvp)``.

    Example::

        >>> import gradcli as torch
        >>> f = lambda x: torch.stack([x[0] * x[1], x[0] + x[1] ** 2])
        >>> x = torch.tensor([2.0, 3.0])
        >>> output, jvp_result = jvp(f, (x,), (torch.tensor([1.0, 0.0]),))
        >>> jvp_result                                 # first column of J
        tensor([3., 1.])
    """
    with enable_grad():
        is_inputs_tuple, inputs = _as_tuple(inputs, "inputs", "jvp")
        inputs = _grad_preprocess(inputs, create_graph=create_graph, need_graph=True)
        if v is not None:
            v = _prepare_v(v, inputs, is_inputs_tuple, "jvp", create_graph)
        else:
            _require_v_or_single_element(v, inputs)
            v = (ones_like(inputs[0]),)
        outputs = func(*inputs)
        is_outputs_tuple, outputs = _as_tuple(outputs, "outputs of the user-provided function", "jvp")
        _check_requires_grad(outputs, "outputs", strict=strict)
        # The backward pass is linear in grad_outputs, so their value never matters;
        # zeros keep inf/nan out of the double-backward graph.
        grad_outputs = tuple(zeros_like(out).requires_grad_(True) for out in outputs)
        grad_inputs = _autograd_grad(outputs, inputs, grad_outputs, create_graph=True)
        _check_requires_grad(grad_inputs, "grad_inputs", strict=strict)
        grad_res = _autograd_grad(grad_inputs, grad_outputs, v, create_graph=create_graph)
        result = _fill_in_zeros(grad_res, outputs, strict, create_graph, "back_trick")
    outputs = _grad_postprocess(outputs, create_graph)
    result = _grad_postprocess(result, create_graph)
    return _tuple_postprocess(outputs, is_outputs_tuple), _tuple_postprocess(result, is_outputs_tuple)


def _unit(t, j):
    """A tensor shaped like ``t`` with a 1 at flat position ``j``."""
    e = np.zeros(_numel(t))
    e[j] = 1.0
    return tensor(e.reshape(tuple(t.shape)), dtype=t.dtype)


def jacobian(func, inputs, create_graph=False, strict=False, vectorize=False, strategy="reverse-mode"):
    """Jacobian of ``func`` at ``inputs``, one backward pass per output element.

    Shapes: for output ``i`` of shape ``O_i`` and input ``j`` of shape ``I_j`` the
    block ``J[i][j]`` has shape ``O_i + I_j``.  One input and one output give a
    single Tensor; a tuple on one side gives a tuple; tuples on both sides give a
    tuple of tuples indexed ``[output][input]``.

    ``vectorize`` is accepted for PyTorch compatibility and changes nothing (the
    rows are computed one by one either way); as in PyTorch it cannot be combined
    with ``strict=True``.  ``strategy="forward-mode"`` computes the columns with
    ``jvp`` instead of the rows with ``vjp`` (same numbers); as in PyTorch it
    refuses ``create_graph=True`` and ``strict=True``.

    Example::

        >>> import gradcli as torch
        >>> f = lambda x: torch.stack([x[0] * x[1], x[0] + x[1] ** 2])
        >>> jacobian(f, torch.tensor([2.0, 3.0]))          # shape (2, 2)
        tensor([[3., 2.],
                [1., 6.]])
        >>> jacobian(lambda x, y: x * y, (torch.tensor([1.0, 2.0]), torch.tensor([3.0, 4.0])))
        (tensor([[3., 0.],
                [0., 4.]]), tensor([[1., 0.],
                [0., 2.]]))
    """
    if strategy not in ("forward-mode", "reverse-mode"):
        raise ValueError(
            'Expected strategy to be either "forward-mode" or "reverse-mode". Hint: If your '
            'function has more outputs than inputs, "forward-mode" tends to be more performant. '
            'Otherwise, prefer to use "reverse-mode".'
        )
    if strategy == "forward-mode":
        if create_graph:
            raise NotImplementedError(
                'torch.autograd.functional.jacobian: `create_graph=True` and `strategy="forward-mode"` '
                "are not supported together (yet). Please either set `create_graph=False` or "
                '`strategy="reverse-mode"`.'
            )
        if strict:
            raise RuntimeError(
                'torch.autograd.functional.jacobian: `strict=True` and `strategy="forward-mode"` '
                "are not supported together (yet). Please either set `strict=False` or "
                '`strategy="reverse-mode"`.'
            )
        return _jacobian_forward(func, inputs)
    if vectorize and strict:
        raise RuntimeError(
            "torch.autograd.functional.jacobian: `strict=True` and `vectorized=True` are not "
            "supported together. Please either set `strict=False` or `vectorize=False`."
        )

    with enable_grad():
        is_inputs_tuple, inputs = _as_tuple(inputs, "inputs", "jacobian")
        inputs = _grad_preprocess(inputs, create_graph=create_graph, need_graph=True)
        outputs = func(*inputs)
        is_outputs_tuple, outputs = _as_tuple(outputs, "outputs of the user-provided function", "jacobian")
        _check_requires_grad(outputs, "outputs", strict=strict)

        blocks = []
        for i, out in enumerate(outputs):
            rows: tuple[list, ...] = tuple([] for _ in inputs)
            for j in range(_numel(out)):
                vj = _autograd_grad((out,), inputs, (_unit(out, j),), retain_graph=True, create_graph=create_graph)
                for k, (rows_k, vj_k, inp_k) in enumerate(zip(rows, vj, inputs)):
                    if vj_k is not None:
                        if strict and create_graph and not vj_k.requires_grad:
                            raise RuntimeError(
                                f"The jacobian of the user-provided function is independent of input {k}. "
                                "This is not allowed in strict mode when create_graph=True."
                            )
                        rows_k.append(vj_k)
                    else:
                        if strict:
                            raise RuntimeError(
                                f"Output {i} of the user-provided function is independent of input {k}. "
                                "This is not allowed in strict mode."
                            )
                        rows_k.append(zeros_like(inp_k))
            blocks.append(tuple(_stack_rows(rows_k, out, inp_k) for rows_k, inp_k in zip(rows, inputs)))
        result = _grad_postprocess(tuple(blocks), create_graph)
    return _tuple_postprocess(result, (is_outputs_tuple, is_inputs_tuple))


def _stack_rows(rows, out, inp):
    shape = tuple(out.shape) + tuple(inp.shape)
    if not rows:  # an output with no elements
        return zeros(shape, dtype=inp.dtype)
    return stack(rows, dim=0).reshape(shape)


def _jacobian_forward(func, inputs):
    """Jacobian by columns: one exact ``jvp`` per input element."""
    is_inputs_tuple, inputs = _as_tuple(inputs, "inputs", "jacobian")
    inputs = tuple(inp.detach() for inp in inputs)
    with no_grad():
        outputs = func(*inputs)
    columns = []  # columns[j][e] = tuple over outputs of d out / d inputs[j].flat[e]
    for j, inp in enumerate(inputs):
        cols_j = []
        for e in range(_numel(inp)):
            tangent = tuple(_unit(t, e) if k == j else zeros_like(t) for k, t in enumerate(inputs))
            outputs, jv = jvp(func, inputs, tangent)
            cols_j.append(jv if isinstance(jv, tuple) else (jv,))
        columns.append(cols_j)
    is_outputs_tuple = isinstance(outputs, tuple)
    outputs = outputs if is_outputs_tuple else (outputs,)
    blocks = []
    for i, out in enumerate(outputs):
        row = []
        for j, inp in enumerate(inputs):
            shape = tuple(out.shape) + tuple(inp.shape)
            if not columns[j]:
                row.append(zeros(shape, dtype=inp.dtype))
            else:
                row.append(stack([c[i].reshape(-1) for c in columns[j]], dim=1).reshape(shape))
        blocks.append(tuple(row))
    return _tuple_postprocess(tuple(blocks), (is_outputs_tuple, is_inputs_tuple))


def hessian(func, inputs, create_graph=False, strict=False, vectorize=False, outer_jacobian_strategy="reverse-mode"):
    """Hessian of a scalar ``func`` at ``inputs``: the Jacobian of its gradient.

    Shapes: ``func`` returns one Tensor with one element.  For one input of
    shape ``I`` the result has shape ``I + I``; for a tuple of inputs it is a
    tuple of tuples with ``H[i][j]`` of shape ``I_i + I_j``.

    Example::

        >>> import gradcli as torch
        >>> hessian(lambda x: (x[0] ** 2 * x[1]).sum(), torch.tensor([1.0, 2.0]))
        tensor([[4., 2.],
                [2., 0.]])
    """
    is_inputs_tuple, inputs = _as_tuple(inputs, "inputs", "hessian")

    def ensure_single_output_function(*inp):
        out = _single_scalar_output(func, inp, "hessian", strict)[0]
        return out.reshape(())

    def jac_func(*inp):
        jac = jacobian(ensure_single_output_function, inp, create_graph=True)
        _check_requires_grad(jac, "jacobian", strict=strict)
        return jac

    res = jacobian(
        jac_func,
        inputs,
        create_graph=create_graph,
        strict=strict,
        vectorize=vectorize,
        strategy=outer_jacobian_strategy,
    )
    return _tuple_postprocess(res, (is_inputs_tuple, is_inputs_tuple))


def vhp(func, inputs, v=None, create_graph=False, strict=False):
    """Vector-Hessian product ``v^T H`` of a scalar ``func`` at ``inputs``.

    Shapes: ``v`` and the result are shaped like ``inputs``; ``func`` returns one
    Tensor with one element.  Returns ``(func_output, vhp)``.

    Example::

        >>> import gradcli as torch
        >>> f = lambda x: (x ** 3).sum()                  # H = diag(6 x)
        >>> vhp(f, torch.tensor([1.0, 2.0]), torch.tensor([1.0, 1.0]))
        (tensor(9.), tensor([ 6., 12.]))
    """
    return _hessian_product(func, inputs, v, create_graph, strict, "vhp")


def hvp(func, inputs, v=None, create_graph=False, strict=False):
    """Hessian-vector product ``H v`` of a scalar ``func`` at ``inputs``.

    Shapes: ``v`` and the result are shaped like ``inputs``; ``func`` returns one
    Tensor with one element.  Uses the double-backward trick as PyTorch does
    (equal to ``vhp`` for twice continuously differentiable functions).
    Returns ``(func_output, hvp)``.

    Example::

        >>> import gradcli as torch
        >>> f = lambda x: x[0] ** 2 * x[1]                # H = [[2 x1, 2 x0], [2 x0, 0]]
        >>> hvp(f, torch.tensor([1.0, 2.0]), torch.tensor([1.0, 0.0]))
        (tensor(2.), tensor([4., 2.]))
    """
    return _hessian_product(func, inputs, v, create_graph, strict, "hvp")


def _hessian_product(func, inputs, v, create_graph, strict, fn_name):
    with enable_grad():
        is_inputs_tuple, inputs = _as_tuple(inputs, "inputs", fn_name)
        inputs = _grad_preprocess(inputs, create_graph=create_graph, need_graph=True)
        if v is not None:
            v = _prepare_v(v, inputs, is_inputs_tuple, fn_name, create_graph)
        else:
            _require_v_or_single_element(v, inputs)
            v = (ones_like(inputs[0]),)
        outputs = _single_scalar_output(func, inputs, fn_name, strict)
        jac = _autograd_grad(outputs, inputs, create_graph=True)
        _check_requires_grad(jac, "jacobian", strict=strict)
        if fn_name == "vhp":
            grad_res = _autograd_grad(jac, inputs, v, create_graph=create_graph)
            result = _fill_in_zeros(grad_res, inputs, strict, create_graph, "double_back")
        else:
            grad_jac = tuple(zeros_like(inp).requires_grad_(True) for inp in inputs)
            double_back = _autograd_grad(jac, inputs, grad_jac, create_graph=True)
            _check_requires_grad(jac, "hessian", strict=strict)
            grad_res = _autograd_grad(double_back, grad_jac, v, create_graph=create_graph)
            result = _fill_in_zeros(grad_res, inputs, strict, create_graph, "double_back_trick")
    outputs = _grad_postprocess(outputs, create_graph)
    result = _grad_postprocess(result, create_graph)
    return _tuple_postprocess(outputs, False), _tuple_postprocess(result, is_inputs_tuple)
