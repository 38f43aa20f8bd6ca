"""Every `gradcli` command line shown in README.md runs, with the exit code
the README says (0 unless the line ends in `# exits N`), and every command
is documented there."""

import os
import re
import shlex
import subprocess
import sys
from pathlib import Path

import pytest
from cli_helpers import invoke

README = Path(__file__).resolve().parents[2] / "README.md"
FENCE = re.compile(r"```(bash|console|sh|shell)\n(.*?)```", re.S)
EXIT = re.compile(r"#\s*exits\s+(\d+)\s*$")


def readme_commands() -> list[tuple[str, int]]:
    commands = []
    for language, body in FENCE.findall(README.read_text(encoding="utf-8")):
        for line in body.splitlines():
            line = line.strip()
            if language == "console":
                if not line.startswith("$ "):
                    continue  # output
                line = line[2:]
            for segment in line.split("&&"):
                segment = segment.strip()
                if "gradcli " in segment and not segment.startswith(("pip", "pytest")):
                    match = EXIT.search(segment)
                    commands.append((EXIT.sub("", segment).strip(), int(match.group(1)) if match else 0))
    return commands


COMMANDS = readme_commands()


def test_the_readme_shows_commands():
    assert len(COMMANDS) >= 15
    assert ('gradcli descend "x**4-10*x**2+5" --x0 3 --plot descent.png', 0) in COMMANDS


@pytest.mark.parametrize("line, exit_code", COMMANDS, ids=[c for c, _ in COMMANDS])
def test_readme_command_runs(line, exit_code, tmp_path, monkeypatch):
    """Each command line runs once: its exit code, its plot, and the output README shows under it."""
    monkeypatch.chdir(tmp_path)  # plots land here
    if "|" in shlex.split(line, comments=True) or re.search(r"\|\s*gradcli", line):
        # A pipeline: run it in a shell with this interpreter's gradcli first on PATH.
        env = {**os.environ, "PATH": os.path.dirname(sys.executable) + os.pathsep + os.environ.get("PATH", "")}
        proc = subprocess.run(line, shell=True, cwd=tmp_path, env=env, capture_output=True, text=True)
        assert proc.returncode == exit_code, proc.stderr
        return
    argv = shlex.split(line, comments=True)
    assert argv[0] == "gradcli"
    result = invoke(*argv[1:], env={"COLUMNS": "200"})
    assert result.exit_code == exit_code, (line, result.stdout[-2000:], result.stderr)
    for flag, name in zip(argv, argv[1:]):
        if flag == "--plot":
            assert (tmp_path / name).stat().st_size > 0
    if line in SHOWN:
        _check_shown_output(line, SHOWN[line], result.stdout + result.stderr)


def test_every_command_has_a_readme_section():
    text = README.read_text(encoding="utf-8")
    for command in ("descend", "grad", "force", "force-constant", "derivative", "jacobian", "vjp", "jvp"):
        assert re.search(rf"^###.*\b{re.escape(command)}\b", text, re.M), command
        assert f"gradcli {command} " in text
    for heading in ("## JSON output", "## Exit codes and errors", "## Potentials"):
        assert heading in text


def python_api_examples() -> list[str]:
    """The ```python blocks of README's "Python API" section."""
    text = README.read_text(encoding="utf-8")
    section = text.split("\n## Python API\n", 1)[1].split("\n## ", 1)[0]
    return re.findall(r"```python\n(.*?)```", section, re.S)


def test_the_python_api_examples_show_their_real_output():
    import doctest

    blocks = python_api_examples()
    assert len(blocks) >= 3
    # One namespace, as in one session: later blocks use names of earlier ones.
    globs: dict = {}
    runner = doctest.DocTestRunner(optionflags=doctest.NORMALIZE_WHITESPACE)
    parser = doctest.DocTestParser()
    for i, block in enumerate(blocks):
        test = parser.get_doctest(block, globs, f"README (Python API, block {i + 1})", "README.md", 0)
        runner.run(test, clear_globs=False)
        globs = test.globs
    failed, attempted = runner.summarize(verbose=False)
    assert failed == 0 and attempted >= 15


def test_the_readme_starts_with_the_two_set_up_commands():
    text = README.read_text(encoding="utf-8")
    first = FENCE.search(text)
    lines = first.group(2).strip().splitlines()
    venv = "python3 -m venv .venv && . .venv/bin/activate && pip install"
    assert len(lines) == 2 and all(line.startswith(venv) for line in lines)
    assert lines[0].endswith('gradcli descend "x**4-10*x**2+5" --x0 3 --plot descent.png')
    assert lines[1].endswith("&& pytest")


NUMBER = re.compile(r"(?<![\w.])[-+−]?\d+(?:,\d{3})*(?:\.\d+)?(?:e[-+]?\d+)?(?![\w])")
STATUSES = ("converged", "diverged", "interrupted", "not converged", "minimum", "maximum", "saddle", "degenerate")
# Numbers that change from run to run (times, rates) are not compared.
VOLATILE = re.compile(r"\b(?:seconds|elapsed|ms|µs|it/s|/s)\b|\d\s*s\b")


def readme_shown_outputs() -> list[tuple[str, str]]:
    """(command line, the output README shows under it) for every `$ gradcli` line of a console block."""
    shown = []
    for language, body in FENCE.findall(README.read_text(encoding="utf-8")):
        if language != "console":
            continue
        command, lines = None, []
        for line in body.splitlines() + ["$ "]:
            if line.startswith("$ "):
                if command and any(s.strip() for s in lines):
                    shown.append((command, "\n".join(lines)))
                command, lines = line[2:].strip(), []
                if "|" in command or "gradcli " not in command:
                    command = None
            else:
                lines.append(line)
    return shown


def _numbers(text: str) -> list[float]:
    values = []
    for line in text.splitlines():
        if VOLATILE.search(line) or line.lstrip().startswith("..."):
            continue  # times, rates, and README's "... (what is left out here)" lines
        for token in NUMBER.findall(line):
            values.append(float(token.replace(",", "").replace("−", "-")))
    return values


# README's command line (without its "# exits N") -> the output shown under it.
SHOWN = {EXIT.sub("", line).strip(): shown for line, shown in readme_shown_outputs()}


def test_the_readme_shows_output_and_every_shown_output_is_checked():
    assert len(SHOWN) >= 15
    assert set(SHOWN) <= {line for line, _ in COMMANDS}


def _check_shown_output(line: str, shown: str, real: str) -> None:
    """Every number README shows under a command is in today's output (to the digits shown), and so is
    every status word; the layout (table widths, wrapping) may differ."""
    real_numbers = _numbers(real)
    for value in _numbers(shown):
        assert any(abs(r - value) <= 1e-12 + 5e-3 * abs(value) and _agrees(value, r) for r in real_numbers), (
            f"README shows {value!r} for `{line}`; today's output:\n{real[-3000:]}"
        )
    described = "\n".join(x for x in shown.splitlines() if not x.lstrip().startswith("..."))
    for status in STATUSES:
        if re.search(rf"\b{status}\b", described):
            assert re.search(rf"\b{status}\b", real), (status, line)


def _agrees(shown: float, real: float) -> bool:
    """``real`` rounded to the digits of ``shown`` (any significant-figure count up to 12) is ``shown``."""
    if shown == real:
        return True
    return any(float(f"{real:.{digits}g}") == shown for digits in range(1, 13))
