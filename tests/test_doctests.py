"""The examples in the docstrings of the command layer, the optimisers, the
stationary-point analysis and the named potentials run and print what they show."""

import doctest
import importlib

import pytest

MODULES = [
    "gradcli.analysis.modes",
    "gradcli.cli.boundary",
    "gradcli.cli.descend_cmd",
    "gradcli.cli.labels",
    "gradcli.cli.options",
    "gradcli.cli.output",
    "gradcli.cli.parsing",
    "gradcli.cli.plot",
    "gradcli.cli.points",
    "gradcli.cli.render",
    "gradcli.cli.status",
    "gradcli.cli.transition_cmd",
    "gradcli.named",
    "gradcli.named.check",
    "gradcli.named.files",
    "gradcli.named.registry",
    "gradcli.named.resolved",
    "gradcli.named.spec",
    "gradcli.named.units",
    "gradcli.optimize",
    "gradcli.optimize.descent",
    "gradcli.optimize.fire",
    "gradcli.optimize.neb",
    "gradcli.optimize.saddle",
    "gradcli.optimize.trajectory",
]


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    result = doctest.testmod(importlib.import_module(name))
    assert result.failed == 0
