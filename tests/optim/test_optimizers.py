"""gradcli.optim against PyTorch 2.13's stored trajectories.

tests/data/optim_torch.json was written by tests/reference/record_optim.py with
torch 2.13.0 (CPU, float64): SGD (plain, momentum with dampening and weight
decay, Nesterov, maximize), Adam and AdamW (with amsgrad and weight decay) and
LBFGS (strong Wolfe and fixed step) on the Rosenbrock function and on a small
least-squares problem, 50 steps each; the parameters after every step and the
loss every step returned must agree to 1e-10 relative.
"""

import json
import pathlib

import numpy as np
import pytest

import gradcli
from gradcli import optim

DATA = json.loads((pathlib.Path(__file__).parents[1] / "data" / "optim_torch.json").read_text())
A, B = gradcli.tensor(DATA["A"]), gradcli.tensor(DATA["b"])


def loss(problem, params):
    if problem == "rosenbrock":
        (p,) = params
        return (1 - p[0]) ** 2 + 100 * (p[1] - p[0] ** 2) ** 2
    w = gradcli.cat([p.reshape(-1) for p in params])
    r = A @ w - B
    return 0.5 * (r * r).sum()


def run(key, case):
    problem = key.split("-")[0]
    options = dict(case["options"])
    if "betas" in options:
        options["betas"] = tuple(options["betas"])
    start = case["start"]
    if case["groups"]:
        params = [gradcli.tensor(start[:2], requires_grad=True), gradcli.tensor(start[2:], requires_grad=True)]
        spec = [{"params": [params[0]]}, {"params": [params[1]], "lr": options["lr"] * 3}]
    else:
        params = [gradcli.tensor(start, requires_grad=True)]
        spec = params
    optimizer = getattr(optim, case["optimizer"])(spec, **options)

    def closure():
        optimizer.zero_grad()
        value = loss(problem, params)
        if options.get("maximize"):
            value = -value
        value.backward()
        return value

    trajectory, losses = [], []
    for _ in range(50):
        losses.append(float(optimizer.step(closure)))
        trajectory.append(gradcli.cat([p.detach().reshape(-1) for p in params]).tolist())
    counters = {}
    if case["optimizer"] == "LBFGS":
        state = optimizer.state[params[0]]
        counters = {"func_evals": state["func_evals"], "n_iter": state["n_iter"]}
    return np.array(trajectory), np.array(losses), counters


@pytest.mark.parametrize("key", sorted(DATA["cases"]))
def test_fifty_steps_follow_pytorchs_trajectory(key):
    case = DATA["cases"][key]
    trajectory, losses, counters = run(key, case)
    np.testing.assert_allclose(trajectory, case["trajectory"], rtol=1e-10, atol=0)
    np.testing.assert_allclose(losses, case["losses"], rtol=1e-10, atol=0)
    assert counters == case["counters"]  # LBFGS: the closure ran as often as in PyTorch


def test_the_tutorials_descent_through_optim_sgd_gives_the_tutorials_numbers():
    # The tutorial (tests/autograd/test_tutorial.py): x0 = 3, lr = 0.01, 200 steps of
    # V = x^4 - 10 x^2 + 5 end at 2.2361 with V = -20.0000.
    x = gradcli.tensor([3.0], requires_grad=True)
    optimizer = optim.SGD([x], lr=0.01)
    trajectory = [x.item()]
    for _ in range(200):
        optimizer.zero_grad()
        V = x**4 - 10 * x**2 + 5
        V.backward()
        optimizer.step()
        trajectory.append(x.item())
    energy = (x**4 - 10 * x**2 + 5).item()
    assert (f"{trajectory[-1]:.4f}", f"{energy:.4f}") == ("2.2361", "-20.0000")
    np.testing.assert_allclose(trajectory, DATA["tutorial"]["trajectory"], rtol=1e-12)
    assert x.is_leaf and x.requires_grad and x.grad_fn is None


@pytest.mark.parametrize("name", sorted(DATA["schedulers"]))
def test_scheduler_rates_and_trajectory_match_pytorch(name):
    reference = DATA["schedulers"][name]
    w = gradcli.tensor([0.5, -0.25, 1.0], requires_grad=True)
    optimizer = optim.SGD([w], lr=0.1)
    scheduler = getattr(optim.lr_scheduler, name)(optimizer, **reference["kwargs"])
    lrs, trajectory = [scheduler.get_last_lr()[0]], []
    for _ in range(25):
        optimizer.zero_grad()
        loss("least_squares", [w]).backward()
        optimizer.step()
        scheduler.step()
        lrs.append(scheduler.get_last_lr()[0])
        trajectory.append(w.detach().tolist())
    assert lrs == reference["lrs"]  # the same recursive formulas: the same bits
    np.testing.assert_allclose(trajectory, reference["trajectory"], rtol=1e-10)
    state = scheduler.state_dict()
    for key in ("base_lrs", "last_epoch", "_step_count", "_last_lr"):
        assert state[key] == reference["state_dict"][key], key
    assert "optimizer" not in state


def test_state_dict_has_pytorchs_layout():
    reference = DATA["state_dict"]
    w = gradcli.tensor([0.5, -0.25, 1.0], requires_grad=True)
    optimizer = optim.Adam([w], lr=0.02, amsgrad=True)
    for _ in range(3):
        optimizer.zero_grad()
        loss("least_squares", [w]).backward()
        optimizer.step()
    state_dict = optimizer.state_dict()
    expected_group = dict(reference["adam"]["param_groups"][0], betas=(0.9, 0.999))
    assert state_dict["param_groups"] == [expected_group]
    (state,) = state_dict["state"].values()
    assert list(state_dict["state"]) == [0]
    for name, (values, _) in reference["adam"]["state"]["0"].items():
        np.testing.assert_allclose(state[name].tolist(), values, rtol=1e-12)
    sgd = optim.SGD([w], lr=0.1, momentum=0.9)
    w.grad = gradcli.ones(3)
    sgd.step()
    assert sgd.state_dict()["param_groups"] == reference["sgd_param_groups"]
    assert sorted(sgd.state_dict()["state"][0]) == reference["sgd_state_keys"]


def test_load_state_dict_resumes_exactly():
    """Saving after 20 steps and loading into a fresh optimiser continues the same path."""

    def make():
        w = gradcli.tensor([0.5, -0.25, 1.0], requires_grad=True)
        return w, optim.Adam([w], lr=0.02, amsgrad=True, weight_decay=0.1)

    def steps(w, optimizer, n):
        for _ in range(n):
            optimizer.zero_grad()
            loss("least_squares", [w]).backward()
            optimizer.step()

    w, optimizer = make()
    steps(w, optimizer, 40)
    w2, optimizer2 = make()
    steps(w2, optimizer2, 20)
    saved = optimizer2.state_dict()
    w3, optimizer3 = make()
    with gradcli.no_grad():
        w3.copy_(w2)
    optimizer3.load_state_dict(saved)
    steps(w2, optimizer2, 10)  # the loaded state is a copy: this must not move optimizer3's
    steps(w3, optimizer3, 20)
    assert w3.tolist() == w.tolist()
    assert optimizer3.state_dict()["param_groups"][0]["weight_decay"] == 0.1


def test_zero_grad_sets_none_or_zeros_in_place():
    w = gradcli.tensor([1.0, 2.0], requires_grad=True)
    optimizer = optim.SGD([w], lr=0.1)
    (w * w).sum().backward()
    grad = w.grad
    optimizer.zero_grad(set_to_none=False)
    assert w.grad is grad and w.grad.tolist() == [0.0, 0.0]
    optimizer.zero_grad()
    assert w.grad is None
    optimizer.step()  # no gradient: nothing moves
    assert w.tolist() == [1.0, 2.0]


def test_step_records_nothing_and_bumps_the_version():
    w = gradcli.tensor([1.0, 2.0], requires_grad=True)
    optimizer = optim.AdamW([w], lr=0.1)
    (w * w).sum().backward()
    version = w._version
    optimizer.step()
    assert w.is_leaf and w.grad_fn is None and w._version > version


def test_parameter_groups_and_add_param_group():
    a = gradcli.tensor([1.0], requires_grad=True)
    b = gradcli.tensor([1.0], requires_grad=True)
    optimizer = optim.SGD([{"params": [a]}, {"params": b, "lr": 0.5}], lr=0.1)
    assert [g["lr"] for g in optimizer.param_groups] == [0.1, 0.5]
    c = gradcli.tensor([1.0], requires_grad=True)
    optimizer.add_param_group({"params": [c], "momentum": 0.9})
    assert optimizer.param_groups[2]["lr"] == 0.1 and optimizer.param_groups[2]["momentum"] == 0.9
    for p in (a, b, c):
        (p * 2).sum().backward()
    optimizer.step()
    assert (a.item(), b.item(), c.item()) == (1 - 0.1 * 2, 1 - 0.5 * 2, 1 - 0.1 * 2)


ERRORS = DATA["errors"]


@pytest.mark.parametrize(
    "label, make",
    [
        ("sgd_negative_lr", lambda w: optim.SGD([w], lr=-1)),
        ("sgd_nesterov_without_momentum", lambda w: optim.SGD([w], lr=0.1, nesterov=True)),
        ("sgd_negative_momentum", lambda w: optim.SGD([w], lr=0.1, momentum=-0.5)),
        ("adam_bad_beta", lambda w: optim.Adam([w], betas=(1.0, 0.999))),
        ("adam_bad_eps", lambda w: optim.Adam([w], eps=-1.0)),
        ("adam_bad_weight_decay", lambda w: optim.Adam([w], weight_decay=-0.1)),
        ("empty_params", lambda w: optim.SGD([], lr=0.1)),
        ("tensor_params", lambda w: optim.SGD(w, lr=0.1)),
        ("lbfgs_groups", lambda w: optim.LBFGS([{"params": [w]}, {"params": [gradcli.ones(1, requires_grad=True)]}])),
        ("scheduler_not_optimizer", lambda w: optim.lr_scheduler.StepLR(object(), step_size=1)),
        ("load_wrong_groups", lambda w: optim.SGD([w], lr=0.1).load_state_dict({"state": {}, "param_groups": []})),
        ("add_existing_param", lambda w: optim.SGD([w], lr=0.1).add_param_group({"params": [w]})),
    ],
)
def test_errors_match_pytorch(label, make):
    kind, message = ERRORS[label]
    w = gradcli.tensor([1.0], requires_grad=True)
    with pytest.raises(Exception) as error:
        make(w)
    # PyTorch names the dtype torch.DoubleTensor; gradcli says gradcli.DoubleTensor
    assert (type(error.value).__name__, str(error.value)) == (kind, message.replace("torch.", "gradcli."))


def test_duplicate_parameters_warn_like_pytorch():
    assert ERRORS["duplicate_params"] is None  # PyTorch only warns
    w = gradcli.tensor([1.0], requires_grad=True)
    with pytest.warns(UserWarning, match="duplicate parameters; in future, this will cause an error"):
        optim.SGD([w, w], lr=0.1)


def test_lbfgs_rejects_an_unknown_line_search_when_it_steps():
    # PyTorch accepts line_search_fn="armijo" at construction (recorded: no error) and
    # raises on the first step that needs a line search.
    assert ERRORS["lbfgs_bad_line_search"] is None or ERRORS["lbfgs_bad_line_search"][0] == "RuntimeError"
    w = gradcli.tensor([1.0], requires_grad=True)
    optimizer = optim.LBFGS([w], line_search_fn="armijo")

    def closure():
        optimizer.zero_grad()
        value = (w * w).sum()
        value.backward()
        return value

    with pytest.raises(RuntimeError, match="^only 'strong_wolfe' is supported$"):
        optimizer.step(closure)


def test_non_leaf_parameter_is_refused():
    w = gradcli.tensor([1.0], requires_grad=True)
    with pytest.raises(ValueError, match="^can't optimize a non-leaf Tensor$"):
        optim.SGD([w * 2], lr=0.1)
