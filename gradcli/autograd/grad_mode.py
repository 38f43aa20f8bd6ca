"""Grad mode: whether new operations are recorded for backward, per thread.

``no_grad``, ``enable_grad`` and ``set_grad_enabled`` work as context managers
and as decorators, like PyTorch's.  The flag lives in a ``threading.local`` so
that one thread's ``no_grad`` does not switch recording off in another.
"""

import functools
import threading


class _GradState(threading.local):
    # Class attribute = the value every new thread starts with.
    enabled = True


_state = _GradState()


def is_grad_enabled():
    """True if operations are currently recorded for backward (in this thread)."""
    return _state.enabled


class _GradModeContext:
    """Base for the grad-mode switches: context manager and decorator."""

    _target = True

    def __enter__(self):
        self._previous = _state.enabled
        _state.enabled = self._target

    def __exit__(self, exc_type, exc_value, traceback):
        _state.enabled = self._previous
        return False

    def __call__(self, func):
        target = self._target

        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            previous = _state.enabled
            _state.enabled = target
            try:
                return func(*args, **kwargs)
            finally:
                _state.enabled = previous

        return wrapper

    def clone(self):
        return self.__class__()


class no_grad(_GradModeContext):
    """Context manager / decorator that stops recording operations.

    Example::

        >>> x = gradcli.tensor([1.0], requires_grad=True)
        >>> with gradcli.no_grad():
        ...     y = x * 2
        >>> y.requires_grad
        False
    """

    _target = False


class enable_grad(_GradModeContext):
    """Context manager / decorator that turns recording back on inside ``no_grad``.

    Example::

        >>> x = gradcli.tensor([1.0], requires_grad=True)
        >>> with gradcli.no_grad():
        ...     with gradcli.enable_grad():
        ...         y = x * 2
        >>> y.requires_grad
        True
    """

    _target = True


class set_grad_enabled(_GradModeContext):
    """Switch recording on or off: as a function call, context manager or decorator.

    ``set_grad_enabled(False)`` takes effect immediately (like PyTorch); used with
    ``with`` the previous mode is restored on exit.

    Example::

        >>> x = gradcli.tensor([1.0], requires_grad=True)
        >>> with gradcli.set_grad_enabled(False):
        ...     y = x * 2
        >>> y.requires_grad
        False
    """

    def __init__(self, mode):
        self._previous = _state.enabled
        self._target = bool(mode)
        _state.enabled = self._target

    def __enter__(self):
        # The switch already happened in __init__; keep the mode from before it.
        _state.enabled = self._target

    def __call__(self, func):
        # Used as a decorator: the switch made by __init__ must not outlive it.
        _state.enabled = self._previous
        return super().__call__(func)

    def clone(self):
        return self.__class__(self._target)
