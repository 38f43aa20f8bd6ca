"""The examples in the docstrings of every module of the package run and print
what they show ("public functions have docstrings with shapes and an example").

The modules are found by walking the package, so a new module is covered
without being listed here."""

import doctest
import importlib
import pkgutil

import pytest

import gradcli

MODULES = sorted(module.name for module in pkgutil.walk_packages(gradcli.__path__, "gradcli."))

# Modules whose examples need an optional extra: skipped, not failed, without it.
EXTRAS = {"gradcli.ase": "ase"}

# The number of modules (outside EXTRAS) with at least one example when this was
# written: a module that loses its examples (an example turned into prose, a
# docstring deleted) lowers the count and fails test_modules_keep_their_examples.
MODULES_WITH_EXAMPLES = 83


def _examples(module) -> int:
    return sum(len(test.examples) for test in doctest.DocTestFinder().find(module))


@pytest.mark.parametrize("name", MODULES)
def test_docstring_examples(name):
    if name in EXTRAS:
        pytest.importorskip(EXTRAS[name])
    result = doctest.testmod(importlib.import_module(name))
    assert result.failed == 0


def test_modules_keep_their_examples():
    counted = [name for name in MODULES if name not in EXTRAS and _examples(importlib.import_module(name))]
    assert len(counted) >= MODULES_WITH_EXAMPLES
