"""Hostile input: code-execution payloads, resource bombs and look-alikes are
refused with an expression error and without side effects (a resource bomb
that were not refused would hang the suite, so finishing is the guard; no
wall-clock threshold, which fails on a loaded machine).
"""

import builtins

import pytest
import sympy

from gradcli.errors import ParseError, UnknownFunctionError
from gradcli.frontend.parse import parse_expression, parse_vector


def corpus(marker: str) -> list[tuple[str, str]]:
    """(payload, expected message fragment); payloads that would run code
    create ``marker`` if they ever ran."""
    touch = f"__import__('os').system('touch {marker}')"
    opened = f"open('{marker}', 'w')"
    return [
        # code execution through attributes, dunders and builtins
        (touch, "attribute access is not allowed"),
        (f"{touch} + x", "attribute access is not allowed"),
        (f"x*({touch})", "attribute access is not allowed"),
        ("__import__('os')", "names beginning with '_' are not allowed"),
        ("__builtins__", "names beginning with '_' are not allowed"),
        ("x + __class__", "names beginning with '_' are not allowed"),
        ("().__class__.__bases__[0].__subclasses__()", "attribute access is not allowed"),
        ("().__class__.__base__.__subclasses__()[59]()", "subscripts ([...]) are not allowed"),
        ("[c for c in ().__class__.__bases__[0].__subclasses__()]", "comprehensions are not allowed"),
        ("x.__class__", "attribute access is not allowed"),
        ("getattr(x, '__class__')", "unknown function 'getattr'"),
        ("(lambda: 1)()", "lambda functions are not allowed"),
        (f"(lambda: {touch})()", "lambda functions are not allowed"),
        (f"(lambda f: f('{marker}', 'w'))(open)", "lambda functions are not allowed"),
        (f'exec("{opened}")', "unknown function 'exec'"),
        (f'eval("{opened}")', "unknown function 'eval'"),
        (f"compile(\"{opened}\", 'x', 'exec')", "unknown function 'compile'"),
        (opened, "unknown function 'open'"),
        ("globals()", "unknown function 'globals'"),
        ("locals()['x']", "subscripts ([...]) are not allowed"),
        ("vars()", "unknown function 'vars'"),
        ("breakpoint()", "unknown function 'breakpoint'"),
        ("input()", "unknown function 'input'"),
        ("exp(x).__class__", "attribute access is not allowed"),
        ("exp(__import__)", "names beginning with '_' are not allowed"),
        ("exp(x, key=__import__)", "keyword arguments are not allowed"),
        ("exp(*[x])", "starred arguments (*) are not allowed"),
        ("exp(**{'x': 1})", "'**' arguments are not allowed"),
        ("(exp)(x).real", "attribute access is not allowed"),
        ("x if __import__('os') else y", "conditional expressions (if/else) are not allowed"),
        (f"x and {touch}", "boolean operators (and/or) are not allowed"),
        ("(x := __import__)", "assignment (:=) is not allowed"),
        ("import os", "invalid syntax"),
        (f"x; {touch}", "invalid syntax"),
        (f"x\n{touch}", "invalid syntax"),  # a newline is a space: 'x __import__(...)'
        (f"x \\\n+ {touch}", "backslashes are not allowed"),
        ("yield x", "invalid syntax"),
        ("await x", "is not allowed in an expression"),
        # strings and their cousins
        ("'x'", "strings are not allowed"),
        ("b'x'", "bytes are not allowed"),
        ('f"{' + touch + '}"', "f-strings are not allowed"),
        (f"f'{{{touch}}}'", "invalid syntax"),  # same quotes inside: not even an f-string in 3.11
        ("'''x'''", "strings are not allowed"),
        ("...", "is not allowed in an expression"),
        # unicode look-alikes and control characters
        ("ｅｘｅｃ('1')", "non-ASCII character 'ｅ' (U+FF45)"),  # NFKC would make this exec
        ("\u0435\u0445\u0435\u0441('1')", "non-ASCII character"),  # Cyrillic 'ехес'
        ("x\u200b + y", "non-ASCII character"),  # zero-width space
        ("ℯxp(x)", "non-ASCII character"),
        ("x\x00", "control character U+0000"),
        ("\x00" * 10, "control character U+0000"),
        ("x\x1b[2J", "control character U+001B"),
        # resource bombs: length, nesting, numbers
        ("x" * 100_001, "expression too long"),
        ("(" * 100_000, "nested too deeply"),
        ("[" * 100_000, "nested too deeply"),
        ("exp(" * 10_000 + "x" + ")" * 10_000, "nested too deeply"),
        ("-" * 100_000 + "x", "expression too long"),
        ("-" * 99_999 + "x", "too many signs in a row"),
        ("not " * 20_000 + "x", "nested too deeply"),
        ("x" + "**x" * 30_000, "nested too deeply"),
        ("x" + "^x" * 40_000, "nested too deeply"),
        ("9**9**9**9", "constant power too large: 9**9**9 exceeds"),
        ("((9**9)**9999)**9999", "constant power too large: (9**9)**9999 exceeds"),
        ("10**10**10", "constant power too large"),
        ("10.0**10**10", "constant power too large"),
        ("2**(10**100)", "constant power too large"),
        ("(2*x)**(10**100)", "constant power too large"),
        ("(sqrt(2)*pi*x)**(10**100)", "constant power too large"),
        ("(1 + 1/10**99)**(10**99)", "constant power too long to compute exactly"),
        ("sqrt(3)**(10**90)", "constant power too large"),
        ("9" * 10_000, "number too long: 10000 digits"),
        ("1" + "_0" * 5000, "number too long"),
        ("0." + "0" * 200 + "1", "number too long"),
        ("1e99999", "number too large"),
        ("*".join(["10**300"] * 1_000), "constant too large"),
        ("+".join(f"1/(10**99 + {d})" for d in (1, 3, 7, 9)), "constant too long to compute exactly"),
        ("x" + "/10**300" * 2, "constant too small"),
        ("*".join(f"sqrt({p})" for p in sympy.primerange(2, 5_000)), "constant too long to compute exactly"),
        ("*".join(f"{p}**(1/3)" for p in sympy.primerange(2, 5_000)), "constant too long to compute exactly"),
        ("exp(800.0)", "constant too large: exp(800.0) exceeds 10**300"),
        ("x*exp(-800.0)", "constant too small"),
        # everything else that is not arithmetic
        ("x[0]", "subscripts"),
        ("x @ y", "operator '@'"),
        ("x // y", "operator '//'"),
        ("x % y", "operator '%'"),
        ("x << 1", "operator '<<'"),
        ("~x", "operator '~'"),
        ("1j", "complex numbers are not allowed"),
        ("x < 1 < y", "comparisons are not allowed"),
        ("True", "reserved word"),
        ("None(1)", "reserved word"),
        ("'os'(1)", "strings are not allowed"),
        ("2(x)", "only functions can be called"),
        ("lambda", "reserved word"),
        ("{x: y}", "dictionaries"),
        ("{x}", "sets"),
    ]


def refuse_all(cases: list[tuple[str, str]]) -> None:
    for text, fragment in cases:
        for parse in (parse_expression, parse_vector):
            with pytest.raises((ParseError, UnknownFunctionError)) as info:
                parse(text)
            assert fragment in info.value.message, (text[:60], info.value.message)
            assert info.value.text == text
            assert info.value.column is None or 0 <= info.value.column <= len(text)


@pytest.mark.slow
def test_hostile_corpus_is_refused_quickly_and_without_side_effects(tmp_path):
    marker = tmp_path / "MARKER"
    cases = corpus(str(marker))
    assert len(cases) > 80
    refuse_all(cases)
    assert not marker.exists()


@pytest.mark.slow
def test_parsing_never_calls_eval_exec_or_compiles_code(tmp_path, monkeypatch):
    cases = corpus(str(tmp_path / "MARKER"))
    accepted = "exec*eval + open(x)**2 + log(x, 2) + sigmoid(x) + atan2(x, y) + 0.5^x"
    # First, so that SymPy's lazy imports (its own modules, which import by exec) are done.
    refuse_all(cases)
    parse_expression(accepted.replace("open(x)", "open"))
    real_compile = builtins.compile

    def forbidden(*args, **kwargs):
        raise AssertionError("eval/exec called while parsing")

    def ast_only_compile(source, filename, mode, flags=0, *args, **kwargs):
        assert flags & 0x400, "compile called for code, not for an AST"  # ast.PyCF_ONLY_AST
        return real_compile(source, filename, mode, flags, *args, **kwargs)

    monkeypatch.setattr(builtins, "eval", forbidden)
    monkeypatch.setattr(builtins, "exec", forbidden)
    monkeypatch.setattr(builtins, "compile", ast_only_compile)
    refuse_all(cases)
    with pytest.raises(UnknownFunctionError):
        parse_expression(accepted)
    expr = parse_expression(accepted.replace("open(x)", "open"))
    assert sorted(str(s) for s in expr.free_symbols) == ["eval", "exec", "open", "x", "y"]
