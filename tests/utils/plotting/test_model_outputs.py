import keras
import numpy as np
import pytest

from kmr.utils.plotting.model_outputs import output_names, score_users
from tests.utils.plotting.stand_in_models import (
    TableModel,
    TrainableExplainableModel,
    planted_data,
)


def test_one_call_scores_every_user_by_true_id(rng):
    table = rng.random((6, 4))
    model = TableModel(table)

    outputs = score_users(model, user_ids=[5, 0, 3])

    assert model.call_count == 1
    np.testing.assert_allclose(outputs["scores"], table[[5, 0, 3]], rtol=1e-6)
    assert list(outputs) == ["scores", "rec_indices", "rec_scores"]


def test_shared_and_per_user_item_features_give_the_same_scores(rng):
    user_features, item_features, _ = planted_data(rng)
    model = TrainableExplainableModel(6, 8, 3, 2)
    ids = np.array([4, 1])

    shared = score_users(model, ids, user_features[ids], item_features)
    per_user = score_users(
        model, ids, user_features[ids], np.stack([item_features] * 2)
    )

    np.testing.assert_allclose(shared["scores"], per_user["scores"], rtol=1e-5)
    assert shared["weights"].shape == (2, 2)
    assert list(shared)[3:] == [
        "cf_similarities",
        "cb_similarities",
        "weights",
        "raw_cf_scores",
    ]


def test_missing_inputs_are_named(rng):
    model = TrainableExplainableModel(6, 8, 3, 2)
    with pytest.raises(ValueError, match="user_ids"):
        score_users(model, user_features=np.ones((2, 3)))
    with pytest.raises(ValueError, match="item_features"):
        score_users(model, [0], np.ones((1, 3)), item_ids=np.arange(8))


class _PlainModel(keras.Model):
    def call(self, inputs):
        user_features, item_features = inputs
        scores = keras.ops.matmul(
            user_features, keras.ops.transpose(item_features)
        )
        return scores, scores, scores


def test_model_without_input_names_gets_the_given_inputs_in_order(rng):
    users = rng.random((2, 3)).astype("float32")
    items = rng.random((5, 3)).astype("float32")

    outputs = score_users(
        _PlainModel(), user_features=users, item_features=items, item_ids=None
    )

    # item_ids default to 0..N-1 only for named models; here it is omitted.
    np.testing.assert_allclose(outputs["scores"], users @ items.T, rtol=1e-5)


def test_output_names_fall_back_to_the_explainable_layout():
    assert output_names(object(), 7)[5] == "weights"
    assert output_names(object(), 4) == (
        "scores",
        "rec_indices",
        "rec_scores",
        "output_3",
    )
