"""The backward engine: traversal, accumulation, retained and higher-order
gradients, grad mode, custom Functions, broadcasting, and derivative rules
against central differences."""

import math
import threading

import numpy as np
import pytest

import gradcli
from gradcli.autograd import Function, grad


# ***** traversal *****
@pytest.mark.slow
def test_chain_of_100000_operations_does_not_recurse():
    x = gradcli.tensor([1.0], requires_grad=True)
    y = x
    for _ in range(100_000):
        y = y * 1.0 + 0.0
    y = y * 3.0
    y.backward()
    assert x.grad.tolist() == [3.0]
    (g,) = grad(x * 1.0 + x, x)
    assert g.tolist() == [2.0]
    del y  # freeing a 200,000-node graph must not overflow the C stack either


@pytest.mark.slow
def test_deep_chain_with_create_graph():
    x = gradcli.tensor(0.5, requires_grad=True)
    y = x
    for _ in range(20_000):
        y = y + x * 0.0
    (dy,) = grad(y**2, x, create_graph=True)
    (d2y,) = grad(dy, x)
    assert dy.item() == pytest.approx(1.0) and d2y.item() == pytest.approx(2.0)


def test_shared_subexpression_gets_all_contributions():
    x = gradcli.tensor([2.0], requires_grad=True)
    a = x * x  # used three times below
    y = a + a * a + a.sin()
    y.backward()
    expected = 2 * 2.0 + 4 * 2.0**3 + math.cos(4.0) * 2 * 2.0
    assert x.grad.item() == pytest.approx(expected)


def test_gradient_flows_only_to_inputs_that_require_it():
    x = gradcli.tensor([1.0, 2.0], requires_grad=True)
    c = gradcli.tensor([3.0, 4.0])
    (x * c).sum().backward()
    assert x.grad.tolist() == [3.0, 4.0] and c.grad is None


def test_saved_tensors_are_freed_after_backward():
    x = gradcli.tensor([1.0], requires_grad=True)
    y = x.exp() * x
    node = y.grad_fn
    y.backward()
    assert node._saved is None
    z = x.exp() * x
    z.backward(retain_graph=True)
    assert z.grad_fn._saved is not None


def test_retain_grad_on_intermediate_and_root():
    x = gradcli.tensor([1.0, 2.0], requires_grad=True)
    y = x * 3
    y.retain_grad()
    z = (y**2).sum()
    z.retain_grad()
    z.backward()
    assert y.grad.tolist() == [6.0, 12.0] and z.grad.item() == 1.0
    assert x.grad.tolist() == [18.0, 36.0] and y.retains_grad


def test_autograd_backward_with_several_outputs():
    x = gradcli.tensor([1.0, 2.0], requires_grad=True)
    a, b = x * 2, x**2
    gradcli.autograd.backward([a, b], [gradcli.tensor([1.0, 1.0]), gradcli.tensor([1.0, 0.5])])
    assert x.grad.tolist() == [4.0, 4.0]


def test_backward_inputs_restricts_accumulation():
    x = gradcli.tensor([1.0], requires_grad=True)
    y = gradcli.tensor([2.0], requires_grad=True)
    (x * y).backward(inputs=[x])
    assert x.grad.tolist() == [2.0] and y.grad is None


def test_grad_with_grad_outputs_and_non_leaf_inputs():
    x = gradcli.tensor([1.0, 2.0, 3.0], requires_grad=True)
    h = x * 2
    y = h**2
    gx, gh = grad(y, [x, h], gradcli.tensor([1.0, 0.0, 1.0]))
    assert gh.tolist() == [4.0, 0.0, 12.0] and gx.tolist() == [8.0, 0.0, 24.0]
    assert x.grad is None  # grad() returns, it does not accumulate


def test_grad_of_a_leaf_with_respect_to_itself():
    x = gradcli.tensor([1.0, 2.0], requires_grad=True)
    (g,) = grad(x, x, gradcli.ones(2))
    assert g.tolist() == [1.0, 1.0]


# ***** higher order *****
def test_nth_derivatives_of_sin_cycle():
    x = gradcli.tensor(0.3, requires_grad=True)
    y = gradcli.sin(x)
    derivatives = []
    for _ in range(4):
        (y,) = grad(y, x, create_graph=True)
        derivatives.append(y.item())
    assert derivatives == pytest.approx([math.cos(0.3), -math.sin(0.3), -math.cos(0.3), math.sin(0.3)])


def test_backward_with_create_graph_records_the_gradient():
    x = gradcli.tensor([2.0], requires_grad=True)
    (x**3).backward(create_graph=True)
    assert x.grad.item() == 12.0 and x.grad.grad_fn is not None
    (g2,) = grad(x.grad, x)
    assert g2.item() == 12.0


def test_mixed_second_derivative():
    x = gradcli.tensor(1.5, requires_grad=True)
    y = gradcli.tensor(0.5, requires_grad=True)
    f = x**2 * y.exp() + gradcli.atan2(y, x)
    (fx,) = grad(f, x, create_graph=True)
    (fxy,) = grad(fx, y)
    expected = 2 * 1.5 * math.exp(0.5) + (0.5**2 - 1.5**2) / (1.5**2 + 0.5**2) ** 2
    assert fxy.item() == pytest.approx(expected)


# ***** grad mode *****
def test_grad_mode_context_managers_and_decorators():
    x = gradcli.tensor([1.0], requires_grad=True)
    with gradcli.no_grad():
        assert not (x * 2).requires_grad
        with gradcli.enable_grad():
            assert (x * 2).requires_grad
    with gradcli.set_grad_enabled(False):
        assert not (x * 2).requires_grad
    assert (x * 2).requires_grad

    @gradcli.no_grad()
    def untracked(t):
        return t * 2

    @gradcli.set_grad_enabled(False)
    def also_untracked(t):
        return t * 2

    assert not untracked(x).requires_grad and not also_untracked(x).requires_grad
    assert gradcli.is_grad_enabled()
    gradcli.set_grad_enabled(False)
    assert not gradcli.is_grad_enabled()
    gradcli.set_grad_enabled(True)
    assert gradcli.is_grad_enabled()


def test_grad_mode_is_per_thread():
    x = gradcli.tensor([1.0], requires_grad=True)
    seen = []
    inside = threading.Event()
    done = threading.Event()

    def other_thread():
        inside.wait()
        seen.append((x * 2).requires_grad)
        done.set()

    thread = threading.Thread(target=other_thread)
    thread.start()
    with gradcli.no_grad():
        inside.set()
        done.wait()
    thread.join()
    assert seen == [True]


# ***** custom Function *****
class ScaledPower(Function):
    @staticmethod
    def forward(ctx, x, k, p):
        ctx.save_for_backward(x)
        ctx.k, ctx.p = k, p  # plain attributes
        return k * x**p

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        assert ctx.needs_input_grad == (True, False, False)
        return grad_output * ctx.k * ctx.p * x ** (ctx.p - 1), None, None


def test_function_with_plain_arguments_and_double_backward():
    x = gradcli.tensor([2.0], requires_grad=True)
    y = ScaledPower.apply(x, 3.0, 2)
    assert repr(y) == "tensor([12.], grad_fn=<ScaledPowerBackward>)"
    (g,) = grad(y, x, create_graph=True)
    assert g.item() == 12.0
    (g2,) = grad(g, x)
    assert g2.item() == 6.0


class SplitSquare(Function):
    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x * x, x * 2

    @staticmethod
    def backward(ctx, grad_square, grad_double):
        (x,) = ctx.saved_tensors
        return grad_square * 2 * x + grad_double * 2


def test_function_with_two_outputs():
    x = gradcli.tensor([3.0], requires_grad=True)
    square, double = SplitSquare.apply(x)
    assert square.grad_fn is double.grad_fn and double._output_nr == 1
    (square + double).backward()
    assert x.grad.item() == 8.0
    x.grad = None
    square, _ = SplitSquare.apply(x)
    square.backward()  # the unused output's gradient arrives as zeros
    assert x.grad.item() == 6.0


def test_function_without_grad_is_just_forward():
    y = ScaledPower.apply(gradcli.tensor([2.0]), 1.0, 3)
    assert y.grad_fn is None and y.item() == 8.0


# ***** broadcasting *****
@pytest.mark.parametrize(
    "shape_a, shape_b",
    [((2, 3), (3,)), ((2, 1), (1, 3)), ((), (4,)), ((3, 1, 2), (4, 1)), ((1,), (2, 2))],
)
def test_broadcast_gradients_are_summed_back(shape_a, shape_b):
    rng = np.random.default_rng(0)
    a = gradcli.tensor(rng.normal(size=shape_a), requires_grad=True)
    b = gradcli.tensor(rng.normal(size=shape_b), requires_grad=True)
    for op in (lambda: a + b, lambda: a - b, lambda: a * b, lambda: a / (b * b + 1)):
        a.grad = b.grad = None
        out = op()
        weights = gradcli.tensor(rng.normal(size=out.shape))
        (out * weights).sum().backward()
        assert a.grad.shape == a.shape and b.grad.shape == b.shape
        check_gradients(lambda u, v, op=op, weights=weights: (op_on(op, a, b, u, v) * weights).sum(), [a, b])


def op_on(op, a, b, u, v):
    saved = a._data, b._data
    a._data, b._data = u, v
    try:
        with gradcli.no_grad():
            return op()
    finally:
        a._data, b._data = saved


def numeric_gradient(f, arrays, i, eps=1e-6):
    gradient = np.zeros_like(arrays[i])
    for index in np.ndindex(arrays[i].shape):
        plus = [a.copy() for a in arrays]
        minus = [a.copy() for a in arrays]
        plus[i][index] += eps
        minus[i][index] -= eps
        gradient[index] = (f(*plus).item() - f(*minus).item()) / (2 * eps)
    return gradient


def check_gradients(f, tensors):
    arrays = [t._data.copy() for t in tensors]
    for i, t in enumerate(tensors):
        assert np.allclose(t.grad.numpy(), numeric_gradient(f, arrays, i), atol=1e-5, rtol=1e-5)


# ***** derivative rules against central differences (first and second order) *****
UNARY = {
    "exp": gradcli.exp,
    "log": gradcli.log,
    "sqrt": gradcli.sqrt,
    "sin": gradcli.sin,
    "cos": gradcli.cos,
    "tan": gradcli.tan,
    "tanh": gradcli.tanh,
    "sinh": gradcli.sinh,
    "cosh": gradcli.cosh,
    "asin": gradcli.asin,
    "acos": gradcli.acos,
    "atan": gradcli.atan,
    "abs": gradcli.abs,
    "sigmoid": gradcli.sigmoid,
    "relu": gradcli.relu,
    "clamp": lambda t: gradcli.clamp(t, 0.2, 0.6),
    "neg": lambda t: -t,
    "reciprocal": lambda t: 1 / t,
    "pow3": lambda t: t**3,
    "pow2.5": lambda t: t**2.5,
    "rpow": lambda t: 2.0**t,
    "pow_tensor": lambda t: t ** (t + 1),
    "square": lambda t: t * t,
}


@pytest.mark.parametrize("name", sorted(UNARY))
def test_unary_rules_first_and_second_derivative(name):
    f = UNARY[name]
    points = np.array([0.15, 0.45, 0.8])  # inside every domain, away from kinks
    x = gradcli.tensor(points, requires_grad=True)
    (g,) = grad(f(x).sum(), x, create_graph=True)

    def value(array):
        with gradcli.no_grad():
            return f(gradcli.tensor(array)).sum()

    assert np.allclose(g.detach().numpy(), numeric_gradient(value, [points], 0), atol=1e-6)
    if g.requires_grad:  # piecewise-linear functions have a constant first derivative
        (g2,) = grad(g.sum(), x)

        def first(array):
            t = gradcli.tensor(array, requires_grad=True)
            return grad(f(t).sum(), t)[0].sum()

        assert np.allclose(g2.numpy(), numeric_gradient(first, [points], 0, eps=1e-5), atol=1e-5)


STRUCTURAL = {
    "sum_dim": lambda t: t.sum(1),
    "sum_keepdim": lambda t: t.sum(0, keepdim=True) * t,
    "mean_dim": lambda t: t.mean(0) ** 2,
    "matmul": lambda t: t @ t.T,
    "matvec": lambda t: t @ gradcli.tensor([1.0, -2.0, 0.5]),
    "vecmat": lambda t: gradcli.tensor([1.0, 3.0]) @ t,
    "dot": lambda t: gradcli.dot(t[0], t[1]),
    "getitem": lambda t: t[1, ::2] * t[0, 1],
    "fancy_index_repeats": lambda t: t[[0, 0, 1]] ** 2,
    "mask_index": lambda t: t[t > 0.3] ** 2,
    "stack": lambda t: gradcli.stack([t[0], t[1] ** 2], dim=1),
    "cat": lambda t: gradcli.cat([t, t**2], dim=0),
    "transpose": lambda t: t.transpose(0, 1) * gradcli.arange(6.0).reshape(3, 2),
    "reshape": lambda t: t.reshape(3, 2) @ t,
    "expand": lambda t: t[:, :1].expand(2, 4) ** 2,
    "max": lambda t: t.max() * t,
    "max_dim": lambda t: t.max(1).values ** 2,
    "where": lambda t: gradcli.where(t > 0.3, t**2, -t),
    "atan2": lambda t: gradcli.atan2(t[0], t[1]),
    "mean_all": lambda t: t.mean() * t,
}


@pytest.mark.parametrize("name", sorted(STRUCTURAL))
def test_structural_rules_against_central_differences(name):
    f = STRUCTURAL[name]
    points = np.array([[0.2, 0.5, 0.9], [0.4, 0.35, 0.7]])
    weights = np.linspace(0.5, 1.5, 12)
    x = gradcli.tensor(points, requires_grad=True)

    def loss(t):
        out = f(t)
        return (out * gradcli.tensor(weights[: out.numel()].reshape(out.shape))).sum()

    loss(x).backward()

    def value(array):
        with gradcli.no_grad():
            return loss(gradcli.tensor(array))

    assert np.allclose(x.grad.numpy(), numeric_gradient(value, [points], 0), atol=1e-6)


def test_docstring_examples_run():
    import doctest
    import importlib
    import warnings

    modules = [
        "tensor",
        "creation",
        "backward",
        "grad_mode",
        "function",
        "anomaly_mode",
        "ops_arith",
        "ops_unary",
        "ops_reduce",
        "ops_shape",
        "ops_linalg",
        "ops_inplace",
    ]
    runner = doctest.DocTestRunner(optionflags=doctest.NORMALIZE_WHITESPACE)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        for name in modules:
            module = importlib.import_module("gradcli.autograd." + name)
            for example in doctest.DocTestFinder().find(module, globs={"gradcli": gradcli}):
                runner.run(example)
    results = runner.summarize(verbose=False)
    assert results.attempted >= 15 and results.failed == 0


# ***** tensor hooks (values checked against PyTorch 2.13) *****
def test_tensor_hooks_run_before_retain_grad_and_can_be_removed():
    x = gradcli.tensor([1.0, 2.0], requires_grad=True)
    seen = []
    handle = x.register_hook(lambda g: seen.append(g.tolist()))
    y = x * 3
    y.register_hook(lambda g: g * 2)  # replaces the gradient flowing on
    y.retain_grad()
    (y * y).sum().backward()
    assert x.grad.tolist() == [36.0, 72.0] and y.grad.tolist() == [12.0, 24.0]
    assert seen == [[36.0, 72.0]]
    handle.remove()
    x.grad = None
    (x * 1).sum().backward()
    assert seen == [[36.0, 72.0]] and x.grad.tolist() == [1.0, 1.0]


def test_leaf_hook_applies_to_autograd_grad():
    x = gradcli.tensor(1.0, requires_grad=True)
    x.register_hook(lambda g: g + 1)
    assert grad(x * 2, x)[0].item() == 3.0
    with pytest.raises(RuntimeError, match="cannot register a hook on a tensor that doesn't require gradient"):
        gradcli.tensor([1.0]).register_hook(print)
