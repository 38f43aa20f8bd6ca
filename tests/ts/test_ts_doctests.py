"""The examples in the docstrings of the transition-state, path and modes modules run."""

import doctest
import importlib

import pytest

MODULES = [
    "gradcli.optimize.fire",
    "gradcli.optimize.saddle",
    "gradcli.optimize.neb",
    "gradcli.analysis.modes",
    "gradcli.cli.labels",
    "gradcli.cli.transition_cmd",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    result = doctest.testmod(importlib.import_module(name))
    assert result.failed == 0 and result.attempted > 0
