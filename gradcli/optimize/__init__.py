"""Optimisers on compiled potentials.

Each optimiser is a function ``name(V, x0, *, ...) -> DescentResult`` over a
``gradcli.Potential``, recording its path with ``TrajectoryRecorder``; new ones
(momentum, FIRE, quasi-Newton via scipy) go beside ``descent.py``.
``classify_stationary_point`` says what kind of point a Hessian describes.

>>> from gradcli import Potential
>>> from gradcli.optimize import gradient_descent
>>> round(gradient_descent(Potential("(x-3)**2+2"), 0.0, lr=0.25).x[0], 6)
3.0
"""

from gradcli.optimize.descent import DescentResult, gradient_descent
from gradcli.optimize.stationary import StationaryPoint, classify_stationary_point
from gradcli.optimize.trajectory import TrajectoryPoint, TrajectoryRecorder

__all__ = [
    "DescentResult",
    "StationaryPoint",
    "TrajectoryPoint",
    "TrajectoryRecorder",
    "classify_stationary_point",
    "gradient_descent",
]
