"""The optimisers gradcli knows, by name, and ``minimize`` that runs one.

An entry names the function that runs the method (``"module:function"``,
imported only when the method is used, so listing methods loads nothing),
the options it takes and its defaults. A new optimiser is a function
``run(V, x0, **options) -> DescentResult`` in its own module of
``gradcli.optimize`` plus one ``register(Optimizer(...))`` line below.
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field

from gradcli.errors import InputError


@dataclass(frozen=True)
class Optimizer:
    """One method: ``name`` (what ``--method`` takes), ``target`` the function
    running it (``"module:function"``), ``summary`` one line for people,
    ``options`` the keyword options it takes (beyond ``max_record``), and
    ``defaults`` the settings used when neither the user nor a named potential
    gives them.

    >>> get_optimizer("gd").defaults["lr"]
    0.01
    """

    name: str
    target: str
    summary: str
    options: tuple[str, ...]
    defaults: dict = field(default_factory=dict)

    @property
    def run(self):
        """The function running the method (imported on first use)."""
        module, function = self.target.split(":")
        return getattr(importlib.import_module(module), function)


OPTIMIZERS: dict[str, Optimizer] = {}


def register(optimizer: Optimizer) -> Optimizer:
    """Add ``optimizer`` to the registry (a name may be registered once)."""
    if optimizer.name in OPTIMIZERS:
        raise ValueError(f"an optimiser named {optimizer.name!r} is already registered")
    OPTIMIZERS[optimizer.name] = optimizer
    return optimizer


def get_optimizer(name: str) -> Optimizer:
    """The optimiser called ``name``; an ``InputError`` listing the known ones otherwise.

    >>> get_optimizer("gd").summary
    'gradient descent x <- x - lr * grad V(x) (the tutorial)'
    """
    try:
        return OPTIMIZERS[name]
    except (KeyError, TypeError):
        known = ", ".join(OPTIMIZERS)
        raise InputError(f"unknown method {name!r}; known methods: {known}") from None


def minimize(V, x0, method: str = "gd", **options):
    """Minimise the potential ``V`` (``n`` variables) from ``x0`` (a number or
    ``n`` numbers) with ``method``; ``options`` are the method's settings
    (``lr``, ``steps``, ``tol``, ``max_record``, ...), its defaults where not given.
    Returns a ``DescentResult``; an unknown method or option is an ``InputError``.

    >>> from gradcli import Potential
    >>> r = minimize(Potential("(x-3)**2+2"), 0.0, method="gd", lr=0.25)
    >>> r.status, r.method, round(r.x[0], 6)
    ('converged', 'gd', 3.0)
    """
    optimizer = get_optimizer(method)
    unknown = sorted(set(options) - set(optimizer.options) - {"max_record"})
    if unknown:
        takes = ", ".join(optimizer.options)
        raise InputError(f"method {method!r} takes no option {unknown[0]!r} (it takes {takes}, max_record)")
    return optimizer.run(V, x0, **{**optimizer.defaults, **options})


register(Optimizer(
    "gd",
    "gradcli.optimize.descent:gradient_descent",
    "gradient descent x <- x - lr * grad V(x) (the tutorial)",
    ("lr", "steps", "tol", "bound"),
    {"lr": 0.01, "steps": 200, "tol": 1e-8},
))
