"""What a command writes on stdout: one JSON object (of a result, or of a list
under a key), or text (Rich tables rendered by ``render.py``), all through one
writer that falls back to ASCII when the stream cannot encode the text.

JSON is always strict: non-finite numbers become ``null`` (with a note on
stderr), and text that came from non-UTF-8 bytes (command-line arguments,
file names) has its lone surrogates replaced, so every strict parser reads it.
"""

import json
import math
import re
import sys
import unicodedata
from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar

#: Spellings of characters that the general rules of ``ascii_text`` spell less well.
ASCII_SPELLING = {
    "λ": "lambda",  # Unicode's name is LAMDA
    "µ": "mu",
    "…": "...",
    "−": "-",
    "–": "-",
    "—": "-",
    "×": "x",
    "·": "*",
    "∇": "grad ",
    "√": "sqrt",
    "≤": "<=",
    "≥": ">=",
    "≈": "~",
    "±": "+/-",
    "°": " deg",
    "’": "'",
    "“": '"',
    "”": '"',
}
_SUPERSCRIPTS = re.compile("[⁰¹²³⁴⁵⁶⁷⁸⁹⁺⁻]+")
_SURROGATE = re.compile("[\ud800-\udfff]")


def without_surrogates(text: str) -> str:
    """``text`` with no lone surrogate: bytes that were not UTF-8 (Python keeps
    them as U+DC80..U+DCFF in ``sys.argv`` and file names) become U+FFFD.

    >>> without_surrogates("caf\\udce9")
    'caf\\ufffd'
    """
    if text.isascii() or not _SURROGATE.search(text):
        return text
    try:
        return text.encode("utf-8", "surrogateescape").decode("utf-8", "replace")
    except UnicodeEncodeError:  # a surrogate that is no escaped byte
        return _SURROGATE.sub("\ufffd", text)


def ascii_text(text: str) -> str:
    """``text`` in ASCII: symbols spelled out (``ASCII_SPELLING``), Greek
    letters by name, superscripts after ``^``, accents dropped, and anything
    else as ``?``.

    >>> ascii_text("λ = 2 eV/Å², ωe = 4401 cm⁻¹, θ = π")
    'lambda = 2 eV/A^2, omegae = 4401 cm^-1, theta = pi'
    """
    text = _SUPERSCRIPTS.sub(lambda m: "^" + unicodedata.normalize("NFKD", m.group()), without_surrogates(text))
    return "".join(c if c.isascii() else _ascii_char(c) for c in text)


def _ascii_char(c: str) -> str:
    if c in ASCII_SPELLING:
        return ASCII_SPELLING[c]
    words = unicodedata.name(c, "").split()
    if words[:2] == ["GREEK", "SMALL"] and len(words) > 3:
        return words[3].lower()
    if words[:2] == ["GREEK", "CAPITAL"] and len(words) > 3:
        return words[3].capitalize()
    plain = unicodedata.normalize("NFKD", c).encode("ascii", "ignore").decode("ascii")
    return plain or "?"


def encodable(text: str, stream=None) -> bool:
    """Whether ``stream`` (default: the current stdout) can encode ``text``."""
    stream = sys.stdout if stream is None else stream
    try:
        text.encode(getattr(stream, "encoding", None) or "utf-8")
    except (UnicodeEncodeError, LookupError):
        return False
    return True


def for_stream(text: str, stream=None) -> str:
    """``text`` as ``stream`` (default: the current stdout) can encode it: itself, or ``ascii_text(text)``.

    Tables spell their cells with this before Rich lays them out, so a column
    keeps its width in ASCII.
    """
    return text if encodable(text, stream) else ascii_text(text)


def write(text: str, stream=None) -> None:
    """Write ``text`` to ``stream`` (default: the current stdout), in ASCII
    when the stream's encoding cannot hold it (``PYTHONIOENCODING=ascii``, a
    latin-1 locale): never a UnicodeEncodeError."""
    stream = sys.stdout if stream is None else stream
    stream.write(for_stream(text, stream))


def plain(value, _counter: list[int] | None = None):
    """``value`` as plain JSON data: tuples and arrays become lists, numpy scalars
    floats, non-finite floats ``None`` (JSON has no NaN or infinity), and text
    loses lone surrogates.

    >>> plain({"x": (1.0, float("nan"))})
    {'x': [1.0, None]}
    """
    # Exact builtin types first: a trajectory is thousands of floats in small tuples and dicts.
    kind = type(value)
    if kind is float:
        if value - value == 0.0:  # finite (inf - inf and NaN give NaN)
            return value
    elif kind is str:
        return value if value.isascii() else without_surrogates(value)
    elif kind is int or kind is bool or value is None:
        return value
    elif kind is tuple or kind is list:
        # A finite float or an int is itself: no call for the common case.
        return [v if (type(v) is float and v - v == 0.0) or type(v) is int else plain(v, _counter) for v in value]
    elif kind is dict:
        return {
            (k if type(k) is str and k.isascii() else _key(k)): (
                v if (type(v) is float and v - v == 0.0) or type(v) is int else plain(v, _counter)
            )
            for k, v in value.items()
        }
    return _plain_other(value, _counter)


def _key(key) -> str:
    """A dict key as text, spelled as ``json.dumps`` spells the keys it takes (so that ``json_line``
    may leave a key to it): ``true``, ``null``, ``2``, ``0.5``; any other key by ``str``."""
    if key is True or key is False or key is None:
        return json.dumps(key)
    return without_surrogates(str(key))


def json_line(data: dict) -> str:
    """``data`` as one line of strict ASCII JSON: exactly ``json.dumps(plain(data))``, made faster
    by letting ``json.dumps`` walk the data itself when it can do so exactly (str, int, float,
    bool or None keys; finite floats; tuples, which it writes as lists; no lone surrogate). Else
    (a NaN, a numpy array, a surrogate, ...) through ``plain``. A batch writes a line per job, and
    the walk of ``plain`` over a long trajectory costs as much as the encoding. (One difference
    is left: a dict with both ``1`` and ``"1"`` as keys keeps both here, one through ``plain``;
    no command's payload mixes key types.)

    >>> json_line({"x": (1.0, 2.0), "v": float("nan")})
    '{"x": [1.0, 2.0], "v": null}\\n'
    """
    try:
        # No check for cycles (a payload is a tree; the check costs a dict insertion per list and dict
        # of a long trajectory): a cycle ends in RecursionError, and plain() below fails on it too.
        text = json.dumps(data, allow_nan=False, ensure_ascii=True, check_circular=False)
    except (TypeError, ValueError, RecursionError):  # a type json does not take, a non-finite float, a cycle
        text = None
    # An escaped surrogate: a lone one, which plain replaces (or a pair of a non-BMP character, or
    # the text "\\ud"), the exact path is right either way.
    if text is None or "\\ud" in text:
        text = json.dumps(plain(data), allow_nan=False, ensure_ascii=True)
    return text + "\n"


def _plain_other(value, _counter: list[int] | None):
    if isinstance(value, dict):
        return {_key(k): plain(v, _counter) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return [plain(v, _counter) for v in value]
    if isinstance(value, str):
        return without_surrogates(value)
    if isinstance(value, bool) or value is None or isinstance(value, int):
        return value
    if hasattr(value, "tolist"):  # numpy arrays and scalars
        if (
            getattr(value, "dtype", None) is not None
            and value.dtype.kind == "f"
            and value.size
            and abs(value).max() < math.inf
        ):  # finite floats: no walk over a large Hessian's entries
            return value.tolist()
        return plain(value.tolist(), _counter)
    if isinstance(value, float):
        if math.isfinite(value):
            return value
        if _counter is not None:
            _counter[0] += 1
        return None
    return without_surrogates(str(value))


def dumps(data: dict) -> str:
    """One key per line, each value compact; a list of objects (a trajectory)
    one object per line. Still one JSON object, easy to read and to diff.

    >>> print(dumps({"x": [1.0, 2.0], "trajectory": [{"step": 0}, {"step": 1}]}))
    {
      "x": [1.0, 2.0],
      "trajectory": [
        {"step": 0},
        {"step": 1}
      ]
    }
    """
    lines = []
    for key, value in data.items():
        if isinstance(value, list) and value and all(isinstance(v, dict) for v in value):
            items = ",\n".join("    " + json.dumps(v, allow_nan=False) for v in value)
            text = "[\n" + items + "\n  ]"
        else:
            text = json.dumps(value, allow_nan=False)
        lines.append(f"  {json.dumps(key)}: {text}")
    return "{\n" + ",\n".join(lines) + "\n}" if lines else "{}"


#: Where ``emit_json`` puts its payloads instead of stdout, inside ``captured_json()``.
_CAPTURE: ContextVar[list[dict] | None] = ContextVar("gradcli_captured_json", default=None)


@contextmanager
def captured_json() -> Iterator[list[dict]]:
    """Inside, ``emit_json`` appends the payloads it would print to the list yielded, as they
    are (a batch job takes its result from there and writes it with ``json_line``: no text to
    write and read back, and no walk of ``plain`` that the encoder can do itself).

    >>> with captured_json() as objects:
    ...     emit_json({"x": (1.0, 2.0)})
    >>> objects, json_line(objects[0])
    ([{'x': (1.0, 2.0)}], '{"x": [1.0, 2.0]}\\n')
    """
    objects: list[dict] = []
    token = _CAPTURE.set(objects)
    try:
        yield objects
    finally:
        _CAPTURE.reset(token)


def emit_json(payload: dict) -> None:
    """Write ``payload`` as one JSON object on stdout (or capture it, see ``captured_json``);
    say on stderr if any non-finite number had to be written as null."""
    objects = _CAPTURE.get()
    if objects is not None:
        objects.append(payload)
        return
    counter = [0]
    write(dumps(plain(payload, counter)) + "\n")
    if counter[0]:
        write(f"note: {counter[0]} non-finite number(s) (inf or NaN) written as null in the JSON\n", sys.stderr)


def emit_list(command: str, key: str, items: list, **extra) -> None:
    """A list as one JSON object: ``{"command": ..., key: [...], **extra}``.

    >>> emit_list("potentials", "potentials", [{"name": "morse"}])
    {
      "command": "potentials",
      "potentials": [
        {"name": "morse"}
      ]
    }
    """
    emit_json({"command": command, key: list(items), **extra})


def error_object(command: str | None, kind: str, message: str) -> dict:
    """The JSON object of a failed run.

    >>> error_object("grad", "domain", "log of zero at x=0")
    {'command': 'grad', 'error': {'kind': 'domain', 'message': 'log of zero at x=0'}}
    """
    return {"command": command, "error": {"kind": kind, "message": message}}
