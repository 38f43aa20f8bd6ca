"""The Tensor data model: creation, dtype, repr, conversion, views and the
version counter, in-place operations, grad_fn names, forward values.

Expected repr strings were produced by PyTorch 2.13 with
``torch.set_default_dtype(torch.float64)`` (gradcli's default dtype), so only
"torch." -> "gradcli." differs in a dtype suffix.
"""

import math

import numpy as np
import pytest

import gradcli

REPRS = [
    (lambda: gradcli.tensor([6.0]), "tensor([6.])"),
    (lambda: gradcli.tensor([2.0, 4.0, 6.0]), "tensor([2., 4., 6.])"),
    (lambda: gradcli.tensor([0.5, 0.7310585786300049, 0.2689414213699951]), "tensor([0.5000, 0.7311, 0.2689])"),
    (lambda: gradcli.tensor([0.0, 1.0, -1.0]), "tensor([ 0.,  1., -1.])"),
    (lambda: gradcli.tensor([[3.0, 2.0], [1.0, 6.0]]), "tensor([[3., 2.],\n        [1., 6.]])"),
    (lambda: gradcli.tensor(3.5), "tensor(3.5000)"),
    (lambda: gradcli.tensor(2.0), "tensor(2.)"),
    (lambda: gradcli.tensor([1e-5, 1.0]), "tensor([1.0000e-05, 1.0000e+00])"),
    (lambda: gradcli.tensor([1e9]), "tensor([1.0000e+09])"),
    (lambda: gradcli.tensor([1.0, 2000.0]), "tensor([1.0000e+00, 2.0000e+03])"),
    (lambda: gradcli.tensor([float("nan"), 1.0]), "tensor([nan, 1.])"),
    (lambda: gradcli.tensor([float("inf"), 1.5]), "tensor([   inf, 1.5000])"),
    (lambda: gradcli.tensor([float("-inf"), 2.0]), "tensor([-inf, 2.])"),
    (lambda: gradcli.tensor([True, False]), "tensor([ True, False])"),
    (lambda: gradcli.tensor([1, 2]), "tensor([1, 2])"),
    (lambda: gradcli.tensor([-5, 100]), "tensor([ -5, 100])"),
    (lambda: gradcli.tensor([-0.0, 0.0, 1.0]), "tensor([-0., 0., 1.])"),
    (lambda: gradcli.tensor([]), "tensor([])"),
    (lambda: gradcli.zeros(0, 2), "tensor([], size=(0, 2))"),
    (lambda: gradcli.tensor([12345.678, 1.0]), "tensor([1.2346e+04, 1.0000e+00])"),
    (lambda: gradcli.tensor([123456.5]), "tensor([123456.5000])"),
    (lambda: gradcli.tensor([1.5, 2.0], dtype=gradcli.float32), "tensor([1.5000, 2.0000], dtype=gradcli.float32)"),
    (lambda: gradcli.tensor([[1.5, 2], [3, 4]]), "tensor([[1.5000, 2.0000],\n        [3.0000, 4.0000]])"),
    (
        lambda: gradcli.tensor([[[1.0, 2], [3, 4]], [[5, 6], [7, 8]]]),
        "tensor([[[1., 2.],\n         [3., 4.]],\n\n        [[5., 6.],\n         [7., 8.]]])",
    ),
    (
        lambda: gradcli.arange(30.0) * 1.5,
        "tensor([ 0.0000,  1.5000,  3.0000,  4.5000,  6.0000,  7.5000,  9.0000, 10.5000,\n        12.0000, 13.5000, 15.0000, 16.5000, 18.0000, 19.5000, 21.0000, 22.5000,\n        24.0000, 25.5000, 27.0000, 28.5000, 30.0000, 31.5000, 33.0000, 34.5000,\n        36.0000, 37.5000, 39.0000, 40.5000, 42.0000, 43.5000])",
    ),
    (
        lambda: gradcli.arange(2000.0),
        "tensor([0.0000e+00, 1.0000e+00, 2.0000e+00,  ..., 1.9970e+03, 1.9980e+03,\n        1.9990e+03])",
    ),
    (lambda: gradcli.linspace(0, 1, 5), "tensor([0.0000, 0.2500, 0.5000, 0.7500, 1.0000])"),
    (lambda: gradcli.tensor([0.0, 0.0]), "tensor([0., 0.])"),
    (lambda: gradcli.tensor([1e-10, -1e-10]), "tensor([ 1.0000e-10, -1.0000e-10])"),
    (lambda: gradcli.tensor([3.14159265, -2.71828]), "tensor([ 3.1416, -2.7183])"),
    (lambda: gradcli.tensor([1e8, 1.0]), "tensor([1.0000e+08, 1.0000e+00])"),
    (lambda: gradcli.tensor([-1.5e-3, 2.5]), "tensor([-1.5000e-03,  2.5000e+00])"),
    (lambda: gradcli.tensor([100.0], requires_grad=True) * 1, "tensor([100.], grad_fn=<MulBackward0>)"),
    (lambda: gradcli.tensor([1.0], requires_grad=True), "tensor([1.], requires_grad=True)"),
    (
        lambda: gradcli.arange(12.0).reshape(3, 4) / 7,
        "tensor([[0.0000, 0.1429, 0.2857, 0.4286],\n        [0.5714, 0.7143, 0.8571, 1.0000],\n        [1.1429, 1.2857, 1.4286, 1.5714]])",
    ),
    (lambda: gradcli.tensor(float("nan")), "tensor(nan)"),
    (lambda: gradcli.tensor([1e20, 3e20]), "tensor([1.0000e+20, 3.0000e+20])"),
    (
        lambda: gradcli.tensor([[1e-5, 1.0], [2.0, 3.0]]),
        "tensor([[1.0000e-05, 1.0000e+00],\n        [2.0000e+00, 3.0000e+00]])",
    ),
    (lambda: gradcli.tensor([0.1, 0.25]), "tensor([0.1000, 0.2500])"),
    (
        lambda: gradcli.ones(2, 3, requires_grad=True),
        "tensor([[1., 1., 1.],\n        [1., 1., 1.]], requires_grad=True)",
    ),
    (
        lambda: gradcli.arange(100.0).reshape(10, 10) * 1.01 - 40,
        "tensor([[-40.0000, -38.9900, -37.9800, -36.9700, -35.9600, -34.9500, -33.9400,\n         -32.9300, -31.9200, -30.9100],\n        [-29.9000, -28.8900, -27.8800, -26.8700, -25.8600, -24.8500, -23.8400,\n         -22.8300, -21.8200, -20.8100],\n        [-19.8000, -18.7900, -17.7800, -16.7700, -15.7600, -14.7500, -13.7400,\n         -12.7300, -11.7200, -10.7100],\n        [ -9.7000,  -8.6900,  -7.6800,  -6.6700,  -5.6600,  -4.6500,  -3.6400,\n          -2.6300,  -1.6200,  -0.6100],\n        [  0.4000,   1.4100,   2.4200,   3.4300,   4.4400,   5.4500,   6.4600,\n           7.4700,   8.4800,   9.4900],\n        [ 10.5000,  11.5100,  12.5200,  13.5300,  14.5400,  15.5500,  16.5600,\n          17.5700,  18.5800,  19.5900],\n        [ 20.6000,  21.6100,  22.6200,  23.6300,  24.6400,  25.6500,  26.6600,\n          27.6700,  28.6800,  29.6900],\n        [ 30.7000,  31.7100,  32.7200,  33.7300,  34.7400,  35.7500,  36.7600,\n          37.7700,  38.7800,  39.7900],\n        [ 40.8000,  41.8100,  42.8200,  43.8300,  44.8400,  45.8500,  46.8600,\n          47.8700,  48.8800,  49.8900],\n        [ 50.9000,  51.9100,  52.9200,  53.9300,  54.9400,  55.9500,  56.9600,\n          57.9700,  58.9800,  59.9900]])",
    ),
]


@pytest.mark.parametrize("make, expected", REPRS)
def test_repr_like_pytorch(make, expected):
    assert repr(make()) == expected
    assert str(make()) == expected


def test_repr_of_integer_and_bool_tensors():
    assert repr(gradcli.tensor([True, False])) == "tensor([ True, False])"
    assert repr(gradcli.tensor([-5, 100])) == "tensor([ -5, 100])"
    assert repr(gradcli.arange(5)) == "tensor([0, 1, 2, 3, 4])"
    assert repr(gradcli.tensor([1, 2], dtype=gradcli.int32)) == "tensor([1, 2], dtype=gradcli.int32)"


# ***** creation and dtype *****
def test_default_dtype_is_float64_and_float32_is_kept():
    assert gradcli.tensor([1.0]).dtype == gradcli.float64
    assert gradcli.tensor(1).dtype == gradcli.int64
    assert gradcli.tensor([1, 2], dtype=gradcli.float32).dtype == gradcli.float32
    x = gradcli.tensor([1.0], dtype=gradcli.float32, requires_grad=True)
    y = x * 2.0 + 1
    assert y.dtype == gradcli.float32
    y.backward()
    assert x.grad.dtype == gradcli.float32
    assert gradcli.tensor(np.array([1.0], dtype=np.float32)).dtype == gradcli.float32
    assert gradcli.float64 == np.float64 and repr(gradcli.float32) == "gradcli.float32"


def test_tensor_copies_its_data():
    array = np.array([1.0, 2.0])
    t = gradcli.tensor(array)
    array[0] = 5.0
    assert t.tolist() == [1.0, 2.0]
    assert gradcli.tensor([gradcli.tensor(1.0), gradcli.tensor(2.0)]).tolist() == [1.0, 2.0]


def test_factories():
    assert gradcli.zeros(2, 3).shape == (2, 3)
    assert gradcli.zeros((2, 3)).tolist() == [[0.0] * 3] * 2
    assert gradcli.ones(3).tolist() == [1.0, 1.0, 1.0]
    x = gradcli.tensor([[1.0, 2.0]], dtype=gradcli.float32)
    assert gradcli.zeros_like(x).dtype == gradcli.float32 and gradcli.ones_like(x).shape == (1, 2)
    assert gradcli.arange(5).dtype == gradcli.int64
    assert gradcli.arange(0, 1, 0.25).tolist() == [0.0, 0.25, 0.5, 0.75]
    assert gradcli.arange(1, 4).tolist() == [1, 2, 3]
    assert gradcli.linspace(0, 1, 5).tolist() == [0.0, 0.25, 0.5, 0.75, 1.0]
    leaf = gradcli.ones(2, requires_grad=True)
    assert repr(leaf) == "tensor([1., 1.], requires_grad=True)" and leaf.is_leaf


def test_properties_and_conversion():
    x = gradcli.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    assert x.shape == (2, 3) and x.size() == (2, 3) and x.size(1) == 3
    assert repr(x.shape) == "gradcli.Size([2, 3])"
    assert x.ndim == 2 and x.dim() == 2 and x.numel() == 6 and len(x) == 2
    assert x.tolist() == [[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]
    assert gradcli.tensor([2.5]).item() == 2.5 and isinstance(gradcli.tensor([2.5]).item(), float)
    assert gradcli.tensor([[7]]).item() == 7
    assert x.T.shape == (3, 2) and x.T.tolist()[0] == [1.0, 4.0]
    assert x.float().dtype == gradcli.float32 and x.float().double().dtype == gradcli.float64
    assert x.to(gradcli.float32).dtype == gradcli.float32
    assert float(gradcli.tensor(2.0)) == 2.0 and int(gradcli.tensor(3)) == 3
    assert [t.item() for t in gradcli.tensor([1.0, 2.0])] == [1.0, 2.0]


def test_numpy_shares_memory():
    x = gradcli.tensor([1.0, 2.0])
    x.numpy()[0] = 9.0
    assert x.tolist() == [9.0, 2.0]
    assert np.asarray(x).tolist() == [9.0, 2.0]


def test_to_dtype_is_differentiable():
    x = gradcli.tensor([1.5], requires_grad=True)
    y = x.to(gradcli.float32) * 2
    assert type(y.grad_fn.next_functions[0][0]).__name__ == "ToCopyBackward0"
    y.backward()
    assert x.grad.dtype == gradcli.float64 and x.grad.tolist() == [2.0]


# ***** detach, data, views and versions *****
def test_detach_shares_memory_and_version():
    x = gradcli.tensor([1.0, 2.0], requires_grad=True)
    d = x.detach()
    assert not d.requires_grad and d.is_leaf
    d.add_(1)
    assert x.tolist() == [2.0, 3.0] and x._version == 1


def test_data_shares_memory_without_history():
    x = gradcli.tensor([1.0, 2.0], requires_grad=True)
    y = x * 2
    assert repr(x.data) == "tensor([1., 2.])" and not y.data.requires_grad
    x.data[0] = 9.0
    assert x.tolist() == [9.0, 2.0]


def test_detach_in_place():
    x = gradcli.tensor([1.0], requires_grad=True)
    y = x * 2
    y.detach_()
    assert y.is_leaf and not y.requires_grad and y.grad_fn is None


def test_views_share_memory_and_version():
    x = gradcli.arange(6.0).reshape(2, 3)
    for view in (x.view(3, 2), x.reshape(6), x.transpose(0, 1), x.T, x[0], x[:, 1]):
        assert view._counter is x._counter
    x.reshape(6)[0] = 100.0
    assert x[0, 0].item() == 100.0


# ***** in-place operations *****
def test_in_place_arithmetic_and_versions():
    y = gradcli.tensor([1.0, 2.0])
    y.add_(1)
    y.sub_(gradcli.tensor([0.5, 0.5]))
    y.mul_(2)
    y.div_(4)
    assert y.tolist() == [0.75, 1.25] and y._version == 4
    y += 1
    y -= 1
    y *= 4
    y /= 2
    assert y.tolist() == [1.5, 2.5] and y._version == 8
    y.clamp_(0, 2)
    assert y.tolist() == [1.5, 2.0]
    y.fill_(3.0)
    assert y.tolist() == [3.0, 3.0]
    y.copy_(gradcli.tensor([4.0, 5.0]))
    assert y.tolist() == [4.0, 5.0]
    y.zero_()
    assert y.tolist() == [0.0, 0.0] and y._version == 12


def test_in_place_on_non_leaf_is_recorded():
    x = gradcli.tensor([1.0, 2.0], requires_grad=True)
    y = x * 2
    y.add_(1)
    assert repr(y) == "tensor([3., 5.], grad_fn=<AddBackward0>)"
    assert type(y.grad_fn.next_functions[0][0]).__name__ == "MulBackward0"
    y.mul_(gradcli.tensor([3.0, 5.0]))  # d/dx (2x + 1) * c = 2c
    y.sum().backward()
    assert x.grad.tolist() == [6.0, 10.0]


@pytest.mark.parametrize(
    "operation, name, expected_grad",
    [
        (lambda y: y.__setitem__(0, 7.0), "CopySlices", [0.0, 2.0]),
        (lambda y: y.__imul__(2), "MulBackward0", [4.0, 4.0]),
        (lambda y: y.__isub__(1), "SubBackward0", [2.0, 2.0]),
        (lambda y: y.__itruediv__(2), "DivBackward0", [1.0, 1.0]),
        (lambda y: y.clamp_(0, 3), "ClampBackward1", [2.0, 0.0]),
        (lambda y: y.zero_(), "ZeroBackward0", [0.0, 0.0]),
        (lambda y: y.fill_(2.0), "FillBackward2", [0.0, 0.0]),
        (lambda y: y.copy_(gradcli.tensor([1.0, 5.0])), "CopyBackwards", [0.0, 0.0]),
    ],
)
def test_in_place_names_and_gradients(operation, name, expected_grad):
    x = gradcli.tensor([1.0, 2.0], requires_grad=True)
    y = x * 2
    operation(y)
    assert type(y.grad_fn).__name__ == name
    y.sum().backward()
    assert x.grad.tolist() == expected_grad


def test_setitem_with_a_tensor_that_requires_grad():
    x = gradcli.zeros(3)
    v = gradcli.tensor(2.0, requires_grad=True)
    x[1] = v * 3
    assert repr(x) == "tensor([0., 6., 0.], grad_fn=<CopySlices>)"
    (x * gradcli.tensor([1.0, 10.0, 100.0])).sum().backward()
    assert v.grad.item() == 30.0


# ***** grad_fn names as PyTorch gives them *****
x_ = gradcli.tensor([1.0, 2.0], requires_grad=True)
y_ = gradcli.tensor([3.0, 4.0], requires_grad=True)
M_ = gradcli.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
NAMES = [
    (lambda: x_ + y_, "AddBackward0"),
    (lambda: x_ + 1, "AddBackward0"),
    (lambda: 1 + x_, "AddBackward0"),
    (lambda: x_ - y_, "SubBackward0"),
    (lambda: x_ - 1, "SubBackward0"),
    (lambda: 1 - x_, "RsubBackward1"),
    (lambda: x_ * y_, "MulBackward0"),
    (lambda: 2 * x_, "MulBackward0"),
    (lambda: x_ / y_, "DivBackward0"),
    (lambda: x_ / 2, "DivBackward0"),
    (lambda: 2 / x_, "MulBackward0"),
    (lambda: x_**2, "PowBackward0"),
    (lambda: x_**y_, "PowBackward1"),
    (lambda: 2**x_, "PowBackward2"),
    (lambda: x_**0.5, "PowBackward0"),
    (lambda: -x_, "NegBackward0"),
    (lambda: x_.exp(), "ExpBackward0"),
    (lambda: x_.log(), "LogBackward0"),
    (lambda: x_.sqrt(), "SqrtBackward0"),
    (lambda: x_.sin(), "SinBackward0"),
    (lambda: x_.cos(), "CosBackward0"),
    (lambda: x_.tan(), "TanBackward0"),
    (lambda: x_.tanh(), "TanhBackward0"),
    (lambda: x_.sinh(), "SinhBackward0"),
    (lambda: x_.cosh(), "CoshBackward0"),
    (lambda: (x_ / 3).asin(), "AsinBackward0"),
    (lambda: (x_ / 3).acos(), "AcosBackward0"),
    (lambda: x_.atan(), "AtanBackward0"),
    (lambda: gradcli.atan2(x_, y_), "Atan2Backward0"),
    (lambda: x_.abs(), "AbsBackward0"),
    (lambda: x_.sigmoid(), "SigmoidBackward0"),
    (lambda: x_.relu(), "ReluBackward0"),
    (lambda: x_.clamp(0, 1), "ClampBackward1"),
    (lambda: x_.clamp(min=0), "ClampBackward1"),
    (lambda: x_.sum(), "SumBackward0"),
    (lambda: x_.sum(0), "SumBackward1"),
    (lambda: gradcli.sum(x_), "SumBackward0"),
    (lambda: x_.mean(), "MeanBackward0"),
    (lambda: x_.mean(0), "MeanBackward1"),
    (lambda: M_ @ x_, "MvBackward0"),
    (lambda: M_ @ M_, "MmBackward0"),
    (lambda: x_ @ y_, "DotBackward0"),
    (lambda: x_.dot(y_), "DotBackward0"),
    (lambda: x_.reshape(2, 1), "ViewBackward0"),
    (lambda: x_.view(2, 1), "ViewBackward0"),
    (lambda: M_.transpose(0, 1), "TransposeBackward0"),
    (lambda: M_.T, "PermuteBackward0"),
    (lambda: M_.t(), "TBackward0"),
    (lambda: x_[0], "SelectBackward0"),
    (lambda: x_[0:1], "SliceBackward0"),
    (lambda: x_[[0, 1]], "IndexBackward0"),
    (lambda: x_[x_ > 1], "IndexBackward0"),
    (lambda: gradcli.stack([x_, y_]), "StackBackward0"),
    (lambda: gradcli.cat([x_, y_]), "CatBackward0"),
    (lambda: x_.max(), "MaxBackward1"),
    (lambda: x_.neg(), "NegBackward0"),
    (lambda: x_.square(), "PowBackward0"),
    (lambda: M_.flatten(), "ViewBackward0"),
    (lambda: x_.unsqueeze(0), "UnsqueezeBackward0"),
    (lambda: x_.unsqueeze(0).squeeze(0), "SqueezeBackward1"),
    (lambda: x_.clone(), "CloneBackward0"),
    (lambda: gradcli.pow(x_, 2), "PowBackward0"),
    (lambda: x_.expand(3, 2), "ExpandBackward0"),
]


@pytest.mark.parametrize("make, name", NAMES)
def test_grad_fn_names_match_pytorch(make, name):
    out = make()
    assert type(out.grad_fn).__name__ == name
    assert repr(out.grad_fn).startswith(f"<{name} object at 0x")


def test_next_functions():
    x = gradcli.tensor([1.0, 2.0], requires_grad=True)
    y = gradcli.tensor([3.0, 4.0], requires_grad=True)
    (a, _), (b, _) = (x * y).grad_fn.next_functions
    assert type(a).__name__ == "AccumulateGrad" and a.variable is x and b.variable is y
    t = x * 2 + 1
    (mul, nr), (constant, _) = t.grad_fn.next_functions
    assert type(mul).__name__ == "MulBackward0" and nr == 0 and constant is None
    assert mul.next_functions[0][0].variable is x


# ***** forward values *****
def test_elementwise_functions_match_numpy():
    values = np.array([0.1, 0.5, 0.9])
    x = gradcli.tensor(values)
    for name, reference in [
        ("exp", np.exp),
        ("log", np.log),
        ("sqrt", np.sqrt),
        ("sin", np.sin),
        ("cos", np.cos),
        ("tan", np.tan),
        ("tanh", np.tanh),
        ("sinh", np.sinh),
        ("cosh", np.cosh),
        ("asin", np.arcsin),
        ("acos", np.arccos),
        ("atan", np.arctan),
        ("abs", np.abs),
    ]:
        assert np.allclose(getattr(gradcli, name)(x).numpy(), reference(values)), name
        assert np.allclose(getattr(x, name)().numpy(), reference(values)), name
    assert np.allclose(gradcli.sigmoid(x).numpy(), 1 / (1 + np.exp(-values)))
    assert gradcli.sigmoid(gradcli.tensor([-1000.0, 1000.0])).tolist() == [0.0, 1.0]
    assert gradcli.relu(gradcli.tensor([-1.0, 2.0])).tolist() == [0.0, 2.0]
    assert gradcli.clamp(gradcli.tensor([-1.0, 0.5, 2.0]), 0, 1).tolist() == [0.0, 0.5, 1.0]
    assert gradcli.atan2(gradcli.tensor([1.0]), gradcli.tensor([-1.0])).item() == pytest.approx(3 * math.pi / 4)


def test_comparisons_give_bool_tensors():
    x = gradcli.tensor([1.0, 2.0], requires_grad=True)
    assert repr(x > 1) == "tensor([False,  True])"
    assert (x == gradcli.tensor([1.0, 3.0])).tolist() == [True, False]
    assert (x != 1).tolist() == [False, True] and (x <= 1).tolist() == [True, False]
    assert (x >= 2).dtype == gradcli.bool and not (x < 2).requires_grad


def test_reductions_and_shapes():
    x = gradcli.arange(6.0).reshape(2, 3)
    assert x.sum().item() == 15.0 and x.sum(0).tolist() == [3.0, 5.0, 7.0]
    assert x.sum(1, keepdim=True).shape == (2, 1) and x.sum((0, 1)).item() == 15.0
    assert x.mean().item() == 2.5 and x.mean(-1).tolist() == [1.0, 4.0]
    assert (x @ x.T).tolist() == [[5.0, 14.0], [14.0, 50.0]]
    assert gradcli.matmul(x, gradcli.ones(3)).tolist() == [3.0, 12.0]
    assert gradcli.dot(gradcli.tensor([1.0, 2.0]), gradcli.tensor([3.0, 4.0])).item() == 11.0
    assert gradcli.stack([x, x], dim=1).shape == (2, 2, 3)
    assert gradcli.cat([x, x], dim=1).shape == (2, 6)
    assert x.reshape(-1, 2).shape == (3, 2) and x[:, 1].tolist() == [1.0, 4.0]
    assert x[x > 3].tolist() == [4.0, 5.0]


# ***** in-place changes of views (values checked against PyTorch 2.13) *****
def test_in_place_on_a_view_is_recorded_on_the_base():
    a = gradcli.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], requires_grad=True)
    y = a * 1
    y[:, 1:].add_(a[:, :2] * 2)
    assert repr(y) == "tensor([[ 1.,  4.,  7.],\n        [ 4., 13., 16.]], grad_fn=<CopySlices>)"
    (y * y).sum().backward()
    assert a.grad.tolist() == [[18.0, 36.0, 14.0], [60.0, 90.0, 32.0]]


def test_item_assignment_from_the_graph():
    a = gradcli.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], requires_grad=True)
    y = a * 1
    y[0, 1:] = a[1, :2] ** 2
    (y * y).sum().backward()
    assert a.grad.tolist() == [[2.0, 0.0, 0.0], [264.0, 510.0, 12.0]]


def test_view_zeroed_in_place_and_view_of_leaf_error():
    a = gradcli.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]], requires_grad=True)
    y = a * 1
    row = y[1]
    row.zero_()
    assert type(y.grad_fn).__name__ == "CopySlices" and row.grad_fn is not None
    y.sum().backward()
    assert a.grad.tolist() == [[1.0, 1.0, 1.0], [0.0, 0.0, 0.0]]
    with pytest.raises(RuntimeError, match="a view of a leaf Variable that requires grad"):
        a[0].add_(1)


def test_in_place_on_a_view_of_a_constant_makes_it_part_of_the_graph():
    z = gradcli.zeros(3)
    w = gradcli.tensor(2.0, requires_grad=True)
    z[1:].add_(w)
    assert repr(z) == "tensor([0., 2., 2.], grad_fn=<CopySlices>)"
    z.sum().backward()
    assert w.grad.item() == 2.0


def test_max_along_a_dim_returns_values_and_indices():
    result = gradcli.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]]).max(1, keepdim=True)
    assert repr(result) == (
        "gradcli.return_types.max(\nvalues=tensor([[3.],\n        [6.]]),\nindices=tensor([[2],\n        [2]]))"
    )
    values, indices = result
    assert values is result.values and indices.tolist() == [[2], [2]]


def test_view_never_copies_reshape_may():
    transposed = gradcli.arange(6.0).reshape(2, 3).T
    with pytest.raises(RuntimeError, match=r"view size is not compatible .* Use \.reshape\(\.\.\.\) instead\."):
        transposed.view(6)
    assert transposed.reshape(6).tolist() == [0.0, 3.0, 1.0, 4.0, 2.0, 5.0]
    with pytest.raises(RuntimeError, match=r"zero-dimensional tensor \(at position 0\) cannot be concatenated"):
        gradcli.cat([gradcli.tensor(1.0), gradcli.tensor(2.0)])
