"""gradcli's front-end: potentials typed as text, compiled to fast code.

The pipeline, one module per step:

* ``parse``        text -> SymPy, without running the text (ast whitelist)
* ``binding``      variables (natural order) and parameters, checked
* ``program``      SymPy -> an SSA ``Program`` (one table of SymPy node types;
                   hash-consed, so shared subexpressions are computed once)
* ``transforms``   derivative programs from ONE table of rules: gradient
                   (reverse mode), JVP (forward), VJP, Jacobian, Hessian
* ``codegen``      Program -> Python function via ``ast`` (scalar: ``math``
                   over floats; array: numpy), never ``eval``/``exec``
* ``schedule``     Program -> numpy calls batched across instructions
* ``compiled``     picks the evaluator, turns floating-point failures into
                   ``DomainError`` via ``domain`` (the checking interpreter)
* ``engine_graph`` Program -> the autograd engine's graph (``graph()``,
                   ``derivatives()``)
* ``potential``    the public ``Potential`` and ``VectorFunction``

    >>> from gradcli.frontend import Potential
    >>> Potential("x**4 - 10*x**2 + 5").grad(3.0)
    array([48.])
"""

from .potential import Potential, VectorFunction

__all__ = ["Potential", "VectorFunction"]
