"""A module imported on first use, for modules that only sometimes need it.

``gradcli descend`` runs generated code over Python floats and never needs
numpy (SymPy does not import it either), so the front-end modules on its path
write, instead of ``import numpy as np``::

    np = LazyModule("numpy", globals(), "np")

The first attribute read (``np.asarray``) imports numpy and puts the real
module in the caller's globals under the same name, so every later ``np.``
in that module is an ordinary global lookup: no cost on any call after the
first. (Anything that kept a reference to the stand-in itself still works,
through ``__getattr__``.)

Example::

    >>> namespace = {}
    >>> namespace["np"] = LazyModule("numpy", namespace, "np")
    >>> float(namespace["np"].sqrt(4.0)), type(namespace["np"]).__name__
    (2.0, 'module')
"""

from __future__ import annotations

import importlib


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
