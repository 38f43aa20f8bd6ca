"""output.json_line: a batch's result line is exactly json.dumps(plain(data)), whether json walks
the data itself (the fast path) or plain does (NaN, numpy values, surrogates, odd keys)."""

from __future__ import annotations

import json
import math

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from gradcli.cli.output import json_line, plain


def reference(data) -> str:
    return json.dumps(plain(data), allow_nan=False, ensure_ascii=True) + "\n"


texts = st.text(alphabet=st.characters(blacklist_categories=()), max_size=6) | st.sampled_from(
    ["caf\udce9", "\ud83d", "é", "😀", "\\ud83d", "x"]
)
keys = texts | st.integers(-5, 5) | st.booleans() | st.none() | st.floats(allow_nan=False, allow_infinity=False)
leaves = (
    st.floats()  # with inf and NaN
    | st.integers(-(2**70), 2**70)
    | st.booleans()
    | st.none()
    | texts
    | st.floats().map(np.float64)
    | st.integers(-9, 9).map(np.int64)
    | st.lists(st.floats(), max_size=3).map(np.array)
)
data = st.recursive(
    leaves,
    lambda inner: (
        st.lists(inner, max_size=4) | st.lists(inner, max_size=4).map(tuple) | st.dictionaries(keys, inner, max_size=4)
    ),
    max_leaves=12,
)


@settings(max_examples=400, deadline=None)
@given(st.dictionaries(keys, data, max_size=5))
def test_json_line_is_json_of_plain(payload):
    assert json_line(payload) == reference(payload)


def test_the_cases_that_take_the_exact_path():
    assert json_line({"v": math.inf, "w": [math.nan]}) == '{"v": null, "w": [null]}\n'
    assert json_line({"s": "caf\udce9"}) == '{"s": "caf\\ufffd"}\n'
    assert json_line({True: 1, None: 2, 3: (4.5,)}) == '{"true": 1, "null": 2, "3": [4.5]}\n'
    assert json_line({"a": np.array([1.0, 2.0]), "i": np.int64(3)}) == '{"a": [1.0, 2.0], "i": 3}\n'
    assert json_line({"x": np.float64(0.1)}) == '{"x": 0.1}\n'


def test_a_payload_that_holds_itself_is_an_error_not_a_hang():
    # json_line skips json's cycle check (a payload is a tree); a cycle still ends in an error.
    data: dict = {"x": [1.0]}
    data["x"].append(data)
    with pytest.raises(RecursionError):
        json_line(data)
