"""Every case of torch_cases.py gives PyTorch 2.13's outcome (value, or error type and
message) under gradcli.  The expected outcomes were recorded with torch 2.13.0 (CPU)
by tests/reference/record_torch_cases.py into tests/data/torch_cases.json; PyTorch
is not needed to run this test."""

import json
import math
import pathlib

import pytest
from torch_cases import CASES, outcome

import gradcli

RECORDED = json.loads((pathlib.Path(__file__).parents[1] / "data" / "torch_cases.json").read_text())["cases"]


def test_every_case_was_recorded():
    assert sorted(RECORDED) == sorted(CASES)


def same(ours, theirs):
    """Equal structure and values; floats to 1e-12 relative (the last bits of a sum may differ)."""
    if isinstance(theirs, float) or isinstance(ours, float):
        if isinstance(ours, bool) or isinstance(theirs, bool) or not isinstance(ours, (int, float)):
            return False
        return (
            ours == theirs
            or math.isclose(ours, theirs, rel_tol=1e-12, abs_tol=1e-15)
            or (math.isnan(ours) and math.isnan(theirs))
        )
    if isinstance(theirs, list):
        return isinstance(ours, list) and len(ours) == len(theirs) and all(map(same, ours, theirs))
    if isinstance(theirs, dict):
        return isinstance(ours, dict) and ours.keys() == theirs.keys() and all(same(ours[k], theirs[k]) for k in theirs)
    return type(ours) is type(theirs) and ours == theirs


# PyTorch builds einsum from permutes, views and products, so its grad_fn names are
# those of the last step; gradcli's einsum is one node, EinsumBackward0.
EINSUM = {name for name in CASES if name.startswith("function_einsum")}


@pytest.mark.parametrize("name", sorted(CASES))
def test_gradcli_does_what_pytorch_does(name):
    ours = json.loads(json.dumps(outcome(CASES[name], gradcli)))
    theirs = RECORDED[name]
    if name in EINSUM and ours[0] != "raises":
        assert set(ours[1]) <= {"EinsumBackward0"}
        ours, theirs = [ours[0], ours[2]], [theirs[0], theirs[2]]
    assert same(ours, theirs), f"gradcli: {json.dumps(ours)}\nPyTorch: {json.dumps(theirs)}"
