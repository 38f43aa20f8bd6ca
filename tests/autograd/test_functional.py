"""gradcli.autograd.functional: jacobian, hessian, vjp, jvp, hvp, vhp.

Expected numbers come from the tutorial (../shared/seed/000_...: "雅可比矩阵与向量积"),
from its exercise 2 (f = x^2 y + x y^2 at (1, 2)), and from derivatives worked by hand
in the comments.
"""

import pytest

import gradcli
import gradcli as torch
from gradcli.autograd.functional import hessian, hvp, jacobian, jvp, vhp, vjp


def tutorial_f(x):
    return torch.stack(
        [
            x[0] * x[1],  # y1 = x1 * x2
            x[0] + x[1] ** 2,  # y2 = x1 + x2^2
        ]
    )


def test_tutorial_jacobian_vjp_jvp_example_runs_as_written(capsys):
    # The tutorial's code, verbatim apart from the import (from torch. -> from gradcli.).
    from gradcli.autograd.functional import jacobian, jvp, vjp

    def f(x):
        return torch.stack(
            [
                x[0] * x[1],  # y1 = x1 * x2
                x[0] + x[1] ** 2,  # y2 = x1 + x2^2
            ]
        )

    x = torch.tensor([2.0, 3.0])

    J = jacobian(f, x)
    print(f"雅可比矩阵:\n{J}")

    v = torch.tensor([1.0, 1.0])
    output, vjp_fn = vjp(f, x)
    vjp_result = vjp_fn(v)
    print(f"VJP (v^T @ J): {vjp_result}")

    u = torch.tensor([1.0, 0.0])
    output, jvp_result = jvp(f, (x,), (u,))
    print(f"JVP (J @ u): {jvp_result}")

    assert capsys.readouterr().out == (
        "雅可比矩阵:\ntensor([[3., 2.],\n        [1., 6.]])\n"
        "VJP (v^T @ J): tensor([4., 8.])\n"
        "JVP (J @ u): tensor([3., 1.])\n"
    )
    assert J.tolist() == [[3.0, 2.0], [1.0, 6.0]]
    assert output.tolist() == [6.0, 11.0]


def test_vjp_with_v_returns_output_and_product():
    x = torch.tensor([2.0, 3.0])
    output, result = vjp(tutorial_f, x, torch.tensor([1.0, 0.0]))
    assert output.tolist() == [6.0, 11.0]
    assert result.tolist() == [3.0, 2.0]  # first row of J


def test_vjp_fn_can_be_called_repeatedly():
    output, vjp_fn = vjp(tutorial_f, torch.tensor([2.0, 3.0]))
    assert vjp_fn(torch.tensor([0.0, 1.0])).tolist() == [1.0, 6.0]
    assert vjp_fn(torch.tensor([1.0, 1.0])).tolist() == [4.0, 8.0]


def test_vjp_defaults_v_to_one_for_single_element_output():
    output, result = vjp(lambda x: (x**2).sum(), torch.tensor([1.0, 2.0, 3.0]))
    assert output.item() == 14.0
    assert result.tolist() == [2.0, 4.0, 6.0]


def test_vjp_and_jvp_with_tuple_inputs():
    def adder(x, y):
        return 2 * x + 3 * y

    inputs = (torch.tensor([0.1, 0.2]), torch.tensor([0.3, 0.4]))
    output, (gx, gy) = vjp(adder, inputs, torch.ones(2))
    assert gx.tolist() == [2.0, 2.0] and gy.tolist() == [3.0, 3.0]
    output, result = jvp(adder, inputs, (torch.ones(2), torch.ones(2)))
    assert result.tolist() == [5.0, 5.0]


def test_jvp_tuple_output_and_single_element_default():
    output, (a, b) = jvp(lambda x: (x * 3, x**2), torch.tensor([2.0]))
    assert a.tolist() == [3.0] and b.tolist() == [4.0]


def test_jacobian_shapes_are_output_shape_plus_input_shape():
    x = torch.tensor([1.0, 2.0, 3.0])
    J = jacobian(lambda x: torch.stack([x, 2 * x]), x)  # output (2, 3), input (3,)
    assert tuple(J.shape) == (2, 3, 3)
    assert J[1].tolist() == [[2.0, 0.0, 0.0], [0.0, 2.0, 0.0], [0.0, 0.0, 2.0]]
    assert tuple(jacobian(lambda x: x.sum(), x).shape) == (3,)


def test_jacobian_tuple_in_tuple_out():
    x, y = torch.tensor([1.0, 2.0]), torch.tensor([3.0, 4.0])
    J = jacobian(lambda x, y: (x * y, x + y), (x, y))
    # d(xy)/dx = diag(y), d(xy)/dy = diag(x), d(x+y)/dx = d(x+y)/dy = I
    assert J[0][0].tolist() == [[3.0, 0.0], [0.0, 4.0]]
    assert J[0][1].tolist() == [[1.0, 0.0], [0.0, 2.0]]
    assert J[1][0].tolist() == J[1][1].tolist() == [[1.0, 0.0], [0.0, 1.0]]
    # tuple in, tensor out: a tuple over inputs
    Jx, Jy = jacobian(lambda x, y: x * y, (x, y))
    assert Jx.tolist() == [[3.0, 0.0], [0.0, 4.0]]


def test_jacobian_forward_mode_and_vectorize_give_the_same_numbers():
    x = torch.tensor([2.0, 3.0])
    expected = [[3.0, 2.0], [1.0, 6.0]]
    assert jacobian(tutorial_f, x, vectorize=True).tolist() == expected
    assert jacobian(tutorial_f, x, vectorize=True, strategy="forward-mode").tolist() == expected


def test_jacobian_of_independent_input_is_zero_unless_strict():
    x, y = torch.tensor([1.0, 2.0]), torch.tensor([3.0])
    Jx, Jy = jacobian(lambda x, y: 2 * x, (x, y))
    assert Jy.tolist() == [[0.0], [0.0]]
    with pytest.raises(
        RuntimeError,
        match="Output 0 of the user-provided function is independent of input 1. This is not allowed in strict mode.",
    ):
        jacobian(lambda x, y: 2 * x, (x, y), strict=True)


def test_strict_rejects_output_without_graph():
    with pytest.raises(RuntimeError, match="Output 0 of the user-provided function does not require gradients"):
        jacobian(lambda x: torch.ones(2), torch.tensor([1.0, 2.0]), strict=True)
    with pytest.raises(RuntimeError, match="The output of the user-provided function is independent of input 1"):
        vjp(lambda x, y: x * 2, (torch.tensor([1.0]), torch.tensor([2.0])), torch.tensor([1.0]), strict=True)


def test_strict_create_graph_rejects_a_constant_jacobian():
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(
        RuntimeError,
        match="The jacobian of the user-provided function is independent of input 0. "
        "This is not allowed in strict mode when create_graph=True.",
    ):
        jacobian(lambda x: 2 * x, x, create_graph=True, strict=True)
    with pytest.raises(RuntimeError, match="While computing the hessian, found that the jacobian"):
        vhp(lambda x: (2 * x).sum(), x, torch.ones(2), strict=True)


def test_hessian_strict_rejects_linear_function():
    with pytest.raises(
        RuntimeError,
        match="While computing the hessian, found that the jacobian of the "
        "user-provided function with respect to input 0 is independent",
    ):
        hessian(lambda x: (3 * x).sum(), torch.tensor([1.0, 2.0]), strict=True)
    assert hessian(lambda x: (3 * x).sum(), torch.tensor([1.0, 2.0])).tolist() == [[0.0, 0.0], [0.0, 0.0]]


def test_hessian_of_tutorial_exercise_2():
    # f = x^2 y + x y^2 at (1, 2): H = [[2y, 2x + 2y], [2x + 2y, 2x]] = [[4, 6], [6, 2]]
    def f(p):
        return p[0] ** 2 * p[1] + p[0] * p[1] ** 2

    assert hessian(f, torch.tensor([1.0, 2.0])).tolist() == [[4.0, 6.0], [6.0, 2.0]]


def test_hessian_with_tuple_inputs_is_tuple_of_tuples():
    # PyTorch's docstring example: (2 x^2 + 3 y^2).sum() -> diag(4), 0, 0, diag(6)
    H = hessian(lambda x, y: (2 * x**2 + 3 * y**2).sum(), (torch.tensor([0.5, 0.7]), torch.tensor([0.1, 0.2])))
    assert H[0][0].tolist() == [[4.0, 0.0], [0.0, 4.0]]
    assert H[0][1].tolist() == H[1][0].tolist() == [[0.0, 0.0], [0.0, 0.0]]
    assert H[1][1].tolist() == [[6.0, 0.0], [0.0, 6.0]]


def test_hessian_of_matrix_input_has_shape_input_plus_input():
    x = torch.tensor([[1.0, 2.0], [3.0, 4.0]])
    H = hessian(lambda x: (x**3).sum(), x)  # d2/dx_ij dx_kl = 6 x_ij delta
    assert tuple(H.shape) == (2, 2, 2, 2)
    assert H[1, 0, 1, 0].item() == 18.0 and H[0, 1, 1, 0].item() == 0.0


def test_hessian_rejects_non_scalar_function():
    with pytest.raises(RuntimeError, match="should contain a single element"):
        hessian(lambda x: x**2, torch.tensor([1.0, 2.0]))


def test_hvp_and_vhp_against_hand_computed_products():
    # f = x0^2 x1 at (1, 2): H = [[2 x1, 2 x0], [2 x0, 0]] = [[4, 2], [2, 0]]
    f = lambda x: x[0] ** 2 * x[1]  # noqa: E731
    x = torch.tensor([1.0, 2.0])
    value, Hv = hvp(f, x, torch.tensor([1.0, 0.0]))
    assert value.item() == 2.0 and Hv.tolist() == [4.0, 2.0]
    value, vH = vhp(f, x, torch.tensor([1.0, 3.0]))
    assert vH.tolist() == [10.0, 2.0]
    # (x^3).sum() at (1, 2): H = diag(6, 12)
    assert hvp(lambda x: (x**3).sum(), x, torch.ones(2))[1].tolist() == [6.0, 12.0]
    assert vhp(lambda x: (x**3).sum(), x, torch.ones(2))[1].tolist() == [6.0, 12.0]


def test_hvp_with_tuple_inputs_and_default_v():
    _, (a, b) = hvp(
        lambda x, y: (2 * x**2 + 3 * y**2).sum(), (torch.ones(2), torch.ones(2)), (torch.zeros(2), torch.ones(2))
    )
    assert a.tolist() == [0.0, 0.0] and b.tolist() == [6.0, 6.0]
    assert vhp(lambda x: x**4, torch.tensor(2.0))[1].item() == 48.0  # 12 x^2


def test_create_graph_makes_results_differentiable():
    x = torch.tensor([2.0, 3.0], requires_grad=True)
    J = jacobian(tutorial_f, x, create_graph=True)  # [[x1, x0], [1, 2 x1]]
    assert J.requires_grad
    (dJ_sum,) = gradcli.autograd.grad(J.sum(), x)  # d(x1 + x0 + 1 + 2 x1) = (1, 3)
    assert dJ_sum.tolist() == [1.0, 3.0]
    # the Jacobian of the Jacobian is the second derivative tensor: d2 y1 / dx0 dx1 = 1, d2 y2 / dx1^2 = 2
    JJ = jacobian(lambda x: jacobian(tutorial_f, x, create_graph=True), x)
    assert JJ.tolist() == [[[0.0, 1.0], [1.0, 0.0]], [[0.0, 0.0], [0.0, 2.0]]]


def test_without_create_graph_results_are_detached():
    x = torch.tensor([2.0, 3.0], requires_grad=True)
    assert not jacobian(tutorial_f, x).requires_grad
    output, result = vjp(tutorial_f, x, torch.ones(2))
    assert not output.requires_grad and not result.requires_grad
    assert x.grad is None


def test_vjp_with_create_graph_is_differentiable():
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    _, g = vjp(lambda x: (x**3).sum(), x, create_graph=True)  # 3 x^2
    (h,) = gradcli.autograd.grad(g.sum(), x)  # 6 x
    assert h.tolist() == [6.0, 12.0]


def test_invalid_arguments_raise_like_pytorch():
    x = torch.tensor([1.0, 2.0])
    with pytest.raises(RuntimeError, match="v has invalid size"):
        vjp(tutorial_f, x, torch.ones(3))
    with pytest.raises(
        RuntimeError,
        match="The vector v can only be None if the input to the user-provided "
        "function is a single Tensor with a single element.",
    ):
        jvp(tutorial_f, x)
    with pytest.raises(RuntimeError, match="v is a tuple of invalid length: should be 2 but got 1."):
        jvp(lambda a, b: a * b, (x, x), (x,))
    with pytest.raises(
        TypeError,
        match="The inputs given to jacobian must be either a Tensor or a tuple of "
        "Tensors but the given inputs has type",
    ):
        jacobian(tutorial_f, [1.0, 2.0])


def test_docstring_examples_run():
    import doctest
    import sys

    import gradcli.autograd.functional as functional
    import gradcli.autograd.gradcheck  # noqa: F401  (the package attribute is the function)

    checker = sys.modules["gradcli.autograd.gradcheck"]
    globs = {
        "torch": gradcli,
        "gradcli": gradcli,
        "gradcheck": checker.gradcheck,
        "gradgradcheck": checker.gradgradcheck,
        **{name: getattr(functional, name) for name in functional.__all__},
    }
    runner = doctest.DocTestRunner(optionflags=doctest.NORMALIZE_WHITESPACE)
    for module in (functional, checker):
        for example in doctest.DocTestFinder().find(module, globs=globs):
            runner.run(example)
    results = runner.summarize(verbose=False)
    assert results.attempted >= 15 and results.failed == 0
