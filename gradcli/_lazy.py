"""gradcli's one way of loading lazily: a module-level name that stands in
for its value until first used, then is replaced by it in the module's globals.

``gradcli descend`` runs generated code over Python floats and never needs
numpy or the engine; ``import gradcli`` must stay light. So a module that
only sometimes needs something binds a name to a stand-in, in one of two forms:

* ``LazyModule`` -- a module the module's own code uses (``np.asarray`` in a
  function body)::

      np = LazyModule("numpy", globals(), "np")

  The first attribute read imports numpy and puts the real module in the
  caller's globals under the same name, so every later ``np.`` there is an
  ordinary global lookup: no cost on any call after the first. (Anything that
  kept a reference to the stand-in itself still works, through
  ``__getattr__``.)

* ``exports`` -- names a module offers to *other* modules (``gradcli.tensor``,
  ``ops.ARRAY``), computed on first access through PEP 562::

      __getattr__, __dir__ = exports(globals(), {"ARRAY": _array_table})

  The first ``module.ARRAY`` (or ``from module import ARRAY``) calls the
  loader and stores its result as an ordinary module global.

No other idiom: no hand-written module ``__getattr__``, and no import inside
a function to put off a cost.

Example::

    >>> namespace = {}
    >>> namespace["np"] = LazyModule("numpy", namespace, "np")
    >>> float(namespace["np"].sqrt(4.0)), type(namespace["np"]).__name__
    (2.0, 'module')
"""

from __future__ import annotations

import importlib
from collections.abc import Callable
from typing import Any


class LazyModule:
    """Stands for the module ``name`` in ``namespace[alias]`` until first used."""

    __slots__ = ("_name", "_namespace", "_alias")

    def __init__(self, name: str, namespace: dict, alias: str):
        self._name = name
        self._namespace = namespace
        self._alias = alias

    def __getattr__(self, attr: str):
        module = importlib.import_module(self._name)
        if self._namespace.get(self._alias) is self:
            self._namespace[self._alias] = module
        return getattr(module, attr)

    def __repr__(self) -> str:
        return f"<module {self._name!r}, imported on first use>"


def attribute(module: str, name: str = "") -> Callable[[], Any]:
    """A loader for ``exports``: ``module.name`` (the module itself when ``name`` is empty)."""

    def load():
        loaded = importlib.import_module(module)
        return getattr(loaded, name) if name else loaded

    return load


def exports(namespace: dict, loaders: dict[str, Callable[[], Any]]):
    """(``__getattr__``, ``__dir__``) for a module whose globals are
    ``namespace``: a name in ``loaders`` is computed by its loader on first
    access and then kept in ``namespace`` (an ordinary global from then on)."""
    module = namespace["__name__"]

    def __getattr__(name: str):
        load = loaders.get(name)
        if load is None:
            raise AttributeError(f"module {module!r} has no attribute {name!r}")
        value = namespace[name] = load()
        return value

    def __dir__():
        return sorted(set(namespace) | set(loaders))

    return __getattr__, __dir__
