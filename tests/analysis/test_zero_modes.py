"""Symmetry zero modes in force-constant: a cluster's 3 translations and 3
rotations (5 for a dimer) are set aside before the point is classified, from
the named potential or --zero-modes N."""

import numpy as np
import pytest
from cli_helpers import invoke, invoke_json

from gradcli.analysis.stationary import classify_eigenvalues, classify_stationary_point, zero_mode_mask
from gradcli.named import find_potential


def _lj_minimum(n: int, index: int = 0) -> str:
    spec, _ = find_potential("lj-cluster").bind({"n": n})
    return ",".join(repr(c) for c in spec.stationary[index].point)


@pytest.mark.parametrize("n, modes", [(2, 5), (3, 6), (6, 6), (13, 6)])
def test_lj_cluster_minimum_is_a_minimum(n, modes):
    out = invoke_json("force-constant", "@lj-cluster", "--param", f"n={n}", "--at", _lj_minimum(n))
    assert out["classification"] == "minimum" and out["saddle_index"] == 0
    assert out["zero_modes"] == modes
    assert len(out["zero_mode_eigenvalues"]) == modes
    largest = max(abs(e) for e in out["eigenvalues"])
    assert all(abs(e) < 1e-10 * largest for e in out["zero_mode_eigenvalues"])
    assert len(out["eigenvalues"]) == 3 * n  # all of them are still reported


def test_lj6_local_minimum_is_a_minimum_too():
    out = invoke_json("force-constant", "@lj-cluster", "--param", "n=6", "--at", _lj_minimum(6, 1))
    assert out["classification"] == "minimum" and out["value"] == pytest.approx(-12.302927529580728)


def test_lj_cluster_with_zero_modes_zero_is_degenerate():
    out = invoke_json("force-constant", "@lj-cluster", "--param", "n=3", "--at", _lj_minimum(3), "--zero-modes", "0")
    assert out["classification"] == "degenerate" and out["zero_modes"] == 0 and out["zero_mode_eigenvalues"] == []


def test_lj_cluster_minimum_quoted_to_four_figures():
    spec, _ = find_potential("lj-cluster").bind({"n": 3})
    at = ",".join(f"{c:.4f}" for c in spec.stationary[0].point)
    out = invoke_json("force-constant", "@lj-cluster", "--param", "n=3", "--at", at)
    assert out["classification"] == "minimum"  # the rotations' eigenvalues are ~1e-5 relative there


def test_lj_cluster_start_is_not_stationary():
    spec, _ = find_potential("lj-cluster").bind({"n": 4})
    at = ",".join(repr(c) for c in spec.start)
    assert invoke_json("force-constant", "@lj-cluster", "--param", "n=4", "--at", at)["classification"] == (
        "not-stationary"
    )


def test_table_marks_the_zero_modes():
    result = invoke("force-constant", "@lj-cluster", "--param", "n=3", "--at", _lj_minimum(3))
    assert result.exit_code == 0, result.stderr
    assert "minimum" in result.stdout
    assert "zero modes" in result.stdout and "6 set aside" in result.stdout
    assert result.stdout.count("zero mode, set aside") == 6


def test_plain_expression_with_zero_modes():
    assert invoke_json("force-constant", "(x-y)**2", "--at", "0,0")["classification"] == "degenerate"
    out = invoke_json("force-constant", "(x-y)**2", "--at", "0,0", "--zero-modes", "1")
    assert out["classification"] == "minimum"
    assert out["zero_modes"] == 1 and out["zero_mode_eigenvalues"] == [pytest.approx(0.0, abs=1e-12)]
    assert out["eigenvalues"] == pytest.approx([0.0, 4.0], abs=1e-12)
    # A wrong count cannot hide a curvature: nothing non-zero is set aside.
    out = invoke_json("force-constant", "x**2-y**2", "--at", "0,0", "--zero-modes", "1")
    assert out["classification"] == "saddle" and out["zero_mode_eigenvalues"] == []
    result = invoke("force-constant", "x**2-y**2", "--at", "0,0", "--zero-modes", "1")
    assert "1 of the 1 asked for not found" in result.stdout


def test_plain_default_is_zero():
    out = invoke_json("force-constant", "x**2+y**2", "--at", "0,0")
    assert out["zero_modes"] == 0 and out["classification"] == "minimum"


@pytest.mark.parametrize(
    "expr, at, n, message",
    [
        ("(x-y)**2", "0,0", "2", "--zero-modes 2: must be from 0 to 1 (fewer than the 2 variables)"),
        ("(x-y)**2", "0,0", "-1", "--zero-modes -1: must be from 0 to 1"),
        ("x**2", "0", "1", "--zero-modes 1: must be from 0 to 0 (fewer than the 1 variable)"),
    ],
)
def test_bad_zero_modes_is_exit_2(expr, at, n, message):
    result = invoke("force-constant", expr, "--at", at, "--zero-modes", n)
    assert result.exit_code == 2
    assert f"error: {message}" in result.stderr
    out = invoke_json("force-constant", expr, "--at", at, "--zero-modes", n, exit_code=2)
    assert out["error"]["kind"] == "input" and message in out["error"]["message"]


def test_zero_modes_must_be_a_number():
    result = invoke("force-constant", "x**2", "--at", "0", "--zero-modes", "six")
    assert result.exit_code == 2


# --- the one classification rule ----------------------------------------------------------


def test_mask_picks_only_zero_eigenvalues_closest_to_zero():
    assert zero_mode_mask([3.0, 0.0, -1e-9, 5.0], 2).tolist() == [False, True, True, False]
    assert zero_mode_mask([3.0, 0.0, -1.0, 5.0], 2).tolist() == [False, True, False, False]
    assert zero_mode_mask([1.0, 2.0], 0).tolist() == [False, False]
    with pytest.raises(ValueError):
        zero_mode_mask([1.0], 2)


def test_classify_stationary_point_sets_aside_zero_modes():
    hessian = np.diag([0.0, 0.0, 3.0, -2.0])
    point = classify_stationary_point(np.zeros(4), np.zeros(4), hessian, zero_modes=2)
    assert point.classification == "saddle" and point.saddle_index == 1
    assert point.zero_mode_eigenvalues == (0.0, 0.0) and point.missing_zero_modes == 0
    assert classify_stationary_point(np.zeros(4), np.zeros(4), hessian, zero_modes=1).classification == "degenerate"
    # The same rule as the library's check of a listed point.
    assert classify_eigenvalues(np.linalg.eigvalsh(hessian), 2) == "saddle"


def test_a_gradient_along_a_zero_mode_is_not_stationary():
    # V = x (a slope along the flat direction) stays not-stationary with the mode set aside.
    point = classify_stationary_point([1.0, 0.0], [1.0, 0.0], [[0.0, 0.0], [0.0, 2.0]], zero_modes=1)
    assert point.classification == "not-stationary"
