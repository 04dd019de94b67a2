import keras
import numpy as np
import pytest

from kmr.layers import DeepFeatureTower
from tests.harness import (
    assert_compiled_matches_eager,
    assert_config_round_trip,
    assert_layer_keras_round_trip,
    assert_model_keras_round_trip,
    assert_registered,
    to_numpy,
)


def numpy_tower(layer, features):
    """Oracle for inference: dense, activation, batch norm per block."""
    outputs = features
    for dense, batch_norm in zip(layer.dense_layers, layer.batch_norms):
        kernel, bias = (to_numpy(w) for w in dense.weights)
        gamma, beta, mean, variance = (to_numpy(w) for w in batch_norm.weights)
        outputs = np.maximum(outputs @ kernel + bias, 0.0)
        outputs = (
            gamma * (outputs - mean) / np.sqrt(variance + batch_norm.epsilon)
            + beta
        )
    return outputs


def test_inference_matches_numpy(rng):
    tower = DeepFeatureTower(units=6, hidden_layers=3)
    features = rng.normal(size=(4, 5)).astype("float32")

    result = to_numpy(tower(features, training=False))

    assert result.shape == (4, 6)
    np.testing.assert_allclose(
        result, numpy_tower(tower, features), rtol=1e-5, atol=1e-5
    )


def test_works_on_any_leading_axes(rng):
    tower = DeepFeatureTower(units=4)
    candidates = rng.normal(size=(2, 3, 5)).astype("float32")

    result = to_numpy(tower(candidates))

    assert result.shape == (2, 3, 4)
    flat = to_numpy(tower(candidates.reshape(6, 5)))
    np.testing.assert_allclose(result.reshape(6, 4), flat, rtol=1e-6)


def test_blocks_are_public_and_counted():
    tower = DeepFeatureTower(units=8, hidden_layers=4)

    assert len(tower.dense_layers) == 4
    assert len(tower.batch_norms) == 4
    assert len(tower.dropouts) == 4
    assert all(dense.units == 8 for dense in tower.dense_layers)


def test_dropout_acts_only_in_training(rng):
    tower = DeepFeatureTower(units=16, dropout_rate=0.5)
    features = rng.normal(size=(8, 4)).astype("float32")

    first = to_numpy(tower(features, training=False))
    second = to_numpy(tower(features, training=False))
    trained = to_numpy(tower(features, training=True))

    np.testing.assert_array_equal(first, second)
    assert np.mean(trained == 0.0) > np.mean(first == 0.0)


def test_l2_penalty_per_dense_layer(rng):
    tower = DeepFeatureTower(units=4, hidden_layers=2, l2_reg=1e-2)
    tower(rng.normal(size=(2, 3)).astype("float32"))

    assert len(tower.losses) == 2


@pytest.mark.parametrize(
    "kwargs, argument",
    [
        ({"units": 0}, "units"),
        ({"units": 3.5}, "units"),
        ({"hidden_layers": 0}, "hidden_layers"),
        ({"dropout_rate": 1.0}, "dropout_rate"),
        ({"dropout_rate": -0.1}, "dropout_rate"),
        ({"l2_reg": -1.0}, "l2_reg"),
        ({"activation": "no_such_activation"}, "activation"),
    ],
)
def test_rejects_bad_arguments(kwargs, argument):
    with pytest.raises(ValueError, match=argument):
        DeepFeatureTower(**kwargs)


def test_accepts_numpy_integers():
    tower = DeepFeatureTower(units=np.int64(8), hidden_layers=np.int32(1))
    assert (tower.units, tower.hidden_layers) == (8, 1)


def test_serialization(rng, tmp_path):
    tower = DeepFeatureTower(units=4, hidden_layers=2, activation="tanh")
    clone = assert_config_round_trip(tower)
    assert clone.activation == "tanh"
    assert_registered(tower, "kmr.layers")

    data = rng.normal(size=(3, 5)).astype("float32")
    assert_layer_keras_round_trip(tower, ((5,), "float32"), data, tmp_path)
    assert_compiled_matches_eager(
        DeepFeatureTower(units=4), ((5,), "float32"), data, atol=1e-5
    )


def test_one_tower_serves_users_candidates_and_catalog(rng, tmp_path):
    tower = DeepFeatureTower(units=4)
    users = keras.Input((5,))
    candidates = keras.Input((3, 5))
    model = keras.Model([users, candidates], [tower(users), tower(candidates)])
    data = [
        rng.normal(size=(2, 5)).astype("float32"),
        rng.normal(size=(2, 3, 5)).astype("float32"),
    ]

    user_vectors, candidate_vectors = model.predict(data, verbose=0)
    catalog_vectors = to_numpy(tower(data[1][0], training=False))

    assert user_vectors.shape == (2, 4)
    assert candidate_vectors.shape == (2, 3, 4)
    np.testing.assert_allclose(
        candidate_vectors[0], catalog_vectors, rtol=1e-5, atol=1e-6
    )
    assert_model_keras_round_trip(model, data, tmp_path)
