"""Optimisation of compiled potentials, and nothing else.

- ``settings``: an optimiser's settings and where each came from (the user's
  option, a named potential's suggestion, the default), every value checked;
- ``result``: ``DescentResult`` (what every optimiser returns) and the rules
  that end a run (``StopRules``, divergence, statuses);
- ``trajectory``: the bounded record of a run's path;
- ``registry``: the optimisers by name (``OPTIMIZERS``) and ``minimize``;
- one module per family of methods: ``descent`` (the tutorial's fixed-step
  loop), ``first_order`` (gd with an automatic step, momentum, nesterov,
  adam), ``fire_descent`` (FIRE), ``scipy_methods`` (cg, bfgs, lbfgs,
  newton, trust); ``fixed`` holds variables fixed; ``diagnosis`` explains
  a failed run.

Stationary-point analysis lives in ``gradcli.analysis``.

>>> from gradcli import Potential
>>> from gradcli.optimize import minimize
>>> round(minimize(Potential("(x-3)**2+2"), 0.0, lr=0.25).x[0], 6)
3.0
"""

from gradcli.optimize.descent import gradient_descent
from gradcli.optimize.registry import OPTIMIZERS, Optimizer, get_optimizer, method_settings, minimize, register
from gradcli.optimize.result import STATUSES, DescentResult, Evaluations, StopRules
from gradcli.optimize.settings import DEFAULTS, Settings, resolve_settings
from gradcli.optimize.trajectory import TrajectoryPoint, TrajectoryRecorder

__all__ = [
    "DEFAULTS",
    "OPTIMIZERS",
    "STATUSES",
    "DescentResult",
    "Evaluations",
    "Optimizer",
    "Settings",
    "StopRules",
    "TrajectoryPoint",
    "TrajectoryRecorder",
    "get_optimizer",
    "gradient_descent",
    "method_settings",
    "minimize",
    "register",
    "resolve_settings",
]
