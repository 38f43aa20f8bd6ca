"""gradcheck and gradgradcheck on every engine operation, one line per case.

Inputs are seeded random float64 values drawn inside each operation's domain
and away from kinks (abs, relu, clamp) so that central differences are valid.
Then: gradcheck itself must catch a wrong backward.
"""

import warnings
import zlib

import numpy as np
import pytest

import gradcli
from gradcli.autograd.gradcheck import GradcheckError, gradcheck, gradgradcheck


def U(*shape, lo=-1.5, hi=1.5):
    """Uniform in [lo, hi)."""
    return lambda rng: rng.uniform(lo, hi, size=shape)


def P(*shape, lo=0.5, hi=2.0):
    """Positive, away from 0."""
    return U(*shape, lo=lo, hi=hi)


def AWAY(*shape, lo=0.3, hi=1.5):
    """Either sign, magnitude in [lo, hi): away from a kink or pole at 0."""
    return lambda rng: rng.uniform(lo, hi, size=shape) * rng.choice([-1.0, 1.0], size=shape)


def FIXED(values):
    return lambda rng: np.array(values, dtype=np.float64)


g = gradcli
CLAMP_POINTS = FIXED([[-1.2, -0.3, 0.1], [0.35, 0.9, 1.3]])  # away from the bounds -0.5 and 0.5

OPS = [
    # ***** arithmetic, with broadcasting and Python numbers on either side *****
    pytest.param(lambda a, b: a + b, [U(3, 1), U(1, 4)], id="add-(3,1)+(1,4)"),
    pytest.param(lambda a, b: a + b, [U(2, 3), U(3)], id="add-(2,3)+(3,)"),
    pytest.param(lambda a, b: a + b, [U(), U(2, 2)], id="add-scalar+(2,2)"),
    pytest.param(lambda a: a + 2.5, [U(2, 3)], id="add-tensor+number"),
    pytest.param(lambda a: 2.5 + a, [U(2, 3)], id="add-number+tensor"),
    pytest.param(lambda a, b: a - b, [U(3, 1), U(1, 4)], id="sub-(3,1)-(1,4)"),
    pytest.param(lambda a, b: a - b, [U(2, 3), U(3)], id="sub-(2,3)-(3,)"),
    pytest.param(lambda a, b: a - b, [U(2, 2), U()], id="sub-(2,2)-scalar"),
    pytest.param(lambda a: a - 1.5, [U(2, 3)], id="sub-tensor-number"),
    pytest.param(lambda a: 1.5 - a, [U(2, 3)], id="sub-number-tensor"),
    pytest.param(lambda a, b: a * b, [U(3, 1), U(1, 4)], id="mul-(3,1)*(1,4)"),
    pytest.param(lambda a, b: a * b, [U(2, 3), U(3)], id="mul-(2,3)*(3,)"),
    pytest.param(lambda a, b: a * b, [U(), U(2, 2)], id="mul-scalar*(2,2)"),
    pytest.param(lambda a: a * 3.0, [U(2, 3)], id="mul-tensor*number"),
    pytest.param(lambda a: 3.0 * a, [U(2, 3)], id="mul-number*tensor"),
    pytest.param(lambda a, b: a / b, [U(3, 1), AWAY(1, 4)], id="div-(3,1)/(1,4)"),
    pytest.param(lambda a, b: a / b, [U(2, 3), AWAY(3)], id="div-(2,3)/(3,)"),
    pytest.param(lambda a, b: a / b, [U(2, 2), AWAY()], id="div-(2,2)/scalar"),
    pytest.param(lambda a: a / 2.0, [U(2, 3)], id="div-tensor/number"),
    pytest.param(lambda a: 2.0 / a, [AWAY(2, 3)], id="div-number/tensor"),
    pytest.param(lambda a: a**3, [U(2, 3)], id="pow-tensor**int"),
    pytest.param(lambda a: a**2.5, [P(2, 3)], id="pow-tensor**float"),
    pytest.param(lambda a: a**-1.5, [P(2, 3)], id="pow-tensor**negative"),
    pytest.param(lambda a: 2.0**a, [U(2, 3)], id="pow-number**tensor"),
    pytest.param(lambda a, b: a**b, [P(3, 1), U(1, 4)], id="pow-(3,1)**(1,4)"),
    pytest.param(lambda a, b: a**b, [P(2, 3), U()], id="pow-(2,3)**scalar"),
    pytest.param(lambda a: -a, [U(2, 3)], id="neg"),
    pytest.param(lambda a: a.reciprocal(), [AWAY(2, 3)], id="reciprocal"),
    pytest.param(lambda a, b: a.pow(b), [P(2, 3), U(2, 3)], id="pow-method"),
    pytest.param(lambda a, b: a.add(b).sub(a * a).mul(b).div(b + 3.0), [U(2, 3), U(3)], id="named-arithmetic"),
    # ***** elementwise functions *****
    pytest.param(g.exp, [U(2, 3)], id="exp"),
    pytest.param(g.log, [P(2, 3)], id="log"),
    pytest.param(g.sqrt, [P(2, 3)], id="sqrt"),
    pytest.param(g.sin, [U(2, 3)], id="sin"),
    pytest.param(g.cos, [U(2, 3)], id="cos"),
    pytest.param(g.tan, [U(2, 3, lo=-1.0, hi=1.0)], id="tan"),
    pytest.param(g.tanh, [U(2, 3)], id="tanh"),
    pytest.param(g.sinh, [U(2, 3)], id="sinh"),
    pytest.param(g.cosh, [U(2, 3)], id="cosh"),
    pytest.param(g.asin, [U(2, 3, lo=-0.8, hi=0.8)], id="asin"),
    pytest.param(g.acos, [U(2, 3, lo=-0.8, hi=0.8)], id="acos"),
    pytest.param(g.atan, [U(2, 3)], id="atan"),
    pytest.param(g.atan2, [U(3, 1), AWAY(1, 4)], id="atan2-(3,1),(1,4)"),
    pytest.param(g.atan2, [AWAY(2, 3), U(2, 3)], id="atan2-(2,3),(2,3)"),
    pytest.param(g.abs, [AWAY(2, 3)], id="abs"),
    pytest.param(g.sigmoid, [U(2, 3, lo=-3.0, hi=3.0)], id="sigmoid"),
    pytest.param(g.relu, [AWAY(2, 3)], id="relu"),
    pytest.param(lambda a: g.clamp(a, min=-0.5, max=0.5), [CLAMP_POINTS], id="clamp-min-max"),
    pytest.param(lambda a: g.clamp(a, min=0.2), [CLAMP_POINTS], id="clamp-min"),
    pytest.param(lambda a: a.clamp(max=0.5), [CLAMP_POINTS], id="clamp-max-method"),
    pytest.param(lambda a, b: a.maximum(b), [U(3, 1), U(1, 4)], id="maximum-(3,1),(1,4)"),
    pytest.param(lambda a, b: a.minimum(b), [U(2, 3), U(3)], id="minimum-(2,3),(3,)"),
    pytest.param(lambda a, b: g.where(a > 0, a, b), [AWAY(2, 3), U(2, 3)], id="where"),
    pytest.param(lambda a: a.exp().sin().sqrt(), [U(2, 3, lo=-0.5, hi=0.3)], id="methods-chain"),
    pytest.param(lambda a: a.tanh() * a.sigmoid() + a.abs(), [AWAY(2, 3)], id="methods-mixed"),
    # ***** reductions *****
    pytest.param(lambda a: a.sum(), [U(2, 3)], id="sum"),
    pytest.param(lambda a: a.sum(dim=0), [U(2, 3)], id="sum-dim0"),
    pytest.param(lambda a: a.sum(dim=1, keepdim=True), [U(2, 3)], id="sum-dim1-keepdim"),
    pytest.param(lambda a: g.sum(a, dim=-1), [U(2, 3, 2)], id="sum-dim-1-3d"),
    pytest.param(lambda a: a.mean(), [U(2, 3)], id="mean"),
    pytest.param(lambda a: a.mean(dim=0), [U(2, 3)], id="mean-dim0"),
    pytest.param(lambda a: g.mean(a, dim=1, keepdim=True), [U(2, 3)], id="mean-dim1-keepdim"),
    pytest.param(lambda a: a.sum(dim=(0, 2)), [U(2, 3, 2)], id="sum-dims-tuple"),
    pytest.param(lambda a: a.mean(dim=(0, 1)), [U(2, 3, 2)], id="mean-dims-tuple"),
    pytest.param(lambda a: a.max(), [U(2, 3)], id="max"),
    pytest.param(lambda a: a.max(dim=1)[0], [U(2, 3)], id="max-dim"),
    pytest.param(lambda a: a.min(dim=0, keepdim=True).values, [U(2, 3)], id="min-dim-keepdim"),
    # ***** linear algebra *****
    pytest.param(lambda a, b: a @ b, [U(2, 3), U(3, 4)], id="matmul-2d@2d"),
    pytest.param(lambda a, b: a @ b, [U(3), U(3, 4)], id="matmul-1d@2d"),
    pytest.param(lambda a, b: g.matmul(a, b), [U(2, 3), U(3)], id="matmul-2d@1d"),
    pytest.param(lambda a, b: a @ b, [U(3), U(3)], id="matmul-1d@1d"),
    pytest.param(lambda a, b: a @ b, [U(2, 2, 3), U(3, 4)], id="matmul-3d@2d"),
    pytest.param(lambda a, b: a.mm(b), [U(2, 3), U(3, 2)], id="mm"),
    pytest.param(lambda a, b: a.mv(b), [U(2, 3), U(3)], id="mv"),
    pytest.param(g.dot, [U(4), U(4)], id="dot"),
    pytest.param(lambda a, b: a.dot(b), [U(3), U(3)], id="dot-method"),
    # ***** shape and indexing *****
    pytest.param(lambda a: a.reshape(3, 2), [U(2, 3)], id="reshape"),
    pytest.param(lambda a: a.reshape(-1), [U(2, 3)], id="reshape-flatten"),
    pytest.param(lambda a: a.view(3, 2), [U(2, 3)], id="view"),
    pytest.param(lambda a: a.transpose(0, 1), [U(2, 3)], id="transpose"),
    pytest.param(lambda a: a.T, [U(2, 3)], id="T"),
    pytest.param(lambda a: a.t(), [U(2, 3)], id="t"),
    pytest.param(lambda a: a.permute(2, 0, 1), [U(2, 3, 2)], id="permute"),
    pytest.param(lambda a: a.flatten(), [U(2, 3)], id="flatten"),
    pytest.param(lambda a: a.squeeze(1), [U(2, 1, 3)], id="squeeze"),
    pytest.param(lambda a: a.unsqueeze(0), [U(2, 3)], id="unsqueeze"),
    pytest.param(lambda a: a.expand(3, 4), [U(3, 1)], id="expand"),
    pytest.param(lambda a: a.clone(), [U(2, 3)], id="clone"),
    pytest.param(lambda a: a[0], [U(2, 3)], id="index-int"),
    pytest.param(lambda a: a[1, 2], [U(2, 3)], id="index-element"),
    pytest.param(lambda a: a[:, 1], [U(2, 3)], id="index-column"),
    pytest.param(lambda a: a[1:, ::2], [U(3, 4)], id="index-slices"),
    pytest.param(lambda a: a[[0, 2, 0]], [U(3, 2)], id="index-repeated-list"),
    pytest.param(lambda a: a[-1, ..., None], [U(2, 3)], id="index-negative-ellipsis-none"),
    pytest.param(lambda a: a[a > 0], [AWAY(2, 3)], id="index-boolean-mask"),
    pytest.param(lambda a, b: g.stack([a, b]), [U(2, 3), U(2, 3)], id="stack-dim0"),
    pytest.param(lambda a, b: g.stack([a, b], dim=1), [U(2, 3), U(2, 3)], id="stack-dim1"),
    pytest.param(lambda a, b: g.cat([a, b]), [U(2, 3), U(1, 3)], id="cat-dim0"),
    pytest.param(lambda a, b: g.cat([a, b], dim=1), [U(2, 3), U(2, 2)], id="cat-dim1"),
    # ***** in-place operations on a non-leaf (recorded like any other op) *****
    pytest.param(lambda a, b: (a * 1).add_(b), [U(2, 3), U(3)], id="add_"),
    pytest.param(lambda a, b: (a * 1).sub_(b), [U(2, 3), U(3)], id="sub_"),
    pytest.param(lambda a, b: (a * 1).mul_(b), [U(2, 3), U(3)], id="mul_"),
    pytest.param(lambda a, b: (a * 1).div_(b), [U(2, 3), AWAY(3)], id="div_"),
    pytest.param(lambda a: (a * 1).clamp_(-0.5, 0.5), [CLAMP_POINTS], id="clamp_"),
    pytest.param(lambda a, b: (a * 1).copy_(b), [U(2, 3), U(2, 3)], id="copy_"),
    pytest.param(lambda a, b: _augmented_assignments(a, b), [U(2, 3), AWAY(2, 3)], id="+=,-=,*=,/="),
    pytest.param(lambda a, b: _item_assignment(a, b), [U(2, 3), U(3)], id="setitem"),
    pytest.param(lambda a: _inplace_on_view(a), [U(2, 3)], id="inplace-on-a-view"),
    pytest.param(lambda a: _inplace_on_base_seen_by_view(a), [U(2, 3)], id="inplace-on-base-seen-by-view"),
    pytest.param(lambda a, b: (a * 1).masked_fill_(b > 0, 0.5), [U(2, 3), AWAY(3)], id="masked_fill_"),
    *[
        pytest.param(lambda a, name=name: getattr(a * 1, name)(), [P(2, 3, lo=0.2, hi=0.8)], id=name)
        for name in (
            "exp_",
            "log_",
            "sqrt_",
            "neg_",
            "reciprocal_",
            "sin_",
            "cos_",
            "tan_",
            "tanh_",
            "sinh_",
            "cosh_",
            "asin_",
            "acos_",
            "atan_",
            "sigmoid_",
            "abs_",
            "relu_",
            "square_",
        )
    ],
    pytest.param(lambda a: (a * 1).pow_(2.5), [P(2, 3)], id="pow_"),
    # ***** issue 9: taking apart and rearranging *****
    pytest.param(lambda a: a.narrow(1, 1, 2), [U(2, 3)], id="narrow"),
    pytest.param(lambda a: g.select(a, 1, -1), [U(2, 3)], id="select"),
    pytest.param(lambda a: a.chunk(2, dim=1), [U(2, 5)], id="chunk"),
    pytest.param(lambda a: g.split(a, [1, 3], dim=1), [U(2, 4)], id="split-sections"),
    pytest.param(lambda a: a.split(2), [U(5, 2)], id="split-size"),
    pytest.param(lambda a: a.unbind(1), [U(2, 3)], id="unbind"),
    pytest.param(lambda a: a.repeat(2, 3), [U(2, 3)], id="repeat"),
    pytest.param(lambda a: a.repeat(2, 1, 2), [U(2, 3)], id="repeat-new-axis"),
    pytest.param(lambda a: a.flip(0), [U(2, 3)], id="flip"),
    pytest.param(lambda a: g.flip(a, (0, 1)), [U(2, 3)], id="flip-two-dims"),
    pytest.param(lambda a: a.roll(1), [U(2, 3)], id="roll-flat"),
    pytest.param(lambda a: g.roll(a, (1, -1), (0, 1)), [U(2, 3)], id="roll-dims"),
    pytest.param(lambda a: a.tril(), [U(3, 3)], id="tril"),
    pytest.param(lambda a: g.triu(a, 1), [U(3, 4)], id="triu-1"),
    pytest.param(lambda a: g.tril(a, -1), [U(2, 3, 3)], id="tril-batched"),
    pytest.param(lambda a: g.diag(a), [U(3)], id="diag-1d"),
    pytest.param(lambda a: g.diag(a, -1), [U(3)], id="diag-1d-offset"),
    pytest.param(lambda a: a.diag(), [U(3, 4)], id="diag-2d"),
    pytest.param(lambda a: g.diag(a, 1), [U(3, 4)], id="diag-2d-offset"),
    # ***** issue 9: products *****
    pytest.param(g.outer, [U(3), U(4)], id="outer"),
    pytest.param(g.mm, [U(2, 3), U(3, 2)], id="mm-function"),
    pytest.param(g.bmm, [U(2, 2, 3), U(2, 3, 2)], id="bmm"),
    pytest.param(lambda a, b: g.einsum("ij,jk->ik", a, b), [U(2, 3), U(3, 2)], id="einsum-matmul"),
    pytest.param(lambda a, b: g.einsum("bij,bjk->bik", a, b), [U(2, 2, 3), U(2, 3, 2)], id="einsum-batched"),
    pytest.param(lambda a, b: g.einsum("i,j", a, b), [U(3), U(2)], id="einsum-outer-implicit"),
    pytest.param(lambda a, b: g.einsum("ij,ij->i", a, b), [U(2, 3), U(2, 3)], id="einsum-rowdot"),
    pytest.param(lambda a: g.einsum("ii", a), [U(3, 3)], id="einsum-trace"),
    pytest.param(lambda a, b: g.einsum("ij,k->j", a, b), [U(2, 3), U(2)], id="einsum-summed-only-in-one"),
    pytest.param(lambda a, b, c: g.einsum("ij,jk,kl->il", a, b, c), [U(2, 3), U(3, 2), U(2, 2)], id="einsum-3"),
    # ***** issue 9: reductions with their own rules *****
    pytest.param(lambda a: a.cumsum(1), [U(2, 3)], id="cumsum"),
    pytest.param(lambda a: g.cumsum(a, 0), [U(3)], id="cumsum-1d"),
    pytest.param(lambda a: a.prod(), [AWAY(2, 3)], id="prod"),
    pytest.param(lambda a: g.prod(a, 1, keepdim=True), [AWAY(2, 3)], id="prod-dim-keepdim"),
    pytest.param(lambda a: g.logsumexp(a, 1), [U(2, 3)], id="logsumexp"),
    pytest.param(lambda a: a.logsumexp((0, 1), keepdim=True), [U(2, 3)], id="logsumexp-dims"),
    pytest.param(lambda a: g.softmax(a, 1), [U(2, 3)], id="softmax"),
    pytest.param(lambda a: a.softmax(0), [U(2, 3)], id="softmax-dim0"),
    pytest.param(lambda a: g.log_softmax(a, -1), [U(2, 3)], id="log_softmax"),
    pytest.param(lambda a: a.norm(), [U(2, 3)], id="norm"),
    pytest.param(lambda a: g.norm(a, dim=1), [AWAY(2, 3)], id="norm-dim"),
    pytest.param(lambda a: g.norm(a, 3, dim=0, keepdim=True), [AWAY(2, 3)], id="norm-p3"),
    pytest.param(lambda a: g.norm(a, 1), [AWAY(2, 3)], id="norm-p1"),
    pytest.param(
        lambda a: g.norm(a, float("inf"), dim=1), [FIXED([[0.3, -1.2, 0.5], [0.9, 0.1, -0.4]])], id="norm-inf"
    ),
    pytest.param(lambda a: g.linalg.norm(a), [U(2, 3)], id="linalg.norm"),
    pytest.param(lambda a: g.linalg.vector_norm(a, 1.5, dim=1), [AWAY(2, 3)], id="linalg.vector_norm"),
    pytest.param(lambda a: a.masked_fill(a > 0, 2.0), [AWAY(2, 3)], id="masked_fill"),
    pytest.param(lambda a, v: a.masked_fill(a > 0, v), [AWAY(2, 3), U()], id="masked_fill-tensor-value"),
    pytest.param(lambda a: a.long().double() * a + a.double(), [U(2, 3, lo=1.2, hi=1.8)], id="integer-cast-detaches"),
]


def _augmented_assignments(a, b):
    y = a * 1
    y += b
    y *= b
    y -= a
    y /= b
    return y


def _item_assignment(a, b):
    y = a * 1
    y[0] = b
    return y


def _inplace_on_base_seen_by_view(a):
    y = a * 1
    row = y[1]
    y.mul_(a)  # the view row sees the change of its base (PyTorch's view tracking)
    return row


def _inplace_on_view(a):
    y = a * 1
    y[0].mul_(3.0)  # y[0] is a view: PyTorch gives d y[0] / d a[0] = 3
    return y


@pytest.mark.parametrize("fn, domains", OPS)
def test_gradcheck_and_gradgradcheck(fn, domains, request):
    rng = np.random.default_rng(zlib.crc32(request.node.callspec.id.encode()))
    inputs = tuple(gradcli.tensor(np.asarray(domain(rng)), requires_grad=True) for domain in domains)
    assert gradcheck(fn, inputs)
    assert gradgradcheck(fn, inputs)


# ----- gradcheck must catch what it is for -----


class WrongSquare(gradcli.autograd.Function):
    """x**2 with a backward that is off by a factor 3/2 (3x instead of 2x)."""

    @staticmethod
    def forward(ctx, x):
        ctx.save_for_backward(x)
        return x * x

    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        return grad_output * 3 * x


class RightSquare(WrongSquare):
    @staticmethod
    def backward(ctx, grad_output):
        (x,) = ctx.saved_tensors
        return grad_output * 2 * x


def test_gradcheck_rejects_a_wrong_backward():
    x = gradcli.tensor([0.5, -1.0, 2.0], requires_grad=True)
    assert gradcheck(RightSquare.apply, (x,))
    assert gradcheck(WrongSquare.apply, (x,), raise_exception=False) is False
    with pytest.raises(GradcheckError, match="Jacobian mismatch for output 0 with respect to input 0,\nnumerical:"):
        gradcheck(WrongSquare.apply, (x,))


def test_gradcheck_error_shows_both_jacobians():
    x = gradcli.tensor([1.0, 2.0], requires_grad=True)
    with pytest.raises(GradcheckError) as info:
        gradcheck(WrongSquare.apply, x)
    message = str(info.value)
    assert isinstance(info.value, RuntimeError)
    numerical, analytical = message.split("\nnumerical:")[1].split("\nanalytical:")
    assert numerical.startswith("tensor([[2.0000, 0.0000],")  # diag(2x)
    assert analytical.startswith("tensor([[3., 0.],")  # diag(3x)


def test_gradgradcheck_rejects_a_backward_that_is_not_differentiable_correctly():
    class DetachedBackward(gradcli.autograd.Function):
        # x**3 with a correct first derivative whose own derivative is lost (computed on numbers)
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x**3

        @staticmethod
        def backward(ctx, grad_output):
            (x,) = ctx.saved_tensors
            return grad_output * gradcli.tensor(3 * x.detach().numpy() ** 2)

    x = gradcli.tensor([0.5, 1.5], requires_grad=True)
    assert gradcheck(DetachedBackward.apply, (x,))
    assert gradgradcheck(DetachedBackward.apply, (x,), raise_exception=False) is False


def test_gradcheck_needs_an_input_that_requires_grad():
    with pytest.raises(ValueError, match="gradcheck expects at least one input tensor to require gradient"):
        gradcheck(gradcli.sin, (gradcli.tensor([1.0]),))


def test_gradcheck_warns_for_single_precision_inputs():
    x = gradcli.tensor([0.5, 1.0], dtype=gradcli.float32, requires_grad=True)
    with warnings.catch_warnings(record=True) as caught:
        warnings.simplefilter("always")
        gradcheck(lambda x: x * 2, (x,), raise_exception=False)
    assert any(
        "Input #0 requires gradient and is not a double precision floating point" in str(w.message) for w in caught
    )


def test_gradcheck_passes_non_tensor_arguments_through_and_checks_tuple_outputs():
    x = gradcli.tensor([0.3, 0.7], requires_grad=True)
    y = gradcli.tensor([1.1, -0.4], requires_grad=True)
    assert gradcheck(lambda x, k, y: (x * k, (x * y).sin()), (x, 2.0, y))
    assert gradgradcheck(lambda x, k, y: (x * k, (x * y).sin()), (x, 2.0, y))


def test_gradcheck_detects_a_backward_that_is_not_reentrant():
    calls = []

    class DriftingSquare(gradcli.autograd.Function):
        # right within the tolerances, but a different answer on every call
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x * x

        @staticmethod
        def backward(ctx, grad_output):
            (x,) = ctx.saved_tensors
            calls.append(None)
            return grad_output * 2 * x + 1e-9 * len(calls)

    x = gradcli.tensor([0.5, 1.5], requires_grad=True)
    with pytest.raises(GradcheckError, match="Backward is not reentrant"):
        gradcheck(DriftingSquare.apply, (x,))
    assert gradcheck(DriftingSquare.apply, (x,), nondet_tol=1e-6)


def test_gradcheck_of_a_detached_function_needs_a_zero_numerical_gradient():
    x = gradcli.tensor([0.5, 1.5], requires_grad=True)
    with pytest.raises(GradcheckError, match="Numerical gradient for function expected to be zero"):
        gradcheck(lambda x: x.detach() * 2, (x,))
    assert gradcheck(lambda x: gradcli.ones(2), (x,))


def test_gradcheck_with_the_same_tensor_passed_twice():
    x = gradcli.tensor([0.5, 1.5], requires_grad=True)
    assert gradcheck(lambda a, b: a * b.sin(), (x, x))
    assert gradgradcheck(lambda a, b: a * b.sin(), (x, x))
