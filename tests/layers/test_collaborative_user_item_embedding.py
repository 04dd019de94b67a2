import keras
import numpy as np
import pytest

from kmr.layers import CollaborativeUserItemEmbedding
from tests.harness import (
    assert_compiled_matches_eager,
    assert_config_round_trip,
    assert_layer_keras_round_trip,
    assert_registered,
    to_numpy,
)


def test_looks_up_table_rows():
    layer = CollaborativeUserItemEmbedding(
        num_users=5, num_items=7, embedding_dim=3
    )
    user_ids = np.array([4, 0])
    item_ids = np.array([[6, 1], [2, 2]])

    users, items = to_numpy(layer((user_ids, item_ids)))

    user_table = to_numpy(layer.user_embedding.embeddings)
    item_table = to_numpy(layer.item_embedding.embeddings)
    assert users.shape == (2, 3) and items.shape == (2, 2, 3)
    np.testing.assert_array_equal(users, user_table[user_ids])
    np.testing.assert_array_equal(items, item_table[item_ids])


def test_shared_catalog_ids():
    layer = CollaborativeUserItemEmbedding(4, 6, embedding_dim=2)

    users, items = layer((np.array([0, 1, 2]), np.arange(6)))

    assert tuple(users.shape) == (3, 2)
    assert tuple(items.shape) == (6, 2)


def test_l2_penalty_is_added_and_can_be_disabled():
    with_penalty = CollaborativeUserItemEmbedding(3, 3, 2, l2_reg=1e-3)
    without = CollaborativeUserItemEmbedding(3, 3, 2, l2_reg=0.0)
    ids = (np.array([0]), np.array([1]))

    with_penalty(ids)
    without(ids)

    assert len(with_penalty.losses) == 2
    expected = 1e-3 * sum(
        np.sum(np.square(to_numpy(w))) for w in with_penalty.weights
    )
    np.testing.assert_allclose(
        sum(to_numpy(loss) for loss in with_penalty.losses),
        expected,
        rtol=1e-5,
    )
    assert len(without.losses) == 0


def test_accepts_numpy_integers():
    layer = CollaborativeUserItemEmbedding(
        np.int64(10), np.int32(20), np.int16(4), np.float32(1e-4)
    )
    assert (layer.num_users, layer.num_items, layer.embedding_dim) == (
        10,
        20,
        4,
    )
    assert type(layer.num_users) is int


@pytest.mark.parametrize(
    "kwargs, argument",
    [
        ({"num_users": 0}, "num_users"),
        ({"num_users": "10"}, "num_users"),
        ({"num_items": -3}, "num_items"),
        ({"num_items": 2.0}, "num_items"),
        ({"embedding_dim": 0}, "embedding_dim"),
        ({"l2_reg": -1e-6}, "l2_reg"),
    ],
)
def test_rejects_bad_arguments(kwargs, argument):
    arguments = {"num_users": 10, "num_items": 20, **kwargs}
    with pytest.raises(ValueError, match=argument):
        CollaborativeUserItemEmbedding(**arguments)


def test_rejects_single_input():
    layer = CollaborativeUserItemEmbedding(3, 3)
    with pytest.raises(ValueError, match="pair"):
        layer(np.array([0, 1]))


def test_config_has_no_weights_after_build():
    layer = CollaborativeUserItemEmbedding(3, 4, embedding_dim=2)
    layer((np.array([0]), np.array([1])))

    config = layer.get_config()

    assert set(config) >= {"num_users", "num_items", "embedding_dim", "l2_reg"}
    assert not any("weights" in key for key in config)


def test_serialization(rng, tmp_path):
    layer = CollaborativeUserItemEmbedding(8, 12, embedding_dim=4)
    assert_config_round_trip(layer)
    assert_registered(layer, "kmr.layers")

    specs = [((), "int32"), ((5,), "int32")]
    data = [
        rng.integers(0, 8, size=(3,)).astype("int32"),
        rng.integers(0, 12, size=(3, 5)).astype("int32"),
    ]
    assert_layer_keras_round_trip(layer, specs, data, tmp_path)
    assert_compiled_matches_eager(
        CollaborativeUserItemEmbedding(8, 12, embedding_dim=4), specs, data
    )


def test_trains_towards_planted_affinity():
    # User u likes item u: after training, each user's best item is its own.
    layer = CollaborativeUserItemEmbedding(4, 4, embedding_dim=4, l2_reg=0.0)
    user_ids = keras.Input((), dtype="int32")
    item_ids = keras.Input((4,), dtype="int32")
    users, items = layer((user_ids, item_ids))
    scores = keras.ops.einsum("bd,bnd->bn", users, items)
    model = keras.Model([user_ids, item_ids], scores)
    model.compile(
        optimizer=keras.optimizers.Adam(0.1),
        loss=keras.losses.CategoricalCrossentropy(from_logits=True),
    )
    x = [
        np.arange(4, dtype="int32"),
        np.tile(np.arange(4, dtype="int32"), (4, 1)),
    ]

    model.fit(x, np.eye(4, dtype="float32"), epochs=40, verbose=0)

    predicted = model.predict(x, verbose=0).argmax(axis=1)
    np.testing.assert_array_equal(predicted, np.arange(4))
