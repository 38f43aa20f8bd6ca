"""Every error the engine raises on misuse, asserted by its message: the wording
is PyTorch 2.13's (checked by running the same code under PyTorch), with
"torch" spelled "gradcli" where it names a type or a function."""

import math
import re

import pytest

import gradcli as torch
from gradcli.autograd import grad

FREED = (
    "Trying to backward through the graph a second time (or directly access saved tensors "
    "after they have already been freed). Saved intermediate values of the graph are freed "
    "when you call .backward() or autograd.grad(). Specify retain_graph=True if you need to "
    "backward through the graph a second time or if you need to access saved tensors after "
    "calling backward."
)
HINT = (
    " Hint: enable anomaly detection to find the operation that failed to compute its "
    "gradient, with gradcli.autograd.set_detect_anomaly(True, check_nan=False)."
)


def raises(message):
    return pytest.raises(RuntimeError, match="^" + re.escape(message) + "$")


def test_backward_of_non_scalar_needs_gradient():
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    with raises("grad can be implicitly created only for scalar outputs"):
        (x**2).backward()
    with raises("grad can be implicitly created only for scalar outputs"):
        grad(x * 2, x)


def test_second_backward_without_retain_graph():
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y = (x * x).sum()
    y.backward()
    with raises(FREED):
        y.backward()


def test_second_backward_with_retain_graph_accumulates():
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y = (x * x).sum()
    y.backward(retain_graph=True)
    y.backward()
    assert x.grad.tolist() == [4.0, 8.0]


def test_second_backward_through_nodes_without_saved_values_is_allowed():
    # AddBackward0 and SumBackward0 keep only shapes: nothing was freed (as in PyTorch).
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y = (x + 1).sum()
    y.backward()
    y.backward()
    assert x.grad.tolist() == [2.0, 2.0]


def test_saved_output_freed_too():
    x = torch.tensor([1.0], requires_grad=True)
    y = x.exp()
    y.backward()
    with raises(FREED):
        y.backward()


def test_in_place_on_leaf_that_requires_grad():
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    for operation in (lambda: x.add_(1), lambda: x.mul_(2), lambda: x.zero_(), lambda: x.clamp_(0, 1)):
        with raises("a leaf Variable that requires grad is being used in an in-place operation."):
            operation()
    with raises("a leaf Variable that requires grad is being used in an in-place operation."):
        x += 1
    with raises("a view of a leaf Variable that requires grad is being used in an in-place operation."):
        x[0] = 3.0


def test_in_place_on_leaf_under_no_grad_is_the_descent_update():
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    with torch.no_grad():
        x -= 0.5 * torch.tensor([2.0, 2.0])
        x[1] = 7.0
    assert x.tolist() == [0.0, 7.0] and x.is_leaf and x.requires_grad
    assert x._version == 2


def test_saved_input_modified_in_place():
    a = torch.tensor([1.0], requires_grad=True)
    b = a * 2
    c = b * b  # saves b (version 0)
    b.add_(1)  # b is now output 0 of AddBackward0, version 1
    with raises(
        "one of the variables needed for gradient computation has been modified by an inplace "
        "operation: [gradcli.DoubleTensor [1]], which is output 0 of Add, is at version 1; "
        "expected version 0 instead." + HINT
    ):
        c.backward()


def test_saved_input_modified_twice_float32():
    a = torch.tensor([1.0], requires_grad=True, dtype=torch.float32)
    b = a * 2
    c = b * b
    b.add_(1)
    b.mul_(2)
    with raises(
        "one of the variables needed for gradient computation has been modified by an inplace "
        "operation: [gradcli.FloatTensor [1]], which is output 0 of Mul, is at version 2; "
        "expected version 0 instead." + HINT
    ):
        c.backward()


def test_saved_output_modified_in_place():
    a = torch.tensor([[1.0, 2.0]], requires_grad=True)
    b = a.exp()  # ExpBackward0 saves its result
    b.add_(1)
    with raises(
        "one of the variables needed for gradient computation has been modified by an inplace "
        "operation: [gradcli.DoubleTensor [1, 2]], which is output 0 of Exp, is at version 1; "
        "expected version 0 instead." + HINT
    ):
        b.sum().backward()


def test_saved_leaf_modified_under_no_grad():
    a = torch.tensor([1.0], requires_grad=True)
    c = a * a
    with torch.no_grad():
        a.add_(1)
    with raises(
        "one of the variables needed for gradient computation has been modified by an inplace "
        "operation: [gradcli.DoubleTensor [1]] is at version 1; expected version 0 instead." + HINT
    ):
        c.backward()


def test_unsaved_input_may_change():
    # x * 2 saves only the number: changing x afterwards is fine (PyTorch agrees).
    a = torch.tensor([1.0], requires_grad=True)
    b = a * 1
    c = b * 2
    b.add_(5)
    c.backward()
    assert a.grad.tolist() == [2.0]


def test_setitem_on_saved_tensor():
    a = torch.tensor([2.0, 3.0], requires_grad=True)
    b = a * 1
    c = b**2
    b[0] = 5.0
    with raises(
        "one of the variables needed for gradient computation has been modified by an inplace "
        "operation: [gradcli.DoubleTensor [2]], which is output 0 of CopySlices, is at version 1; "
        "expected version 0 instead." + HINT
    ):
        c.sum().backward()


def test_numpy_of_tensor_that_requires_grad():
    x = torch.tensor([1.0], requires_grad=True)
    with raises("Can't call numpy() on Tensor that requires grad. Use tensor.detach().numpy() instead."):
        x.numpy()
    assert x.detach().numpy().tolist() == [1.0]


def test_backward_on_tensor_without_grad():
    message = "element 0 of tensors does not require grad and does not have a grad_fn"
    with raises(message):
        torch.tensor([1.0]).backward()
    with raises(message):
        torch.tensor([1.0]).sum().backward()
    with raises(message):
        grad(torch.tensor([1.0]).sum(), torch.tensor([1.0], requires_grad=True))
    with torch.no_grad():
        y = torch.tensor([1.0], requires_grad=True) * 2
    with raises(message):
        y.backward()


def test_grad_of_unused_input():
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    z = torch.tensor([1.0], requires_grad=True)
    with raises(
        "The differentiated Tensor at index 1 appears to not have been used in the graph. "
        "Set allow_unused=True if this is the desired behavior."
    ):
        grad((x * 2).sum(), [x, z])
    gx, gz = grad((x * 2).sum(), [x, z], allow_unused=True)
    assert gx.tolist() == [2.0, 2.0] and gz is None


def test_gradient_shape_mismatch():
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    with raises(
        "Mismatch in shape: grad_output[0] has a shape of gradcli.Size([1]) and output[0] has a "
        "shape of gradcli.Size([2])."
    ):
        (x * 2).backward(torch.tensor([1.0]))


# numpy warns about the nan it is asked to make; the test is about what the engine raises.
@pytest.mark.filterwarnings("ignore:invalid value encountered:RuntimeWarning")
def test_anomaly_mode_names_the_backward_that_made_nan():
    x = torch.tensor([0.0], requires_grad=True)
    with pytest.warns(UserWarning, match="Anomaly Detection has been enabled"):
        with torch.autograd.detect_anomaly():
            with raises("Function 'LogBackward0' returned nan values in its 0th output."):
                (x.log() * 0).sum().backward()
            w = torch.tensor([-1.0], requires_grad=True)
            with raises("Function 'SqrtBackward0' returned nan values in its 0th output."):
                w.sqrt().sum().backward()
    # outside the context the same backward just yields nan
    x = torch.tensor([0.0], requires_grad=True)
    (x.log() * 0).sum().backward()
    assert math.isnan(x.grad.item())


def test_requires_grad_flags():
    with raises("Only Tensors of floating point and complex dtype can require gradients"):
        torch.tensor([1, 2], requires_grad=True)
    with raises("only Tensors of floating point dtype can require gradients"):
        torch.tensor([1, 2]).requires_grad_()
    x = torch.tensor([1.0], requires_grad=True)
    with raises(
        "you can only change requires_grad flags of leaf variables. If you want to use a computed "
        "variable in a subgraph that doesn't require differentiation use var_no_grad = var.detach()."
    ):
        (x * 2).requires_grad_(False)
    with raises("can't retain_grad on Tensor that has requires_grad=False"):
        torch.tensor([1.0]).retain_grad()


def test_shape_errors():
    x = torch.tensor([1.0, 2.0])
    with raises("shape '[3]' is invalid for input of size 2"):
        x.view(3)
    with raises("The size of tensor a (2) must match the size of tensor b (3) at non-singleton dimension 0"):
        x + torch.tensor([1.0, 2.0, 3.0])
    with raises("mat1 and mat2 shapes cannot be multiplied (1x2 and 1x2)"):
        torch.tensor([[1.0, 2.0]]) @ torch.tensor([[1.0, 2.0]])
    with raises("a Tensor with 2 elements cannot be converted to Scalar"):
        x.item()


def test_custom_function_saved_tensors_freed():
    class Square(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x * x

        @staticmethod
        def backward(ctx, grad_output):
            (x,) = ctx.saved_tensors
            return 2 * x * grad_output

    x = torch.tensor([3.0], requires_grad=True)
    y = Square.apply(x)
    y.backward()
    with raises(FREED):
        y.backward()


def test_arithmetic_that_makes_inf_or_nan_never_warns_as_in_pytorch():
    """PyTorch gives inf and nan silently (torch.log(torch.tensor([0., 1.])) * 0 is
    tensor([nan, 0.])); numpy would warn, and with -W error raise."""
    import warnings

    with warnings.catch_warnings():
        warnings.simplefilter("error")
        x = torch.tensor([0.0, 1.0], requires_grad=True)
        y = x.log() * 0
        big, inf = torch.tensor([1e308]), torch.tensor([math.inf])
        results = [big * 10, big + big, inf - inf, inf * 0, big / 1e-308, big**2, inf - math.inf, 0 * inf]
        results += [big.exp(), big.sinh(), torch.tensor([1e308, 1e308]).sum(), inf.log() * 0]
        results += [torch.tensor([math.inf]).mul_(0), torch.tensor([1e308]).add_(1e308)]
        two = torch.tensor([1e308, 1e308])
        results += [
            two @ two,
            two.mean(),
            two.prod(),
            two.cumsum(0)[1:],
            torch.softmax(torch.tensor([math.inf, 1.0]), 0),
        ]
        y.sum().backward()
    assert repr(y) == "tensor([nan, 0.], grad_fn=<MulBackward0>)"
    assert [str(r.tolist()[0] if r.dim() else r.item()) for r in results] == [
        *["inf", "inf", "nan", "nan", "inf", "inf", "nan", "nan"],
        *["inf", "inf", "inf", "nan", "nan", "inf"],
        *["inf", "inf", "inf", "inf", "nan"],
    ]
