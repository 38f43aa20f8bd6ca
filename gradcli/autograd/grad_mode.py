"""Grad mode: whether new operations are recorded for backward, per thread.

``no_grad``, ``enable_grad`` and ``set_grad_enabled`` work as context managers
and as decorators, like PyTorch's.  The flag lives in a ``threading.local`` so
that one thread's ``no_grad`` does not switch recording off in another.
"""

import functools
import inspect
import threading


class _GradState(threading.local):
    # Class attribute = the value every new thread starts with.
    enabled = True


_state = _GradState()


def is_grad_enabled():
    """True if operations are currently recorded for backward (in this thread)."""
    return _state.enabled


_new_object = object.__new__


class _GradModeContext:
    """Base for the grad-mode switches: context manager and decorator.

    As a decorator it works with and without parentheses (``@no_grad`` and
    ``@no_grad()``, or ``no_grad(fn)``), and on generator functions, where the
    mode holds inside the generator's body on every resume and the caller's mode
    outside it (PyTorch's ``_DecoratorContextManager``).
    """

    _target = True

    def __new__(cls, orig_func=None):
        if orig_func is None:  # `with no_grad():`, the common case: as cheap as it can be
            return _new_object(cls)
        return cls()(orig_func)  # `@no_grad` without parentheses, or no_grad(fn)

    def __enter__(self):
        self._previous = _state.enabled
        _state.enabled = self._target

    def __exit__(self, exc_type, exc_value, traceback):
        _state.enabled = self._previous
        return False

    def __call__(self, func):
        target = self._target
        if inspect.isgeneratorfunction(func):
            return _wrap_generator(target, func)

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


def _wrap_generator(target, func):
    """A generator function running ``func``'s body with grad mode ``target``
    between resumes, and the caller's mode while suspended."""

    @functools.wraps(func)
    def generator(*args, **kwargs):
        previous = _state.enabled
        _state.enabled = target
        try:
            gen = func(*args, **kwargs)
            response = gen.send(None)
        finally:
            _state.enabled = previous
        while True:
            try:
                request = yield response
            except GeneratorExit:
                previous = _state.enabled
                _state.enabled = target
                try:
                    gen.close()
                finally:
                    _state.enabled = previous
                raise
            except BaseException as error:  # thrown in by the caller: into the body, in its mode
                previous = _state.enabled
                _state.enabled = target
                try:
                    response = gen.throw(error)
                except StopIteration as stop:
                    return stop.value
                finally:
                    _state.enabled = previous
                continue
            previous = _state.enabled
            _state.enabled = target
            try:
                response = gen.send(request)
            except StopIteration as stop:
                return stop.value
            finally:
                _state.enabled = previous

    return generator


class no_grad(_GradModeContext):
    """Context manager / decorator that stops recording operations.

    Example::

        >>> import gradcli as torch
        >>> x = torch.tensor([1.0], requires_grad=True)
        >>> with torch.no_grad():
        ...     y = x * 2
        >>> y.requires_grad
        False
    """

    _target = False


class enable_grad(_GradModeContext):
    """Context manager / decorator that turns recording back on inside ``no_grad``.

    Example::

        >>> import gradcli as torch
        >>> x = torch.tensor([1.0], requires_grad=True)
        >>> with torch.no_grad():
        ...     with torch.enable_grad():
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

        >>> import gradcli as torch
        >>> x = torch.tensor([1.0], requires_grad=True)
        >>> with torch.set_grad_enabled(False):
        ...     y = x * 2
        >>> y.requires_grad
        False
    """

    def __new__(cls, mode):
        return object.__new__(cls)

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


class _InferenceState(threading.local):
    enabled = False


_inference = _InferenceState()


def is_inference_mode_enabled():
    """True inside ``inference_mode()`` (in this thread)."""
    return _inference.enabled


class inference_mode(_GradModeContext):
    """``no_grad`` under PyTorch's other name: nothing is recorded inside it
    (``inference_mode(False)`` does nothing).  Context manager or decorator, with
    or without parentheses.

    gradcli has no separate "inference tensors": tensors made inside are ordinary
    tensors that do not require grad.

    Example::

        >>> import gradcli as torch
        >>> x = torch.tensor([1.0], requires_grad=True)
        >>> with torch.inference_mode():
        ...     y = x * 2
        >>> y.requires_grad
        False
    """

    def __new__(cls, mode=True):
        if isinstance(mode, bool):
            return object.__new__(cls)
        return cls()(mode)

    def __init__(self, mode=True):
        self._mode = bool(mode)

    def __enter__(self):
        self._previous_modes = (_state.enabled, _inference.enabled)
        if self._mode:
            _state.enabled = False
            _inference.enabled = True

    def __exit__(self, exc_type, exc_value, traceback):
        _state.enabled, _inference.enabled = self._previous_modes
        return False

    def __call__(self, func):
        mode = self._mode

        @functools.wraps(func)
        def wrapper(*args, **kwargs):
            with inference_mode(mode):
                return func(*args, **kwargs)

        if inspect.isgeneratorfunction(func):

            @functools.wraps(func)
            def generator(*args, **kwargs):
                gen = func(*args, **kwargs)
                with inference_mode(mode):
                    response = gen.send(None)
                while True:
                    try:
                        request = yield response
                    except GeneratorExit:
                        gen.close()
                        raise
                    try:
                        with inference_mode(mode):
                            response = gen.send(request)
                    except StopIteration as stop:
                        return stop.value

            return generator
        return wrapper

    def clone(self):
        return self.__class__(self._mode)
