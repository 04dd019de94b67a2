"""Tests for ExplainableUnifiedRecommendationModel."""

import inspect

import keras
import numpy as np
import pytest
from keras import ops

from kmr.models import (
    ExplainableUnifiedRecommendationModel,
    UnifiedRecommendationModel,
)
from tests.harness import (
    assert_config_round_trip,
    assert_model_keras_round_trip,
    assert_registered,
    assert_structures_equal,
    to_numpy,
)

NUM_USERS, NUM_ITEMS, USER_DIM, ITEM_DIM = 24, 10, 4, 3
OUTPUTS = 7


@keras.saving.register_keras_serializable(package="kmr_tests_explainable")
class SoftmaxCandidateLoss(keras.losses.Loss):
    """Softmax cross-entropy over the candidates (temperature 10)."""

    def call(self, y_true, y_pred):
        positives = ops.maximum(y_true, 0.0)
        log_probs = ops.log_softmax(y_pred * 10.0, axis=-1)
        total = ops.maximum(ops.sum(positives, axis=-1), 1.0)
        return -ops.sum(positives * log_probs, axis=-1) / total


def make_model(**kwargs):
    arguments = {
        "num_users": NUM_USERS,
        "num_items": NUM_ITEMS,
        "user_feature_dim": USER_DIM,
        "item_feature_dim": ITEM_DIM,
        "embedding_dim": 8,
        "tower_dim": 8,
        "top_k": 4,
    }
    arguments.update(kwargs)
    return ExplainableUnifiedRecommendationModel(**arguments)


@pytest.fixture
def data(rng):
    user_ids = np.arange(NUM_USERS)
    user_features = rng.normal(size=(NUM_USERS, USER_DIM)).astype("float32")
    catalog = rng.normal(size=(NUM_ITEMS, ITEM_DIM)).astype("float32")
    item_ids = np.tile(np.arange(NUM_ITEMS), (NUM_USERS, 1))
    item_features = np.broadcast_to(
        catalog, (NUM_USERS, NUM_ITEMS, ITEM_DIM)
    ).copy()
    labels = (rng.random((NUM_USERS, NUM_ITEMS)) < 0.3).astype("float32")
    return {
        "replicated": [user_ids, user_features, item_ids, item_features],
        "users": [user_ids, user_features],
        "catalog": catalog,
        "labels": labels,
    }


def _perturb_blend(model, rng):
    """Gives every user a different, non-trivial blend."""
    model.weight_combiner.component_logits.assign([0.4, -0.3])
    offsets = rng.normal(size=(NUM_USERS, 2)).astype("float32")
    model.weight_combiner.user_logit_offsets.embeddings.assign(offsets)


def test_signature_matches_the_unified_model():
    explainable = inspect.signature(ExplainableUnifiedRecommendationModel)
    unified = inspect.signature(UnifiedRecommendationModel)
    assert list(explainable.parameters) == list(unified.parameters)
    for name, parameter in unified.parameters.items():
        if name != "name":
            assert explainable.parameters[name].default == parameter.default
    assert explainable.parameters["name"].default == (
        "explainable_unified_recommendation_model"
    )


def test_bad_arguments_are_named():
    with pytest.raises(ValueError, match="top_k"):
        make_model(top_k=NUM_ITEMS + 1)
    with pytest.raises(ValueError, match="user_feature_dim"):
        make_model(user_feature_dim=0)


@pytest.mark.parametrize("training", [False, True])
@pytest.mark.parametrize("candidates", ["replicated", "users"])
def test_seven_outputs_and_the_explanation_is_the_computation(
    data, rng, training, candidates
):
    model = make_model()
    model.set_item_catalog(data["catalog"])
    _perturb_blend(model, rng)

    outputs = to_numpy(model(data[candidates], training=training))

    assert isinstance(outputs, tuple) and len(outputs) == OUTPUTS
    combined, rec_indices, rec_scores, cf, cb, weights, raw_cf = outputs
    for per_candidate in (combined, cf, cb, raw_cf):
        assert per_candidate.shape == (NUM_USERS, NUM_ITEMS)
    assert rec_indices.shape == rec_scores.shape == (NUM_USERS, 4)
    assert weights.shape == (NUM_USERS, 2)
    np.testing.assert_allclose(weights.sum(axis=1), 1.0, rtol=1e-6)
    assert np.ptp(weights[:, 0]) > 0.1  # weights differ between users

    np.testing.assert_allclose(
        combined, weights[:, :1] * cf + weights[:, 1:] * cb, atol=1e-6
    )
    np.testing.assert_allclose(
        rec_scores, np.take_along_axis(combined, rec_indices, 1), atol=1e-6
    )
    assert np.all(np.abs(cf) <= 1 + 1e-6) and np.all(np.abs(cb) <= 1 + 1e-6)


def test_raw_cf_scores_are_the_embedding_dot_products(data):
    model = make_model()
    model.set_item_catalog(data["catalog"])

    raw_cf, cf = to_numpy(model(data["users"]))[6], None
    embeddings = model.embedding_layer
    users = ops.convert_to_numpy(embeddings.user_embedding.embeddings)
    items = ops.convert_to_numpy(embeddings.item_embedding.embeddings)
    np.testing.assert_allclose(raw_cf, users @ items.T, atol=1e-6)
    assert cf is None


def test_scores_equal_the_unified_model_with_the_same_weights(data, rng):
    explainable = make_model()
    _perturb_blend(explainable, rng)
    unified = UnifiedRecommendationModel(
        NUM_USERS, NUM_ITEMS, USER_DIM, ITEM_DIM, 8, 8, 4
    )
    unified.set_weights(explainable.get_weights())

    expected = explainable(data["replicated"])
    actual = unified(data["replicated"])

    assert_structures_equal(actual, expected[:3])


def test_cold_start_user_and_item(data):
    model = make_model()
    user_ids, user_features, item_ids, item_features = data["replicated"]
    user_ids = user_ids.copy()
    item_ids = item_ids.copy()
    user_ids[:3] = -1
    item_ids[:, 0] = -1

    combined, _, _, cf, cb, weights, raw_cf = to_numpy(
        model.predict(
            [user_ids, user_features, item_ids, item_features], verbose=0
        )
    )

    np.testing.assert_array_equal(weights[:3], np.tile([0.0, 1.0], (3, 1)))
    np.testing.assert_array_equal(cf[:3], 0.0)
    np.testing.assert_array_equal(raw_cf[:3], 0.0)
    np.testing.assert_array_equal(combined[:3], cb[:3])
    np.testing.assert_array_equal(cf[:, 0], 0.0)
    np.testing.assert_array_equal(raw_cf[:, 0], 0.0)
    assert np.all(np.abs(cf[3:, 1:]) > 0)
    np.testing.assert_allclose(
        combined, weights[:, :1] * cf + weights[:, 1:] * cb, atol=1e-6
    )


def test_ids_below_minus_one_are_rejected(data):
    model = make_model()
    user_ids, user_features = data["users"]
    with pytest.raises(ValueError, match=r"`user_ids` must lie in \[-1, 23\]"):
        model.predict([user_ids - 2, user_features], verbose=0)


def test_seed_notebook_compile_with_seven_entries_fits(data):
    model = make_model()
    model.set_item_catalog(data["catalog"])
    model.compile(
        keras.optimizers.Adam(0.01),
        loss=[SoftmaxCandidateLoss(), None, None, None, None, None, None],
        metrics=[
            [keras.metrics.MeanSquaredError(name="mse")],
            None,
            None,
            None,
            None,
            None,
            None,
        ],
        jit_compile=False,
    )
    weights_before = model.component_weights(np.arange(NUM_USERS))

    history = model.fit(
        data["replicated"], data["labels"], epochs=2, batch_size=8, verbose=0
    )
    predictions = model.predict(data["users"], verbose=0)

    assert set(history.history) == {"loss", "mse"}
    assert len(predictions) == OUTPUTS
    assert predictions[5].shape == (NUM_USERS, 2)
    assert not np.allclose(
        weights_before, model.component_weights(np.arange(NUM_USERS))
    )


def test_single_loss_compile_fits_on_the_shared_catalog(data):
    model = make_model()
    model.set_item_catalog(data["catalog"])
    model.compile("adam", loss=SoftmaxCandidateLoss(), jit_compile=False)

    history = model.fit(
        data["users"], data["labels"], epochs=1, batch_size=8, verbose=0
    )

    assert set(history.history) == {"loss"}


def test_keras_round_trip_and_refit(data, tmp_path, rng):
    model = make_model()
    model.set_item_catalog(data["catalog"])
    _perturb_blend(model, rng)
    model.compile(
        "adam",
        loss=[SoftmaxCandidateLoss()] + [None] * (OUTPUTS - 1),
        jit_compile=False,
    )
    model.fit(data["users"], data["labels"], epochs=1, verbose=0)

    reloaded = assert_model_keras_round_trip(model, data["users"], tmp_path)
    assert_structures_equal(
        reloaded.predict(data["replicated"], verbose=0),
        model.predict(data["replicated"], verbose=0),
    )
    assert_config_round_trip(model)
    assert_registered(model, "kmr.models")

    history = reloaded.fit(data["users"], data["labels"], epochs=1, verbose=0)
    assert np.isfinite(history.history["loss"][0])


def test_recommend_explains_each_recommendation(data, rng):
    model = make_model()
    model.set_item_catalog(data["catalog"])
    _perturb_blend(model, rng)
    user_ids, user_features = data["users"]
    seen = data["labels"] > 0

    ids, scores, explanation = model.recommend(
        user_ids=user_ids,
        user_features=user_features,
        k=3,
        seen_item_mask=seen,
        explain=True,
        batch_size=7,
    )

    assert set(explanation) == {
        "cf_similarities",
        "cb_similarities",
        "weights",
        "raw_cf_scores",
    }
    assert explanation["weights"].shape == (NUM_USERS, 2)
    for name in ("cf_similarities", "cb_similarities", "raw_cf_scores"):
        assert explanation[name].shape == (NUM_USERS, 3)
    assert not seen[np.arange(NUM_USERS)[:, None], ids].any()

    weights = explanation["weights"]
    rebuilt = (
        weights[:, :1] * explanation["cf_similarities"]
        + weights[:, 1:] * explanation["cb_similarities"]
    )
    np.testing.assert_allclose(rebuilt, scores, atol=1e-6)

    full = to_numpy(model(data["users"]))
    np.testing.assert_allclose(weights, full[5], atol=1e-6)
    np.testing.assert_allclose(
        explanation["cf_similarities"],
        np.take_along_axis(full[3], ids, axis=1),
        atol=1e-6,
    )


def test_recommend_keeps_per_user_weights_whole_for_two_items(rng):
    model = ExplainableUnifiedRecommendationModel(
        5, 2, USER_DIM, ITEM_DIM, 8, 8, top_k=1
    )
    model.set_item_catalog(rng.normal(size=(2, ITEM_DIM)))
    user_features = rng.normal(size=(5, USER_DIM)).astype("float32")

    ids, _, explanation = model.recommend(
        user_ids=np.arange(5), user_features=user_features, explain=True
    )

    assert ids.shape == (5, 1)
    assert explanation["weights"].shape == (5, 2)
    assert explanation["cf_similarities"].shape == (5, 1)
