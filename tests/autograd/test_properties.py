"""Random expression graphs against finite differences (hypothesis).

An expression is a tree over three leaves, x and y of shape (3,) and s of
shape () (so broadcasting is exercised), built from operations whose domains
are safe everywhere (log(1 + t^2), sqrt(1 + t^2), a / (1 + b^2), ...).  The
same tree is evaluated twice: with gradcli tensors (for the engine's
derivatives) and with numpy (an independent reference for the values and the
finite differences).  Examples are derandomized so CI runs are reproducible.
"""

import numpy as np
from hypothesis import HealthCheck, assume, given, settings
from hypothesis import strategies as st

import gradcli

SETTINGS = settings(max_examples=60, deadline=None, derandomize=True, suppress_health_check=[HealthCheck.too_slow])

# name -> (gradcli version, numpy version)
UNARY = {
    "sin": (gradcli.sin, np.sin),
    "cos": (lambda t: t.cos(), np.cos),
    "tanh": (gradcli.tanh, np.tanh),
    "sigmoid": (gradcli.sigmoid, lambda a: 1.0 / (1.0 + np.exp(-a))),
    "atan": (gradcli.atan, np.arctan),
    "neg": (lambda t: -t, np.negative),
    "square": (lambda t: t**2, np.square),
    "affine": (lambda t: 0.5 * t - 1.0, lambda a: 0.5 * a - 1.0),
    "log1p_sq": (lambda t: gradcli.log(1 + t**2), lambda a: np.log(1 + a**2)),
    "sqrt1p_sq": (lambda t: gradcli.sqrt(1 + t * t), lambda a: np.sqrt(1 + a * a)),
    "exp_tanh": (lambda t: gradcli.exp(gradcli.tanh(t)), lambda a: np.exp(np.tanh(a))),
    "asin_tanh": (lambda t: gradcli.asin(0.9 * gradcli.tanh(t)), lambda a: np.arcsin(0.9 * np.tanh(a))),
    "centre": (lambda t: t - t.mean(), lambda a: a - np.mean(a)),
}
BINARY = {
    "add": (lambda a, b: a + b, lambda a, b: a + b),
    "sub": (lambda a, b: a - b, lambda a, b: a - b),
    "mul": (lambda a, b: a * b, lambda a, b: a * b),
    "div_safe": (lambda a, b: a / (1 + b**2), lambda a, b: a / (1 + b**2)),
    "atan2_safe": (lambda a, b: gradcli.atan2(a, 2 + gradcli.cos(b)), lambda a, b: np.arctan2(a, 2 + np.cos(b))),
    "pow_safe": (lambda a, b: (1 + a * a) ** gradcli.tanh(b), lambda a, b: (1 + a * a) ** np.tanh(b)),
    "dot": (lambda a, b: (a * b).sum(), lambda a, b: np.sum(a * b)),
}
LEAF_SHAPES = {"x": (3,), "y": (3,), "s": ()}
NAMES = tuple(LEAF_SHAPES)


@st.composite
def trees(draw, depth=4):
    """A random expression tree, at most ``depth`` operations deep; mostly operations, leaves
    mostly variables (so the trees are big enough to be interesting)."""
    kind = draw(st.integers(0, 9)) if depth > 0 else 0
    if kind == 0:
        if draw(st.integers(0, 4)) == 0:
            return ("const", draw(st.floats(-2.0, 2.0)))
        return ("leaf", draw(st.sampled_from(NAMES)))
    if kind <= 4:
        return ("un", draw(st.sampled_from(sorted(UNARY))), draw(trees(depth - 1)))
    return ("bin", draw(st.sampled_from(sorted(BINARY))), draw(trees(depth - 1)), draw(trees(depth - 1)))


coordinates = st.floats(-2.0, 2.0, allow_nan=False)
points = st.tuples(
    *(st.lists(coordinates, min_size=int(np.prod(s)), max_size=int(np.prod(s))) for s in LEAF_SHAPES.values())
)


def uses_a_leaf(tree):
    if tree[0] == "leaf":
        return True
    if tree[0] == "const":
        return False
    return any(uses_a_leaf(t) for t in tree[2:])


def evaluate(tree, env, numeric):
    """numeric=False: gradcli tensors; numeric=True: numpy arrays."""
    kind = tree[0]
    if kind == "leaf":
        return env[tree[1]]
    if kind == "const":
        return np.float64(tree[1]) if numeric else gradcli.tensor(tree[1])
    table = UNARY if kind == "un" else BINARY
    fn = table[tree[1]][1 if numeric else 0]
    return fn(*(evaluate(t, env, numeric) for t in tree[2:]))


def arrays_from(point):
    return {n: np.array(p, dtype=np.float64).reshape(LEAF_SHAPES[n]) for n, p in zip(NAMES, point)}


def f_numpy(tree, arrays):
    return float(np.sum(evaluate(tree, arrays, numeric=True)))


def leaves_from(arrays):
    return {n: gradcli.tensor(a, requires_grad=True) for n, a in arrays.items()}


def engine_grads(tree, arrays, create_graph=False):
    env = leaves_from(arrays)
    out = evaluate(tree, env, numeric=False).sum()
    grads = gradcli.autograd.grad(out, [env[n] for n in NAMES], create_graph=create_graph, allow_unused=True)
    return env, out, [gradcli.zeros_like(env[n]) if gr is None else gr for n, gr in zip(NAMES, grads)]


def central_difference(fn, arrays, name, h):
    """d fn / d arrays[name], element by element."""
    result = np.zeros(arrays[name].shape)
    for k in range(arrays[name].size):
        plus = {n: a.copy() for n, a in arrays.items()}
        minus = {n: a.copy() for n, a in arrays.items()}
        plus[name].reshape(-1)[k] += h
        minus[name].reshape(-1)[k] -= h
        result.reshape(-1)[k] = (fn(plus) - fn(minus)) / (2 * h)
    return result


@SETTINGS
@given(trees(), points)
def test_gradients_match_finite_differences(tree, point):
    assume(uses_a_leaf(tree))
    arrays = arrays_from(point)
    env, out, grads = engine_grads(tree, arrays)
    value = f_numpy(tree, arrays)
    assert np.isclose(out.item(), value, rtol=1e-12, atol=1e-12)
    scale = 1.0 + abs(value)
    for name, grad in zip(NAMES, grads):
        numeric = central_difference(lambda a: f_numpy(tree, a), arrays, name, h=1e-6)
        np.testing.assert_allclose(grad.numpy(), numeric, rtol=1e-4, atol=1e-6 * scale, err_msg=name)


@SETTINGS
@given(trees(), points, points)
def test_second_derivatives_match_finite_differences_of_the_gradient(tree, point, direction):
    assume(uses_a_leaf(tree))
    arrays, u = arrays_from(point), arrays_from(direction)
    env, out, grads = engine_grads(tree, arrays, create_graph=True)
    # Hessian-vector product H u by differentiating g . u (create_graph=True above)
    g_dot_u = sum((gr * gradcli.tensor(u[n])).sum() for n, gr in zip(NAMES, grads))
    if g_dot_u.requires_grad:
        hu = gradcli.autograd.grad(g_dot_u, [env[n] for n in NAMES], allow_unused=True)
        hu = [np.zeros(LEAF_SHAPES[n]) if h is None else h.detach().numpy() for n, h in zip(NAMES, hu)]
    else:  # the gradient is constant: the function is (at most) linear
        hu = [np.zeros(LEAF_SHAPES[n]) for n in NAMES]
    # ... against the central difference of the gradient along u
    h = 1e-5
    plus = {n: arrays[n] + h * u[n] for n in NAMES}
    minus = {n: arrays[n] - h * u[n] for n in NAMES}
    g_plus, g_minus = engine_grads(tree, plus)[2], engine_grads(tree, minus)[2]
    for name, hu_n, gp, gm in zip(NAMES, hu, g_plus, g_minus):
        numeric = (gp.numpy() - gm.numpy()) / (2 * h)
        scale = 1.0 + np.max(np.abs(gp.numpy())) + np.max(np.abs(gm.numpy()))
        np.testing.assert_allclose(hu_n, numeric, rtol=1e-4, atol=1e-6 * scale, err_msg=name)


@SETTINGS
@given(trees(), points)
def test_backward_accumulates_into_grad(tree, point):
    assume(uses_a_leaf(tree))
    arrays = arrays_from(point)
    _, _, expected = engine_grads(tree, arrays)
    env = leaves_from(arrays)
    out = evaluate(tree, env, numeric=False).sum()
    out.backward(retain_graph=True)
    first = {n: None if env[n].grad is None else env[n].grad.numpy().copy() for n in NAMES}
    out.backward()  # same graph again: adds
    evaluate(tree, env, numeric=False).sum().backward()  # a fresh graph: adds again
    for name, grad in zip(NAMES, expected):
        if first[name] is None:  # leaf unused by this tree
            assert env[name].grad is None
            continue
        np.testing.assert_allclose(first[name], grad.numpy(), rtol=1e-12, atol=1e-12)
        np.testing.assert_allclose(env[name].grad.numpy(), 3 * grad.numpy(), rtol=1e-12, atol=1e-12)
