"""The safe parser: what it accepts (checked against SymPy built directly),
what it refuses (message and caret column), variable order."""

import itertools

import pytest
import sympy
from sympy import Abs, E, Float, Integer, Rational, atan2, cos, exp, log, pi, sin, sqrt, tanh

from gradcli.errors import ExpressionError, ParseError, UnknownFunctionError
from gradcli.frontend.parse import (
    CONSTANTS,
    FUNCTIONS,
    natural_variable_order,
    parse_expression,
    parse_vector,
)

a, b, c, k, x, y, z = sympy.symbols("a b c k x y z", real=True)
x1, x2, beta = sympy.symbols("x1 x2 beta", real=True)


ACCEPTED = [
    # the tutorial's potentials
    ("x**4 - 10*x**2 + 5", x**4 - 10 * x**2 + 5),
    ("(x**2+y-11)**2+(x+y**2-7)**2", (x**2 + y - 11) ** 2 + (x + y**2 - 7) ** 2),
    ("(x-3)**2 + 2", (x - 3) ** 2 + 2),
    ("x**2*y + x*y**2", x**2 * y + x * y**2),
    # ^ is power, with power's precedence and right associativity
    ("2*x^2", 2 * x**2),
    ("x^2*3", 3 * x**2),
    ("-x^2", -(x**2)),
    ("-2^2", Integer(-4)),
    ("2^3^2", Integer(512)),
    ("x^-1", 1 / x),
    ("x ^ 2 + y ^ 2", x**2 + y**2),
    # numbers: integers and their quotients exact, decimals as floats
    ("3", Integer(3)),
    ("4/6", Rational(2, 3)),
    ("1/2*k*x**2", k * x**2 / 2),
    ("0.5*k*x**2", Float(0.5) * k * x**2),
    ("1e-3*x", Float(1e-3) * x),
    ("1.5E3", Float(1500.0)),
    (".25", Float(0.25)),
    ("1_000", Integer(1000)),
    ("10**300", Integer(10) ** 300),
    ("2**-10", Rational(1, 1024)),
    # operators
    ("x/y/z", x / (y * z)),
    ("a - (b - c)", a - b + c),
    ("a/(b/c)", a * c / b),
    ("+x", x),
    ("- - x", x),
    ("2*-x", -2 * x),
    ("x**-2", x**-2),
    ("(((x)))", x),
    ("  x\n + y\t", x + y),
    # functions and constants
    ("exp(-x)", exp(-x)),
    ("log(x)", log(x)),
    ("log(x, 2)", log(x) / log(2)),
    ("sqrt(x)", sqrt(x)),
    ("sin(x)*cos(y)", sin(x) * cos(y)),
    ("tanh(x)", tanh(x)),
    ("abs(x)", Abs(x)),
    ("atan2(y, x)", atan2(y, x)),
    ("sigmoid(x)", 1 / (1 + exp(-x))),
    ("sec(x)", 1 / cos(x)),
    ("csc(x)", 1 / sin(x)),
    ("pi*E", pi * E),
    ("exp(1)", E),
    ("sin(pi)", Integer(0)),
    # names are data, whatever they spell
    ("x1 + x2 + beta", x1 + x2 + beta),
    ("exec + eval", sympy.Symbol("exec", real=True) + sympy.Symbol("eval", real=True)),
    ("e", sympy.Symbol("e", real=True)),
]


@pytest.mark.parametrize("text, expected", ACCEPTED)
def test_accepted_expressions_match_sympy_built_directly(text, expected):
    assert parse_expression(text) == expected


def test_symbols_are_real():
    assert all(s.is_real for s in parse_expression("x*y + k").free_symbols)


def test_whitelist_and_constants():
    for name in (
        "exp",
        "log",
        "sqrt",
        "sin",
        "cos",
        "tan",
        "sinh",
        "cosh",
        "tanh",
        "asin",
        "acos",
        "atan",
        "atan2",
        "abs",
        "sigmoid",
    ):
        assert name in FUNCTIONS
    assert set(CONSTANTS) == {"pi", "E"}


def _lennard_jones_cluster(n: int) -> str:
    """The n-atom Lennard-Jones cluster written out, one term per pair."""
    terms = []
    for i, j in itertools.combinations(range(1, n + 1), 2):
        r2 = f"((x{i}-x{j})**2+(y{i}-y{j})**2+(z{i}-z{j})**2)"
        terms.append(f"4*eps*((sigma**2/{r2})**6-(sigma**2/{r2})**3)")
    return " + ".join(terms)


def test_lennard_jones_13_written_out_parses():
    text = _lennard_jones_cluster(13)
    expr = parse_expression(text)
    assert len(expr.args) == 78
    assert len(expr.free_symbols) == 39 + 2


@pytest.mark.slow
@pytest.mark.parametrize(
    "text, expected",
    [
        ("+".join(["x"] * 50_000), 50_000 * x),  # 99,999 characters: a 50,000-deep tree for ast
        ("+x" * 50_000, 50_000 * x),  # exactly at the length limit
        ("*".join(["x"] * 50_000), x**50_000),
        ("/".join(["x"] * 20_000), x ** (2 - 20_000)),
        ("-".join(["x"] * 20_000), (2 - 20_000) * x),
        ("(" * 100 + "+".join(["x"] * 3000) + ")" * 100, 3000 * x),
        ("+".join(["y"] * 32) + "-(x+y)*z" + "+y" * 40, 72 * y - (x + y) * z),  # a group starts at the minus
    ],
    ids=["sum", "signed-sum", "product", "quotient", "difference", "deep-and-long", "minus-a-product"],
)
def test_long_chains_parse_without_recursion_error(text, expected):
    assert len(text) <= 100_000
    assert parse_expression(text) == expected


@pytest.mark.slow
def test_long_mixed_chain_keeps_order_and_signs():
    names = [f"x{i}" for i in range(3000)]
    text = names[0] + "".join(("-" if i % 3 else "+") + f"2*{n}/3" for i, n in enumerate(names[1:], 1))
    symbols = [sympy.Symbol(n, real=True) for n in names]
    signs = [-1 if i % 3 else 1 for i in range(len(symbols))]
    expected = sympy.Add(symbols[0], *(sign * Rational(2, 3) * s for sign, s in zip(signs[1:], symbols[1:])))
    assert parse_expression(text) == expected


# ----- vectors -------------------------------------------------------------------


@pytest.mark.parametrize("text", ["[x*y, x + y**2]", "x*y, x + y**2", "(x*y, x + y^2)", "[x*y, x + y**2,]"])
def test_parse_vector_forms(text):
    assert parse_vector(text) == (x * y, x + y**2)


def test_parse_vector_single_component():
    assert parse_vector("x**2") == (x**2,)
    assert parse_vector("[x**2]") == (x**2,)


@pytest.mark.parametrize(
    "text, message, column",
    [
        ("[]", "a vector function needs at least one component", 0),
        ("[[x, y]]", "lists ([...]) are not allowed inside an expression", 1),
        ("[x, y.z]", "attribute access is not allowed in an expression", 5),
        ("[x, expp(y)]", "unknown function 'expp'; did you mean 'exp'?", 4),
    ],
)
def test_parse_vector_refusals(text, message, column):
    with pytest.raises(ExpressionError) as info:
        parse_vector(text)
    assert (info.value.message, info.value.column, info.value.text) == (message, column, text)


# ----- variable order ------------------------------------------------------------


@pytest.mark.parametrize(
    "names, expected",
    [
        (["x10", "x2", "x1"], ("x1", "x2", "x10")),
        (["z", "y", "x"], ("x", "y", "z")),
        (["y2", "x10", "y10", "x2", "x2"], ("x2", "x10", "y2", "y10")),
        (["r12", "r2", "r"], ("r", "r2", "r12")),
        (["a1b2", "a1b10", "a10b1"], ("a1b2", "a1b10", "a10b1")),
        ([], ()),
    ],
)
def test_natural_variable_order(names, expected):
    assert natural_variable_order(names) == expected


# ----- refusals: message and caret column ----------------------------------------

TOO_DEEP = "expression nested too deeply (more than 100 levels)"
TOO_DEEP_BRACKETS = "expression nested too deeply: more than 100 levels of brackets"
REFUSED = [
    # the issue's example: the outermost refused construct is reported
    ("__import__('os').system('ls')", ParseError, "attribute access is not allowed in an expression", 16),
    ("x.real", ParseError, "attribute access is not allowed in an expression", 1),
    ("(x + 1) . real", ParseError, "attribute access is not allowed in an expression", 8),
    ("x[0]", ParseError, "subscripts ([...]) are not allowed in an expression", 1),
    ("(lambda: 1)()", ParseError, "lambda functions are not allowed in an expression", 1),
    ("[t for t in x]", ParseError, "comprehensions are not allowed in an expression", 0),
    ("exp(t for t in x)", ParseError, "comprehensions are not allowed in an expression", 3),
    ("'x'", ParseError, "strings are not allowed in an expression", 0),
    ("x + b'1'", ParseError, "bytes are not allowed in an expression", 4),
    ("f'{x}'", ParseError, "f-strings are not allowed in an expression", 0),
    ("exp(x=1)", ParseError, "keyword arguments are not allowed in an expression", 4),
    ("exp(**x)", ParseError, "'**' arguments are not allowed in an expression", 4),
    ("exp(*x)", ParseError, "starred arguments (*) are not allowed in an expression", 4),
    ("x < y", ParseError, "comparisons are not allowed in an expression", 2),
    ("x and y", ParseError, "boolean operators (and/or) are not allowed in an expression", 2),
    ("not x", ParseError, "operator 'not' is not allowed in an expression", 0),
    ("x if y else z", ParseError, "conditional expressions (if/else) are not allowed in an expression", 2),
    ("(x := 1)", ParseError, "assignment (:=) is not allowed in an expression", 3),
    ("{x: 1}", ParseError, "dictionaries ({...}) are not allowed in an expression", 0),
    ("{x}", ParseError, "sets ({...}) are not allowed in an expression", 0),
    ("(x, y)*2", ParseError, "tuples are not allowed inside an expression", 0),
    ("x, y", ParseError, "found a comma; a potential is a single expression", 1),
    ("(x ,)", ParseError, "found a comma; a potential is a single expression", 3),
    ("[x, y]", ParseError, "'[x, y]' is not one expression; a potential is a single expression", 0),
    ("()", ParseError, "'()' is not one expression; a potential is a single expression", 0),
    ("(x+1)(2)", ParseError, "only functions can be called, by name, e.g. exp(x)", 5),
    ("expp(x)", UnknownFunctionError, "unknown function 'expp'; did you mean 'exp'?", 0),
    ("2*sine(x)", UnknownFunctionError, "unknown function 'sine'; did you mean 'sin'?", 2),
    ("ln(x)", UnknownFunctionError, "unknown function 'ln'; did you mean 'log'?", 0),
    ("x(2)", UnknownFunctionError, "unknown function 'x'; to multiply write x*(...)", 0),
    ("pi(2)", ParseError, "'pi' is a constant, not a function; to multiply write pi*(...)", 0),
    ("exp + 1", ParseError, "'exp' is a function; call it as exp(...)", 0),
    ("atan2(x)", ParseError, "atan2() takes 2 arguments, got 1", 0),
    ("sin(x, y)", ParseError, "sin() takes 1 argument, got 2", 0),
    ("log()", ParseError, "log() takes 1 or 2 arguments, got 0", 0),
    ("x + _y", ParseError, "names beginning with '_' are not allowed: '_y'", 4),
    ("__import__('os')", ParseError, "names beginning with '_' are not allowed: '__import__'", 0),
    ("x // 2", ParseError, "operator '//' is not allowed in an expression", 2),
    ("x % 2", ParseError, "operator '%' is not allowed in an expression", 2),
    ("x @ y", ParseError, "operator '@' is not allowed in an expression", 2),
    ("x << 1", ParseError, "operator '<<' is not allowed in an expression", 2),
    ("(x) | y", ParseError, "operator '|' is not allowed in an expression", 4),
    ("~x", ParseError, "operator '~' is not allowed in an expression", 0),
    ("1j", ParseError, "complex numbers are not allowed in an expression", 0),
    ("0x1f", ParseError, "write numbers in decimal: 0x1f", 0),
    ("x + 1" + "0" * 101, ParseError, "number too long: 102 digits (the limit is 100)", 4),
    ("1e400", ParseError, "number too large: 1e400", 0),
    ("2*lambda*x", ParseError, "'lambda' is a reserved word; rename the parameter", 2),
    ("exp(-lambda)", ParseError, "'lambda' is a reserved word; rename the parameter", 5),
    ("None", ParseError, "'None' is a reserved word; rename the parameter", 0),
    ("ｅｘｅｃ", ParseError, "non-ASCII character 'ｅ' (U+FF45); write names in ASCII", 0),
    ("x + \u0443", ParseError, "non-ASCII character '\u0443' (U+0443); write names in ASCII", 4),
    ("x \u2212 1", ParseError, "non-ASCII character '\u2212' (U+2212); write '-' instead", 2),
    ("x\u00b2", ParseError, "non-ASCII character '\u00b2' (U+00B2); write '^2' instead", 1),
    ("x\x00", ParseError, "control character U+0000 is not allowed", 1),
    ("x + \\\n y", ParseError, "backslashes are not allowed in an expression", 4),
    ("x # y", ParseError, "comments (#) are not allowed in an expression", 2),
    ("", ParseError, "empty expression", 0),
    ("  \n ", ParseError, "empty expression", 0),
    ("2*(x+", ParseError, "invalid syntax: '(' was never closed", 2),
    ("x)", ParseError, "invalid syntax: unmatched ')'", 1),
    ("x +* y", ParseError, "invalid syntax", 3),
    ("x^^2", ParseError, "invalid syntax", 2),
    ("y + x^^2", ParseError, "invalid syntax", 6),
    # constants that SymPy could not compute quickly, or that are not real numbers
    ("9**9**9**9", ParseError, "constant power too large: 9**9**9 exceeds 10**300", 3),
    ("((9**9)**9999)**9999", ParseError, "constant power too large: (9**9)**9999 exceeds 10**300", 1),
    ("10^10^10", ParseError, "constant power too large: 10^10^10 exceeds 10**300", 0),
    ("x + 2**-1000", ParseError, "constant power too small: 2**-1000 is below 10**-300", 4),
    ("(2*x)**(10**9)", ParseError, "constant power too large: (2*x)**(10**9) exceeds 10**300", 0),
    ("sqrt(2)**(10**9)", ParseError, "constant power too large: sqrt(2)**(10**9) exceeds 10**300", 0),
    ("10**300*10*x", ParseError, "constant too large: 10**300*10*x exceeds 10**300", 0),
    ("1/0", ParseError, "division by zero: '1/0'", 0),
    ("x/(y - y)", ParseError, "division by zero: 'x/(y - y)'", 0),
    ("0**-1", ParseError, "'0**-1' is undefined (division by zero?)", 0),
    ("x + log(0)", ParseError, "'log(0)' is undefined", 4),
    ("atan2(0, 0)", ParseError, "'atan2(0, 0)' is undefined", 0),
    ("sqrt(-1)", ParseError, "'sqrt(-1)' is not a real number", 0),
    ("(-8)**(1/3)", ParseError, "'(-8)**(1/3)' is not a real number", 0),
    ("log(x, 1)", ParseError, "'log(x, 1)': the base of a logarithm must be positive and not 1", 0),
    # limits
    ("(" * 101 + "x" + ")" * 101, ParseError, TOO_DEEP_BRACKETS, 100),
    ("-" * 101 + "x", ParseError, "too many signs in a row (more than 100)", 100),
    ("x" + "**x" * 101, ParseError, TOO_DEEP, 300),
    ("exp(" * 50 + "-" * 51 + "x" + ")" * 50, ParseError, TOO_DEEP, 250),
]


@pytest.mark.parametrize("text, kind, message, column", REFUSED, ids=[repr(r[0])[:40] for r in REFUSED])
def test_refusals_say_what_and_where(text, kind, message, column):
    with pytest.raises(ExpressionError) as info:
        parse_expression(text)
    error = info.value
    assert type(error) is kind
    assert (error.message, error.column, error.text) == (message, column, text)
    assert "\n" not in error.message and error.message[:1] == error.message[:1].lower()


def test_caret_from_the_issue():
    with pytest.raises(ParseError) as info:
        parse_expression("__import__('os').system('ls')")
    assert info.value.detail_lines() == [
        "  __import__('os').system('ls')",
        "                  ^",
    ]


def test_caret_maps_back_through_translated_power():
    # '^' becomes '**' before parsing; the caret still points into the user's text
    text = "x^2 + y^2 + z.w"
    with pytest.raises(ParseError) as info:
        parse_expression(text)
    assert info.value.column == text.index(".")


def test_caret_maps_back_through_grouping_of_long_chains():
    text = "+".join(["x"] * 500) + " + y.z"
    with pytest.raises(ParseError) as info:
        parse_expression(text)
    assert info.value.column == text.index(".")
    text = "*".join(["x"] * 500) + " / 0"
    with pytest.raises(ParseError, match="division by zero") as info:
        parse_expression(text)
    assert info.value.column == 0


def test_too_long():
    with pytest.raises(ParseError, match=r"expression too long: 100001 characters \(the limit is 100000\)"):
        parse_expression("x" * 100_001)
    with pytest.raises(ParseError, match="the limit is 10"):
        parse_expression("x + y + z + w", max_length=10)
    assert parse_expression("x" * 100_000) == sympy.Symbol("x" * 100_000, real=True)


def test_not_a_string():
    with pytest.raises(TypeError):
        parse_expression(3)


def test_node_count_is_capped(monkeypatch):
    from gradcli.frontend import parse

    monkeypatch.setattr(parse, "MAX_NODES", 10)
    assert parse_expression("x*y + y*z + z*x") == x * y + y * z + z * x  # 10 parts
    with pytest.raises(ParseError, match="expression too large: more than 10 parts"):
        parse_expression("x*y + y*z + z*x + k")
