"""Shared fixture: a helper writing potential files (tests/conftest.py clears GRADCLI_POTENTIALS)."""

import textwrap

import pytest

GOOD = """
name = "{name}"
description = "A test well"
expression = "{expression}"
variables = ["x"]
start = [1.0]
references = ["a test"]

[parameters]
k = {{ value = 3.0, units = "eV/Å²" }}

[[stationary]]
point = [0.0]
value = 0.0
kind = "minimum"
"""


@pytest.fixture
def write(tmp_path):
    """``write(name, text=None, folder="user", expression="k*x**2")`` writes
    ``folder/name.toml`` (a good file unless ``text`` is given) and returns the folder."""

    def _write(name, text=None, folder="user", expression="k*x**2"):
        directory = tmp_path / folder
        directory.mkdir(exist_ok=True)
        body = GOOD.format(name=name, expression=expression) if text is None else textwrap.dedent(text)
        (directory / f"{name}.toml").write_text(body, encoding="utf-8")
        return directory

    return _write
