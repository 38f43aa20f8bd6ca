"""Named potentials and their listed stationary points for the tests in
tests/ts (the values in potentials/*.toml: Müller & Brown 1979 for
muller-brown, Himmelblau 1972 for himmelblau)."""

import numpy as np

from gradcli.named import load


def named(name: str, **params):
    """The compiled Potential of a named potential."""
    return load(name, **params).potential


def listed(name: str, kind: str) -> list:
    """The listed stationary points of one kind: [(point array, value, note)]."""
    return [(np.array(s.point), s.value, s.note) for s in load(name).stationary if s.kind == kind]


def by_note(name: str, word: str):
    """The listed stationary point whose note is ``word`` or names it in brackets
    (MA, MB, MC, 'between MA and MC', ...): (point array, value)."""
    (found,) = [(np.array(s.point), s.value) for s in load(name).stationary
                if s.note == word or f"({word})" in s.note]
    return found

