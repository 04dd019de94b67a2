import keras
import numpy as np
import pytest

from kmr.layers import TopKRecommendationSelector
from tests.harness import (
    assert_compiled_matches_eager,
    assert_config_round_trip,
    assert_layer_keras_round_trip,
    assert_registered,
    to_numpy,
)


def test_returns_indices_then_scores_in_descending_order(rng):
    scores = rng.permutation(40).reshape(4, 10).astype("float32")

    indices, top_scores = to_numpy(TopKRecommendationSelector(k=3)(scores))

    expected = np.argsort(-scores, axis=1)[:, :3]
    np.testing.assert_array_equal(indices, expected)
    np.testing.assert_array_equal(
        top_scores, np.take_along_axis(scores, expected, axis=1)
    )
    assert indices.dtype == np.int32


def test_docstring_example():
    selector = TopKRecommendationSelector(k=2)

    indices, scores = to_numpy(selector(np.array([[0.1, 0.9, 0.5]], "float32")))

    np.testing.assert_array_equal(indices, [[1, 2]])
    np.testing.assert_allclose(scores, [[0.9, 0.5]])


def test_k_larger_than_candidates_returns_all_sorted():
    scores = np.array([[0.3, 0.1, 0.7], [2.0, 5.0, 1.0]], "float32")

    indices, top_scores = to_numpy(TopKRecommendationSelector(k=10)(scores))

    np.testing.assert_array_equal(indices, [[2, 0, 1], [1, 0, 2]])
    np.testing.assert_allclose(top_scores, [[0.7, 0.3, 0.1], [5.0, 2.0, 1.0]])


def test_symbolic_output_shapes():
    indices, scores = TopKRecommendationSelector(k=4)(keras.Input((6,)))

    assert indices.shape == (None, 4) and indices.dtype == "int32"
    assert scores.shape == (None, 4)


def test_accepts_numpy_integer():
    selector = TopKRecommendationSelector(k=np.int64(5))
    assert selector.k == 5
    assert type(selector.k) is int


@pytest.mark.parametrize("k", [0, -1, 10.5, "10", None])
def test_rejects_bad_k(k):
    with pytest.raises(ValueError, match="`k`"):
        TopKRecommendationSelector(k=k)


@pytest.mark.parametrize("shape", [(5,), (2, 3, 4)])
def test_rejects_scores_that_are_not_a_matrix(shape):
    with pytest.raises(ValueError, match="batch_size, num_candidates"):
        TopKRecommendationSelector(k=2)(np.zeros(shape, "float32"))


def test_serialization(rng, tmp_path):
    layer = TopKRecommendationSelector(k=3, name="top3")
    clone = assert_config_round_trip(layer)
    assert clone.k == 3
    assert_registered(layer, "kmr.layers")

    data = rng.permutation(24).reshape(3, 8).astype("float32")
    assert_layer_keras_round_trip(layer, ((8,), "float32"), data, tmp_path)
    assert_compiled_matches_eager(
        TopKRecommendationSelector(k=20), ((8,), "float32"), data
    )
