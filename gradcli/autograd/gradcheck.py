"""Check analytical gradients against finite differences (PyTorch's
``torch.autograd.gradcheck`` / ``gradgradcheck``).

``gradcheck`` builds two Jacobians for every (differentiable input,
differentiable output) pair and compares them with ``allclose``:

- numerical: central differences ``(f(x + eps e_k) - f(x - eps e_k)) / (2 eps)``,
  one input element ``k`` at a time;
- analytical: one ``autograd.grad`` call per output element, with a unit
  vector as ``grad_outputs`` (run twice, to catch a backward that is not
  reentrant).

Both are laid out as PyTorch does, ``(input.numel(), output.numel())``.
``gradgradcheck`` runs ``gradcheck`` on the function that maps (inputs,
grad_outputs) to the gradients ``autograd.grad(..., create_graph=True)``
returns, which checks every backward formula's own derivative.
"""

from __future__ import annotations

import warnings

import numpy as np

from .backward import grad as _grad
from .creation import tensor
from .dtypes import float64
from .grad_mode import enable_grad
from .tensor import Tensor

__all__ = ["GradcheckError", "gradcheck", "gradgradcheck"]


class GradcheckError(RuntimeError):
    """Error raised by gradcheck and gradgradcheck."""


def _as_tuple(x):
    if isinstance(x, tuple):
        return x
    if isinstance(x, list):
        return tuple(x)
    return (x,)


def _is_tensor(x):
    return isinstance(x, Tensor)


def _differentiable_outputs(outputs):
    return tuple(o for o in _as_tuple(outputs) if _is_tensor(o) and o.requires_grad)


def _array(t):
    return np.asarray(t.detach().numpy(), dtype=np.float64)


def _numel(t):
    return int(np.prod(t.shape, dtype=np.int64))


def _to_tensor(array, dtype=None):
    # Jacobians shown in messages print like PyTorch's (float64 shows no dtype).
    return tensor(np.asarray(array, dtype=np.float64), dtype=dtype)


# ----- the two Jacobians -----


def _numerical_jacobian(func, inputs, outputs, diff_indices, eps):
    """jac[i][o]: (numel of differentiable input i, numel of output o), for every tensor output
    (``outputs`` are func's tensor outputs at ``inputs``)."""

    def evaluate(index, flat_position, delta):
        original = inputs[index]
        data = _array(original).copy()
        data.reshape(-1)[flat_position] += delta
        perturbed = tensor(data, dtype=original.dtype, requires_grad=original.requires_grad)
        # A tensor passed twice is perturbed in both places (PyTorch perturbs it in place).
        args = [perturbed if a is original else a for a in inputs]
        outs = tuple(o for o in _as_tuple(func(*args)) if _is_tensor(o))
        return [_array(o) for o in outs]

    jacobians = []
    for index in diff_indices:
        columns = []
        for k in range(_numel(inputs[index])):
            minus = evaluate(index, k, -eps)
            plus = evaluate(index, k, eps)
            for a, b in zip(minus, plus):
                if a.shape != b.shape:
                    raise GradcheckError(
                        "Expected `func` to return outputs with the same shape when inputs are perturbed "
                        f"on index {k} by {eps}, but got: shapes {a.shape} and {b.shape}."
                    )
            columns.append([((b - a) / (2 * eps)).reshape(-1) for a, b in zip(minus, plus)])
        if columns:
            jacobians.append([np.stack([col[o] for col in columns]) for o in range(len(columns[0]))])
        else:  # an input with no elements
            jacobians.append([np.zeros((0, _numel(o))) for o in outputs])
    return jacobians


def _analytical_jacobian(output, diff_inputs, check_grad_dtypes):
    """jac[i]: (numel of diff_inputs[i], numel of output), from unit-vector backward passes."""
    n_out = _numel(output)
    jac = [np.zeros((_numel(inp), n_out)) for inp in diff_inputs]
    for e in range(n_out):
        unit = np.zeros(n_out)
        unit[e] = 1.0
        grad_output = tensor(unit.reshape(tuple(output.shape)), dtype=output.dtype)
        grads = _grad((output,), diff_inputs, (grad_output,), retain_graph=True, allow_unused=True)
        for i, (g, inp) in enumerate(zip(grads, diff_inputs)):
            if g is None:
                continue
            if tuple(g.shape) != tuple(inp.shape):
                raise GradcheckError("Analytical gradient has incorrect size")
            if check_grad_dtypes and g.dtype != inp.dtype:
                raise GradcheckError("Gradient has dtype mismatch")
            jac[i][:, e] = _array(g).reshape(-1)
    return jac


# ----- public API -----


def gradcheck(
    func,
    inputs,
    eps=1e-6,
    atol=1e-5,
    rtol=1e-3,
    raise_exception=True,
    nondet_tol=0.0,
    check_undefined_grad=True,
    check_grad_dtypes=False,
    check_batched_grad=False,
    check_batched_forward_grad=False,
    check_forward_ad=False,
    check_backward_ad=True,
    fast_mode=False,
    masked=None,
):
    """Check ``func``'s gradients against central finite differences.

    ``inputs`` is a Tensor or a tuple (non-Tensors are passed through); the
    inputs with ``requires_grad=True`` are checked, and should be float64.
    For each differentiable output ``o`` and input ``i`` the analytical and
    numerical Jacobians, both of shape ``(inputs[i].numel(), o.numel())``, must
    satisfy ``|analytical - numerical| <= atol + rtol * |numerical|``.

    Returns True, or raises ``GradcheckError`` ("Jacobian mismatch for output o
    with respect to input i, ...") -- or returns False if
    ``raise_exception=False``.  ``check_undefined_grad``,
    ``check_batched_grad``, ``check_batched_forward_grad``, ``fast_mode`` and
    ``masked`` are accepted for PyTorch compatibility and ignored (the full,
    slow check always runs); gradcli has no forward-mode AD, so
    ``check_forward_ad=True`` raises NotImplementedError.

    Example::

        >>> import gradcli as torch
        >>> x = torch.tensor([0.3, 1.2], requires_grad=True)
        >>> gradcheck(lambda x: (x.sin() * x).sum(), (x,))
        True
    """
    if check_forward_ad:
        raise NotImplementedError(
            "gradcheck: check_forward_ad=True needs forward-mode AD, which gradcli does not have; "
            "the backward (reverse-mode) check runs with check_backward_ad=True."
        )
    tupled_inputs = _as_tuple(inputs)
    diff_indices = [i for i, x in enumerate(tupled_inputs) if _is_tensor(x) and x.requires_grad]
    if not diff_indices:
        raise ValueError(
            "gradcheck expects at least one input tensor to require gradient, "
            "but none of the them have requires_grad=True."
        )
    for i in diff_indices:
        if tupled_inputs[i].dtype != float64:
            warnings.warn(
                f"Input #{i} requires gradient and is not a double precision floating point or complex. "
                "This check will likely fail if all the inputs are not of double precision floating "
                "point or complex. ",
                stacklevel=2,
            )
    try:
        if check_backward_ad:
            _check(func, tupled_inputs, diff_indices, eps, atol, rtol, nondet_tol, check_grad_dtypes)
    except GradcheckError:
        if raise_exception:
            raise
        return False
    return True


def _check(func, inputs, diff_indices, eps, atol, rtol, nondet_tol, check_grad_dtypes):
    with enable_grad():
        all_outputs = tuple(o for o in _as_tuple(func(*inputs)) if _is_tensor(o))
        diff_inputs = tuple(inputs[i] for i in diff_indices)
        numerical = _numerical_jacobian(func, inputs, all_outputs, diff_indices, eps)
        if not any(o.requires_grad for o in all_outputs):
            # Nothing to differentiate: the function must then really be constant.
            for per_input in numerical:
                for n in per_input:
                    if n.size and np.any(n != 0):
                        raise GradcheckError("Numerical gradient for function expected to be zero")
            return
        # Index outputs among the differentiable ones, as PyTorch does.
        keep = [k for k, o in enumerate(all_outputs) if o.requires_grad]
        for o_idx, k in enumerate(keep):
            output = all_outputs[k]
            analytical = _analytical_jacobian(output, diff_inputs, check_grad_dtypes)
            again = _analytical_jacobian(output, diff_inputs, check_grad_dtypes)
            for i, (a, n) in enumerate(zip(analytical, (per_input[k] for per_input in numerical))):
                if not np.allclose(a, n, rtol=rtol, atol=atol, equal_nan=False):
                    raise GradcheckError(
                        f"Jacobian mismatch for output {o_idx} with respect to input {i},\n"
                        f"numerical:{_to_tensor(n)}\nanalytical:{_to_tensor(a)}\n"
                    )
            for a, b in zip(analytical, again):
                if a.size and np.max(np.abs(a - b)) > nondet_tol:
                    raise GradcheckError(
                        "Backward is not reentrant, i.e., running backward with same input and grad_output "
                        "multiple times gives different values, although analytical gradient matches "
                        f"numerical gradient. The tolerance for nondeterminism was {nondet_tol}."
                    )


def gradgradcheck(
    func,
    inputs,
    grad_outputs=None,
    eps=1e-6,
    atol=1e-5,
    rtol=1e-3,
    gen_non_contig_grad_outputs=False,
    raise_exception=True,
    nondet_tol=0.0,
    check_undefined_grad=True,
    check_grad_dtypes=False,
    check_batched_grad=False,
    check_fwd_over_rev=False,
    check_rev_over_rev=True,
    fast_mode=False,
    masked=False,
):
    """Check second derivatives: ``gradcheck`` of the gradient of ``func``.

    The function checked maps ``(*inputs, *grad_outputs)`` to
    ``autograd.grad(func(*inputs), differentiable inputs, grad_outputs,
    create_graph=True)``, so the backward formulas must themselves be
    differentiable.  ``grad_outputs`` (shaped like ``func``'s differentiable
    outputs) default to reproducible random float64 values in [-1, 1).
    Tolerances and the result are as for ``gradcheck``.

    Example::

        >>> import gradcli as torch
        >>> x = torch.tensor([0.3, 1.2], requires_grad=True)
        >>> gradgradcheck(lambda x: x.exp() * x, (x,))
        True
    """
    if check_fwd_over_rev:
        raise NotImplementedError(
            "gradgradcheck: check_fwd_over_rev=True needs forward-mode AD, which gradcli does not have."
        )
    tupled_inputs = _as_tuple(inputs)
    if grad_outputs is None:
        with enable_grad():
            outputs = _differentiable_outputs(func(*tupled_inputs))
        rng = np.random.default_rng(0)
        tupled_grad_outputs = tuple(
            tensor(rng.uniform(-1.0, 1.0, size=tuple(o.shape)), dtype=o.dtype, requires_grad=True) for o in outputs
        )
    else:
        tupled_grad_outputs = _as_tuple(grad_outputs)
    num_outputs = len(tupled_grad_outputs)
    diff_input_indices = [i for i, x in enumerate(tupled_inputs) if _is_tensor(x) and x.requires_grad]

    def new_func(*args):
        input_args = args[: len(args) - num_outputs]
        outputs = _differentiable_outputs(func(*input_args))
        grads_out = args[len(args) - num_outputs :]
        diff_input_args = tuple(input_args[i] for i in diff_input_indices)
        grad_inputs = _grad(outputs, diff_input_args, grads_out, create_graph=True, allow_unused=True)
        return tuple(g for g in grad_inputs if g is not None)

    return gradcheck(
        new_func,
        tupled_inputs + tupled_grad_outputs,
        eps=eps,
        atol=atol,
        rtol=rtol,
        raise_exception=raise_exception,
        nondet_tol=nondet_tol,
        check_grad_dtypes=check_grad_dtypes,
    )
