"""Custom differentiable operations: subclass ``Function``, write ``forward`` and
``backward`` as static methods, call ``apply``.

The ``ctx`` both methods receive is the backward node itself (as in PyTorch):
``ctx.save_for_backward(*tensors)`` once in forward, ``ctx.saved_tensors`` in
backward, ``ctx.needs_input_grad`` (one bool per forward argument), and any
other value as a plain attribute (``ctx.k = 2.0``).

Example::

    class Square(Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x * x

        @staticmethod
        def backward(ctx, grad_output):
            x, = ctx.saved_tensors
            return 2 * x * grad_output

    y = Square.apply(gradcli.tensor([3.0], requires_grad=True))  # grad_fn=<SquareBackward>
"""

from typing import Any

import numpy as np

from . import backend as B
from . import graph
from .grad_mode import _state
from .graph import FREED_MESSAGE, Node
from .tensor import Tensor, edge
from .views import set_history


class BackwardCFunction(Node):
    """Backward node of a custom Function; doubles as its ``ctx``.  Has a ``__dict__``
    so that forward can store plain attributes on ctx."""

    _forward_cls: Any = None  # the Function subclass, set by _FunctionMeta on each generated node class
    _input_meta: tuple  # (shape, dtype) of each tensor argument, None for others; set by apply()

    def __init__(self):
        self._next = ()
        self._saved = ()
        self._versions = None
        self._output_meta: tuple = ()
        self.needs_input_grad = ()
        self.materialize_grads = True
        self.non_differentiable = ()

    def __repr__(self):
        return f"<gradcli.autograd.function.{type(self).__name__} object at {id(self):#x}>"

    # -- the ctx contract -------------------------------------------------
    def save_for_backward(self, *tensors):
        """Keep tensors (or None) for backward; version-checked when unpacked."""
        self._saved = tensors
        self._versions = tuple(t._counter[0] if isinstance(t, Tensor) else None for t in tensors)

    @property
    def saved_tensors(self):
        if self._saved is None:
            raise RuntimeError(FREED_MESSAGE)
        if self._versions is not None:
            graph._check_versions(self)
        return tuple(self._saved)

    def mark_non_differentiable(self, *tensors):
        self.non_differentiable = tensors

    def mark_dirty(self, *tensors):
        """Declare inputs that forward changed in place; each must be returned, and
        takes this node as its history (as an in-place operation would)."""
        self.dirty_tensors = tensors

    def set_materialize_grads(self, value):
        self.materialize_grads = bool(value)

    # -- engine interface -------------------------------------------------
    def _apply(self, grads, create_graph):
        if self._n_outputs == 1:
            grads = (grads,)
        grad_outputs = []
        for grad, (shape, dtype) in zip(grads, self._output_meta):
            if grad is None:
                grad = Tensor(np.zeros(shape, dtype=dtype)) if self.materialize_grads else None
            elif not isinstance(grad, Tensor):
                grad = Tensor(np.asarray(grad))
            grad_outputs.append(grad)
        results = self._forward_cls.backward(self, *grad_outputs)
        if not isinstance(results, tuple):
            results = (results,)
        if len(results) < len(self._next):
            name = self._forward_cls.__name__
            raise RuntimeError(
                f"function {name}Backward returned an incorrect number of gradients "
                f"(expected {len(self._next)}, got {len(results)})"
            )
        converted: list[Tensor | None] = []
        for index, (result, (node, _), meta) in enumerate(zip(results, self._next, self._input_meta)):
            if result is None or node is None:
                converted.append(None)
                continue
            if not isinstance(result, Tensor):
                result = Tensor(np.asarray(result))
            result = _validate_gradient(self, index, result, meta)
            converted.append(result if create_graph else result._data)
        return tuple(converted)


def _validate_gradient(node, index, grad, meta):
    """PyTorch's check on a hand-written backward's result: the input's shape, or one
    it broadcasts to (then summed back); the input's dtype."""
    shape, dtype = meta
    if grad._data.shape != shape:
        if not _expandable(shape, grad._data.shape):
            raise RuntimeError(
                f"Function {type(node).__name__} returned an invalid gradient at index {index} - got "
                f"[{', '.join(map(str, grad._data.shape))}] but expected shape compatible with "
                f"[{', '.join(map(str, shape))}]"
            )
        grad = B.unbroadcast(grad, shape)
    if grad._data.dtype != dtype and dtype.kind == "f":
        grad = grad.to(dtype)
    return grad


def _expandable(shape, target):
    if len(shape) > len(target):
        return False
    return all(s == t or s == 1 for s, t in zip(reversed(shape), reversed(target)))


class _FunctionMeta(type):
    def __init__(cls, name, bases, namespace):
        super().__init__(name, bases, namespace)
        # Each Function gets its own node class, named like PyTorch's: MySigmoid -> MySigmoidBackward.
        cls._backward_cls = type(
            name + "Backward",
            (BackwardCFunction,),
            {"_forward_cls": cls, "__module__": "gradcli.autograd.function"},
        )


class Function(metaclass=_FunctionMeta):
    """Base class for custom operations with a hand-written backward (see module docs)."""

    @staticmethod
    def forward(ctx, *args, **kwargs):
        raise NotImplementedError("You must implement the forward function for custom autograd.Function.")

    @staticmethod
    def backward(ctx, *grad_outputs):
        raise NotImplementedError(
            "You must implement either the backward or vjp method for your custom autograd.Function "
            "to use it with backward mode AD."
        )

    @classmethod
    def apply(cls, *args, **kwargs):
        """Run ``forward`` without recording and attach one ``<Name>Backward`` node to its outputs."""
        ctx = cls._backward_cls()
        ctx.needs_input_grad = tuple(isinstance(a, Tensor) and a._requires_grad for a in args)
        record = _state.enabled and any(ctx.needs_input_grad)
        previous = _state.enabled
        _state.enabled = False
        try:
            outputs = cls.forward(ctx, *args, **kwargs)
        finally:
            _state.enabled = previous
        single = not isinstance(outputs, tuple)
        outs = (outputs,) if single else outputs
        dirty = ctx.__dict__.get("dirty_tensors", ())
        for tensor in dirty:
            if not any(tensor is out for out in outs):
                raise RuntimeError(
                    "Some elements marked as dirty during the forward method were not returned as output. "
                    "The inputs that are modified inplace must all be outputs of the Function."
                )
            tensor._counter[0] += 1
        if not record:
            return outputs
        for tensor in dirty:
            if tensor._requires_grad and tensor._grad_fn is None and tensor._base is None:
                raise RuntimeError("a leaf Variable that requires grad has been used in an in-place operation.")
        ctx._next = tuple(edge(a) for a in args)
        ctx._input_meta = tuple((a._data.shape, a._data.dtype) if isinstance(a, Tensor) else None for a in args)
        # An input returned as is, and not dirty, gets a new identity (its own grad_fn must not change).
        outs = tuple(o.detach() if any(o is a for a in args) and not any(o is d for d in dirty) else o for o in outs)
        outputs = outs[0] if single else outs
        ctx._n_outputs = len(outs)
        meta = []
        for nr, out in enumerate(outs):
            if isinstance(out, Tensor):
                meta.append((out._data.shape, out._data.dtype))
                if any(out is t for t in ctx.non_differentiable):
                    continue
                if any(out is d for d in dirty):
                    set_history(out, ctx, nr)  # rebases a view's base, refreshes its views
                elif out._data.dtype.kind == "f":
                    out._grad_fn = ctx
                    out._output_nr = nr
                    out._requires_grad = True
            else:
                meta.append(((), np.float64))
        ctx._output_meta = tuple(meta)
        return outputs


# ***** once_differentiable *****
class DelayedError(Node):
    """Stands for a backward that cannot itself be differentiated: raises when reached."""

    __slots__ = ("_meta",)  # message

    def backward(self, grad):
        raise RuntimeError(self._meta)


def once_differentiable(backward):
    """Decorate a ``Function.backward`` that is not differentiable itself: it runs without
    recording, and differentiating its results (``create_graph=True``) raises PyTorch's error."""
    import functools

    @functools.wraps(backward)
    def wrapper(ctx, *grad_outputs):
        previous = _state.enabled
        _state.enabled = False
        try:
            results = backward(ctx, *grad_outputs)
        finally:
            _state.enabled = previous
        if not previous or not any(isinstance(g, Tensor) and g._requires_grad for g in grad_outputs):
            return results
        single = not isinstance(results, tuple)
        wrapped = []
        for result in (results,) if single else results:
            if isinstance(result, Tensor):
                node = Node.__new__(DelayedError)
                node._next = tuple(edge(g) for g in grad_outputs if isinstance(g, Tensor))
                node._saved = ()
                node._versions = None
                node._meta = "trying to differentiate twice a function that was marked with @once_differentiable"
                result = Tensor(result._data)
                result._grad_fn = node
                result._requires_grad = True
            wrapped.append(result)
        return wrapped[0] if single else tuple(wrapped)

    return wrapper
