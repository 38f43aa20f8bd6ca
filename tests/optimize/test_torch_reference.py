"""momentum, nesterov and adam follow torch.optim's update formulas exactly: their paths match the
trajectories torch.optim.SGD / torch.optim.Adam recorded (PyTorch 2.13.0, float64, gradient by
torch.autograd; tests/reference/record_torch_optim.py -> tests/data/torch_optim_trajectories.json)."""

import json
from pathlib import Path

import pytest

from gradcli import Potential
from gradcli.optimize import minimize

DATA = json.loads((Path(__file__).resolve().parents[1] / "data" / "torch_optim_trajectories.json").read_text())


@pytest.mark.parametrize("case", DATA["cases"], ids=lambda c: f"{c['method']}-{c['expression'][:12]}")
def test_the_path_is_torch_optims(case):
    settings = dict(case["settings"])
    if "betas" in settings:
        settings["betas"] = tuple(settings["betas"])
    steps = DATA["steps"]
    result = minimize(
        Potential(case["expression"]),
        case["start"],
        method=case["method"],
        steps=steps,
        tol=0,
        max_record=steps + 1,
        **settings,
    )
    assert result.status == "completed" and result.steps == steps
    assert [p.step for p in result.trajectory] == list(range(steps + 1))
    for point, expected in zip(result.trajectory, case["points"]):
        assert point.x == pytest.approx(expected, abs=1e-10, rel=0), point.step
