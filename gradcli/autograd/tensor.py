"""The Tensor: a numpy array plus the autograd state PyTorch keeps on it.

Operations live in the ``ops_*`` modules (bound as methods and operators by
``methods.py``); this file holds the data model (properties, conversion,
autograd state) and ``record``/``attach``, which every operation uses to wrap
its result and hook it into the graph.
"""

import warnings
import weakref
from collections.abc import Callable
from typing import Any

import numpy as np

from . import graph, hooks
from .convert import _as_array  # noqa: F401  (re-exported: the ops modules import it from here)
from .dtypes import float32, float64, from_numpy_dtype, to_numpy_dtype
from .grad_mode import _state
from .tensor_checks import DETACH_VIEW_MESSAGE, NON_LEAF_GRAD_WARNING, STALE_NO_GRAD_VIEW_MESSAGE, check_assigned_grad
from .tensor_str import tensor_repr


class Size(tuple):
    """A shape; a tuple that prints like PyTorch's ``torch.Size([2, 3])``."""

    def __repr__(self):
        return f"gradcli.Size({list(self)})"

    def numel(self):
        return int(np.prod(self))


class Tensor:
    """An n-dimensional array of numbers that records operations for backward.

    Create with ``gradcli.tensor(data, requires_grad=False, dtype=None)``.
    ``_data`` is the numpy array; ``_counter`` a one-element list, the version
    counter, shared with views and bumped by every in-place change.
    """

    # Hot fields are slots; rarely set ones live in a lazily created __dict__
    # with the class defaults below (so creating a tensor sets only five fields).
    __slots__ = ("_data", "_requires_grad", "_grad_fn", "_grad", "_counter", "__dict__", "__weakref__")
    _output_nr = 0  # which output of grad_fn this tensor is
    _accumulator = None  # weakref to this leaf's AccumulateGrad node
    _retains_grad = False
    _base = None  # for a view: the tensor whose memory it shows
    _view_fn = None  # for a view: Tensor -> Tensor recreating it from _base
    _overlap = False  # True: elements share memory (an expand()ed tensor); no in-place arithmetic
    _no_grad_view = False  # a view made under no_grad of a tensor requiring grad
    # Operators with numpy arrays on the left come back to the Tensor's r-methods.
    __array_ufunc__ = None
    __hash__ = object.__hash__
    # Operators and methods are bound by methods.py (one table); the type checker
    # is told of the ones used inside the engine itself.
    __getitem__: Callable[..., "Tensor"]
    t: Callable[..., "Tensor"]

    def __init__(self, data, requires_grad=False):
        if data.__class__ is not np.ndarray:
            data = _as_array(data, None)
        self._data = data
        self._requires_grad = requires_grad
        self._grad_fn = None
        self._grad = None
        self._counter = [0]

    # -- description -------------------------------------------------------
    def __repr__(self):
        return tensor_repr(self._data, self._grad_fn, self._requires_grad, repr(self.dtype))

    @property
    def shape(self):
        return Size(self._data.shape)

    def size(self, dim=None):
        """The shape (``Size``), or its length along ``dim``."""
        return Size(self._data.shape) if dim is None else self._data.shape[dim]

    @property
    def ndim(self):
        return self._data.ndim

    def dim(self):
        return self._data.ndim

    def numel(self):
        return self._data.size

    @property
    def dtype(self):
        return from_numpy_dtype(self._data.dtype)

    @property
    def device(self):
        return "cpu"

    def is_floating_point(self):
        return self._data.dtype.kind == "f"

    def __len__(self):
        if self._data.ndim == 0:
            raise TypeError("len() of a 0-d tensor")
        return self._data.shape[0]

    def __iter__(self):
        if self._data.ndim == 0:
            raise TypeError("iteration over a 0-d tensor")
        return (self[i] for i in range(self._data.shape[0]))

    # -- conversion --------------------------------------------------------
    def item(self):
        """The single value as a Python number (any shape with one element)."""
        data = self._data
        if data.size != 1:
            raise RuntimeError(f"a Tensor with {data.size} elements cannot be converted to Scalar")
        return data.item()

    def __float__(self):
        return float(self.item())

    def __int__(self):
        return int(self.item())

    def __bool__(self):
        if self._data.size != 1:
            raise RuntimeError("Boolean value of Tensor with more than one value is ambiguous")
        return bool(self._data.item())

    def __index__(self):
        if self._data.dtype.kind not in "iub" or self._data.size != 1:
            raise TypeError("only integer tensors of a single element can be converted to an index")
        return int(self._data.item())

    def numpy(self):
        """The numpy array behind the tensor (shares memory); for a tensor that requires
        grad only inside ``no_grad`` (as in PyTorch)."""
        if self._requires_grad and _state.enabled:
            raise RuntimeError("Can't call numpy() on Tensor that requires grad. Use tensor.detach().numpy() instead.")
        return self._data

    def __array__(self, dtype=None, copy=None):
        data = self.numpy()
        return data if dtype is None else data.astype(dtype)

    def tolist(self):
        return self._data.tolist()

    def to(self, dtype, *args, **kwargs):
        """A tensor of element type ``dtype`` (``self`` if it already has it); differentiable."""
        if isinstance(dtype, str):  # a device name such as "cpu"
            return self
        return _convert(self, to_numpy_dtype(dtype))

    def float(self):
        return self.to(float32)

    def double(self):
        return self.to(float64)

    def type(self, dtype=None):
        return self.to(dtype) if dtype is not None else "gradcli." + self.dtype.name

    # -- autograd state ----------------------------------------------------
    @property
    def requires_grad(self):
        return self._requires_grad

    @requires_grad.setter
    def requires_grad(self, flag):
        self.requires_grad_(flag)

    @requires_grad.deleter
    def requires_grad(self):
        raise RuntimeError("requires_grad must be a bool")

    def requires_grad_(self, requires_grad=True):
        """Start (or stop) recording operations on this leaf; returns ``self``."""
        if self._grad_fn is not None:
            if not requires_grad:
                raise RuntimeError(
                    "you can only change requires_grad flags of leaf variables. If you want to "
                    "use a computed variable in a subgraph that doesn't require differentiation "
                    "use var_no_grad = var.detach()."
                )
            return self
        if requires_grad and self._data.dtype.kind != "f":
            raise RuntimeError("only Tensors of floating point dtype can require gradients")
        self._requires_grad = bool(requires_grad)
        return self

    @property
    def is_leaf(self):
        return self._grad_fn is None

    @property
    def grad_fn(self):
        if self._no_grad_view and self.__dict__.get("_stale_no_grad_view"):
            raise RuntimeError(STALE_NO_GRAD_VIEW_MESSAGE)
        return self._grad_fn

    @property
    def grad(self):
        if self._grad_fn is not None and not self._retains_grad and self._grad is None:
            warnings.warn(NON_LEAF_GRAD_WARNING, UserWarning, stacklevel=2)
        return self._grad

    @grad.setter
    def grad(self, value):
        if value is not None:
            check_assigned_grad(self, value)
        self._grad = value

    @grad.deleter
    def grad(self):
        self._grad = None

    @property
    def retains_grad(self):
        return self._retains_grad

    @property
    def _version(self):
        """How many in-place changes this tensor's memory has seen (PyTorch's ``_version``)."""
        return self._counter[0]

    def retain_grad(self):
        """Keep this non-leaf tensor's gradient in ``.grad`` after backward."""
        if not self._requires_grad:
            raise RuntimeError("can't retain_grad on Tensor that has requires_grad=False")
        if self._grad_fn is None or self._retains_grad:
            return
        hooks.add_hook(self, "retain", weakref.ref(self))
        self._retains_grad = True

    @property
    def data(self):
        """The same values without autograd history (shares memory, not the version)."""
        return Tensor(self._data)

    @data.setter
    def data(self, value):
        self._data = value._data if isinstance(value, Tensor) else _as_array(value, None)

    @data.deleter
    def data(self):
        raise RuntimeError("Deleting tensor data is not allowed. Delete tensor instead!")

    def detach(self):
        """A tensor sharing memory (and version counter) with this one, outside the graph."""
        out = Tensor(self._data)
        out._counter = self._counter
        if self._overlap:
            out._overlap = True
        return out

    def detach_(self):
        """Cut this tensor out of the graph in place: it becomes a leaf without grad."""
        if self._base is not None:
            raise RuntimeError(DETACH_VIEW_MESSAGE)
        self._grad_fn = None
        self._requires_grad = False
        return self

    def backward(self, gradient=None, retain_graph=None, create_graph=False, inputs=None):
        """Accumulate d(self)/d(leaf) into every leaf's ``.grad``.

        ``gradient`` (same shape as self) is required unless self has one element.

        Example::

            >>> import gradcli as torch
            >>> x = torch.tensor([1.0, 2.0], requires_grad=True)
            >>> (x ** 2).sum().backward()
            >>> x.grad
            tensor([2., 4.])
        """
        if gradient is None and inputs is None and self._grad_fn is not None and self._data.size == 1:
            # The common case, a scalar loss: skip the general argument handling.
            seed = _ones(self._data)
            if create_graph:
                seed = Tensor(seed.copy())
            keep = create_graph if retain_graph is None else retain_graph
            graph.execute(((self._grad_fn, self._output_nr),), (seed,), keep, create_graph)
            return
        _backward_module.backward(self, gradient, retain_graph, create_graph, inputs=inputs)

    def __reduce_ex__(self, protocol):
        # The values and requires_grad, as PyTorch pickles a tensor: no history, no .grad.
        return (_rebuild_tensor, (self._data.copy(), self._requires_grad))

    def register_hook(self, hook):
        """Call ``hook(grad)`` whenever this tensor's gradient is computed; a Tensor it
        returns replaces the gradient.  Returns a handle with ``remove()``.

        Example::

            >>> import gradcli as torch
            >>> x = torch.tensor([1.0, 2.0], requires_grad=True)
            >>> handle = x.register_hook(lambda grad: grad * 10)
            >>> (x * x).sum().backward()
            >>> x.grad
            tensor([20., 40.])
        """
        if not self._requires_grad:
            raise RuntimeError("cannot register a hook on a tensor that doesn't require gradient")
        return hooks.add_hook(self, "hook", hook)


def _rebuild_tensor(data, requires_grad):
    return Tensor(data, requires_grad)


_new = object.__new__


def _plain(data):
    """A fresh tensor around ``data`` with no history (the fast constructor)."""
    if data.__class__ is not np.ndarray:
        data = np.asarray(data)
    out = _new(Tensor)
    out._data = data
    out._requires_grad = False
    out._grad_fn = None
    out._grad = None
    out._counter = [0]
    return out


_NO_EDGE = (None, 0)


def edge(value):
    """The graph edge ``(node, output_nr)`` an operation's input contributes."""
    if value.__class__ is Tensor or isinstance(value, Tensor):
        fn = value._grad_fn
        if fn is not None:
            return (fn, value._output_nr)
        if value._requires_grad:
            ref = value._accumulator
            node = ref() if ref is not None else None
            return (node if node is not None else graph.accumulator(value), 0)
    return _NO_EDGE


def record(cls, data, inputs, saved=()):
    """The output tensor of an operation; a ``cls`` node is attached if it must be recorded.

    ``inputs``: the operation's inputs in order (Tensors or numbers; one edge each);
    ``saved``: what ``cls.backward`` receives after ``grad`` (tensors are
    version-checked at backward time).
    """
    if _state.enabled:
        for value in inputs:
            if value.__class__ is Tensor and value._requires_grad:
                return attach(cls, data, inputs, saved)
    return _plain(data)


def attach(cls, data, inputs, saved=()):
    """``record`` once it is known that the operation must be recorded.

    This runs for every recorded operation, so it is written for speed: no
    comprehensions, the common arities spelled out.
    """
    if data.__class__ is not _ndarray:
        data = np.asarray(data)
    out = _new(Tensor)
    out._data = data
    out._grad = None
    out._counter = counter = [0]
    out._requires_grad = True
    node = _new(cls)
    if len(inputs) == 2:
        # edge() inlined for the usual operands, a tensor with history and a number.
        a, b = inputs
        fn = a._grad_fn if a.__class__ is Tensor else None
        first = (fn, a._output_nr) if fn is not None else edge(a)
        if b.__class__ is float or b.__class__ is int:
            node._next = (first, _NO_EDGE)
        else:
            fn = b._grad_fn if b.__class__ is Tensor else None
            node._next = (first, (fn, b._output_nr) if fn is not None else edge(b))
    elif len(inputs) == 1:
        node._next = (edge(inputs[0]),)
    else:
        node._next = tuple(map(edge, inputs))
    node._saved = saved
    if not saved:
        node._versions = None
    elif len(saved) == 2:
        a, b = saved
        if a.__class__ is Tensor:
            node._versions = (a._counter[0], b._counter[0] if b.__class__ is Tensor else None)
        elif b.__class__ is Tensor:
            node._versions = (None, b._counter[0])
        else:
            node._versions = None
    else:
        versions = tuple([s._counter[0] if s.__class__ is Tensor else None for s in saved])
        node._versions = versions if versions.count(None) < len(versions) else None
    if cls._saves_result:
        node._result = data
        node._result_version = counter
    out._grad_fn = node
    return out


def with_meta(out, meta):
    """Attach ``meta`` (non-tensor facts the rule needs: shapes, dims) to out's node."""
    if out._grad_fn is not None:
        out._grad_fn._meta = meta
    return out


_ndarray = np.ndarray


_ONES: dict[tuple[tuple[int, ...], Any], np.ndarray] = {}


def _ones(like):
    """A read-only array of ones shaped like ``like`` (cached: np.ones is slow for tiny arrays).
    The engine never writes into a seed gradient."""
    key = (like.shape, like.dtype)
    ones = _ONES.get(key)
    if ones is None:
        ones = np.ones(like.shape, like.dtype)
        ones.flags.writeable = False
        if len(_ONES) < 256:
            _ONES[key] = ones
    return ones


graph._tensor_class = hooks._tensor_class = Tensor

# Operations are defined in the ops modules and exposed here as methods/operators.
# (may be partially initialised here.) The package re-exports the function backward under the
# same name, which mypy takes for this module: hence the ignore.
from . import backward as _backward_module  # type: ignore[no-redef]  # noqa: E402
from . import methods  # noqa: E402,F401  (binds operators and methods onto Tensor)
from .ops_unary import _convert  # noqa: E402  (needs Tensor defined above)
