"""gradcli's front-end: expressions typed as text, parsed safely into SymPy
(``parse``), compiled to an SSA program (``program``), differentiated by
program transformations (``transforms``) and turned into Python code
(``codegen``) or an engine graph (``engine_graph``).

The public objects are ``Potential`` and ``VectorFunction``::

    >>> from gradcli.frontend import Potential
    >>> Potential("x**4 - 10*x**2 + 5").grad(3.0)
    array([48.])
"""

from .potential import Potential, VectorFunction

__all__ = ["Potential", "VectorFunction"]
