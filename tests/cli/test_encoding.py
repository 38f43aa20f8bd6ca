"""Output on streams that are not UTF-8 (issue 15 items 7-8): tables fall back
to ASCII (never a UnicodeEncodeError), and JSON never carries a lone
surrogate, whatever bytes came in."""

import json
import os
import subprocess
import sys

import pytest

from gradcli.cli.output import ascii_text, plain, without_surrogates

MAIN = "import sys\nfrom gradcli.cli.app import main\nsys.argv = ['gradcli', *sys.argv[1:]]\nmain()\n"

pytestmark = pytest.mark.slow  # every test here starts a real process


def run_process(*args, encoding="ascii"):
    env = {**os.environ, "COLUMNS": "100", "NO_COLOR": "1", "PYTHONIOENCODING": encoding}
    env.pop("GRADCLI_POTENTIALS", None)
    return subprocess.run([sys.executable, "-c", MAIN, *args], capture_output=True, env=env)


def test_ascii_spelling():
    assert ascii_text("λ") == "lambda" and ascii_text("Å") == "A"
    assert ascii_text("k (eV/Å²)") == "k (eV/A^2)"
    assert ascii_text("cm⁻¹, θ = π, x1, …, z13") == "cm^-1, theta = pi, x1, ..., z13"


COMMANDS = [
    (["force-constant", "x**2", "--at", "1"], "| lambda |"),  # the eigenvalue column
    (["potentials"], "x1, y1, z1, ..., z13 (39)"),
    (["potentials", "show", "morse"], "35.9 eV/A^2"),
    (["potentials", "show", "pendulum"], "cos(theta)"),
]


@pytest.mark.parametrize("args, expected", COMMANDS)
def test_tables_fall_back_to_ascii(args, expected):
    proc = run_process(*args)
    assert proc.returncode == 0, proc.stderr
    assert proc.stderr == b""
    assert expected in proc.stdout.decode("ascii")  # every byte is ASCII


@pytest.mark.parametrize("args, expected", COMMANDS)
def test_a_latin1_stream_gets_what_it_can_encode(args, expected):
    proc = run_process(*args, encoding="latin-1")
    assert proc.returncode == 0 and proc.stderr == b""
    proc.stdout.decode("latin-1")


def test_ascii_tables_keep_their_columns():
    lines = run_process("force-constant", "x**2", "--at", "1").stdout.decode("ascii").splitlines()
    table = lines[lines.index("eigenvalues") + 1 :]
    assert len({len(line) for line in table}) == 1  # every row as wide as the border


def test_json_on_an_ascii_stream_is_unchanged():
    proc = run_process("potentials", "show", "morse", "--json")
    utf8 = run_process("potentials", "show", "morse", "--json", encoding="utf-8")
    assert proc.returncode == 0 and proc.stdout == utf8.stdout
    assert "Å" in json.dumps(json.loads(proc.stdout), ensure_ascii=False)


def strict_strings(value):
    """Every string in a parsed JSON value, checked to be valid Unicode (no lone surrogate)."""
    if isinstance(value, dict):
        for k, v in value.items():
            strict_strings(k), strict_strings(v)
    elif isinstance(value, list):
        for v in value:
            strict_strings(v)
    elif isinstance(value, str):
        value.encode("utf-8")  # raises on a lone surrogate


def test_no_lone_surrogates_in_json():
    assert without_surrogates("caf\udce9") == "caf\ufffd"
    assert plain({"n\udcff": ["\ud800"]}) == {"n\ufffd": ["\ufffd"]}
    # A non-UTF-8 byte in an argument (Python keeps it as a lone surrogate in sys.argv)
    env = {**os.environ, "NO_COLOR": "1"}
    for args in (
        [b"grad", b"@mo\xffrse", b"--at", b"1", b"--json"],
        [b"descend", b"x**2", b"--x0", b"1", b"--plot", b"/nonexistent/\xff.png", b"--json"],
        [b"potentials", b"show", b"\xfe", b"--json"],
    ):
        proc = subprocess.run([sys.executable.encode(), b"-c", MAIN.encode(), *args], capture_output=True, env=env)
        assert proc.returncode == 2, proc.stderr
        assert b"\\ud" not in proc.stdout.lower()  # no escaped surrogate
        out = json.loads(proc.stdout)
        strict_strings(out)
        assert "\ufffd" in out["error"]["message"]
