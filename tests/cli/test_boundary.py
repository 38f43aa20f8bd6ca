"""The error boundary (gradcli/cli/boundary.py): each way a run can end gives
one line on stderr, one JSON object with --json, and its exit status; overflow
is a computation error; no numpy warning reaches the user; signals and broken
pipes exit 128 + the signal; standard input is read to its limit only."""

import io
import json
import os
import signal
import subprocess
import sys

import pytest
from cli_helpers import invoke

from gradcli.cli.boundary import EXIT_STATUS, exit_status
from gradcli.cli.status import ExitStatus
from gradcli.errors import (
    ComputationError,
    DomainError,
    ExpressionError,
    GradcliError,
    InputError,
    ParseError,
    PotentialFileError,
    UnknownFunctionError,
    UnknownPotentialError,
    UnsupportedExpressionError,
)

MAIN = "import sys\nfrom gradcli.cli.app import main\nsys.argv = ['gradcli', *sys.argv[1:]]\nmain()\n"


def run_process(*args, code=MAIN, **kwargs):
    env = {**os.environ, "COLUMNS": "100", "NO_COLOR": "1"}
    env.pop("GRADCLI_POTENTIALS", None)
    # A shell starts background jobs with SIGINT ignored (CI may run so): the child must take Ctrl-C.
    kwargs.setdefault("preexec_fn", lambda: signal.signal(signal.SIGINT, signal.SIG_DFL))
    return subprocess.run([sys.executable, "-c", code, *args], capture_output=True, text=True, env=env, **kwargs)


# --- kinds and statuses -----------------------------------------------------------


def test_library_errors_carry_no_exit_code():
    assert not any(
        hasattr(cls, "exit_code")
        for cls in (GradcliError, InputError, ComputationError, PotentialFileError, DomainError)
    )


@pytest.mark.parametrize(
    "error, status",
    [
        (InputError("x"), 2),
        (ExpressionError("x"), 2),
        (ParseError("x"), 2),
        (UnknownFunctionError("x"), 2),
        (UnsupportedExpressionError("x"), 2),
        (UnknownPotentialError("x"), 2),
        (PotentialFileError("x"), 2),
        (ComputationError("x"), 1),
        (DomainError("x"), 1),
    ],
)
def test_the_boundary_maps_each_kind_to_its_status(error, status):
    assert exit_status(error) == status
    assert [s for _, s in EXIT_STATUS] == [ExitStatus.FAILURE, ExitStatus.USAGE]


def test_signal_statuses_are_128_plus_the_signal():
    assert ExitStatus.INTERRUPTED == 128 + signal.SIGINT == 130
    assert ExitStatus.TERMINATED == 128 + signal.SIGTERM == 143
    assert ExitStatus.HANGUP == 128 + signal.SIGHUP == 129
    assert ExitStatus.BROKEN_PIPE == 128 + signal.SIGPIPE == 141


def test_descend_failure_goes_through_the_boundary():
    # One error line (not two), and with --json one object: the result, no second error object.
    result = invoke("descend", "x**2", "--x0", "3", "--method", "gd", "--lr", "0.01", "--steps", "2")
    assert result.exit_code == 1
    assert result.stderr.count("error: ") == 1
    assert result.stderr.startswith("error: descent did not converge in 2 steps")
    result = invoke("descend", "x**2", "--x0", "3", "--method", "gd", "--lr", "0.01", "--steps", "2", "--json")
    assert result.exit_code == 1
    out = json.loads(result.stdout)  # exactly one object
    assert out["status"] == "max_steps" and "error" not in out


# --- overflow (issue 15 item 6) ------------------------------------------------------


@pytest.mark.parametrize(
    "expr, at, message",
    [
        # |grad V|^2 = 4e308 is beyond float64; the table printed an internal error, the JSON exit 0.
        ("x**2", "1e154", "overflow in |grad V| at x=1e+154"),
        # numpy's norm of the flat gradient overflows ("overflow encountered in dot" leaked).
        ("1e300*x", "1", "overflow in the Newton step at x=1"),
    ],
)
def test_force_constant_overflow_is_a_computation_error(expr, at, message):
    table = invoke("force-constant", expr, "--at", at)
    assert table.exit_code == 1
    assert table.stderr == f"error: {message}\n" and table.stdout == ""
    js = invoke("force-constant", expr, "--at", at, "--json")
    assert js.exit_code == 1
    assert json.loads(js.stdout) == {"command": "force-constant", "error": {"kind": "domain", "message": message}}
    assert js.stderr == f"error: {message}\n"


@pytest.mark.slow
def test_no_numpy_warning_reaches_the_user():
    proc = run_process("force-constant", "1e300*x", "--at", "1")
    assert proc.returncode == 1
    assert proc.stderr == "error: overflow in the Newton step at x=1\n"
    assert "Warning" not in proc.stderr and "numpy" not in proc.stderr


def test_a_numpy_warning_in_a_command_becomes_one_error_line(monkeypatch):
    import gradcli.analysis.stationary as stationary

    def warns(*args, **kwargs):
        import numpy as np

        return np.float64(1.0) / np.float64(0.0)  # RuntimeWarning: divide by zero

    monkeypatch.setattr(stationary, "classify_stationary_point", warns)
    result = invoke("force-constant", "x**2", "--at", "1", "--json")
    assert result.exit_code == 1
    message = "overflow in the Newton step at x=1"
    assert json.loads(result.stdout)["error"] == {"kind": "domain", "message": message}


# --- standard input (issue 15 item 12) ---------------------------------------------


class CountingBlanks(io.RawIOBase):
    """``size`` bytes of blanks, counting how many were read."""

    def __init__(self, size):
        self.size, self.read_bytes = size, 0

    def readable(self):
        return True

    def readinto(self, buffer):
        n = min(len(buffer), self.size - self.read_bytes)
        buffer[:n] = b" " * n
        self.read_bytes += n
        return n


def test_stdin_is_read_to_the_limit_plus_one_only(monkeypatch):
    from gradcli.cli.options import read_stdin
    from gradcli.errors import InputError

    stream = CountingBlanks(50_000_000)
    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BufferedReader(stream), encoding="utf-8"))
    with pytest.raises(InputError, match=r"more than 100000 characters"):
        read_stdin()
    assert stream.read_bytes < 1_000_000  # not the 50 MB offered


def test_too_much_stdin_is_an_input_error():
    result = invoke("grad", "-", "--at", "1", "--json", input=" " * 100_001)
    assert result.exit_code == 2
    message = "standard input: expression too long (more than 100000 characters)"
    assert json.loads(result.stdout) == {"command": "grad", "error": {"kind": "input", "message": message}}
    assert result.stderr == f"error: {message}\n"


def test_stdin_at_the_limit_is_still_read():
    text = "x" + "+x" * 20 + " " * (100_000 - 41)
    assert len(text) == 100_000
    out = json.loads(invoke("grad", "-", "--at", "1", "--json", input=text).stdout)
    assert out["gradient"] == [21.0]


# --- broken pipes (issue 14 item 8) --------------------------------------------------


@pytest.mark.slow
@pytest.mark.parametrize("json_flag", [["--json"], []])
def test_a_closed_stdout_exits_141_silently(json_flag):
    proc = subprocess.Popen(
        [sys.executable, "-c", MAIN, "descend", "x**4-10*x**2+5", "--x0", "3", *json_flag],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
    )
    proc.stdout.close()  # the reader went away before gradcli wrote (as `| head -1` does)
    stderr = proc.stderr.read()
    proc.stderr.close()
    assert proc.wait() == 141
    assert stderr == b""


# --- SIGTERM and SIGHUP during a plot write (issue 15 item 10) ---------------------------

SIGNAL_DURING_SAVE = """
import os, signal, sys, time
from matplotlib.figure import Figure
signum = getattr(signal, sys.argv.pop(1))
save = Figure.savefig
def savefig(self, file, **kwargs):
    save(self, file, **kwargs)       # the .part file has the picture, not yet renamed
    os.kill(os.getpid(), signum)
    time.sleep(5)                    # the signal arrives here
Figure.savefig = savefig
from gradcli.cli.app import main
sys.argv = ['gradcli', *sys.argv[1:]]
main()
"""


@pytest.mark.slow
@pytest.mark.parametrize("name, status", [("SIGTERM", 143), ("SIGHUP", 129), ("SIGINT", 130)])
def test_a_signal_during_a_plot_write_cleans_up(tmp_path, name, status):
    target = tmp_path / "d.png"
    proc = run_process(name, "descend", "x**2", "--x0", "1", "--plot", str(target), code=SIGNAL_DURING_SAVE)
    assert proc.returncode == status, proc.stderr
    assert os.listdir(tmp_path) == []  # neither the picture nor its .part file
    expected = "error: interrupted\n" if name == "SIGINT" else f"error: stopped by {name}\n"
    assert proc.stderr == expected


@pytest.mark.slow
def test_a_signal_with_json_prints_the_error_object(tmp_path):
    target = tmp_path / "d.png"
    proc = run_process(
        "SIGTERM", "descend", "x**2", "--x0", "1", "--plot", str(target), "--json", code=SIGNAL_DURING_SAVE
    )
    assert proc.returncode == 143
    assert json.loads(proc.stdout) == {
        "command": "descend",
        "error": {"kind": "interrupted", "message": "stopped by SIGTERM"},
    }


def test_stdin_that_is_not_utf8_is_an_input_error(monkeypatch):
    from gradcli.cli.options import read_stdin
    from gradcli.errors import InputError

    monkeypatch.setattr(sys, "stdin", io.TextIOWrapper(io.BytesIO(b"x+\xff"), encoding="utf-8", errors="strict"))
    with pytest.raises(InputError, match=r"^standard input is not text in utf-8 \(byte 3\)$"):
        read_stdin()


@pytest.mark.slow
def test_non_utf8_stdin_never_reaches_json_as_a_surrogate():
    env = {**os.environ, "PYTHONIOENCODING": "utf-8:surrogateescape"}
    proc = subprocess.run(
        [sys.executable, "-c", MAIN, "grad", "-", "--at", "1", "--json"], input=b"x\xff", capture_output=True, env=env
    )
    assert proc.returncode == 2
    assert b"\\udc" not in proc.stdout.lower()
    assert json.loads(proc.stdout)["error"]["kind"] == "parse"


@pytest.mark.slow
def test_an_ignored_sighup_stays_ignored(tmp_path):
    # nohup ignores SIGHUP before starting gradcli: the run goes on and writes its plot.
    code = "import signal\nsignal.signal(signal.SIGHUP, signal.SIG_IGN)\n" + SIGNAL_DURING_SAVE.replace(
        "time.sleep(5)", "time.sleep(0.2)"
    )
    target = tmp_path / "d.png"
    proc = run_process(
        "SIGHUP", "descend", "x**2", "--x0", "1", "--lr", "0.4", "--plot", str(target), "--json", code=code
    )
    assert proc.returncode == 0, proc.stderr
    assert json.loads(proc.stdout)["plot"] == str(target) and os.listdir(tmp_path) == ["d.png"]


@pytest.mark.parametrize(
    "raise_it, message",
    [
        (
            lambda: 1e200**2,
            "overflow: a number beyond the float64 range (about 1.8e308) came up in the computation",
        ),
        (
            lambda: __import__("numpy").float64(1.0) / 0.0,
            "numerical error in the computation: divide by zero encountered in scalar divide",
        ),
    ],
    ids=["OverflowError", "numpy RuntimeWarning"],
)
def test_any_overflow_or_numpy_warning_is_a_computation_error(monkeypatch, raise_it, message):
    import gradcli.cli.calculus_cmd as calculus

    def parse_point(*args):
        raise_it()

    monkeypatch.setattr(calculus, "parse_point", parse_point)
    result = invoke("grad", "x", "--at", "1", "--json")
    assert result.exit_code == 1
    assert json.loads(result.stdout) == {"command": "grad", "error": {"kind": "domain", "message": message}}
    assert result.stderr == f"error: {message}\n"
