"""`gradcli derivative` at high orders (Taylor mode) and its order cap."""

import pytest
from cli_helpers import invoke, invoke_json


def test_order_20_answers():
    out = invoke_json("derivative", "exp(sin(x))*log(1+x**2)", "--at", "0.7", "--order", "20")
    assert out["order"] == 20 and len(out["derivatives"]) == 21
    assert out["derivatives"][20] == pytest.approx(140652037494002.08, rel=1e-11)  # SymPy diff, 40 digits


def test_tutorial_cube_unchanged():
    assert invoke_json("derivative", "x**3", "--at", "2", "--order", "5")["derivatives"] == [8, 12, 12, 6, 0, 0]


def test_order_100_is_allowed_and_101_refused():
    assert len(invoke_json("derivative", "exp(x)", "--at", "0", "--order", "100")["derivatives"]) == 101
    result = invoke("derivative", "exp(x)", "--at", "0", "--order", "101")
    assert result.exit_code == 2
    assert "101 is not in the range x>=0 and x<=100" in result.stderr


def test_kink_is_a_domain_error():
    result = invoke("derivative", "abs(x)", "--at", "0", "--order", "2")
    assert result.exit_code == 1
    assert "abs at its kink" in result.stderr and "x=0" in result.stderr
