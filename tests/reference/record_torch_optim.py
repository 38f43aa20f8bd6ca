"""Record torch.optim trajectories for tests/optimize/test_torch_reference.py (run once, by hand):

    /work/sidevenv/bin/python tests/reference/record_torch_optim.py

with PyTorch 2.13.0 (CPU, float64). Writes tests/data/torch_optim_trajectories.json: for each case
the potential (gradcli's expression and torch's), the optimiser and its settings, and the points
x_0 .. x_N that torch.optim visits, the gradient computed by torch.autograd.
"""

import json
from pathlib import Path

import torch

torch.set_default_dtype(torch.float64)

POTENTIALS = {
    "rosenbrock": (
        "(1-x)**2 + 100*(y-x**2)**2",
        lambda p: (1 - p[0]) ** 2 + 100 * (p[1] - p[0] ** 2) ** 2,
        [-1.2, 1.0],
    ),
    "bowl3": (
        "x**2 + 2*y**2 + 3*z**2 + x*y - 0.5*y*z + 0.1*x**4",
        lambda p: p[0] ** 2 + 2 * p[1] ** 2 + 3 * p[2] ** 2 + p[0] * p[1] - 0.5 * p[1] * p[2] + 0.1 * p[0] ** 4,
        [1.0, -2.0, 0.5],
    ),
}
CASES = [
    ("momentum", "rosenbrock", {"lr": 1e-3, "momentum": 0.9}),
    ("nesterov", "rosenbrock", {"lr": 1e-3, "momentum": 0.9}),
    ("adam", "rosenbrock", {"lr": 0.01, "betas": [0.9, 0.999], "eps": 1e-8}),
    ("momentum", "bowl3", {"lr": 0.05, "momentum": 0.8}),
    ("nesterov", "bowl3", {"lr": 0.05, "momentum": 0.8}),
    ("adam", "bowl3", {"lr": 0.1, "betas": [0.8, 0.99], "eps": 1e-6}),
]
STEPS = 200


def trajectory(method, potential, settings):
    _, f, start = POTENTIALS[potential]
    p = torch.tensor(start, requires_grad=True)
    if method == "adam":
        opt = torch.optim.Adam([p], lr=settings["lr"], betas=tuple(settings["betas"]), eps=settings["eps"])
    else:
        opt = torch.optim.SGD([p], lr=settings["lr"], momentum=settings["momentum"], nesterov=method == "nesterov")
    points = [p.detach().tolist()]
    for _ in range(STEPS):
        opt.zero_grad()
        f(p).backward()
        opt.step()
        points.append(p.detach().tolist())
    return points


def main():
    cases = []
    for method, potential, settings in CASES:
        cases.append(
            {
                "method": method,
                "expression": POTENTIALS[potential][0],
                "start": POTENTIALS[potential][2],
                "settings": settings,
                "points": trajectory(method, potential, settings),
            }
        )
    out = {
        "source": f"torch.optim, PyTorch {torch.__version__} (CPU, float64), tests/reference/record_torch_optim.py",
        "steps": STEPS,
        "cases": cases,
    }
    path = Path(__file__).resolve().parents[1] / "data" / "torch_optim_trajectories.json"
    path.write_text(json.dumps(out, indent=1) + "\n")
    print(f"wrote {path}")


if __name__ == "__main__":
    main()
