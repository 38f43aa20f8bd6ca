"""Views and in-place history: what PyTorch's view tracking and CopySlices do.

A view (basic indexing, reshape, transpose, expand, ...) shares memory and the
version counter with its base and remembers ``_base`` (always the root, never
a view) and ``_view_fn`` (Tensor -> Tensor, recreating the view from the base).
The root keeps weak references to its live views (``_views``).

When an in-place change is recorded on a tensor (``set_history``):

- on a view, the base's history becomes a ``CopySlices`` node (outside the
  view, the base's old values; inside it, the view's new ones);
- every live view of the base is then re-derived from the base's new history,
  so a view, a view of a view or a sibling view sees the change, as in PyTorch;
- a retained gradient follows the tensor's new version.

None of this runs on the hot path: only recorded in-place operations and
``Function``s that ``mark_dirty`` call it.
"""

import weakref

import numpy as np

from . import hooks
from .grad_mode import _state
from .graph import Node
from .tensor import Tensor, _plain, edge

NO_GRAD_VIEW_MESSAGE = (
    "A view was created in no_grad mode and is being modified inplace with grad mode enabled. Given "
    "that this use case is ambiguous and error-prone, it is forbidden. You can clarify your code by "
    "moving both the view and the inplace either both inside the no_grad block (if you don't want the "
    "inplace to be tracked) or both outside (if you want the inplace to be tracked)."
)
OVERLAP_MESSAGE = (
    "unsupported operation: more than one element of the written-to tensor refers to a single memory "
    "location. Please clone() the tensor before performing the operation."
)


def overlaps(array):
    """True if two elements of ``array`` share memory (a stride 0 along an axis longer than 1)."""
    return any(stride == 0 and size > 1 for stride, size in zip(array.strides, array.shape))


def mark_view(out, input, view_fn):
    """Record that ``out`` is a view of ``input``'s memory (see the module docs).
    ``view_fn`` recreates ``out`` from ``input``."""
    if not np.may_share_memory(out._data, input._data):
        return out  # numpy had to copy: not a view
    out._counter = input._counter
    base = input._base
    if base is None:
        out._base, out._view_fn = input, view_fn
        base = input
    else:
        parent_fn = input._view_fn
        out._base = base
        out._view_fn = lambda tensor: view_fn(parent_fn(tensor))
    views = base.__dict__.get("_views")
    if views is None:
        base._views = views = []
    elif len(views) >= 32:
        views[:] = [ref for ref in views if ref() is not None]
    views.append(weakref.ref(out))
    if input._overlap or 0 in out._data.strides:
        out._overlap = overlaps(out._data)
    if not _state.enabled and input._requires_grad:
        # PyTorch: such a view requires grad but may not be changed in place with grad mode on
        out._requires_grad = True
        out._no_grad_view = True
    return out


class CopySlices(Node):
    """The base of a view after an in-place change of the view: outside the view
    the old base's values, inside it the view's new values."""

    __slots__ = ("_meta",)  # (view_fn, mask: 1 outside the view, 0 inside)

    def backward(self, grad):
        view_fn, outside = self._meta
        if isinstance(grad, Tensor):
            grad_view = view_fn(grad)
        else:
            grad_view = view_fn(_plain(np.array(grad)))._data
        return (grad * outside, grad_view)


def set_history(tensor, node, output_nr):
    """``tensor`` is now output ``output_nr`` of ``node`` (it was changed in place);
    rebase its base and re-derive every view of the base (see the module docs)."""
    old_node, old_nr = tensor._grad_fn, tensor._output_nr
    tensor._grad_fn = node
    tensor._output_nr = output_nr
    if node is not None:
        tensor._requires_grad = True
    if tensor._retains_grad and old_node is not None:
        _move_retained_grad(tensor, old_node, old_nr)
    base = tensor._base
    if base is None:
        _refresh_views(tensor)
    elif node is not None:
        set_history(base, _copy_slices(base, tensor, node, output_nr), 0)


def _copy_slices(base, view, node, output_nr):
    outside = np.ones(base._data.shape, dtype=base._data.dtype)
    # view ops on an array give numpy views: this writes zeros into outside, inside the view
    view._view_fn(_plain(outside))._data[...] = 0
    copy = Node.__new__(CopySlices)
    copy._next = (edge(base), (node, output_nr))
    copy._saved = ()
    copy._versions = None
    copy._meta = (view._view_fn, outside)
    return copy


def _refresh_views(base):
    """Give every live view of ``base`` a grad_fn derived from base's current one."""
    views = base.__dict__.get("_views")
    if not views or base._grad_fn is None:
        return
    stand_in = _plain(base._data)
    stand_in._grad_fn = base._grad_fn
    stand_in._output_nr = base._output_nr
    stand_in._requires_grad = True
    previous = _state.enabled
    _state.enabled = True
    try:
        for ref in views:
            view = ref()
            if view is None:
                continue
            if view._no_grad_view:  # its history is now ambiguous: using it raises (graph.accumulator)
                view._stale_no_grad_view = True
                continue
            regenerated = view._view_fn(stand_in)
            old_node, old_nr = view._grad_fn, view._output_nr
            view._grad_fn = regenerated._grad_fn
            view._output_nr = regenerated._output_nr
            view._requires_grad = True
            if view._retains_grad and old_node is not None:
                _move_retained_grad(view, old_node, old_nr)
    finally:
        _state.enabled = previous


def _move_retained_grad(tensor, old_node, old_nr):
    """A retained gradient belongs to the tensor's current version: move its hook."""
    registered = old_node._hooks or []
    for entry in list(registered):
        kind, target, nr = entry
        if kind == "retain" and nr == old_nr and target() is tensor:
            registered.remove(entry)
    if tensor._grad_fn is not None:
        hooks.add_hook(tensor, "retain", weakref.ref(tensor))
