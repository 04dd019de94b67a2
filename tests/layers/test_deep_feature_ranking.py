import numpy as np
import pytest

from kmr.layers import DeepFeatureRanking
from tests.harness import (
    assert_compiled_matches_eager,
    assert_config_round_trip,
    assert_layer_keras_round_trip,
    assert_registered,
    to_numpy,
)


def numpy_ranking(layer, features):
    kernel1, bias1 = (to_numpy(w) for w in layer.dense1.weights)
    hidden = np.maximum(features @ kernel1 + bias1, 0.0)
    if layer.batch_norm is not None:
        norm = layer.batch_norm
        gamma, beta, mean, variance = (to_numpy(w) for w in norm.weights)
        hidden = gamma * (hidden - mean) / np.sqrt(variance + norm.epsilon)
        hidden = hidden + beta
    kernel2, bias2 = (to_numpy(w) for w in layer.dense2.weights)
    return hidden @ kernel2 + bias2


@pytest.mark.parametrize("batch_norm", [True, False])
def test_inference_matches_numpy(rng, batch_norm):
    layer = DeepFeatureRanking(hidden_dim=8, batch_norm=batch_norm)
    features = rng.normal(size=(5, 6)).astype("float32")

    scores = to_numpy(layer(features, training=False))

    assert scores.shape == (5, 1)
    np.testing.assert_allclose(
        scores, numpy_ranking(layer, features), rtol=1e-5, atol=1e-5
    )
    assert (layer.batch_norm is None) is not batch_norm


def test_scores_every_pair_at_once(rng):
    layer = DeepFeatureRanking(hidden_dim=4)
    pairs = rng.normal(size=(2, 3, 6)).astype("float32")

    assert tuple(layer(pairs).shape) == (2, 3, 1)
    flat = to_numpy(layer(pairs.reshape(6, 6)))
    np.testing.assert_allclose(
        to_numpy(layer(pairs)).reshape(6, 1), flat, rtol=1e-6
    )


@pytest.mark.parametrize(
    "kwargs, argument",
    [
        ({"hidden_dim": 0}, "hidden_dim"),
        ({"hidden_dim": "32"}, "hidden_dim"),
        ({"dropout_rate": 2.0}, "dropout_rate"),
        ({"l2_reg": -1.0}, "l2_reg"),
        ({"activation": "nope"}, "activation"),
        ({"batch_norm": "yes"}, "batch_norm"),
    ],
)
def test_rejects_bad_arguments(kwargs, argument):
    with pytest.raises(ValueError, match=argument):
        DeepFeatureRanking(**kwargs)


def test_serialization(rng, tmp_path):
    layer = DeepFeatureRanking(hidden_dim=4, batch_norm=False)
    clone = assert_config_round_trip(layer)
    assert clone.batch_norm is None
    assert_registered(layer, "kmr.layers")

    data = rng.normal(size=(3, 5)).astype("float32")
    assert_layer_keras_round_trip(layer, ((5,), "float32"), data, tmp_path)
    assert_compiled_matches_eager(
        DeepFeatureRanking(hidden_dim=4), ((5,), "float32"), data, atol=1e-5
    )
