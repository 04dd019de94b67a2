import numpy as np
import pytest

from kmr._ranking import top_k_rows


def stable_top_k(scores, k):
    """Oracle: a stable sort by descending score, ties to the lower id."""
    order = np.argsort(-scores, axis=1, kind="stable")[:, :k]
    return order, np.take_along_axis(scores, order, axis=1)


def test_ties_at_the_kth_place_go_to_the_lower_ids():
    # Item counts as a popularity ranking has them: many equal values.
    scores = np.array(
        [[1, 3, 1, 1, 3, 1, 1, 2], [5, 5, 5, 5, 5, 5, 5, 5]], "float32"
    )
    ids, best = top_k_rows(scores, 4)
    np.testing.assert_array_equal(ids, [[1, 4, 7, 0], [0, 1, 2, 3]])
    np.testing.assert_array_equal(best, [[3, 3, 2, 1], [5, 5, 5, 5]])


@pytest.mark.parametrize("dtype", ["float32", "float64", "int64"])
@pytest.mark.parametrize("k", [1, 3, 10, 40])
def test_matches_a_stable_sort_on_heavily_tied_rows(dtype, k):
    rng = np.random.default_rng(k)
    scores = rng.integers(0, 4, size=(50, 40)).astype(dtype)
    ids, best = top_k_rows(scores, k)
    expected_ids, expected_best = stable_top_k(scores, k)
    np.testing.assert_array_equal(ids, expected_ids)
    np.testing.assert_array_equal(best, expected_best)


def test_excluded_items_come_back_as_minus_one():
    scores = np.array([[0.5, -np.inf, 0.2, -np.inf]])
    ids, best = top_k_rows(scores, 3)
    np.testing.assert_array_equal(ids, [[0, 2, -1]])
    assert best[0, 2] == -np.inf


def test_k_larger_than_the_catalog_returns_every_item():
    ids, _ = top_k_rows(np.array([[0.1, 0.3]]), 5)
    np.testing.assert_array_equal(ids, [[1, 0]])


@pytest.mark.parametrize("nan_count", [1, 3])
def test_nan_scores_raise_a_clear_error(nan_count):
    scores = np.arange(12, dtype="float32").reshape(2, 6)
    scores[1, :nan_count] = np.nan
    with pytest.raises(ValueError, match="NaN"):
        top_k_rows(scores, 3)
