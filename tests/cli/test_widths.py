"""Tables at 40, 60, 80 and 200 columns never cut a number: every number a table shows is, to the
digits shown, a number of the same run's --json, and none is folded over two lines (issue 14,
items 1, 2 and 4)."""

import io
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
    ("descend", "@rosenbrock", "--method", "lbfgs,fire,momentum,bfgs"),
    ("descend", "x**4-10*x**2+5", "--x0", "3", "--method", "gd,adam,nesterov", "--lr", "1e-4", "--steps", "20000"),
    ("basins", "@muller-brown", "--box", "x=-1.5:1.2,y=-0.5:2", "--samples", "200"),
    ("basins", "x**4-10*x**2+5", "--box", "x=-4:4", "--samples", "50"),
    ("global", "@muller-brown", "--hops", "20", "--seed", "1"),
    ("global", "@lj-cluster", "--param", "n=7", "--hops", "5", "--seed", "1"),
    ("saddle", "@muller-brown", "--x0", "-0.7,0.5"),
    ("saddle", "(x**2 + y - 11)**2 + (x + y**2 - 7)**2 + 3e-5*z**2", "--x0", "3.3,0.2,0.1"),
    ("path", "@muller-brown", "--from", "MA", "--to", "MB"),
    ("path", "x**4-10*x**2+5", "--from", "-2", "--to", "2"),
    ("modes", "@morse"),
    ("modes", "@muller-brown", "--at", "S1"),
    ("potentials",),
    ("potentials", "show", "muller-brown"),
    ("potentials", "show", "lj-cluster", "--param", "n=5"),
]
#: Keys of values a table shows in per cent.
PERCENT = ("share", "share_error")
NUMBER = re.compile(r"(?<![\w.^/])-?\d+\.\d+(?:e[+-]\d+)?(?![\w.])|(?<![\w.^/])-?\d+e[+-]\d+(?![\w.])")


def _floats(data) -> list[float]:
    """Every number of a JSON object, those written inside its strings too (an expression, a reference)."""
    if isinstance(data, dict):
        percent = [100 * data[key] for key in PERCENT if isinstance(data.get(key), float)]
        return [f for v in data.values() for f in _floats(v)] + percent
    if isinstance(data, list):
        return [f for v in data for f in _floats(v)]
    if isinstance(data, str):
        return [float(token) for token in NUMBER.findall(data)]
    return [float(data)] if isinstance(data, (int, float)) and not isinstance(data, bool) else []


def folded(table: str) -> list[tuple[str, str]]:
    """Numbers folded over two lines of a table: a cell filled to its border ending in the first
    part of a number, and the same cell on the next line starting with the rest (``9.90812`` over
    ``587e-09``, ``1.5e`` over ``-05``) of a row that goes on (its first cell blank on the next
    line). Two whole numbers one under the other never join into one."""
    found = []
    lines = table.splitlines()
    for above, below in zip(lines, lines[1:]):
        if not (above.startswith("│") and below.startswith("│")):
            continue
        cells_above, cells_below = above.split("│")[1:-1], below.split("│")[1:-1]
        if len(cells_above) != len(cells_below) or cells_below[0].strip():
            continue  # not the same row going on
        for a, b in zip(cells_above, cells_below):
            full = len(a) > 2 and a[1] != " " and a[-2] != " "  # the content fills the cell
            if not (full and b[:1] == " " and b[1:2] not in (" ", "")):
                continue
            head, tail = re.search(r"[\w.+-]*$", a[:-1]).group(), re.match(r"[\w.+-]*", b[1:]).group()
            joined = head + tail
            if re.search(r"\d", head) and re.match(r"[\d.e]", tail) and re.search(r"[.e]", joined):
                if re.fullmatch(r"-?(\d+\.?\d*|\.\d+)(e[+-]?\d*)?", joined):
                    found.append((head, tail))
    return found


def _digits(token: str) -> int:
    mantissa = token.lstrip("-").split("e")[0].replace(".", "").lstrip("0")
    return max(len(mantissa), 1)


@pytest.mark.parametrize("width", [40, 60, 80, 200])
@pytest.mark.parametrize("args", COMMANDS, ids=[" ".join(a[:4]) for a in COMMANDS])
def test_every_number_shown_is_in_the_json_to_its_digits(args, width):
    env = {"COLUMNS": str(width)}
    table = invoke(*args, env=env)
    assert table.exit_code == 0, table.stderr
    data = json.loads(invoke(*args, "--json", env=env).stdout)
    values = _floats(data)
    # Only a long title's, point's or variable list's abbreviation may use an ellipsis.
    assert "…" not in re.sub(r"…(\s+\(|, )", "", table.stdout)
    assert max(len(line) for line in table.stdout.splitlines()) <= width
    assert folded(table.stdout) == [], width
    cells = "\n".join(line for line in table.stdout.splitlines() if line.startswith("│"))  # not titles
    tokens = NUMBER.findall(cells)
    assert tokens or args == ("potentials",)  # the list shows names and variables only
    for token in tokens:
        digits = _digits(token)
        assert any(float(f"{v:.{digits}g}") == float(token) for v in values), (token, width)


@pytest.mark.parametrize(
    "cell, width, pieces",
    [
        ("9.908125870e-09", 7, [("9.90812", "5870e-0"), ("5870e-0", "9")]),
        ("6.05097e-05", 9, [("6.05097e-", "05")]),
    ],
)
def test_the_fold_check_sees_a_number_rich_folded(cell, width, pieces):
    """The check is not vacuous: Rich folding a number in a narrow column (as tables did) is found."""
    from rich.console import Console
    from rich.table import Table

    table = Table()
    table.add_column("k")
    table.add_column("value", overflow="fold", width=width)
    table.add_row("a", cell)
    table.add_row("b", "1.5")
    console = Console(width=40, record=True, file=io.StringIO())
    console.print(table)
    assert folded(console.export_text()) == pieces


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


@pytest.mark.parametrize("width", [40, 200])
def test_batch_lines_are_whole_json_at_any_width(width):
    """batch prints no table: each result is one JSON line, never wrapped, whatever the terminal."""
    jobs = [
        {"id": "d", "command": "descend", "expression": "@muller-brown", "method": "lbfgs"},
        {"id": "s", "command": "saddle", "expression": "@muller-brown", "x0": [-0.7, 0.5]},
    ]
    env = {"COLUMNS": str(width)}
    result = invoke("batch", "-", input="".join(json.dumps(job) + "\n" for job in jobs), env=env)
    assert result.exit_code == 0, result.stderr
    lines = result.stdout.splitlines()
    assert len(lines) == 2 and result.stderr == "2 of 2 jobs ran: 2 ok, 0 failed\n"
    by_id = {line["id"]: line for line in map(json.loads, lines)}
    alone = {
        "d": json.loads(invoke("descend", "@muller-brown", "--method", "lbfgs", "--json", env=env).stdout),
        "s": json.loads(invoke("saddle", "@muller-brown", "--x0", "-0.7,0.5", "--json", env=env).stdout),
    }
    assert by_id["d"]["x"] == alone["d"]["x"] and by_id["d"]["value"] == alone["d"]["value"]
    assert by_id["s"]["point"] == alone["s"]["point"] and by_id["s"]["value"] == alone["s"]["value"]


@pytest.mark.parametrize("width", [20, 26, 30, 40, 60])
def test_a_comparison_of_methods_never_splits_a_number(width):
    """Numbers keep their line whole at any width: the table is split into narrower tables, and a
    terminal too narrow even for those gets one block of lines per method."""
    args = ("descend", "@rosenbrock", "--method", "gd,lbfgs,momentum", "--steps", "300")
    narrow = invoke(*args, env={"COLUMNS": str(width)})
    wide = invoke(*args, env={"COLUMNS": "200"})
    runs = json.loads(invoke(*args, "--json").stdout)["runs"]
    assert narrow.exit_code == wide.exit_code == 1  # gd and momentum need more steps
    assert max(len(line) for line in narrow.stdout.splitlines()) <= width
    assert folded(narrow.stdout) == []
    # The same numbers, each whole, as in one wide table (4 significant figures of the JSON's).
    assert sorted(NUMBER.findall(narrow.stdout)) == sorted(NUMBER.findall(wide.stdout))
    shown = {f"{r[key]:.4g}" for r in runs for key in ("value", "grad_norm")}
    assert shown <= set(NUMBER.findall(narrow.stdout))
    if width == 20:  # one block per method
        for r in runs:
            assert f"{r['method']}: {r['status']}" in narrow.stdout and f"  steps {r['steps']}\n" in narrow.stdout
