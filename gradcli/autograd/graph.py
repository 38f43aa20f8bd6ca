"""Graph nodes and the backward engine.

A ``Node`` is the backward function of one operation.  ``_next`` holds one
``(node, output_nr)`` edge per input (``next_functions``); ``_saved`` holds what
the derivative rule needs, with the version of each saved tensor at save time.
Leaves that require grad are reached through an ``AccumulateGrad`` node.

The engine walks the graph iteratively: one depth-first pass (an explicit
stack, no recursion, so a chain of 100,000 operations is fine) gives a
topological order; running the nodes in that order, every gradient flowing
into a node has been summed by the time the node runs.

Derivative rules receive numpy arrays on a plain backward (fast) and Tensors
when ``create_graph=True`` (so the backward pass is itself recorded); they
are written with operators and ``backend`` helpers that accept either.
"""

import weakref
from collections.abc import Callable
from collections.abc import Set as AbstractSet
from typing import Any

import numpy as np

from . import anomaly_mode, hooks
from .dtypes import legacy_type_name
from .grad_mode import _state

FREED_MESSAGE = (
    "Trying to backward through the graph a second time (or directly access saved tensors "
    "after they have already been freed). Saved intermediate values of the graph are freed "
    "when you call .backward() or autograd.grad(). Specify retain_graph=True if you need to "
    "backward through the graph a second time or if you need to access saved tensors after "
    "calling backward."
)


class Node:
    """Backward function of one recorded operation (``MulBackward0`` and friends).

    Subclasses define ``backward(self, grad, *saved)`` returning one gradient
    (or None) per input, in the order of ``next_functions``.
    """

    # _versions: version of each saved tensor at save time (None: not a tensor).
    # _hooks is rarely set: a class default, overridden in a lazy __dict__.
    __slots__ = ("_next", "_saved", "_versions", "__dict__", "__weakref__")
    _next: tuple
    _saved: tuple | None
    _versions: tuple | None
    _meta: Any  # what the rule needs besides saved tensors (shapes, axes), set per operation
    _result: Any
    _result_version: list
    backward: Callable[..., Any]  # the derivative rule, defined by each subclass
    _hooks: Any = None  # tensor hooks and retain_grad: [(kind, target, output_nr)], see hooks below
    _saves_result = False  # True: the rule also receives the forward output
    _n_outputs = 1

    @property
    def next_functions(self):
        """Tuple of ``(node, output_nr)``, one per input; ``(None, 0)`` for a constant."""
        return self._next

    def name(self):
        return type(self).__name__

    def __repr__(self):
        return f"<{type(self).__name__} object at {id(self):#x}>"

    # -- engine interface -------------------------------------------------
    def _apply(self, grad, create_graph):
        """Run the rule on ``grad`` (gradient of the output; a list of them for
        nodes with several outputs); one gradient per input, or None."""
        saved = self._saved
        if saved is None:
            raise RuntimeError(FREED_MESSAGE)
        versions = self._versions
        if len(saved) == 2 and not create_graph and not self._saves_result:
            # The commonest case (x * y, x ** 2): versions checked and arguments passed inline.
            s, t = saved
            if versions is not None:
                first, second = versions
                if (first is not None and s._counter[0] != first) or (second is not None and t._counter[0] != second):
                    _check_versions(self)
            return self.backward(
                grad, s._data if s.__class__ is _tensor_class else s, t._data if t.__class__ is _tensor_class else t
            )
        if versions is not None:
            for value, expected in zip(saved, versions):
                if expected is not None and value._counter[0] != expected:
                    _check_versions(self)
        if not saved and not create_graph and not self._saves_result:
            return self.backward(grad)
        if create_graph:
            args = [_as_tensor(s) for s in saved]
            if self._n_outputs > 1:  # one gradient (or None) per output
                grad = [g if g is None or g.__class__ is _tensor_class else _tensor_class(np.asarray(g)) for g in grad]
            elif grad.__class__ is not _tensor_class:
                grad = _tensor_class(np.asarray(grad))
        elif not saved:
            args = []
        elif len(saved) == 1:
            s = saved[0]
            args = [s._data if s.__class__ is _tensor_class else s]
        else:
            s, t = saved[0], saved[1]
            args = [s._data if s.__class__ is _tensor_class else s, t._data if t.__class__ is _tensor_class else t]
            if len(saved) > 2:
                args += [u._data if u.__class__ is _tensor_class else u for u in saved[2:]]
        if self._saves_result:
            if self._result_version[0] != 0:
                _check_versions(self)
            result = self._result
            if create_graph:
                result = _rebuild_output(self, result)
            args.append(result)
        return self.backward(grad, *args)

    def _release(self):
        self._saved = None
        if self._saves_result:
            self._result = None


class ResultNode(Node):
    """A node whose rule uses the forward output (``exp: grad * result``)."""

    __slots__ = ("_result", "_result_version")
    _saves_result = True


class AccumulateGrad(Node):
    """Sink of a leaf tensor: adds the incoming gradient into ``variable.grad``."""

    __slots__ = ("variable",)

    @property
    def _hooks(self):
        return self.variable.__dict__.get("_leaf_hooks")

    def __init__(self, variable):
        self.variable = variable
        self._next = ()
        self._saved = ()
        self._versions = None

    def _apply(self, grad, create_graph):
        var = self.variable
        if create_graph:
            if grad.__class__ is not _tensor_class:
                grad = _tensor_class(np.asarray(grad))
            var._grad = grad if var._grad is None else var._grad + grad
            return ()
        if grad.__class__ is _tensor_class:
            grad = grad._data
        dtype = var._data.dtype
        if var._grad is None:
            # A copy: the same array may also flow to another leaf or a retained grad.
            if grad.__class__ is np.ndarray and grad.dtype is dtype:
                grad = grad.copy()  # the same copy as below, without np.array's argument parsing
            else:
                grad = np.array(grad, dtype=dtype, copy=True)
            var._grad = _tensor_class(grad)
        else:
            # In place, like PyTorch; the rules already gave grad the leaf's shape.
            existing = var._grad
            data = existing._data
            try:
                if (
                    grad.__class__ is np.ndarray
                    and data.dtype is grad.dtype
                    and data.dtype is _F64
                    and data.shape == grad.shape
                ):
                    # Same bits as `data += grad`, but numpy's in-place ufunc call costs
                    # 0.5 µs more than an add and an element copy on a small array.
                    data[...] = data + grad
                else:
                    data += grad
            except ValueError:  # read-only (e.g. a broadcast view set by the user)
                existing._data = data + grad
        return ()


_F64 = np.dtype(np.float64)

# numpy's floating-point error state, switched to "ignore" while the engine runs
# backward: PyTorch never warns for a rule that divides by zero (the gradient of
# sqrt at 0 is inf, silently).  np.errstate costs ~2 us a time; setting numpy's
# context variable directly costs ~0.2 us, so it is used when numpy has it.
try:
    from numpy._core.umath import _extobj_contextvar as _fp_state
    from numpy._core.umath import _make_extobj

    _QUIET = _make_extobj(all="ignore")

    def quiet_numpy():
        """Silence numpy's floating-point warnings until ``restore_numpy(token)``."""
        return _fp_state.set(_QUIET)

    def restore_numpy(token):
        _fp_state.reset(token)

    _fp_set, _fp_reset = _fp_state.set, _fp_state.reset  # bound once: execute() inlines the two calls
except ImportError:  # another numpy layout: the public, slower way
    _fp_set = _fp_reset = _QUIET = None  # type: ignore[assignment]  # the other branch's names, absent here

    def quiet_numpy():
        state = np.errstate(all="ignore")
        state.__enter__()
        return state

    def restore_numpy(token):
        token.__exit__(None, None, None)


# Filled in by tensor.py (which imports this module first); Any, not type[Tensor]:
# naming Tensor here would be the import cycle this indirection avoids.
_tensor_class: Any = None


def _as_tensor(value):
    return value if value.__class__ is not np.ndarray else _tensor_class(value)


def _rebuild_output(node, data):
    """The forward output as a Tensor whose grad_fn is ``node`` (for create_graph)."""
    out = _tensor_class(data)
    out._grad_fn = node
    out._requires_grad = True
    return out


def _check_versions(node):
    """Raise if a tensor saved by ``node`` was modified in place after it was saved."""
    for value, expected in zip(node._saved, node._versions or ()):
        if expected is not None and value._counter[0] != expected:
            fn = value._grad_fn
            origin = f", which is output {value._output_nr} of {_short_name(fn.name())}," if fn else ""
            _raise_modified(value._data, origin, value._counter[0], expected)
    if node._saves_result and node._result_version[0] != 0:
        origin = f", which is output 0 of {_short_name(node.name())},"
        _raise_modified(node._result, origin, node._result_version[0], 0)


def _raise_modified(data, origin, version, expected):
    shape = ", ".join(map(str, data.shape))
    raise RuntimeError(
        "one of the variables needed for gradient computation has been modified by an "
        f"inplace operation: [{legacy_type_name(data.dtype)} [{shape}]]{origin} is at version "
        f"{version}; expected version {expected} instead. Hint: enable anomaly detection to "
        "find the operation that failed to compute its gradient, with "
        "gradcli.autograd.set_detect_anomaly(True, check_nan=False)."
    )


def _short_name(name):
    # PyTorch names the producing operation without its "Backward0" suffix.
    cut = name.find("Backward")
    return name[:cut] if cut > 0 else name


def accumulator(tensor):
    """The tensor's AccumulateGrad node, shared by every use of the leaf in one graph
    (None for a view made under no_grad: as in PyTorch, no gradient reaches it)."""
    if tensor._no_grad_view:
        if tensor.__dict__.get("_stale_no_grad_view"):
            from .tensor_checks import STALE_NO_GRAD_VIEW_MESSAGE

            raise RuntimeError(STALE_NO_GRAD_VIEW_MESSAGE)
        return None
    ref = tensor._accumulator
    node = ref() if ref is not None else None
    if node is None:
        node = AccumulateGrad(tensor)
        tensor._accumulator = weakref.ref(node)
    return node


# ----------------------------------------------------------------------------
# The engine
# ----------------------------------------------------------------------------
def _topological_order(roots):
    """Every node reachable from ``roots``, each before all the nodes it feeds
    gradients into (reverse post-order of an iterative depth-first search)."""
    post_order: list[Node] = []
    visited: set[Node] = set()
    stack = list(roots)
    # Bound methods in locals: this loop runs once per node of every backward.
    push, pop, visit, emit = stack.append, stack.pop, visited.add, post_order.append
    while stack:
        node = pop()
        if node is None:  # a None sits on top of a node all of whose inputs are done
            emit(pop())
            continue
        if node in visited:
            continue
        visit(node)
        push(node)
        push(None)  # two pushes are cheaper than a (node,) marker tuple
        for nxt, _ in node._next:
            if nxt is not None and nxt not in visited:
                push(nxt)
    post_order.reverse()
    return post_order


def _needed_nodes(order, targets):
    """Nodes with a path of at least one edge to some target: only these run in
    ``grad()`` (a target whose gradient is captured does not run unless it leads
    to another target)."""
    needed = set()
    for node in reversed(order):
        for nxt, _ in node._next:
            if nxt in needed or nxt in targets:
                needed.add(node)
                break
    return needed


def _apply_pruned(node, grad, create_graph, needed, targets):
    """Run ``node`` with its edges to nodes that lead to no target cut, so that its
    rule computes no gradient nobody asked for (``grad()`` does only the work needed)."""
    edges = node._next
    pruned = tuple(edge if edge[0] in needed or edge[0] in targets else _NO_EDGE for edge in edges)
    if pruned == edges:
        return node._apply(grad, create_graph)
    node._next = pruned
    try:
        return node._apply(grad, create_graph)
    finally:
        node._next = edges


_NO_EDGE = (None, 0)


def _accumulate(buffers, node, nr, grad):
    """Add ``grad`` into the buffer of ``node`` (a list per output for multi-output nodes)."""
    if node._n_outputs == 1:
        old = buffers.get(node)
        buffers[node] = grad if old is None else old + grad
    else:
        buf = buffers.get(node)
        if buf is None:
            buf = buffers[node] = [None] * node._n_outputs
        buf[nr] = grad if buf[nr] is None else buf[nr] + grad


def execute(roots, root_grads, retain_graph, create_graph, capture=None):
    """Run backward from ``roots`` (list of (node, output_nr)) seeded with ``root_grads``.

    ``capture``: None for ``backward()`` (leaves accumulate into ``.grad``), or a
    dict ``{(node, output_nr): None}`` for ``grad()``: the gradient arriving at
    each key is stored in it, AccumulateGrad nodes do not run, and only nodes
    leading to a key are executed.

    Nodes run in topological order, so all gradients flowing into a node have
    been summed in ``buffers`` by the time it runs.
    """
    if len(roots) == 1 and roots[0][0]._n_outputs == 1:  # the usual scalar loss
        root_nodes = [roots[0][0]]
        buffers = {root_nodes[0]: root_grads[0]}
    else:
        buffers = {}
        root_nodes = []
        for (node, nr), grad in zip(roots, root_grads):
            if node not in buffers:
                root_nodes.append(node)
            _accumulate(buffers, node, nr, grad)
    order = _topological_order(root_nodes)
    needed: AbstractSet[Node] = frozenset()  # both used only when capturing
    targets: AbstractSet[Node] = frozenset()
    if capture is not None:
        targets = {node for node, _ in capture}
        needed = _needed_nodes(order, targets)
    check_nan = anomaly_mode._state.enabled
    previous_mode = _state.enabled
    _state.enabled = create_graph
    take, peek = buffers.pop, buffers.get
    fp_token = _fp_set(_QUIET) if _fp_set is not None else quiet_numpy()
    try:
        for node in order:
            grad = take(node, None)
            if grad is None:
                continue
            if capture is None:
                if node._hooks:
                    grad = hooks.run_hooks(node, node._hooks, grad, create_graph)
                input_grads = node._apply(grad, create_graph)
            else:
                if node not in needed and node not in targets:
                    continue  # leads to no input of grad(): no hooks, no work
                if node._hooks:
                    grad = hooks.run_hooks(node, node._hooks, grad, create_graph)
                _capture(capture, node, grad)
                if node not in needed or node.__class__ is AccumulateGrad:
                    continue
                input_grads = _apply_pruned(node, grad, create_graph, needed, targets)
            if check_nan and input_grads:
                anomaly_mode.check_nan(node, input_grads)
            if not retain_graph and (node._saved or node._saves_result):
                node._saved = None  # node._release(), inlined: once per node of every backward
                if node._saves_result:
                    node._result = None
            if input_grads:
                for (nxt, nr), grad in zip(node._next, input_grads):
                    if grad is None or nxt is None:
                        continue
                    if nxt._n_outputs == 1:
                        old = peek(nxt)
                        buffers[nxt] = grad if old is None else old + grad
                    else:
                        _accumulate(buffers, nxt, nr, grad)
    finally:
        _state.enabled = previous_mode
        if _fp_set is not None:
            _fp_reset(fp_token)
        else:
            restore_numpy(fp_token)


def _capture(capture, node, grad):
    grads = grad if node._n_outputs > 1 else (grad,)
    for nr, value in enumerate(grads):
        if value is not None and (node, nr) in capture:
            capture[(node, nr)] = value
