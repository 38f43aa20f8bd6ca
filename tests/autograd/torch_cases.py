"""Behaviours of PyTorch that gradcli must share (issue 9), one small function per
case taking the library as its argument (``torch`` or ``gradcli``).

tests/reference/record_torch_cases.py runs every case under PyTorch 2.13 and stores
``outcome(case, torch)`` in tests/data/torch_cases.json; test_torch_cases.py runs
it under gradcli and compares.  An outcome is the case's value in plain Python
(tensors become (values, dtype, requires_grad)) or ("raises", kind, message).
"""

import pickle
import warnings


def plain(value):
    """A JSON-able picture of ``value``, the same for a torch and a gradcli result."""
    if hasattr(value, "tolist") and hasattr(value, "requires_grad"):
        return {
            "tensor": value.detach().tolist(),
            "dtype": str(value.dtype).split(".")[-1],
            "requires_grad": bool(value.requires_grad),
        }
    if isinstance(value, (list, tuple)):
        return [plain(v) for v in value]
    if isinstance(value, dict):
        return {k: plain(v) for k, v in value.items()}
    if isinstance(value, float) and value != value:
        return "nan"
    if isinstance(value, float) and value in (float("inf"), float("-inf")):
        return str(value)
    return value


def outcome(case, lib):
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # a leaked warning is a difference too
        try:
            return plain(case(lib))
        except Exception as error:  # noqa: BLE001 - the error is the outcome
            message = str(error).replace("torch.", "LIB.").replace("gradcli.", "LIB.")
            return ["raises", type(error).__name__, message]


CASES = {}


def case(function):
    CASES[function.__name__] = function
    return function


# ***** 1. views see in-place changes of their base and siblings *****
@case
def view_sees_inplace_change_of_base(torch):
    root = torch.tensor([[1.0, 1.0], [1.0, 1.0]], requires_grad=True)
    x = root.clone()
    v = x[0:1]
    x.mul_(3)
    v.sum().backward()
    return root.grad


@case
def view_of_view_sees_inplace_change_of_base(torch):
    root = torch.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    x = root.clone()
    v = x[1]
    w = v[0:1]
    x.mul_(root)
    (w * 10).sum().backward()
    return root.grad, w


@case
def inplace_on_view_of_view_reaches_root(torch):
    root = torch.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    x = root.clone()
    v = x[1]
    w = v[1:]
    w.mul_(5)
    (x * torch.tensor([[1.0, 2.0], [3.0, 4.0]])).sum().backward()
    return root.grad, x


@case
def sibling_view_sees_inplace_change(torch):
    root = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    x = root.clone()
    a = x[0:2]
    b = x[1:3]
    a.mul_(4)
    b.sum().backward()
    return root.grad, b


@case
def view_requires_grad_after_base_add_(torch):
    x = torch.zeros(2)
    v = x[1]
    r = torch.tensor([1.0, 2.0], requires_grad=True)
    x.add_(r)
    (v * 3).backward()
    return v.requires_grad, x[1].requires_grad, r.grad, v.grad_fn is not None


@case
def transposed_view_sees_inplace_change(torch):
    root = torch.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    x = root.clone()
    t = x.t()
    x.pow_(2)
    (t * torch.tensor([[1.0, 0.0], [0.0, 0.0]])).sum().backward()
    return root.grad


# ***** 2. casts to integer or boolean dtypes detach *****
@case
def cast_to_int_detaches(torch):
    x = torch.tensor([1.5, 2.5], requires_grad=True)
    i = x.to(torch.int64)
    return i.requires_grad, i.grad_fn is None, i.is_leaf, x.long().requires_grad, x.bool().requires_grad


@case
def gradient_through_integer_round_trip(torch):
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    (x.to(torch.int64).to(torch.float64) * x).sum().backward()
    return x.grad


@case
def requires_grad_on_integer_tensor(torch):
    return torch.tensor([1, 2]).requires_grad_()


@case
def tensor_factory_integer_requires_grad(torch):
    return torch.tensor([1, 2], requires_grad=True)


@case
def jacobian_strict_independent_input(torch):
    def f(x, y):
        return x.to(torch.int64).to(torch.float64) * y

    return torch.autograd.functional.jacobian(f, (torch.tensor([1.0, 2.0]), torch.tensor([3.0, 4.0])), strict=True)


@case
def jacobian_strict_output_without_grad(torch):
    return torch.autograd.functional.jacobian(
        lambda x: x.to(torch.int64).double(), torch.tensor([1.0, 2.0]), strict=True
    )


@case
def vjp_strict_independent_input(torch):
    def f(x, y):
        return x.long().double() + y

    return torch.autograd.functional.vjp(
        f, (torch.tensor([1.0]), torch.tensor([2.0])), torch.tensor([1.0]), strict=True
    )


@case
def hvp_strict_independent_input(torch):
    def f(x):
        return (x.long().double() * x).sum()

    return torch.autograd.functional.hvp(f, torch.tensor([1.0, 2.0]), torch.tensor([1.0, 1.0]), strict=True)


# ***** 3. retain_grad follows the tensor's current version *****
@case
def retain_grad_then_inplace(torch):
    a = torch.tensor([1.0], requires_grad=True)
    b = a * 1
    b.retain_grad()
    b.mul_(2)
    b.sum().backward()
    return b.grad, a.grad


@case
def hook_then_inplace_sees_old_value_gradient(torch):
    a = torch.tensor([1.0], requires_grad=True)
    b = a * 1
    seen = []
    b.register_hook(lambda g: seen.append(g.tolist()))
    b.mul_(2)
    b.sum().backward()
    return seen, a.grad


# ***** 4. mark_dirty *****
def _inplace_triple(torch):
    class Triple(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.mark_dirty(x)
            return x.mul_(3)

        @staticmethod
        def backward(ctx, grad):
            return grad * 3

    return Triple


@case
def mark_dirty_rebases_history(torch):
    root = torch.tensor([1.0, 2.0], requires_grad=True)
    x = root.clone()
    y = _inplace_triple(torch).apply(x)
    y.sum().backward()
    return y is x, root.grad, x._version, type(x.grad_fn).__name__


@case
def mark_dirty_duplicate_return(torch):
    class AddInplace(torch.autograd.Function):
        @staticmethod
        def forward(ctx, a, b):
            ctx.mark_dirty(a)
            return a.add_(b), a

        @staticmethod
        def backward(ctx, ga, gb):
            return ga + gb, ga + gb

    root = torch.tensor([1.0], requires_grad=True)
    x = root.clone()
    b = torch.tensor([2.0], requires_grad=True)
    first, second = AddInplace.apply(x, b)
    (first + 2 * second).sum().backward()
    return root.grad, b.grad, first is x


@case
def mark_dirty_on_a_view(torch):
    root = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    x = root.clone()
    v = x[1:]
    _inplace_triple(torch).apply(v)
    x.sum().backward()
    return root.grad, x


@case
def mark_dirty_of_leaf(torch):
    return _inplace_triple(torch).apply(torch.tensor([1.0], requires_grad=True))


@case
def mark_dirty_not_returned(torch):
    class Forgets(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.mark_dirty(x)
            x.mul_(2)
            return x * 1

        @staticmethod
        def backward(ctx, grad):
            return grad

    return Forgets.apply(torch.tensor([1.0], requires_grad=True).clone())


# ***** 5. 0 ** b with a Python-number base *****
@case
def zero_number_base_power_gradients(torch):
    b = torch.tensor([-1.0, 0.0, 0.5, 2.0], requires_grad=True)
    (0**b).sum().backward()
    return b.grad


@case
def zero_tensor_base_power_gradients(torch):
    b = torch.tensor([-1.0, 0.0, 0.5, 2.0], requires_grad=True)
    torch.pow(torch.tensor(0.0), b).sum().backward()
    return b.grad


# ***** 6. invalid gradients *****
def _bad_backward(torch, shape):
    class Bad(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            return x * 2

        @staticmethod
        def backward(ctx, grad):
            return torch.ones(shape)

    return Bad


@case
def custom_backward_wrong_shape(torch):
    x = torch.ones(5, 5, requires_grad=True)
    _bad_backward(torch, (10,)).apply(x).sum().backward()


@case
def custom_backward_broadcastable_shape_is_summed(torch):
    x = torch.ones(5, requires_grad=True)
    _bad_backward(torch, (3, 5)).apply(x).sum().backward()
    return x.grad


@case
def custom_backward_too_few_dims(torch):
    x = torch.ones(2, 3, requires_grad=True)
    _bad_backward(torch, (3,)).apply(x).sum().backward()


@case
def assign_grad_wrong_shape(torch):
    x = torch.ones(3, requires_grad=True)
    x.grad = torch.ones(2)


@case
def assign_grad_wrong_dtype(torch):
    x = torch.ones(3, requires_grad=True)
    x.grad = torch.ones(3, dtype=torch.float32)


@case
def assign_grad_itself(torch):
    x = torch.ones(3, requires_grad=True)
    x.grad = x


@case
def assign_grad_not_a_tensor(torch):
    x = torch.ones(3, requires_grad=True)
    x.grad = [1.0, 2.0, 3.0]


@case
def assign_grad_right_then_accumulate(torch):
    x = torch.ones(3, requires_grad=True)
    x.grad = torch.full((3,), 2.0)
    (x * x).sum().backward()
    return x.grad


# ***** 7. checks on in-place operations and backward's arguments *****
@case
def inplace_on_no_grad_view_of_leaf(torch):
    a = torch.tensor([1.0, 2.0], requires_grad=True)
    with torch.no_grad():
        v = a[0:1]
    v.mul_(2)


@case
def inplace_on_no_grad_view_of_leaf_inside_no_grad(torch):
    a = torch.tensor([1.0, 2.0], requires_grad=True)
    with torch.no_grad():
        v = a[0:1]
        v.mul_(2)
    return a, v.requires_grad


@case
def inplace_on_no_grad_view_of_non_leaf(torch):
    a = torch.tensor([1.0, 2.0], requires_grad=True)
    b = a * 1
    with torch.no_grad():
        v = b[0:1]
    v.mul_(2)


@case
def inplace_on_view_of_leaf(torch):
    a = torch.tensor([1.0, 2.0], requires_grad=True)
    a[0:1].mul_(2)


@case
def detach_inplace_on_view(torch):
    a = torch.tensor([1.0, 2.0])
    a[0:1].detach_()


@case
def detach_inplace_on_non_view(torch):
    a = torch.tensor([1.0, 2.0], requires_grad=True)
    b = a * 2
    b.detach_()
    return b, b.is_leaf, b.grad_fn is None


@case
def backward_with_empty_inputs(torch):
    a = torch.tensor([1.0], requires_grad=True)
    (a * 2).sum().backward(inputs=[])


@case
def write_into_expanded_tensor_add_(torch):
    torch.tensor([1.0]).expand(3).add_(1)


@case
def write_into_expanded_tensor_setitem(torch):
    x = torch.tensor([[1.0], [2.0]]).expand(2, 3)
    x[0, 0] = 5.0


@case
def write_into_expanded_tensor_zero_(torch):
    torch.tensor([1.0]).expand(3).zero_()


@case
def write_into_expanded_tensor_recorded(torch):
    r = torch.tensor([1.0], requires_grad=True)
    torch.zeros(1).expand(3).add_(r)


@case
def write_into_trivially_expanded_tensor(torch):
    x = torch.tensor([1.0, 2.0])
    e = x.expand(1, 2)
    e.add_(1)
    return x, e


# ***** 8. grad() runs only what it needs *****
@case
def grad_runs_no_hook_on_unrelated_leaf(torch):
    a = torch.tensor([2.0], requires_grad=True)
    b = torch.tensor([3.0], requires_grad=True)
    fired = []
    b.register_hook(lambda g: fired.append("b"))
    c = a * b
    c.register_hook(lambda g: fired.append("c"))
    (ga,) = torch.autograd.grad(c.sum(), a)
    return ga, fired, b.grad


@case
def grad_wrt_intermediate_stops_there(torch):
    a = torch.tensor([2.0], requires_grad=True)
    fired = []
    a.register_hook(lambda g: fired.append("a"))
    b = a * 3
    b.register_hook(lambda g: fired.append("b"))
    c = b * b
    (gb,) = torch.autograd.grad(c.sum(), b)
    return gb, fired


# ***** 9. grad-mode decorators *****
@case
def no_grad_decorator_without_parentheses(torch):
    @torch.no_grad
    def f(x):
        return x * 2

    return f(torch.ones(1, requires_grad=True)).requires_grad, f.__name__


@case
def no_grad_called_on_function(torch):
    f = torch.no_grad(lambda x: x * 2)
    return f(torch.ones(1, requires_grad=True)).requires_grad


@case
def enable_grad_decorator_without_parentheses(torch):
    @torch.enable_grad
    def f(x):
        return x * 2

    with torch.no_grad():
        return f(torch.ones(1, requires_grad=True)).requires_grad


@case
def inference_mode_decorator_both_ways(torch):
    @torch.inference_mode
    def f(x):
        return x * 2

    @torch.inference_mode()
    def g(x):
        return x * 2

    @torch.inference_mode(False)
    def h(x):
        return x * 2

    x = torch.ones(1, requires_grad=True)
    with torch.inference_mode():
        inside = torch.is_grad_enabled(), torch.is_inference_mode_enabled()
    return f(x).requires_grad, g(x).requires_grad, h(x).requires_grad, inside, torch.is_inference_mode_enabled()


@case
def set_grad_enabled_decorator(torch):
    @torch.set_grad_enabled(False)
    def f(x):
        return x * 2

    return f(torch.ones(1, requires_grad=True)).requires_grad, torch.is_grad_enabled()


@case
def no_grad_on_generator(torch):
    @torch.no_grad()
    def gen(x):
        for _ in range(2):
            yield (x * 2).requires_grad, torch.is_grad_enabled()

    x = torch.ones(1, requires_grad=True)
    seen = []
    for item in gen(x):
        seen.append(item)
        seen.append(torch.is_grad_enabled())
    return seen


@case
def enable_grad_on_generator_inside_no_grad(torch):
    @torch.enable_grad
    def gen():
        yield torch.is_grad_enabled()
        yield torch.is_grad_enabled()

    seen = []
    with torch.no_grad():
        for item in gen():
            seen.append((item, torch.is_grad_enabled()))
    return seen


@case
def generator_send_and_close(torch):
    @torch.no_grad()
    def gen():
        received = yield torch.is_grad_enabled()
        yield received, torch.is_grad_enabled()

    g = gen()
    first = next(g)
    second = g.send("hello")
    g.close()
    return first, second, torch.is_grad_enabled()


# ***** 10. numpy(), attribute deletion, pickling *****
@case
def numpy_of_requires_grad_inside_no_grad(torch):
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    with torch.no_grad():
        return x.numpy().tolist()


@case
def numpy_of_requires_grad_outside_no_grad(torch):
    torch.tensor([1.0, 2.0], requires_grad=True).numpy()


@case
def delete_grad(torch):
    x = torch.tensor([1.0], requires_grad=True)
    (x * 2).sum().backward()
    del x.grad
    return x.grad


@case
def delete_data(torch):
    x = torch.tensor([1.0], requires_grad=True)
    del x.data


@case
def delete_requires_grad(torch):
    x = torch.tensor([1.0], requires_grad=True)
    del x.requires_grad


@case
def pickle_every_protocol(torch):
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    x.grad = torch.ones(2)
    i = torch.tensor([[1, 2]])
    found = []
    for protocol in range(pickle.HIGHEST_PROTOCOL + 1):
        y, j, d, s = pickle.loads(pickle.dumps((x, i, torch.float32, torch.Size([2, 3])), protocol=protocol))
        found.append([y, y.grad, y.is_leaf, j, str(d).split(".")[-1], list(s), type(s).__name__])
    return found


@case
def pickle_non_leaf(torch):
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y = pickle.loads(pickle.dumps(x * 2))
    return y, y.is_leaf


# ***** issue 15: arange and silent floating-point edge cases *****
@case
def arange_zero_step(torch):
    return torch.arange(0, 1, 0)


@case
def arange_wrong_sign(torch):
    return torch.arange(0, 1, -1)


@case
def arange_negative_float_step(torch):
    return torch.arange(1, 0, -0.25)


@case
def sqrt_backward_at_zero(torch):
    x = torch.tensor(0.0, requires_grad=True)
    torch.sqrt(x).backward()
    return x.grad


@case
def pow_zero_zero_backward(torch):
    x = torch.tensor(0.0, requires_grad=True)
    y = torch.tensor(0.0, requires_grad=True)
    torch.pow(x, y).backward()
    z = torch.tensor(0.0, requires_grad=True)
    torch.pow(z, 0).backward()
    return x.grad, y.grad, z.grad


@case
def negative_power_at_zero(torch):
    x = torch.tensor(0.0, requires_grad=True)
    y = x**-1.0
    y.backward()
    return y, x.grad


@case
def mean_of_empty(torch):
    return torch.tensor([]).mean(), torch.zeros(0, 3).mean(0)


@case
def division_by_zero(torch):
    x = torch.tensor([1.0, 0.0, -1.0], requires_grad=True)
    y = x / 0
    y.sum().backward()
    return y, x.grad


@case
def log_backward_at_zero(torch):
    x = torch.tensor([0.0, 1.0], requires_grad=True)
    torch.log(x).sum().backward()
    return x.grad


# ***** 11. functions PyTorch users reach for at once *****
def _m(torch):
    return torch.tensor([[1.0, -2.0, 3.0], [-4.0, 5.0, -6.0]], requires_grad=True)


def _forward_backward(torch, f):
    x = _m(torch)
    out = f(torch, x)
    outs = out if isinstance(out, (tuple, list)) else (out,)
    total = sum((o * torch.arange(1, o.numel() + 1, dtype=torch.float64).reshape(o.shape)).sum() for o in outs)
    total.backward()
    return [o for o in outs], [type(o.grad_fn).__name__ for o in outs], x.grad


FUNCTIONS = {
    "narrow": lambda torch, x: x.narrow(1, 1, 2),
    "narrow_negative_start": lambda torch, x: torch.narrow(x, 1, -2, 2),
    "select": lambda torch, x: torch.select(x, 1, -1),
    "chunk": lambda torch, x: x.chunk(2, 1),
    "chunk_more_than_size": lambda torch, x: torch.chunk(x, 5, 1),
    "split_size": lambda torch, x: x.split(2, 1),
    "split_sections": lambda torch, x: torch.split(x, [1, 2], 1),
    "unbind": lambda torch, x: x.unbind(0),
    "repeat": lambda torch, x: x.repeat(2, 1, 2),
    "flip": lambda torch, x: torch.flip(x, (0, 1)),
    "roll_flat": lambda torch, x: x.roll(2),
    "roll_dims": lambda torch, x: torch.roll(x, (1, -1), (0, 1)),
    "tril": lambda torch, x: x.tril(),
    "triu_offset": lambda torch, x: torch.triu(x, 1),
    "diag_of_matrix": lambda torch, x: torch.diag(x, 1),
    "diag_of_vector": lambda torch, x: torch.diag(x[0], -1),
    "outer": lambda torch, x: torch.outer(x[0], x[1]),
    "mm": lambda torch, x: torch.mm(x, x.t()),
    "bmm": lambda torch, x: torch.bmm(x.reshape(1, 2, 3), x.reshape(1, 3, 2)),
    "einsum_matmul": lambda torch, x: torch.einsum("ij,kj->ik", x, x),
    "einsum_implicit": lambda torch, x: torch.einsum("ij,ij", x, x),
    "einsum_trace": lambda torch, x: torch.einsum("ii->i", x[:, :2]),
    "einsum_list": lambda torch, x: torch.einsum("i,j->ij", [x[0], x[1]]),
    "norm": lambda torch, x: x.norm(),
    "norm_p1_dim": lambda torch, x: torch.norm(x, 1, dim=1),
    "norm_inf": lambda torch, x: torch.norm(x, float("inf")),
    "norm_p3_keepdim": lambda torch, x: x.norm(3, 0, True),
    "linalg_norm": lambda torch, x: torch.linalg.norm(x),
    "linalg_norm_vector_ord": lambda torch, x: torch.linalg.norm(x, 1, dim=0),
    "linalg_vector_norm": lambda torch, x: torch.linalg.vector_norm(x, 0.5),
    "cumsum": lambda torch, x: x.cumsum(1),
    "prod": lambda torch, x: x.prod(),
    "prod_dim": lambda torch, x: torch.prod(x, 0, keepdim=True),
    "logsumexp": lambda torch, x: torch.logsumexp(x, 1),
    "softmax": lambda torch, x: torch.softmax(x, 0),
    "log_softmax": lambda torch, x: x.log_softmax(-1),
    "masked_fill": lambda torch, x: x.masked_fill(x > 0, 0.5),
    "exp_on_clone": lambda torch, x: (x * 1).exp_(),
    "sqrt_on_abs": lambda torch, x: x.abs().sqrt_(),
    "neg_on_clone": lambda torch, x: (x * 1).neg_(),
    "pow_on_clone": lambda torch, x: (x * 1).pow_(3),
    "double_cast": lambda torch, x: x.double() * 2,
}

for _name, _function in FUNCTIONS.items():
    CASES["function_" + _name] = (lambda f: lambda torch: _forward_backward(torch, f))(_function)


@case
def predicates(torch):
    a = torch.tensor([1.0, float("nan"), float("inf"), 0.0])
    b = torch.tensor([1.0 + 1e-9, float("nan"), float("inf"), 1e-9])
    return (
        torch.isfinite(a),
        torch.isnan(a),
        torch.isinf(a),
        torch.isclose(a, b),
        torch.isclose(a, b, equal_nan=True),
        torch.allclose(a[:1], b[:1]),
        torch.allclose(a, b),
        a.isnan().any(),
        torch.all(a > -1),
        torch.tensor([[True, False], [True, True]]).all(dim=1),
        torch.tensor([[0, 1], [0, 0]]).any(0),
    )


@case
def casts(torch):
    x = torch.tensor([1.7, -2.2], requires_grad=True)
    return [
        (c, c.dtype == d)
        for c, d in [
            (x.long(), torch.int64),
            (x.int(), torch.int32),
            (x.double(), torch.float64),
            (x.bool(), torch.bool),
        ]
    ] + [str(x.float().dtype).split(".")[-1]]


@case
def factories(torch):
    return (
        [
            torch.full((2,), 3).dtype == torch.int64,
            torch.full((2,), True).dtype == torch.bool,
            torch.full((2,), 1.5).dtype == torch.float64,
            list(torch.empty(2, 3).shape),
            list(torch.empty((4,)).shape),
            torch.empty_like(torch.ones(2, dtype=torch.int64)).dtype == torch.int64,
        ],
        torch.full((2, 2), 7.0),
    )


@case
def random_shapes_and_dtypes(torch):
    first = torch.manual_seed(5)
    a = torch.rand(2, 3)
    torch.manual_seed(5)
    b = torch.rand(2, 3)
    n = torch.randn((4,), requires_grad=True)
    i = torch.randint(3, 10, (5,))
    j = torch.randint(10, (2, 2))
    return (
        bool((a == b).all()),
        list(a.shape),
        str(a.dtype).split(".")[-1],
        bool(((a >= 0) & (a < 1)).all()),
        list(n.shape),
        n.requires_grad,
        str(i.dtype).split(".")[-1],
        bool(((i >= 3) & (i < 10)).all()),
        list(j.shape),
        first.initial_seed(),
        list(torch.rand_like(n).shape),
        list(torch.randn_like(a).shape),
    )


@case
def once_differentiable_double_backward(torch):
    once_differentiable = torch.autograd.function.once_differentiable

    class Cube(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x**3

        @staticmethod
        @once_differentiable
        def backward(ctx, grad):
            (x,) = ctx.saved_tensors
            return grad * 3 * x**2

    x = torch.tensor([2.0], requires_grad=True)
    (g,) = torch.autograd.grad(Cube.apply(x), x, create_graph=True)
    first = (g, g.requires_grad)
    g.sum().backward()
    return first


@case
def once_differentiable_first_order(torch):
    once_differentiable = torch.autograd.function.once_differentiable

    class Square(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x * x

        @staticmethod
        @once_differentiable
        def backward(ctx, grad):
            (x,) = ctx.saved_tensors
            return grad * 2 * x

    x = torch.tensor([3.0], requires_grad=True)
    Square.apply(x).backward()
    return x.grad


@case
def legacy_variable(torch):
    Variable = torch.autograd.Variable
    t = torch.tensor([1.0, 2.0])
    v = Variable(t, requires_grad=True)
    (v * v).sum().backward()
    return isinstance(t, Variable), v.requires_grad, v.is_leaf, v.grad


@case
def register_hook_changes_gradient(torch):
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y = x * 3
    y.register_hook(lambda g: g * 10)
    handle = x.register_hook(lambda g: g + 1)
    y.sum().backward()
    first = x.grad.clone()
    handle.remove()
    x.grad = None
    (x * 3).sum().backward()
    return first, x.grad


@case
def narrow_out_of_range(torch):
    return torch.ones(2, 3).narrow(1, 2, 2)


@case
def split_sections_wrong_sum(torch):
    return torch.ones(2, 3).split([1, 1], 1)


@case
def chunk_zero(torch):
    return torch.ones(3).chunk(0)


@case
def repeat_too_few_sizes(torch):
    return torch.ones(2, 3).repeat(2)


@case
def mm_of_vectors(torch):
    return torch.mm(torch.ones(3), torch.ones(3, 2))


@case
def bmm_of_matrices(torch):
    return torch.bmm(torch.ones(2, 3), torch.ones(3, 2))


@case
def masked_fill_with_float_mask(torch):
    return torch.ones(2).masked_fill(torch.ones(2), 0.0)


@case
def expand_to_incompatible_size(torch):
    return torch.ones(2, 3).expand(4, 3, 2)


@case
def diag_of_3d(torch):
    return torch.diag(torch.ones(2, 2, 2))


@case
def select_out_of_range(torch):
    return torch.ones(2, 3).select(1, 3)


@case
def randint_empty_range(torch):
    return torch.randint(5, 5, (2,))


@case
def hook_changes_the_size(torch):
    x = torch.ones(3, requires_grad=True)
    y = x * 2
    y.register_hook(lambda g: g.sum())
    y.sum().backward()


@case
def leaf_hook_changes_the_size(torch):
    x = torch.ones(3, requires_grad=True)

    def widen(g):
        return torch.ones(2)

    x.register_hook(widen)
    (x * 2).sum().backward()


@case
def hook_returns_not_a_tensor(torch):
    x = torch.ones(3, requires_grad=True)
    x.register_hook(lambda g: "a")
    (x * 2).sum().backward()


@case
def no_grad_view_gets_no_gradient(torch):
    a = torch.tensor([1.0, 2.0], requires_grad=True)
    with torch.no_grad():
        v = a[0:1]
    y = (v * 2).sum()
    y.backward()
    return v.grad, a.grad, y.requires_grad


@case
def no_grad_view_after_base_changed_in_place(torch):
    a = torch.tensor([1.0, 2.0], requires_grad=True)
    b = a * 1
    with torch.no_grad():
        v = b[0:1]
    b.mul_(2)
    return v.grad_fn


@case
def detached_expanded_tensor_is_not_writable(torch):
    torch.ones(3).expand(2, 3).detach().add_(1)


# ***** more view / in-place scenarios (each gradient against PyTorch's) *****
def _weights(torch, *shape):
    n = 1
    for s in shape:
        n *= s
    return torch.arange(1.0, n + 1).reshape(shape)


@case
def inplace_on_column_view_with_tensor(torch):
    root = _weights(torch, 2, 3).requires_grad_()
    w = torch.tensor([0.5, -1.0], requires_grad=True)
    x = root.clone()
    col = x[:, 1]
    col.mul_(w)
    (x * _weights(torch, 2, 3)).sum().backward()
    return root.grad, w.grad, x


@case
def inplace_on_transposed_view(torch):
    root = _weights(torch, 2, 3).requires_grad_()
    x = root * 1
    t = x.t()
    t[0].add_(t[1] * 2)
    (x * _weights(torch, 2, 3)).sum().backward()
    return root.grad, x


@case
def inplace_on_reshaped_view_then_sibling(torch):
    root = _weights(torch, 2, 2).requires_grad_()
    x = root.clone()
    flat = x.reshape(4)
    row = x[1]
    flat[1:3].mul_(root.reshape(4)[0:2])
    (row * torch.tensor([3.0, 5.0])).sum().backward()
    return root.grad, row


@case
def two_inplace_changes_base_then_view(torch):
    root = _weights(torch, 3).requires_grad_()
    x = root.clone()
    v = x[1:]
    x.mul_(root)
    v.add_(x[0:2].detach() * 0 + root[0:2])
    (x * torch.tensor([1.0, 10.0, 100.0])).sum().backward()
    return root.grad, x, v


@case
def inplace_view_then_base_backward_with_create_graph(torch):
    root = torch.tensor([1.0, 2.0], requires_grad=True)
    x = root * 1
    x[0:1].mul_(root[1])
    (g,) = torch.autograd.grad((x * x).sum(), root, create_graph=True)
    (h,) = torch.autograd.grad(g.sum(), root)
    return g, h


@case
def setitem_through_view_of_view(torch):
    root = _weights(torch, 2, 3).requires_grad_()
    x = root.clone()
    row = x[1]
    row[0:2] = root[0, 1:] * 3
    (x * _weights(torch, 2, 3)).sum().backward()
    return root.grad, x


@case
def jvp_strict_independent_input(torch):
    def f(x, y):
        return x.long().double() + y

    return torch.autograd.functional.jvp(
        f, (torch.tensor([1.0]), torch.tensor([2.0])), (torch.tensor([1.0]), torch.tensor([1.0])), strict=True
    )


@case
def vhp_strict_independent_input(torch):
    def f(x):
        return (x.long().double() * x).sum()

    return torch.autograd.functional.vhp(f, torch.tensor([1.0, 2.0]), torch.tensor([1.0, 1.0]), strict=True)


@case
def hessian_strict_through_integer_cast(torch):
    def f(x):
        return (x.long().double() * x).sum()

    return torch.autograd.functional.hessian(f, torch.tensor([1.0, 2.0]), strict=True)


@case
def jacobian_non_strict_through_integer_cast(torch):
    def f(x, y):
        return x.to(torch.int64).to(torch.float64) * y

    return torch.autograd.functional.jacobian(f, (torch.tensor([1.0, 2.0]), torch.tensor([3.0, 4.0])))
