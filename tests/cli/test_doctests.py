"""The examples in the docstrings of the command layer and the optimiser run."""

import doctest
import importlib

import pytest

MODULES = [
    "gradcli.cli.options",
    "gradcli.cli.points",
    "gradcli.cli.render",
    "gradcli.cli.plot",
    "gradcli.cli.descend_cmd",
    "gradcli.named",
    "gradcli.named.check",
    "gradcli.named.files",
    "gradcli.named.registry",
    "gradcli.named.resolved",
    "gradcli.named.spec",
    "gradcli.named.units",
    "gradcli.optimize",
    "gradcli.optimize.descent",
    "gradcli.optimize.stationary",
    "gradcli.optimize.trajectory",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    result = doctest.testmod(importlib.import_module(name))
    assert result.failed == 0
