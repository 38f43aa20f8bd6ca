"""Tables at 40, 80 and 200 columns never cut a number: every number a table shows is, to the
digits shown, a number of the same run's --json (issue 14, items 1, 2 and 4)."""

import json
import re

import pytest
from cli_helpers import invoke

COMMANDS = [
    ("descend", "x**2 + 10*y**2 + 100*z**2", "--x0", "1,1,1", "--lr", "0.009"),
    ("descend", "@muller-brown"),
    ("grad", "x**2*y + 1e-9*z", "--at", "1.2345678901,2,3"),
    ("force-constant", "@muller-brown", "--at", "MA"),
    ("force-constant", "x**3 + 1e-7*x*y + y**4", "--at", "0.123456789,2"),
    ("jacobian", "[x*y/1000000000, x+y**2, exp(x)]", "--at", "2.718281828,3.14159265"),
    ("derivative", "exp(3*x)", "--at", "1.5", "--order", "6"),
]
NUMBER = re.compile(r"(?<![\w.^/])-?\d+\.\d+(?:e[+-]\d+)?(?![\w.])|(?<![\w.^/])-?\d+e[+-]\d+(?![\w.])")


def _floats(data) -> list[float]:
    if isinstance(data, dict):
        return [f for v in data.values() for f in _floats(v)]
    if isinstance(data, list):
        return [f for v in data for f in _floats(v)]
    return [float(data)] if isinstance(data, (int, float)) and not isinstance(data, bool) else []


def _digits(token: str) -> int:
    mantissa = token.lstrip("-").split("e")[0].replace(".", "").lstrip("0")
    return max(len(mantissa), 1)


@pytest.mark.parametrize("width", [40, 80, 200])
@pytest.mark.parametrize("args", COMMANDS, ids=[" ".join(a[:2]) for a in COMMANDS])
def test_every_number_shown_is_in_the_json_to_its_digits(args, width):
    env = {"COLUMNS": str(width)}
    table = invoke(*args, env=env)
    assert table.exit_code == 0, table.stderr
    data = json.loads(invoke(*args, "--json", env=env).stdout)
    values = _floats(data)
    assert "…" not in table.stdout.replace("… (", "")  # only a long point's abbreviation may use it
    assert max(len(line) for line in table.stdout.splitlines()) <= width
    cells = "\n".join(line for line in table.stdout.splitlines() if line.startswith("│"))  # not titles
    tokens = NUMBER.findall(cells)
    assert tokens
    for token in tokens:
        digits = _digits(token)
        assert any(float(f"{v:.{digits}g}") == float(token) for v in values), (token, width)


def test_jacobian_of_nine_variables_says_where_it_is():
    names = "abcdefghi"
    result = invoke("jacobian", "[" + "+".join(names) + ", a*b]", "--at", ",".join("1" * 9))
    assert result.exit_code == 0
    assert "left out: 2×9 Jacobian: use --json" in result.stdout


def test_force_constant_of_nine_variables_says_the_hessian_is_in_the_json():
    names = "abcdefghi"
    result = invoke("force-constant", "+".join(f"{n}**2" for n in names), "--at", ",".join("1" * 9))
    assert result.exit_code == 0
    assert "left out: 9×9 Hessian (force constants): use --json" in result.stdout


def test_a_slope_with_no_curvature_has_no_newton_step():
    result = invoke("force-constant", "--at", "1", "--", "-v")
    assert result.exit_code == 0
    assert "none: the Hessian is singular along" in result.stdout
    data = json.loads(invoke("force-constant", "--at", "1", "--json", "--", "-v").stdout)
    assert data["newton_step"] is None
    assert data["classification"] == "not-stationary"


def test_a_listed_point_brings_its_zero_modes():
    # potentials/mexican-hat.toml lists (1, 0) as a minimum with one zero mode (along the ring).
    data = json.loads(invoke("force-constant", "@mexican-hat", "--at", "1,0", "--json").stdout)
    assert (data["classification"], data["zero_modes"]) == ("minimum", 1)
    assert data["eigenvalues"] == pytest.approx([0.0, 8.0], abs=1e-12)
    # off the listed point the file's zero modes do not apply: the top of the hat is a maximum.
    top = json.loads(invoke("force-constant", "@mexican-hat", "--at", "0,0", "--json").stdout)
    assert (top["classification"], top["zero_modes"]) == ("maximum", 0)
