"""Listed stationary points of a named potential by label, for POINT options
(``--at S1``, ``--from MA --to MB``, ``--x0 S2``).

Each listed point answers to two kinds of label, matched without regard to
case:

- its kind and rank among the listed points of that kind, in file order:
  ``M1, M2, ...`` for minima, ``S1, S2, ...`` for saddles, ``X1, ...`` for
  maxima (Müller-Brown: S1 between MA and MC, S2 between MC and MB, as in
  Müller & Brown 1979);
- a name its note gives: the whole note when it is one word (``MB``), or a
  word in brackets (``global minimum (MA)`` -> ``MA``).

A file's points are listed for its default parameters, so labels are refused
once ``--param`` changes one (a family's points are rebuilt for its size).
"""

from __future__ import annotations

import re

from gradcli.cli.points import parse_point
from gradcli.errors import InputError

_LABEL = re.compile(r"[A-Za-z][A-Za-z0-9_]*")
_BRACKETED = re.compile(r"\(([A-Za-z][A-Za-z0-9_]*)\)")
_PREFIX = {"minimum": "M", "saddle": "S", "maximum": "X"}


def labels(stationary) -> dict[str, int]:
    """Upper-cased label -> index into ``stationary`` (a sequence with ``kind`` and ``note``).

    >>> from types import SimpleNamespace as P
    >>> sorted(labels([P(kind="minimum", note="global minimum (MA)"), P(kind="saddle", note="between MA and MB")]))
    ['M1', 'MA', 'S1']
    """
    found: dict[str, int] = {}
    counts: dict[str, int] = {}
    for index, point in enumerate(stationary):
        prefix = _PREFIX.get(point.kind)
        if prefix:
            counts[prefix] = counts.get(prefix, 0) + 1
            found.setdefault(f"{prefix}{counts[prefix]}", index)
        note = (point.note or "").strip()
        names = [note] if _LABEL.fullmatch(note) else _BRACKETED.findall(note)
        for name in names:
            found.setdefault(name.upper(), index)
    return found


def point_or_label(run, text: str, variables: tuple[str, ...], option: str) -> tuple[float, ...]:
    """The POINT ``text`` of ``option``: coordinates (``parse_point``), or the
    label of a listed stationary point of the named potential being run."""
    stripped = text.strip()
    resolved = getattr(run, "resolved", None)
    if not _LABEL.fullmatch(stripped) or stripped in variables:
        return parse_point(text, variables, option)
    spec = resolved.spec if resolved is not None else None
    listed = tuple(spec.stationary) if spec is not None else ()
    if resolved is None or spec is None or not listed:
        where = f"@{run.name} lists no stationary points" if run.name else "a typed expression has no listed points"
        raise InputError(f"{option} {stripped}: not a point ({where}); give coordinates such as 2,3 or x=2,y=3")
    known = labels(listed)
    if stripped.upper() not in known:
        raise InputError(
            f"{option} {stripped}: @{run.name} has no point of that name; it lists {', '.join(sorted(known))}"
        )
    if spec.family is None and any(resolved.params.get(k) != p["value"] for k, p in spec.parameters.items()):
        raise InputError(
            f"{option} {stripped}: @{run.name}'s points are listed for its default parameters; "
            "give the coordinates when changing --param"
        )
    point = dict(zip(spec.variables, listed[known[stripped.upper()]].point))
    if set(point) != set(variables):
        raise InputError(
            f"{option} {stripped}: the listed point is in {', '.join(point)}, the potential in {', '.join(variables)}"
        )
    return tuple(float(point[name]) for name in variables)  # in the order compiled (--vars may reorder)


#: A point matches a listed stationary point within this distance, relative to max(1, max|x_i|):
#: the Newton-step tolerance of ``gradcli.analysis.stationary``, so a point quoted to 4 figures matches.
MATCH_RTOL = 1e-4


def listed_point_at(run, x, variables):
    """The listed stationary point (``Stationary``) of the named potential being run that ``x``
    (one number per variable, in ``variables``' order) is, or None (a typed expression, changed
    parameters, or no listed point there)."""
    resolved = getattr(run, "resolved", None)
    if resolved is None or resolved.spec is None or not resolved.stationary:
        return None
    if resolved.spec.family is None and any(
        resolved.params.get(k) != p["value"] for k, p in resolved.spec.parameters.items()
    ):
        return None  # the points are listed for the default parameters only
    at = dict(zip(variables, x))
    for listed in resolved.stationary:
        point = dict(zip(resolved.spec.variables, listed.point))
        if set(point) != set(at):
            continue
        scale = max(1.0, *(abs(c) for c in point.values()))
        if all(abs(at[name] - c) <= MATCH_RTOL * scale for name, c in point.items()):
            return listed
    return None
