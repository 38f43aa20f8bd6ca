"""gradcli: a reverse-mode autograd engine on numpy with PyTorch's semantics,
and a command-line tool for potentials built on it.

``import gradcli as torch`` runs the PyTorch autograd tutorial unchanged.
Importing gradcli imports numpy only: the SymPy front-end (``Potential``,
``VectorFunction``) is loaded on first use.
"""

__version__ = "0.1.0"

# --- engine exports (gradcli/autograd) ---------------------------------------
# (filled in by the engine)

# --- front-end, imported lazily so `import gradcli` stays light ---------------
_LAZY = {
    "Potential": "gradcli.frontend.potential",
    "VectorFunction": "gradcli.frontend.potential",
}


def __getattr__(name):
    module_name = _LAZY.get(name)
    if module_name is None:
        raise AttributeError(f"module 'gradcli' has no attribute {name!r}")
    import importlib

    value = getattr(importlib.import_module(module_name), name)
    globals()[name] = value
    return value
