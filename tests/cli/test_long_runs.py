"""Long saddle and path runs speak as descend and global do (issue 14, item 9): a progress bar on
stderr at a terminal only, and Ctrl-C prints the result so far (the table, or the JSON object with
status "interrupted") and exits 130."""

import json
import math
import os
import re
import signal
import subprocess
import sys
import time

import pytest
from cli_helpers import ctrl_c_at, invoke

#: A climb of 10^6 steps: from x = 10^6 the trust radius (at most 1) bounds every step up -x**2.
LONG_SADDLE = ("saddle", "-x**2", "--x0", "1e6", "--steps", "1000000")
#: A band that never converges: no force is below 1e-300, so FIRE makes its 10^6 steps.
LONG_PATH = ("path", "@muller-brown", "--from", "MA", "--to", "MB", "--fmax", "1e-300", "--steps", "1000000")
#: CPU seconds the child has used before it is interrupted: past starting up (about 2 s: imports,
#: compiling the potential), so well inside the search whatever the machine's load.
CPU_BEFORE_CTRL_C = 6.0


def _cpu_seconds(pid: int) -> float:
    with open(f"/proc/{pid}/stat") as stat:
        fields = stat.read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


def _sigint_when_busy(*args):
    """Run ``gradcli ARGS --json``, send SIGINT once it has computed for CPU_BEFORE_CTRL_C seconds:
    (exit status, JSON object, stderr)."""
    process = subprocess.Popen(
        [sys.executable, "-m", "gradcli.cli.app", *args, "--json"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env={key: value for key, value in os.environ.items() if key != "GRADCLI_POTENTIALS"},
        # A shell starts background jobs with SIGINT ignored (CI may run so): the child must take Ctrl-C.
        preexec_fn=lambda: signal.signal(signal.SIGINT, signal.SIG_DFL),
    )
    try:
        while process.poll() is None and _cpu_seconds(process.pid) < CPU_BEFORE_CTRL_C:
            time.sleep(0.1)
        assert process.poll() is None, process.communicate()
        process.send_signal(signal.SIGINT)
        stdout, stderr = process.communicate(timeout=120)
    finally:
        if process.poll() is None:
            process.kill()
    return process.returncode, json.loads(stdout), stderr


@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads the child's CPU time in /proc")
def test_sigint_to_a_long_saddle_prints_the_point_reached_as_json_and_exits_130():
    status, out, stderr = _sigint_when_busy(*LONG_SADDLE)
    assert status == 130, stderr
    assert out["command"] == "saddle" and out["status"] == "interrupted" and "error" not in out
    assert 0 < out["steps"] < 1_000_000 and out["evaluations"]["hessian"] == out["steps"] + 1
    (x,) = out["point"]
    # Every step climbs 1 (the trust radius) towards the maximum at 0: x = 10^6 - steps once the
    # radius has grown from its first 0.1 (a few steps), and V = -x**2 there.
    assert math.isfinite(x) and 1e6 - out["steps"] <= x < 1e6 - out["steps"] + 10
    assert out["value"] == -(x**2) and out["eigenvalues"] == [-2.0] and out["index"] == 1
    assert out["message"] == f"interrupted after {out['steps']} steps (the point reached has index 1)"
    assert stderr == f"interrupted at step {out['steps']}; the point reached is shown\nerror: interrupted\n"


@pytest.mark.slow
@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="reads the child's CPU time in /proc")
def test_sigint_to_a_long_path_prints_the_band_so_far_as_json_and_exits_130():
    status, out, stderr = _sigint_when_busy(*LONG_PATH)
    assert status == 130, stderr
    assert out["command"] == "path" and out["status"] == "interrupted" and out["converged"] is False
    assert out["band"]["status"] == "interrupted" and 0 < out["band"]["steps"] < 1_000_000
    assert out["saddles"] == [] and out["minima"] == []  # interrupted in the band: nothing refined
    assert [i["point"] for i in out["images"]][0] == out["start"]["point"]
    assert all(math.isfinite(c) for image in out["images"] for c in [*image["point"], image["value"]])
    # The band has relaxed towards the path: its highest image is near S1 (V = -40.66).
    top = out["images"][out["climbing_image"]]
    assert top["value"] == max(i["value"] for i in out["images"]) and -41 < top["value"] < -40
    assert stderr == f"interrupted at FIRE step {out['band']['steps']}; the path so far is shown\nerror: interrupted\n"


# -- in-process: Ctrl-C pressed from the progress callback -----------------------------------


def test_ctrl_c_in_a_saddle_prints_the_table_of_the_point_reached(monkeypatch):
    budget = json.loads(invoke("saddle", "@muller-brown", "--x0", "-0.7,0.5", "--steps", "3", "--json").stdout)
    with ctrl_c_at(monkeypatch, 3):
        result = invoke("saddle", "@muller-brown", "--x0", "-0.7,0.5")
    assert result.exit_code == 130 and "Traceback" not in result.stderr
    assert "│ status      │ interrupted" in result.stdout and "│ steps       │ 3 " in result.stdout
    assert result.stderr == "interrupted at step 3; the point reached is shown\nerror: interrupted\n"
    with ctrl_c_at(monkeypatch, 3):
        stopped = json.loads(invoke("saddle", "@muller-brown", "--x0", "-0.7,0.5", "--json").stdout)
    assert stopped["point"] == budget["point"] and stopped["value"] == budget["value"]
    assert stopped["status"] == "interrupted" and budget["status"] == "max_steps"


def test_ctrl_c_in_a_path_prints_the_band_so_far(monkeypatch):
    with ctrl_c_at(monkeypatch, 20):
        result = invoke("path", "@muller-brown", "--from", "MA", "--to", "MB")
    assert result.exit_code == 130 and "Traceback" not in result.stderr
    assert "band: 11 images, FIRE interrupted in 20 steps" in result.stdout
    assert "│ status           │ interrupted" in result.stdout
    assert result.stderr == "interrupted at FIRE step 20; the path so far is shown\nerror: interrupted\n"
    with ctrl_c_at(monkeypatch, 20):
        out = json.loads(invoke("path", "@muller-brown", "--from", "MA", "--to", "MB", "--json").stdout)
    assert out["status"] == "interrupted" and out["band"] == {**out["band"], "status": "interrupted", "steps": 20}
    budget = json.loads(invoke("path", "@muller-brown", "--from", "MA", "--to", "MB", "--steps", "20", "--json").stdout)
    assert [i["point"] for i in out["images"]] == [i["point"] for i in budget["images"]]  # the band of 20 steps


@pytest.mark.parametrize(
    "args, shown",
    [
        (("saddle", "-x**2", "--x0", "1000", "--steps", "5000"), ("P-RFO steps", "|∇V|", "/5000")),
        (("path", "@muller-brown", "--from", "MA", "--to", "MB", "--fmax", "1e-300", "--steps", "300"),
         ("NEB FIRE steps", "band force", "/300")),
    ],
)  # fmt: skip
def test_the_bar_is_drawn_on_a_terminal_only(monkeypatch, args, shown):
    import gradcli.cli.progress as progress

    monkeypatch.setattr(progress, "DELAY", 0.0)
    on_a_terminal = invoke(*args, env={"TTY_COMPATIBLE": "1", "COLUMNS": "160"})
    assert on_a_terminal.exit_code in (0, 1), on_a_terminal.stderr
    assert all(word in on_a_terminal.stderr for word in shown), on_a_terminal.stderr
    assert "steps/s" in on_a_terminal.stderr
    piped = invoke(*args)
    with_json = invoke(*args, "--json", env={"TTY_COMPATIBLE": "1"})
    assert piped.stdout and not any(word in piped.stderr for word in shown)
    assert with_json.stdout and not any(word in with_json.stderr for word in shown)


@pytest.mark.parametrize("width", [40, 60, 80, 120])
def test_the_bar_never_cuts_its_numbers(monkeypatch, width):
    """A narrow terminal loses the rate, then the time and the bar, never a digit of the count."""
    import gradcli.cli.progress as progress

    monkeypatch.setattr(progress, "DELAY", 0.0)
    result = invoke(
        "saddle", "-x**2", "--x0", "1000", "--steps", "5000", env={"TTY_COMPATIBLE": "1", "COLUMNS": str(width)}
    )
    assert result.exit_code == 0, result.stderr
    drawn = [line for line in re.split(r"[\r\n]", re.sub(r"\x1b\[[0-9;?]*[A-Za-z]", "", result.stderr)) if line]
    bars = [line for line in drawn if line.startswith("P-RFO steps")]
    assert bars and "…" not in result.stderr
    assert all(len(line) <= width and re.search(r"\s\d+/5000(\s|$)", line) for line in bars), bars
    assert any(re.search(r"\d+/5000 \|∇V\| \d+(\.\d+)?(e[+-]\d+)?( |$)", line) for line in bars), bars
    assert any("steps/s" in line for line in bars) == (width >= 80)
