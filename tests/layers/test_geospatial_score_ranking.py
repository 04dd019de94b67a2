import keras
import numpy as np
import pytest

from kmr.layers import GeospatialScoreRanking
from tests.harness import (
    assert_compiled_matches_eager,
    assert_config_round_trip,
    assert_layer_keras_round_trip,
    assert_registered,
    to_numpy,
)


def numpy_scores(layer, queries, candidates):
    """Oracle: the documented formula from the layer's weights."""

    def embed(features):
        kernel1, bias1 = (to_numpy(w) for w in layer.dense1.weights)
        kernel2, bias2 = (to_numpy(w) for w in layer.dense2.weights)
        hidden = np.maximum(features @ kernel1 + bias1, 0.0)
        return hidden @ kernel2 + bias2

    logits = embed(queries) @ embed(candidates).T
    return 1.0 / (1.0 + np.exp(-logits / np.sqrt(layer.embedding_dim)))


def test_self_scores_match_formula(rng):
    layer = GeospatialScoreRanking(embedding_dim=8, input_dim=5)
    features = rng.random((4, 5)).astype("float32")

    scores = to_numpy(layer(features))

    assert scores.shape == (4, 4)
    np.testing.assert_allclose(
        scores, numpy_scores(layer, features, features), rtol=1e-5, atol=1e-6
    )
    np.testing.assert_allclose(scores, scores.T, rtol=1e-6)


def test_pair_input_scores_candidates(rng):
    layer = GeospatialScoreRanking(embedding_dim=4, input_dim=3)
    queries = rng.random((2, 3)).astype("float32")
    candidates = rng.random((5, 3)).astype("float32")

    scores = to_numpy(layer((queries, candidates)))

    assert scores.shape == (2, 5)
    np.testing.assert_allclose(
        scores, numpy_scores(layer, queries, candidates), rtol=1e-5, atol=1e-6
    )
    assert np.all((scores > 0.0) & (scores < 1.0))


@pytest.mark.parametrize("training", [False, True])
def test_scores_do_not_depend_on_the_batch(rng, training):
    layer = GeospatialScoreRanking(embedding_dim=8, input_dim=5)
    features = rng.random((6, 5)).astype("float32")

    whole = to_numpy(layer(features, training=training))
    part = to_numpy(layer(features[:2], training=training))

    np.testing.assert_allclose(part, whole[:2, :2], rtol=1e-6, atol=1e-7)


def test_rejects_feature_width_other_than_input_dim():
    layer = GeospatialScoreRanking(input_dim=5)
    with pytest.raises(ValueError, match="input_dim=5.*3 columns"):
        layer(np.zeros((2, 3), "float32"))
    with pytest.raises(ValueError, match="input_dim=5.*4 columns"):
        layer(keras.Input((4,)))


def test_rejects_wrong_rank_and_arity():
    layer = GeospatialScoreRanking(input_dim=3)
    with pytest.raises(ValueError, match="batch_size, input_dim"):
        layer(np.zeros((2, 2, 3), "float32"))
    with pytest.raises(ValueError, match="received 3 inputs"):
        layer([np.zeros((2, 3), "float32")] * 3)


@pytest.mark.parametrize(
    "kwargs, argument",
    [
        ({"embedding_dim": 0}, "embedding_dim"),
        ({"embedding_dim": 8.0}, "embedding_dim"),
        ({"input_dim": -1}, "input_dim"),
        ({"input_dim": "5"}, "input_dim"),
    ],
)
def test_rejects_bad_arguments(kwargs, argument):
    with pytest.raises(ValueError, match=argument):
        GeospatialScoreRanking(**kwargs)


def test_accepts_numpy_integers():
    layer = GeospatialScoreRanking(np.int64(16), np.int32(3))
    assert (layer.embedding_dim, layer.input_dim) == (16, 3)


def test_serialization(rng, tmp_path):
    layer = GeospatialScoreRanking(embedding_dim=8, input_dim=3)
    clone = assert_config_round_trip(layer)
    assert (clone.embedding_dim, clone.input_dim) == (8, 3)
    assert_registered(layer, "kmr.layers")

    data = rng.random((6, 3)).astype("float32")
    assert_layer_keras_round_trip(layer, ((3,), "float32"), data, tmp_path)
    assert_compiled_matches_eager(
        GeospatialScoreRanking(embedding_dim=8, input_dim=3),
        ((3,), "float32"),
        data,
    )
