"""Every case of torch_cases.py gives PyTorch 2.13's outcome (value, or error type and
message) under gradcli.  The expected outcomes were recorded with torch 2.13.0 (CPU)
by tests/reference/record_torch_cases.py into tests/data/torch_cases.json; PyTorch
is not needed to run this test."""

import json
import pathlib

import pytest

import gradcli
from torch_cases import CASES, outcome

RECORDED = json.loads((pathlib.Path(__file__).parents[1] / "data" / "torch_cases.json").read_text())["cases"]


def test_every_case_was_recorded():
    assert sorted(RECORDED) == sorted(CASES)


@pytest.mark.parametrize("name", sorted(CASES))
def test_gradcli_does_what_pytorch_does(name):
    assert json.dumps(outcome(CASES[name], gradcli)) == json.dumps(RECORDED[name])
