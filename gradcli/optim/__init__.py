"""Optimisers with PyTorch's API and update formulas (``gradcli.optim.SGD`` is
``torch.optim.SGD``): SGD, Adam, AdamW, LBFGS, and ``lr_scheduler``.

They depend on the engine (``gradcli.autograd``) only.
"""

from . import lr_scheduler
from .adam import Adam, AdamW
from .lbfgs import LBFGS
from .optimizer import Optimizer
from .sgd import SGD

__all__ = ["SGD", "Adam", "AdamW", "LBFGS", "Optimizer", "lr_scheduler"]
