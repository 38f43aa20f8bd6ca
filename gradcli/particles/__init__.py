"""Particle systems: one pair term over all pairs of N particles, plus an
optional one-body term, compiled once and assembled with numpy; coordinate
files (XYZ, extended XYZ).

* ``pair``        the pair term V(r), compiled once as a function of r**2
* ``assemble``    energy, gradient and Hessian summed over pairs, vectorised
* ``potential``   ``ParticlePotential``: the ``Potential`` interface over x1, y1, z1, ...
* ``derivatives`` derivatives of any order along one coordinate
* ``xyz``         reading and writing XYZ / extended XYZ frames
* ``elements``    element symbols -> atomic masses

    >>> from gradcli.particles import ParticlePotential
    >>> V = ParticlePotential("4*((1/r)**12 - (1/r)**6)", 2)
    >>> V([0, 0, 0, 2 ** (1 / 6), 0, 0])
    -1.0
"""

from .potential import ParticlePotential, coordinate_names, per_atom_max_force

__all__ = ["ParticlePotential", "coordinate_names", "per_atom_max_force"]
