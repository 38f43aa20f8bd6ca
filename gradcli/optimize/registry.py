"""The optimisers gradcli knows, by name, and ``minimize`` that runs one.

An entry names the function that runs the method (``"module:function"``,
imported only when the method is used, so listing methods loads nothing),
the options it takes and its defaults. A new optimiser is a function
``run(V, x0, **options) -> DescentResult`` in its own module of
``gradcli.optimize`` plus one ``register(Optimizer(...))`` line below. Every
optimiser also takes ``max_record`` and ``progress`` (see ``gradcli.optimize.result``).
"""

from __future__ import annotations

import importlib
from dataclasses import dataclass, field

from gradcli.errors import InputError


@dataclass(frozen=True)
class Optimizer:
    """One method: ``name`` (what ``--method`` takes), ``target`` the function
    running it (``"module:function"``), ``summary`` one line for people,
    ``options`` the keyword options it takes (beyond ``max_record`` and ``progress``), and
    ``defaults`` the settings used when neither the user nor a named potential
    gives them.

    >>> get_optimizer("momentum").defaults["lr"]
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

    >>> get_optimizer("lbfgs").summary
    'limited-memory BFGS (scipy L-BFGS-B)'
    """
    try:
        return OPTIMIZERS[name]
    except (KeyError, TypeError):
        known = ", ".join(OPTIMIZERS)
        raise InputError(f"unknown method {name!r}; known methods: {known}") from None


def minimize(V, x0, method: str = "gd", fix=None, **options):
    """Minimise the potential ``V`` (``n`` variables) from ``x0`` (a number or
    ``n`` numbers) with ``method``; ``options`` are the method's settings
    (``lr``, ``steps``, ``tol``, ``max_record``, ``progress``, ...), its defaults where not given.
    ``fix`` holds variables where they are: a list of names (kept at their
    ``x0`` values) or a dict name -> value (None: the ``x0`` value); the result
    is over all ``n`` variables. Returns a ``DescentResult``; an unknown
    method or option is an ``InputError``.

    >>> from gradcli import Potential
    >>> r = minimize(Potential("(x-3)**2+2"), 0.0, method="momentum", lr=0.1)
    >>> r.status, r.method, round(r.x[0], 6)
    ('converged', 'momentum', 3.0)
    """
    optimizer = get_optimizer(method)
    unknown = sorted(set(options) - set(optimizer.options) - set(EVERY_METHOD))
    if unknown:
        takes = ", ".join(optimizer.options)
        raise InputError(f"method {method!r} takes no option {unknown[0]!r} (it takes {takes}, max_record)")
    settings = {**optimizer.defaults, **options}
    if fix:
        from gradcli.optimize.fixed import minimize_fixed

        return minimize_fixed(optimizer.run, V, x0, fix, settings)
    return optimizer.run(V, x0, **settings)


#: Options every method takes beyond its settings: the trajectory's budget and the progress callback.
EVERY_METHOD = ("max_record", "progress")
#: Options every method takes: the stopping rules and the divergence bound.
COMMON = ("steps", "tol", "fmax", "atoms", "bound")
#: The step budget of every method (updates or iterations): large, since a converged run stops early.
STEPS = 10_000

_methods: list[tuple[str, str, str, tuple[str, ...], dict[str, object]]] = [
    (
        "gd",
        "first_order:gd",
        "gradient descent x <- x - lr grad V; without --lr a Barzilai-Borwein step",
        ("lr",),
        {"lr": None},
    ),
    (
        "momentum",
        "first_order:momentum",
        "heavy-ball momentum (torch.optim.SGD)",
        ("lr", "momentum"),
        {"lr": 0.01, "momentum": 0.9},
    ),
    (
        "nesterov",
        "first_order:nesterov",
        "Nesterov momentum (torch.optim.SGD, nesterov=True)",
        ("lr", "momentum"),
        {"lr": 0.01, "momentum": 0.9},
    ),
    (
        "adam",
        "first_order:adam",
        "Adam (torch.optim.Adam)",
        ("lr", "betas", "eps"),
        {"lr": 0.01, "betas": (0.9, 0.999), "eps": 1e-8},
    ),  # torch's lr is 0.001: too slow for 10,000 steps
    (
        "fire",
        "fire_descent:fire_descent",
        "FIRE, fast inertial relaxation (ASE's parameters)",
        ("max_step",),
        {"max_step": 0.2},
    ),
    ("cg", "scipy_methods:cg", "nonlinear conjugate gradient (scipy CG)", (), {}),
    ("bfgs", "scipy_methods:bfgs", "BFGS quasi-Newton (scipy BFGS)", (), {}),
    ("lbfgs", "scipy_methods:lbfgs", "limited-memory BFGS (scipy L-BFGS-B)", (), {}),
    ("newton", "scipy_methods:newton", "Newton-CG with the exact Hessian (scipy Newton-CG)", (), {}),
    ("trust", "scipy_methods:trust", "trust region with the exact Hessian (scipy trust-exact)", (), {}),
]
for _name, _target, _summary, _options, _defaults in _methods:
    register(
        Optimizer(
            _name,
            f"gradcli.optimize.{_target}",
            _summary,
            (*_options, *COMMON),
            {**_defaults, "steps": STEPS, "tol": 1e-8},
        )
    )


#: Methods whose ``lr`` is a gradient step, the meaning of a named potential's suggested ``lr``;
#: its suggested ``steps`` is the budget of that step. Other methods keep their own defaults
#: (Adam's lr is a step length, not a gradient step).
GRADIENT_STEP = ("gd", "momentum", "nesterov")


def method_settings(
    method: str, given: dict, suggested: dict | None = None, suggested_by: str = "", suggested_method: str | None = None
):
    """The ``Settings`` of ``method``: ``given`` options (None: not given) beat the named potential's
    ``suggested`` ones beat the method's defaults; keys the method does not take are left out. The
    suggested ``lr`` and ``steps`` are for a gradient step (GRADIENT_STEP), unless the potential
    suggests ``method`` itself (``suggested_method``): then they are for it.

    >>> s = method_settings("momentum", {"lr": None, "tol": 0.0}, {"lr": 2e-4, "steps": 2000}, "@mb")
    >>> s.values["lr"], s.source["lr"], s.values["momentum"], s.source["tol"]
    (0.0002, '@mb', 0.9, '--tol')
    >>> method_settings("lbfgs", {}, {"lr": 2e-4, "steps": 2000}, "@mb").source
    {'steps': 'default', 'tol': 'default'}
    """
    from gradcli.optimize.settings import resolve_settings

    optimizer = get_optimizer(method)
    takes = set(optimizer.options)
    suggestion = {
        k: v
        for k, v in (suggested or {}).items()
        if k in takes and (k not in ("lr", "steps") or method in GRADIENT_STEP or method == suggested_method)
    }
    return resolve_settings(
        {k: v for k, v in given.items() if k in takes}, suggestion, suggested_by, defaults=optimizer.defaults
    )
