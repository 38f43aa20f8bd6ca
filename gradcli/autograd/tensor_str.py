"""Tensor repr, following PyTorch's torch/_tensor_str.py rule for rule.

Precision 4; "int mode" (``2.``) when every finite value is whole; scientific
notation when the largest/smallest magnitude ratio exceeds 1000, the largest
exceeds 1e8, or (non-integer values) the smallest is below 1e-4; one width for
every element; lines wrapped at 80 columns; tensors over 1000 elements are
summarised with ``...``.  The default dtype (float64), int64 and bool print no
dtype suffix.
"""

import math

import numpy as np

PRECISION = 4
THRESHOLD = 1000
EDGEITEMS = 3
LINEWIDTH = 80


class _Formatter:
    """Chooses int/fixed/scientific mode and a common width for all values."""

    def __init__(self, values):
        self.floating = values.dtype.kind == "f"
        self.int_mode = True
        self.sci_mode = False
        self.max_width = 1
        flat = values.reshape(-1)
        if not self.floating:
            for value in flat.tolist():
                self.max_width = max(self.max_width, len(str(value)))
            return
        finite = flat[np.isfinite(flat) & (flat != 0)].astype(np.float64)
        if finite.size == 0:
            return
        magnitudes = np.abs(finite)
        low, high = float(magnitudes.min()), float(magnitudes.max())
        self.int_mode = bool(np.all(finite == np.ceil(finite)))
        values_list = finite.tolist()
        if self.int_mode:
            if high / low > 1000.0 or high > 1.0e8:
                self.sci_mode = True
                self.max_width = max(len(f"{v:.{PRECISION}e}") for v in values_list)
            else:
                # the trailing "." of int mode takes one more column
                self.max_width = max(len(f"{v:.0f}") + 1 for v in values_list)
        elif high / low > 1000.0 or high > 1.0e8 or low < 1.0e-4:
            self.sci_mode = True
            self.max_width = max(len(f"{v:.{PRECISION}e}") for v in values_list)
        else:
            self.max_width = max(len(f"{v:.{PRECISION}f}") for v in values_list)

    def format(self, value):
        if self.floating:
            if self.sci_mode:
                text = f"{value:{self.max_width}.{PRECISION}e}"
            elif self.int_mode:
                text = f"{value:.0f}"
                if not (math.isinf(value) or math.isnan(value)):
                    text += "."
            else:
                text = f"{value:.{PRECISION}f}"
        else:
            text = str(value)
        return (self.max_width - len(text)) * " " + text


def _vector_str(values, indent, summarize, formatter):
    element_length = formatter.max_width + 2
    per_line = max(1, int(math.floor((LINEWIDTH - indent) / element_length)))
    if summarize and values.shape[0] > 2 * EDGEITEMS:
        data = (
            [formatter.format(v) for v in values[:EDGEITEMS].tolist()]
            + [" ..."]
            + [formatter.format(v) for v in values[-EDGEITEMS:].tolist()]
        )
    else:
        data = [formatter.format(v) for v in values.tolist()]
    lines = [", ".join(data[i : i + per_line]) for i in range(0, len(data), per_line)]
    return "[" + ("," + "\n" + " " * (indent + 1)).join(lines) + "]"


def _nested_str(values, indent, summarize, formatter):
    ndim = values.ndim
    if ndim == 0:
        return formatter.format(values.item())
    if ndim == 1:
        return _vector_str(values, indent, summarize, formatter)
    count = values.shape[0]
    if summarize and count > 2 * EDGEITEMS:
        slices = (
            [_nested_str(values[i], indent + 1, summarize, formatter) for i in range(EDGEITEMS)]
            + ["..."]
            + [_nested_str(values[i], indent + 1, summarize, formatter) for i in range(count - EDGEITEMS, count)]
        )
    else:
        slices = [_nested_str(values[i], indent + 1, summarize, formatter) for i in range(count)]
    return "[" + ("," + "\n" * (ndim - 1) + " " * (indent + 1)).join(slices) + "]"


def _summarized(values):
    """Only the edge items PyTorch would show: they alone decide the format."""
    if values.ndim == 0:
        return values
    count = values.shape[0]
    if values.ndim == 1:
        if count > 2 * EDGEITEMS:
            return np.concatenate((values[:EDGEITEMS], values[-EDGEITEMS:]))
        return values
    rows = list(range(count))
    if count > 2 * EDGEITEMS:
        rows = rows[:EDGEITEMS] + rows[-EDGEITEMS:]
    return np.stack([_summarized(values[i]) for i in rows])


def _add_suffixes(text, suffixes, indent):
    parts = [text]
    last_line_len = len(text) - text.rfind("\n") + 1
    for suffix in suffixes:
        if last_line_len + len(suffix) + 2 > LINEWIDTH:
            parts.append(",\n" + " " * indent + suffix)
            last_line_len = indent + len(suffix)
        else:
            parts.append(", " + suffix)
            last_line_len += len(suffix) + 2
    parts.append(")")
    return "".join(parts)


_SILENT_DTYPES = ("float64", "int64", "bool")


def tensor_repr(values, grad_fn, requires_grad, dtype_repr):
    """``tensor([2., 4.], grad_fn=<MulBackward0>)`` for the ndarray ``values``."""
    prefix = "tensor("
    indent = len(prefix)
    suffixes = []
    if values.size == 0:
        if values.ndim != 1:
            suffixes.append("size=" + str(tuple(values.shape)))
        if values.dtype.name != "float64":
            suffixes.append("dtype=" + dtype_repr)
        body = "[]"
    else:
        if values.dtype.name not in _SILENT_DTYPES:
            suffixes.append("dtype=" + dtype_repr)
        summarize = values.size > THRESHOLD
        if values.dtype.kind == "f" and values.dtype.itemsize < 4:
            values = values.astype(np.float32)
        formatter = _Formatter(_summarized(values) if summarize else values)
        body = _nested_str(values, indent, summarize, formatter)
    if grad_fn is not None:
        suffixes.append(f"grad_fn=<{type(grad_fn).__name__}>")
    elif requires_grad:
        suffixes.append("requires_grad=True")
    return _add_suffixes(prefix + body, suffixes, indent)
