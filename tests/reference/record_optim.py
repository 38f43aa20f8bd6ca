"""Record PyTorch 2.13's optimiser trajectories for tests/optim (run once, by hand).

    /work/sidevenv/bin/python tests/reference/record_optim.py

Writes tests/data/optim_torch.json: for each case (problem, optimiser, options)
the parameters after each of 50 steps and the loss each step returned; the
learning rates of three schedulers; the tutorial's descent through
torch.optim.SGD; and the shape of an optimiser's state_dict.
Not collected by pytest; PyTorch is never needed to run the tests.
"""

import json
import pathlib

import numpy as np
import torch

torch.set_default_dtype(torch.float64)
OUT = pathlib.Path(__file__).resolve().parents[1] / "data" / "optim_torch.json"

# Least squares: 0.5 * |A w - b|^2 with a fixed, well-conditioned A (6 x 3).
RNG = np.random.default_rng(20261201)
A = np.round(RNG.uniform(-1, 1, size=(6, 3)), 3)
B = np.round(RNG.uniform(-1, 1, size=6), 3)
START = {"rosenbrock": [-1.5, 2.0], "least_squares": [0.5, -0.25, 1.0]}


def loss(problem, params):
    if problem == "rosenbrock":
        (p,) = params
        return (1 - p[0]) ** 2 + 100 * (p[1] - p[0] ** 2) ** 2
    w = torch.cat([p.reshape(-1) for p in params])
    r = torch.tensor(A) @ w - torch.tensor(B)
    return 0.5 * (r * r).sum()


CASES = {
    "sgd": ("SGD", {"lr": 1e-3}),
    "sgd_momentum": ("SGD", {"lr": 1e-3, "momentum": 0.9, "dampening": 0.1, "weight_decay": 0.01}),
    "sgd_nesterov": ("SGD", {"lr": 1e-3, "momentum": 0.8, "nesterov": True}),
    "sgd_maximize": ("SGD", {"lr": 1e-3, "maximize": True}),
    "adam": ("Adam", {"lr": 0.02}),
    "adam_amsgrad_wd": ("Adam", {"lr": 0.02, "betas": (0.8, 0.99), "amsgrad": True, "weight_decay": 0.1}),
    "adamw": ("AdamW", {"lr": 0.02}),
    "adamw_amsgrad": ("AdamW", {"lr": 0.02, "weight_decay": 0.3, "amsgrad": True, "eps": 1e-6}),
    "lbfgs_strong_wolfe": ("LBFGS", {"lr": 1, "max_iter": 4, "history_size": 5, "line_search_fn": "strong_wolfe"}),
    "lbfgs_fixed_step": ("LBFGS", {"lr": 0.1, "max_iter": 3, "history_size": 4}),
}


def run(problem, name, options, groups=False):
    start = START[problem]
    if groups:  # two parameter tensors in two groups, the second with its own lr
        params = [torch.tensor(start[:2], requires_grad=True), torch.tensor(start[2:], requires_grad=True)]
        second = dict(options, lr=options["lr"] * 3)
        spec = [{"params": [params[0]]}, {"params": [params[1]], "lr": second["lr"]}]
    else:
        params = [torch.tensor(start, requires_grad=True)]
        spec = params
    optimizer = getattr(torch.optim, name)(spec, **options)

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
        trajectory.append(torch.cat([p.detach().reshape(-1) for p in params]).tolist())
    counters = {}
    if name == "LBFGS":  # how often the closure ran, and the iterations: the closure protocol
        state = optimizer.state[params[0]]
        counters = {"func_evals": state["func_evals"], "n_iter": state["n_iter"]}
    return {
        "start": start,
        "optimizer": name,
        "options": options,
        "groups": groups,
        "trajectory": trajectory,
        "losses": losses,
        "counters": counters,
    }


def schedulers():
    result = {}
    for name, cls, kwargs in [
        ("StepLR", torch.optim.lr_scheduler.StepLR, {"step_size": 3, "gamma": 0.5}),
        ("ExponentialLR", torch.optim.lr_scheduler.ExponentialLR, {"gamma": 0.9}),
        ("CosineAnnealingLR", torch.optim.lr_scheduler.CosineAnnealingLR, {"T_max": 7, "eta_min": 0.001}),
    ]:
        w = torch.tensor(START["least_squares"], requires_grad=True)
        optimizer = torch.optim.SGD([w], lr=0.1)
        scheduler = cls(optimizer, **kwargs)
        lrs, trajectory = [scheduler.get_last_lr()[0]], []
        for _ in range(25):
            optimizer.zero_grad()
            loss("least_squares", [w]).backward()
            optimizer.step()
            scheduler.step()
            lrs.append(scheduler.get_last_lr()[0])
            trajectory.append(w.detach().tolist())
        result[name] = {
            "kwargs": kwargs,
            "lrs": lrs,
            "trajectory": trajectory,
            "state_dict": {k: v for k, v in scheduler.state_dict().items() if isinstance(v, (int, float, list, bool))},
        }
    return result


def tutorial_descent():
    x = torch.tensor([3.0], requires_grad=True)
    optimizer = torch.optim.SGD([x], lr=0.01)
    trajectory = [x.item()]
    for _ in range(200):
        optimizer.zero_grad()
        V = x**4 - 10 * x**2 + 5
        V.backward()
        optimizer.step()
        trajectory.append(x.item())
    return {"trajectory": trajectory, "final_energy": (x**4 - 10 * x**2 + 5).item()}


def state_dict_shape():
    w = torch.tensor(START["least_squares"], requires_grad=True)
    optimizer = torch.optim.Adam([w], lr=0.02, amsgrad=True)
    for _ in range(3):
        optimizer.zero_grad()
        loss("least_squares", [w]).backward()
        optimizer.step()
    sd = optimizer.state_dict()
    state = {str(k): {name: (v.tolist(), str(v.dtype)) for name, v in s.items()} for k, s in sd["state"].items()}
    groups = [{k: v for k, v in g.items()} for g in sd["param_groups"]]
    sgd = torch.optim.SGD([w], lr=0.1, momentum=0.9)
    w.grad = torch.ones(3)
    sgd.step()
    return {
        "adam": {"state": state, "param_groups": groups},
        "sgd_param_groups": sgd.state_dict()["param_groups"],
        "sgd_state_keys": sorted(sgd.state_dict()["state"][0]),
    }


def errors():
    found = {}
    w = torch.tensor([1.0], requires_grad=True)
    for label, make in [
        ("sgd_negative_lr", lambda: torch.optim.SGD([w], lr=-1)),
        ("sgd_nesterov_without_momentum", lambda: torch.optim.SGD([w], lr=0.1, nesterov=True)),
        ("sgd_negative_momentum", lambda: torch.optim.SGD([w], lr=0.1, momentum=-0.5)),
        ("adam_bad_beta", lambda: torch.optim.Adam([w], betas=(1.0, 0.999))),
        ("adam_bad_eps", lambda: torch.optim.Adam([w], eps=-1.0)),
        ("adam_bad_weight_decay", lambda: torch.optim.Adam([w], weight_decay=-0.1)),
        ("empty_params", lambda: torch.optim.SGD([], lr=0.1)),
        ("tensor_params", lambda: torch.optim.SGD(w, lr=0.1)),
        ("duplicate_params", lambda: torch.optim.SGD([w, w], lr=0.1)),
        ("lbfgs_groups", lambda: torch.optim.LBFGS([{"params": [w]}, {"params": [torch.ones(1, requires_grad=True)]}])),
        ("lbfgs_bad_line_search", lambda: torch.optim.LBFGS([w], line_search_fn="armijo").step(lambda: (w * w).sum())),
        ("scheduler_not_optimizer", lambda: torch.optim.lr_scheduler.StepLR(object(), step_size=1)),
    ]:
        try:
            make()
        except Exception as error:  # noqa: BLE001 - we record whatever PyTorch raises
            found[label] = [type(error).__name__, str(error)]
        else:
            found[label] = None
    opt = torch.optim.SGD([w], lr=0.1)
    try:
        opt.load_state_dict({"state": {}, "param_groups": []})
    except Exception as error:  # noqa: BLE001
        found["load_wrong_groups"] = [type(error).__name__, str(error)]
    try:
        opt.add_param_group({"params": [w]})
    except Exception as error:  # noqa: BLE001
        found["add_existing_param"] = [type(error).__name__, str(error)]
    return found


def main():
    data = {"A": A.tolist(), "b": B.tolist(), "cases": {}}
    for problem in ("rosenbrock", "least_squares"):
        for label, (name, options) in CASES.items():
            data["cases"][f"{problem}-{label}"] = run(problem, name, options)
    for label in ("sgd_momentum", "adam"):
        name, options = CASES[label]
        data["cases"][f"least_squares-{label}-groups"] = run("least_squares", name, options, groups=True)
    data["schedulers"] = schedulers()
    data["tutorial"] = tutorial_descent()
    data["state_dict"] = state_dict_shape()
    data["errors"] = errors()
    data["source"] = f"PyTorch {torch.__version__}, float64, recorded by tests/reference/record_optim.py"
    OUT.write_text(json.dumps(data, indent=1) + "\n")
    for key, case in data["cases"].items():
        print(f"{key:45s} final {np.round(case['trajectory'][-1], 6)} loss {case['losses'][-1]:.3e}")


if __name__ == "__main__":
    main()
