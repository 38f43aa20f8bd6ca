"""``gradcli.linalg``: the norms of PyTorch's ``torch.linalg`` that physics code reaches for."""

from .ops_softmax import norm as _norm


def vector_norm(x, ord=2, dim=None, keepdim=False, dtype=None):
    """p-norm of the elements (all, or along ``dim``) for any numeric ``ord``.

    Example: vector_norm(tensor([3., 4.])) -> tensor(5.); ord=1 -> tensor(7.).
    """
    return _norm(x, ord, dim, keepdim, dtype)


def norm(x, ord=None, dim=None, keepdim=False, dtype=None):
    """``ord=None``: the 2-norm of a vector, the Frobenius norm of a matrix (over ``dim`` if
    given); ``ord="fro"`` over two dims; a number: the vector norm along one dim (or of a 1-D x).
    Matrix norms other than Frobenius (``"nuc"``, ``ord=2`` on a matrix) are not supported."""
    if ord is None or ord == "fro":
        return _norm(x, 2, dim, keepdim, dtype)
    matrix = (dim is None and x.ndim == 2) or (isinstance(dim, (tuple, list)) and len(dim) == 2)
    if isinstance(ord, str) or matrix:
        raise RuntimeError(f"linalg.norm: gradcli supports ord=None or 'fro' for matrices, got ord={ord!r}")
    return _norm(x, ord, dim, keepdim, dtype)
