"""gradcli.analysis.stationary: what kind of point a gradient and Hessian describe
(hand-made Hessians whose eigenvalues are known exactly)."""

import pytest

from gradcli.analysis.stationary import classify_stationary_point


@pytest.mark.parametrize(
    "x, gradient, hessian, kind, index",
    [
        ([0.0], [0.0], [[2.0]], "minimum", 0),
        ([0.0], [0.0], [[-2.0]], "maximum", 1),
        ([0, 0], [0, 0], [[2.0, 0], [0, -1.0]], "saddle", 1),
        ([0, 0], [0, 0], [[2.0, 0], [0, 0.0]], "degenerate", 0),
        ([0.0], [0.0], [[0.0]], "degenerate", 0),
        ([3.0], [6.0], [[2.0]], "not-stationary", 0),  # the tutorial's spring at x=3
        ([2.0], [1e-9], [[40.0]], "minimum", 0),  # Newton step 2.5e-11
        ([1.0], [1.0], [[0.0]], "not-stationary", 0),  # V = x: flat and sloped
        ([1e-3], [4e-9], [[1.2e-5]], "not-stationary", 0),  # x**4 near 0: Newton step 3.3e-4
    ],
)
def test_classification(x, gradient, hessian, kind, index):
    point = classify_stationary_point(x, gradient, hessian)
    assert point.classification == kind
    assert point.saddle_index == index
