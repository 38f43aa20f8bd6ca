"""Every Python example of the autograd tutorial (seed chapter 1.3, "自动微分"),
run with ``import gradcli as torch``, must print what PyTorch prints.

The expected lines were produced by running the same code under PyTorch 2.13
(CPU); the tutorial's own comments give the same numbers.  Object addresses
in ``<MulBackward0 object at 0x...>`` are normalised.  Example 13 (Jacobian,
VJP, JVP) is the functional-transforms test's business.
"""

import re

import pytest

import gradcli as torch


def printed(capsys):
    text = capsys.readouterr().out
    return re.sub(r" at 0x[0-9a-f]+>", " at 0x...>", text).splitlines()


def test_computational_graph_and_backward(capsys):
    # 计算图 + 反向传播
    x = torch.tensor([2.0], requires_grad=True)
    y = torch.tensor([3.0], requires_grad=True)
    z = x * y
    w = z + x
    v = w**2
    print(f"x = {x.item()}")
    print(f"y = {y.item()}")
    print(f"z = x*y = {z.item()}")
    print(f"w = z+x = {w.item()}")
    print(f"v = w^2 = {v.item()}")
    v.backward()
    print(f"∂v/∂x = {x.grad.item()}")  # 64.0
    print(f"∂v/∂y = {y.grad.item()}")  # 32.0
    assert printed(capsys) == [
        "x = 2.0",
        "y = 3.0",
        "z = x*y = 6.0",
        "w = z+x = 8.0",
        "v = w^2 = 64.0",
        "∂v/∂x = 64.0",
        "∂v/∂y = 32.0",
    ]


def test_requires_grad_and_grad_fn(capsys):
    a = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    print(f"requires_grad: {a.requires_grad}")
    print(f"is_leaf: {a.is_leaf}")
    b = a * 2
    print(f"b.requires_grad: {b.requires_grad}")  # True（继承）
    print(f"b.is_leaf: {b.is_leaf}")  # False（不是叶子）
    print(f"b.grad_fn: {b.grad_fn}")  # <MulBackward0>
    assert printed(capsys) == [
        "requires_grad: True",
        "is_leaf: True",
        "b.requires_grad: True",
        "b.is_leaf: False",
        "b.grad_fn: <MulBackward0 object at 0x...>",
    ]


def test_leaf_and_non_leaf_retain_grad(capsys):
    x = torch.tensor([1.0], requires_grad=True)
    y = x * 2
    z = y * 3
    z.backward()
    print(f"x.grad: {x.grad}")  # tensor([6.])
    with pytest.warns(UserWarning, match="is not a leaf Tensor is being accessed"):
        print(f"y.grad: {y.grad}")  # None
    x = torch.tensor([1.0], requires_grad=True)
    y = x * 2
    y.retain_grad()
    z = y * 3
    z.backward()
    print(f"y.grad (with retain_grad): {y.grad}")  # tensor([3.])
    assert printed(capsys) == [
        "x.grad: tensor([6.])",
        "y.grad: None",
        "y.grad (with retain_grad): tensor([3.])",
    ]


def test_scalar_output_gradient(capsys):
    x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    y = (x**2).sum()
    y.backward()
    print(f"∂y/∂x = {x.grad}")  # [2., 4., 6.]
    assert printed(capsys) == ["∂y/∂x = tensor([2., 4., 6.])"]


def test_non_scalar_output_needs_gradient(capsys):
    x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    y = x**2
    with pytest.raises(RuntimeError, match="grad can be implicitly created only for scalar outputs"):
        y.backward()  # the tutorial's "RuntimeError!"
    gradient = torch.tensor([1.0, 1.0, 1.0])
    y.backward(gradient)
    print(f"梯度: {x.grad}")  # [2., 4., 6.]
    assert printed(capsys) == ["梯度: tensor([2., 4., 6.])"]


def test_gradients_accumulate(capsys):
    x = torch.tensor([1.0], requires_grad=True)
    y1 = x * 2
    y1.backward()
    print(f"第一次 backward 后: {x.grad}")  # tensor([2.])
    y2 = x * 3
    y2.backward()
    print(f"第二次 backward 后: {x.grad}")  # tensor([5.]) = 2 + 3
    x.grad.zero_()
    print(f"清零后: {x.grad}")  # tensor([0.])
    y3 = x * 4
    y3.backward()
    print(f"第三次 backward 后: {x.grad}")  # tensor([4.])
    assert printed(capsys) == [
        "第一次 backward 后: tensor([2.])",
        "第二次 backward 后: tensor([5.])",
        "清零后: tensor([0.])",
        "第三次 backward 后: tensor([4.])",
    ]


def test_no_grad(capsys):
    x = torch.tensor([1.0], requires_grad=True)
    with torch.no_grad():
        y = x * 2
        print(f"y.requires_grad: {y.requires_grad}")  # False
    assert printed(capsys) == ["y.requires_grad: False"]


def test_detach_shares_data(capsys):
    x = torch.tensor([1.0], requires_grad=True)
    y = x * 2
    y_detached = y.detach()
    print(f"y_detached.requires_grad: {y_detached.requires_grad}")  # False
    y_detached[0] = 100
    print(f"y after modifying y_detached: {y}")  # tensor([100.])
    assert printed(capsys) == [
        "y_detached.requires_grad: False",
        "y after modifying y_detached: tensor([100.], grad_fn=<MulBackward0>)",
    ]


def test_requires_grad_in_place(capsys):
    x = torch.tensor([1.0, 2.0, 3.0])
    print(f"初始 requires_grad: {x.requires_grad}")  # False
    x.requires_grad_(True)
    print(f"修改后 requires_grad: {x.requires_grad}")  # True
    assert printed(capsys) == ["初始 requires_grad: False", "修改后 requires_grad: True"]


def potential(x):
    return x**4 - 10 * x**2 + 5


def test_double_well_descent(capsys):
    x = torch.tensor([3.0], requires_grad=True)
    learning_rate = 0.01
    n_steps = 200
    trajectory = [x.item()]
    energies = [potential(x).item()]
    for step in range(n_steps):
        V = potential(x)
        V.backward()
        with torch.no_grad():
            x -= learning_rate * x.grad  # x_new = x - η * ∂V/∂x
        x.grad.zero_()
        trajectory.append(x.item())
        energies.append(potential(x).item())
    print(f"初始位置: {trajectory[0]:.4f}")
    print(f"最终位置: {trajectory[-1]:.4f}")
    print(f"初始势能: {energies[0]:.4f}")
    print(f"最终势能: {energies[-1]:.4f}")
    print(f"理论极值点: ±{5**0.5:.4f}")
    assert printed(capsys) == [
        "初始位置: 3.0000",
        "最终位置: 2.2361",
        "初始势能: -4.0000",
        "最终势能: -20.0000",
        "理论极值点: ±2.2361",
    ]
    assert x.is_leaf and x.requires_grad  # the update did not record a graph
    assert trajectory[-1] == pytest.approx(5**0.5, abs=1e-6)


def test_higher_order_derivatives(capsys):
    x = torch.tensor([2.0], requires_grad=True)
    y = x**3
    dy_dx = torch.autograd.grad(y, x, create_graph=True)[0]
    print(f"dy/dx = 3x^2 = {dy_dx.item()}")  # 12.0
    d2y_dx2 = torch.autograd.grad(dy_dx, x, create_graph=True)[0]
    print(f"d²y/dx² = 6x = {d2y_dx2.item()}")  # 12.0
    d3y_dx3 = torch.autograd.grad(d2y_dx2, x)[0]
    print(f"d³y/dx³ = 6 = {d3y_dx3.item()}")  # 6.0
    assert printed(capsys) == ["dy/dx = 3x^2 = 12.0", "d²y/dx² = 6x = 12.0", "d³y/dx³ = 6 = 6.0"]


def test_force_and_force_constant(capsys):
    k = 2.0
    x = torch.tensor([3.0], requires_grad=True)
    V = 0.5 * k * x**2
    grad_V = torch.autograd.grad(V, x, create_graph=True)[0]
    F = -grad_V
    print(f"力 F = -kx = {F.item()}")  # -6.0
    d2V_dx2 = torch.autograd.grad(grad_V, x)[0]
    print(f"力常数 = {d2V_dx2.item()}")  # 2.0 = k ✓
    assert printed(capsys) == ["力 F = -kx = -6.0", "力常数 = 2.0"]


class MySigmoid(torch.autograd.Function):
    """The tutorial's custom sigmoid: σ'(x) = σ(x) (1 - σ(x))."""

    @staticmethod
    def forward(ctx, x):
        sigmoid = 1 / (1 + torch.exp(-x))
        ctx.save_for_backward(sigmoid)
        return sigmoid

    @staticmethod
    def backward(ctx, grad_output):
        (sigmoid,) = ctx.saved_tensors
        grad_input = grad_output * sigmoid * (1 - sigmoid)
        return grad_input


def test_custom_sigmoid_function(capsys):
    x = torch.tensor([0.0, 1.0, -1.0], requires_grad=True)
    y = MySigmoid.apply(x)
    loss = y.sum()
    loss.backward()
    print(f"输入: {x.data}")
    print(f"输出: {y.data}")
    print(f"梯度: {x.grad}")
    x2 = torch.tensor([0.0, 1.0, -1.0], requires_grad=True)
    y2 = torch.sigmoid(x2)
    y2.sum().backward()
    print(f"PyTorch sigmoid 梯度: {x2.grad}")
    assert printed(capsys) == [
        "输入: tensor([ 0.,  1., -1.])",
        "输出: tensor([0.5000, 0.7311, 0.2689])",
        "梯度: tensor([0.2500, 0.1966, 0.1966])",
        "PyTorch sigmoid 梯度: tensor([0.2500, 0.1966, 0.1966])",
    ]
    assert repr(y.grad_fn).startswith("<gradcli.autograd.function.MySigmoidBackward object at 0x")


def test_pitfall_forgetting_to_zero_grad(capsys):
    x = torch.tensor([1.0], requires_grad=True)
    for i in range(3):
        y = x * 2
        y.backward()
        print(f"第 {i + 1} 次: x.grad = {x.grad}")  # 2, 4, 6（累积！）
    x = torch.tensor([1.0], requires_grad=True)
    for i in range(3):
        if x.grad is not None:
            x.grad.zero_()
        y = x * 2
        y.backward()
        print(f"第 {i + 1} 次: x.grad = {x.grad}")  # 2, 2, 2
    assert printed(capsys) == [
        "第 1 次: x.grad = tensor([2.])",
        "第 2 次: x.grad = tensor([4.])",
        "第 3 次: x.grad = tensor([6.])",
        "第 1 次: x.grad = tensor([2.])",
        "第 2 次: x.grad = tensor([2.])",
        "第 3 次: x.grad = tensor([2.])",
    ]


def test_pitfall_in_place_and_out_of_place_updates():
    # 2. y = y + 1 makes a new tensor; y.add_(1) on a non-leaf is recorded in place.
    x = torch.tensor([1.0], requires_grad=True)
    y = x * 2
    y = y + 1
    assert type(y.grad_fn).__name__ == "AddBackward0"
    # 3. updating a parameter under no_grad, both spellings of the tutorial
    x = torch.tensor([1.0], requires_grad=True)
    y = x * 2
    y.backward()
    with torch.no_grad():
        x -= 0.1 * x.grad
    assert x.item() == pytest.approx(0.8) and x.is_leaf
    x.data -= 0.1 * x.grad
    assert x.item() == pytest.approx(0.6) and x.is_leaf
    # ... and without no_grad the update is recorded: a new graph, x no longer a leaf
    x = torch.tensor([1.0], requires_grad=True)
    (x * 2).backward()
    x = x - 0.1 * x.grad
    assert not x.is_leaf


def test_pitfall_numpy_needs_detach():
    # 4. x.numpy() on a tensor that requires grad fails; torch.sin keeps the graph.
    x = torch.tensor([1.0], requires_grad=True)
    with pytest.raises(RuntimeError, match=re.escape("Use tensor.detach().numpy() instead.")):
        x.numpy()
    y = torch.sin(x)
    y.backward()
    assert x.grad.item() == pytest.approx(0.5403023058681398)


# ***** the tutorial's exercises *****
def test_exercise_1_minimum_by_gradient_descent():
    """f(x) = (x-3)^2 + 2 has its minimum 2 at x = 3."""
    x = torch.tensor([0.0], requires_grad=True)
    for _ in range(500):
        f = (x - 3) ** 2 + 2
        f.backward()
        with torch.no_grad():
            x -= 0.1 * x.grad
        x.grad.zero_()
    assert x.item() == pytest.approx(3.0, abs=1e-9)
    assert ((x - 3) ** 2 + 2).item() == pytest.approx(2.0, abs=1e-12)


def test_exercise_2_gradient_of_x2y_plus_xy2():
    """f = x^2 y + x y^2: df/dx = 2xy + y^2 = 8, df/dy = x^2 + 2xy = 5 at (1, 2)."""
    x = torch.tensor(1.0, requires_grad=True)
    y = torch.tensor(2.0, requires_grad=True)
    f = x**2 * y + x * y**2
    f.backward()
    assert (x.grad.item(), y.grad.item()) == (8.0, 5.0)


class MyReLU(torch.autograd.Function):
    """Exercise 3: max(0, x) with its hand-written backward."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x.clamp(min=0)

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        return grad_output * (x > 0)


def test_exercise_3_custom_relu():
    x = torch.tensor([-2.0, -0.5, 0.5, 3.0], requires_grad=True)
    y = MyReLU.apply(x)
    assert repr(y) == "tensor([0.0000, 0.0000, 0.5000, 3.0000], grad_fn=<MyReLUBackward>)"
    (y * torch.tensor([1.0, 2.0, 3.0, 4.0])).sum().backward()
    assert x.grad.tolist() == [0.0, 0.0, 3.0, 4.0]
    x2 = x.detach().clone().requires_grad_()
    (torch.relu(x2) * torch.tensor([1.0, 2.0, 3.0, 4.0])).sum().backward()
    assert x2.grad.tolist() == x.grad.tolist()
