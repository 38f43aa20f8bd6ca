"""Long ``+``/``-`` and ``*``/``/`` chains get grouping parentheses before
``ast.parse`` sees them, so a 50,000-term sum becomes a tree a few levels deep
(``ast``'s own recursion stops near depth 3000). The groups keep the meaning:
``a - b - c`` grouped is ``a + (0 - b - c)``, as the original's left-to-right order.
"""

from __future__ import annotations

import keyword

GROUP = 32  # chains longer than this get parentheses
OPENING, CLOSING = "([{", ")]}"


class Frame:
    """One bracket level, or one comma-separated part of it, while scanning."""

    def __init__(self):
        self.terms, self.factors = [], []  # (operator and its column, start, end) of each
        self.term = self.factor = None  # where the current term and factor start
        self.add_op = self.mul_op = None  # the operator before them, with its column
        self.end = 0  # end of the last operand
        self.plain = False  # holds something refused later: leave it alone

    def start(self, column: int) -> None:
        self.term = column if self.term is None else self.term
        self.factor = column if self.factor is None else self.factor


class Chains:
    """Finds long ``a + b - c ...`` and ``a * b / c ...`` chains and plans
    parentheses grouping them ``GROUP`` at a time (``+(0-c ...)``, ``*(1/c ...)``),
    so that ``ast.parse`` builds a shallow tree for 50,000 terms."""

    def __init__(self, tokens, edits):
        self.tokens, self.edits = tokens, edits

    def scan(self) -> None:
        frames = [Frame()]
        operand = False  # the previous token ends an operand
        for kind, tok, start, end in self.tokens:
            frame = frames[-1]
            if kind == "name" and keyword.iskeyword(tok):
                frame.plain, operand = True, False
            elif kind != "op" or tok in OPENING:
                if not operand:
                    frame.start(start)
                if tok in OPENING:
                    frames.append(Frame())
                    operand = False
                else:
                    frame.end, operand = end, True
            elif tok in CLOSING:
                if len(frames) > 1:
                    self._end_segment(frames.pop())
                    frames[-1].end = end
                operand = True
            elif operand and tok in "+-":
                self._end_term(frame, (tok, start))
                operand = False
            elif operand and tok in "*/":
                self._end_factor(frame, (tok, start))
                operand = False
            elif tok == ",":
                self._end_segment(frame)
                frames[-1], operand = Frame(), False
            elif tok in ("+", "-", "**", "^"):  # signs and powers stay inside one factor
                if not operand:
                    frame.start(start)
                operand = False
            else:
                frame.plain, operand = True, False
        if len(frames) == 1:
            self._end_segment(frames[0])

    def _end_factor(self, frame: Frame, op=None) -> None:
        frame.factors.append((frame.mul_op, frame.factor, frame.end))
        frame.mul_op, frame.factor = op, None

    def _end_term(self, frame: Frame, op=None) -> None:
        self._end_factor(frame)
        if not frame.plain:
            self._group(frame.factors, additive=False)
        frame.terms.append((frame.add_op, frame.term, frame.end))
        frame.factors, frame.mul_op = [], None
        frame.add_op, frame.term = op, None

    def _end_segment(self, frame: Frame) -> None:
        if frame.term is not None:
            self._end_term(frame)
            if not frame.plain:
                self._group(frame.terms, additive=True)

    def _group(self, items, additive: bool) -> None:
        n = len(items)
        if n <= GROUP or any(start is None for _, start, _ in items):
            return
        opens, closes, size = [0] * n, [0] * n, GROUP
        while size < n:
            for first in range(0, n, size):
                opens[first] += 1
                closes[min(first + size, n) - 1] += 1
            size *= GROUP
        for i, (op, start, end) in enumerate(items):
            if opens[i] and op is None:
                self.edits.append((start, 0, "(" * opens[i]))
            elif opens[i]:
                sign = {"-": "0-", "/": "1/"}.get(op[0], "")  # as the original: 0 - t, 1 / t
                self.edits.append((op[1], 1, ("+" if additive else "*") + "(" * opens[i] + sign))
            if closes[i]:
                self.edits.append((end, 0, ")" * closes[i]))
