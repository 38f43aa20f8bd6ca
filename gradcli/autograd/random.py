"""Random tensors from one numpy Generator: ``manual_seed``, ``rand``, ``randn``,
``randint`` (and ``*_like``).  Shapes and dtypes are PyTorch's; the numbers are
numpy's, not PyTorch's (the two generators differ)."""

import numpy as np

from .creation import _dtype, _leaf, _sizes

_generator = np.random.default_rng()


class Generator:
    """What ``manual_seed`` returns: ``initial_seed()`` gives the seed back."""

    def __init__(self, seed):
        self._seed = seed

    def initial_seed(self):
        return self._seed


def manual_seed(seed):
    """Restart the random numbers from ``seed`` (an int); the same seed gives the same tensors."""
    global _generator
    seed = int(seed)
    _generator = np.random.default_rng(seed & 0xFFFF_FFFF_FFFF_FFFF)
    return Generator(seed)


def rand(*size, dtype=None, requires_grad=False, generator=None):
    """Uniform on [0, 1): ``rand(2, 3)`` -> shape (2, 3), float64."""
    np_dtype = _dtype(dtype)
    return _leaf(_generator.random(_sizes(size)).astype(np_dtype, copy=False), requires_grad)


def randn(*size, dtype=None, requires_grad=False, generator=None):
    """Standard normal: ``randn(3)`` -> shape (3,), float64."""
    np_dtype = _dtype(dtype)
    return _leaf(_generator.standard_normal(_sizes(size)).astype(np_dtype, copy=False), requires_grad)


def randint(low=0, high=None, size=None, dtype=None, requires_grad=False, generator=None):
    """Integers in [low, high): ``randint(10, (2, 2))`` or ``randint(3, 10, (4,))``; int64."""
    if size is None:  # randint(high, size)
        low, high, size = 0, low, high
    if high is None or size is None:
        raise TypeError("randint() missing required arguments: 'high' and 'size'")
    if low >= high:
        raise RuntimeError(f"random_ expects 'from' to be less than 'to', but got from={low} >= to={high}")
    np_dtype = _dtype(dtype, np.int64)
    return _leaf(_generator.integers(low, high, size=tuple(size)).astype(np_dtype), requires_grad)


def rand_like(input, dtype=None, requires_grad=False):
    """``rand`` with the shape (and dtype, unless given) of ``input``."""
    return rand(input.shape, dtype=dtype if dtype is not None else input.dtype, requires_grad=requires_grad)


def randn_like(input, dtype=None, requires_grad=False):
    """``randn`` with the shape (and dtype, unless given) of ``input``."""
    return randn(input.shape, dtype=dtype if dtype is not None else input.dtype, requires_grad=requires_grad)
