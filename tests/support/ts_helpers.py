"""Named potentials and their listed stationary points for the tests in
tests of saddles, paths and modes (the values in potentials/*.toml: Müller & Brown 1979 for
muller-brown, Himmelblau 1972 for himmelblau)."""

import numpy as np

from gradcli.named import load


def named(name: str, **params):
    """The compiled Potential of a named potential."""
    return load(name, **params).potential


def listed(name: str, kind: str) -> list:
    """The listed stationary points of one kind: [(point array, value, note)]."""
    return [(np.array(s.point), s.value, s.note) for s in load(name).stationary if s.kind == kind]


def by_note(name: str, word: str):
    """The listed stationary point whose note is ``word`` or names it in brackets
    (MA, MB, MC, 'between MA and MC', ...): (point array, value)."""
    (found,) = [(np.array(s.point), s.value) for s in load(name).stationary if s.note == word or f"({word})" in s.note]
    return found


def invoke(*args, input=None):
    """Run ``gradcli ARGS`` in-process (Typer's CliRunner): click's Result."""
    from typer.testing import CliRunner

    from gradcli.cli.app import app

    env = {"NO_COLOR": None, "FORCE_COLOR": None, "TTY_COMPATIBLE": None, "COLUMNS": "100", "GRADCLI_POTENTIALS": None}
    return CliRunner().invoke(app, [str(a) for a in args], input=input, env=env)


def invoke_json(*args, exit_code=0):
    """Run ``gradcli ARGS --json``, check the exit code, return the first JSON object on stdout."""
    import json

    result = invoke(*args, "--json")
    assert result.exit_code == exit_code, (result.stdout, result.stderr)
    return json.JSONDecoder().raw_decode(result.stdout.lstrip())[0]
