"""Anomaly detection: make a backward that produces NaN fail loudly, naming the rule.

Example::

    >>> import gradcli as torch
    >>> x = torch.tensor([0.0], requires_grad=True)
    >>> with torch.autograd.detect_anomaly():
    ...     (x.log() * 0).sum().backward()
    Traceback (most recent call last):
        ...
    RuntimeError: Function 'LogBackward0' returned nan values in its 0th output.
"""

import threading
import warnings

import numpy as np


class _AnomalyState(threading.local):
    enabled = False


_state = _AnomalyState()


def is_anomaly_enabled():
    return _state.enabled


def check_nan(node, input_grads):
    """Raise if any gradient computed by ``node`` contains NaN."""
    for i, grad in enumerate(input_grads or ()):
        if grad is None:
            continue
        data = grad if isinstance(grad, np.ndarray) else getattr(grad, "_data", grad)
        if np.isnan(data).any():
            raise RuntimeError(f"Function '{node.name()}' returned nan values in its {i}th output.")


class detect_anomaly:
    """Context manager / decorator enabling NaN checks on every backward rule.

    ``check_nan=False`` keeps the mode on without the NaN check (PyTorch's meaning).
    """

    def __init__(self, check_nan=True):
        self.check_nan = check_nan
        warnings.warn(
            "Anomaly Detection has been enabled. This mode will increase the runtime and "
            "should only be enabled for debugging.",
            stacklevel=2,
        )

    def __enter__(self):
        self._previous = _state.enabled
        _state.enabled = self.check_nan

    def __exit__(self, *exc):
        _state.enabled = self._previous
        return False

    def __call__(self, func):
        def wrapper(*args, **kwargs):
            with self.__class__(self.check_nan):
                return func(*args, **kwargs)

        return wrapper


class set_detect_anomaly:
    """``set_detect_anomaly(True)`` turns NaN checks on (usable as a context manager)."""

    def __init__(self, mode, check_nan=True):
        self._previous = _state.enabled
        _state.enabled = bool(mode) and check_nan

    def __enter__(self):
        pass

    def __exit__(self, *exc):
        _state.enabled = self._previous
        return False
