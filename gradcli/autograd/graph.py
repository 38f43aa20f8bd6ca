"""Graph nodes and the backward engine.

A ``Node`` is the backward function of one operation.  ``_next`` holds one
``(node, output_nr)`` edge per input (``next_functions``); ``_saved`` holds what
the derivative rule needs, with the version of each saved tensor at save time.
Leaves that require grad are reached through an ``AccumulateGrad`` node.

The engine walks the graph iteratively: one depth-first pass counts how many
edges lead into each node, then nodes run once all their gradients have
arrived.  No recursion, so a chain of 100,000 operations is fine.

Derivative rules receive numpy arrays on a plain backward (fast) and Tensors
when ``create_graph=True`` (so the backward pass is itself recorded); they
are written with operators and ``backend`` helpers that accept either.
"""

import weakref

import numpy as np

from . import anomaly_mode
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

    # _versions and _hooks are rarely set: class defaults, overridden in a lazy __dict__.
    __slots__ = ("_next", "_saved", "__dict__", "__weakref__")
    _versions = None  # version of each saved tensor at save time (None: not a tensor)
    _hooks = None  # retain_grad registrations: [(weakref to tensor, output_nr)]
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
    def _apply(self, grads, create_graph):
        saved = self._saved
        if saved is None:
            raise RuntimeError(FREED_MESSAGE)
        versions = self._versions
        if versions is not None:
            for value, expected in zip(saved, versions):
                if expected is not None and value._counter[0] != expected:
                    _check_versions(self)
        grad = grads[0]
        if create_graph:
            args = [_as_tensor(s) for s in saved]
            if grad.__class__ is not _tensor_class:
                grad = _tensor_class(np.asarray(grad))
        elif not saved:
            args = []
        elif len(saved) == 1:
            s = saved[0]
            args = [s._data if s.__class__ is _tensor_class else s]
        else:
            s, t = saved[0], saved[1]
            args = [s._data if s.__class__ is _tensor_class else s,
                    t._data if t.__class__ is _tensor_class else t]
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

    def __init__(self, variable):
        self.variable = variable
        self._next = ()
        self._saved = ()

    def _apply(self, grads, create_graph):
        var = self.variable
        grad = grads[0]
        if create_graph:
            if grad.__class__ is np.ndarray:
                grad = _tensor_class(grad)
            var._grad = grad if var._grad is None else var._grad + grad
            return ()
        if grad.__class__ is _tensor_class:
            grad = grad._data
        data = var._data
        if var._grad is None:
            # A copy: the same array may also flow to another leaf or a retained grad.
            var._grad = _tensor_class(np.array(grad, dtype=data.dtype, copy=True))
        else:
            current = var._grad._data
            if current.shape == grad.shape:
                current += grad
            else:
                var._grad._data = current + grad
        return ()


# Filled in by tensor.py (which imports this module first).
_tensor_class = None


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
    """The tensor's AccumulateGrad node, shared by every use of the leaf in one graph."""
    ref = tensor._accumulator
    node = ref() if ref is not None else None
    if node is None:
        node = AccumulateGrad(tensor)
        tensor._accumulator = weakref.ref(node)
    return node


# ----------------------------------------------------------------------------
# The engine
# ----------------------------------------------------------------------------
def _count_dependencies(roots):
    """Number of edges into each node reachable from ``roots`` (iterative DFS)."""
    deps = {}
    stack = list(roots)
    seen = set(stack)
    while stack:
        node = stack.pop()
        for nxt, _ in node._next:
            if nxt is None:
                continue
            if nxt in deps:
                deps[nxt] += 1
            else:
                deps[nxt] = 1
            if nxt not in seen:
                seen.add(nxt)
                stack.append(nxt)
    return deps


def _needed_nodes(roots, deps, targets):
    """Nodes from which some target is reachable: only these run in ``grad()``."""
    remaining = dict(deps)
    ready = [r for r in roots if remaining.get(r, 0) == 0]
    order = []
    while ready:
        node = ready.pop()
        order.append(node)
        for nxt, _ in node._next:
            if nxt is not None:
                remaining[nxt] -= 1
                if remaining[nxt] == 0:
                    ready.append(nxt)
    needed = set(targets)
    for node in reversed(order):
        if node not in needed and any(nxt in needed for nxt, _ in node._next):
            needed.add(node)
    return needed


def execute(roots, root_grads, retain_graph, create_graph, capture=None):
    """Run backward from ``roots`` (list of (node, output_nr)) seeded with ``root_grads``.

    ``capture``: None for ``backward()`` (leaves accumulate into ``.grad``), or a
    dict ``{(node, output_nr): None}`` for ``grad()``: the gradient arriving at
    each key is stored in it, AccumulateGrad nodes do not run, and only nodes
    leading to a key are executed.
    """
    root_nodes = []
    buffers = {}
    for (node, nr), grad in zip(roots, root_grads):
        buf = buffers.get(node)
        if buf is None:
            buf = buffers[node] = [None] * node._n_outputs
            root_nodes.append(node)
        buf[nr] = grad if buf[nr] is None else buf[nr] + grad
    deps = _count_dependencies(root_nodes)
    needed = None
    if capture is not None:
        needed = _needed_nodes(root_nodes, deps, {node for node, _ in capture})
    ready = [n for n in root_nodes if n not in deps]
    check_nan = anomaly_mode._state.enabled
    previous_mode = _state.enabled
    _state.enabled = create_graph
    try:
        while ready:
            node = ready.pop()
            grads = buffers.pop(node, None)
            input_grads = None
            if grads is not None and (grads[0] is not None or node._n_outputs > 1):
                if node._hooks:
                    _run_retain_hooks(node, grads)
                if capture is None:
                    input_grads = node._apply(grads, create_graph)
                else:
                    for nr in range(len(grads)):
                        if grads[nr] is not None and (node, nr) in capture:
                            capture[(node, nr)] = grads[nr]
                    if node in needed and node.__class__ is not AccumulateGrad:
                        input_grads = node._apply(grads, create_graph)
                if check_nan and input_grads:
                    anomaly_mode.check_nan(node, input_grads)
                if not retain_graph and (node._saved or node._saves_result):
                    node._release()
            if input_grads:
                for (nxt, nr), grad in zip(node._next, input_grads):
                    if nxt is None:
                        continue
                    if grad is not None:
                        buf = buffers.get(nxt)
                        if buf is None:
                            buf = buffers[nxt] = [None] * nxt._n_outputs
                            buf[nr] = grad
                        elif buf[nr] is None:
                            buf[nr] = grad
                        else:
                            buf[nr] = buf[nr] + grad
                    count = deps[nxt] - 1
                    deps[nxt] = count
                    if count == 0:
                        ready.append(nxt)
            else:
                for nxt, _ in node._next:
                    if nxt is not None:
                        count = deps[nxt] - 1
                        deps[nxt] = count
                        if count == 0:
                            ready.append(nxt)
    finally:
        _state.enabled = previous_mode


def _run_retain_hooks(node, grads):
    for ref, nr in node._hooks:
        tensor = ref()
        grad = grads[nr]
        if tensor is None or grad is None:
            continue
        if grad.__class__ is not _tensor_class:
            grad = _tensor_class(np.array(grad, dtype=tensor._data.dtype))
        if tensor._grad is None:
            tensor._grad = grad
        else:
            tensor._grad = tensor._grad + grad
