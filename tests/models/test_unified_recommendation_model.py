"""Tests for UnifiedRecommendationModel."""

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

NUM_USERS, NUM_ITEMS, USER_DIM, ITEM_DIM = 30, 12, 4, 3


@keras.saving.register_keras_serializable(package="kmr_tests_unified")
class SoftmaxCandidateLoss(keras.losses.Loss):
    """Softmax cross-entropy over the candidates; labels -1 are ignored."""

    def __init__(self, temperature=10.0, **kwargs):
        super().__init__(**kwargs)
        self.temperature = temperature

    def call(self, y_true, y_pred):
        valid = y_true >= 0
        positives = ops.where(valid, ops.maximum(y_true, 0.0), 0.0)
        logits = ops.where(valid, y_pred * self.temperature, -1e9)
        log_probs = ops.log_softmax(logits, axis=-1)
        total = ops.maximum(ops.sum(positives, axis=-1), 1.0)
        return -ops.sum(positives * log_probs, axis=-1) / total

    def get_config(self):
        return {**super().get_config(), "temperature": self.temperature}


@keras.saving.register_keras_serializable(package="kmr_tests_unified")
class HitAt3(keras.metrics.Mean):
    """Share of rows with a positive among the 3 best-scored candidates."""

    def __init__(self, name="hit@3", **kwargs):
        super().__init__(name=name, **kwargs)

    def update_state(self, y_true, y_pred, sample_weight=None):
        top = ops.top_k(y_pred, 3)[1]
        hits = ops.take_along_axis(y_true, top, axis=1)
        return super().update_state(
            ops.cast(ops.max(hits, axis=1) > 0, "float32"), sample_weight
        )


def make_model(cls=UnifiedRecommendationModel, **kwargs):
    arguments = {
        "num_users": NUM_USERS,
        "num_items": NUM_ITEMS,
        "user_feature_dim": USER_DIM,
        "item_feature_dim": ITEM_DIM,
        "embedding_dim": 8,
        "tower_dim": 8,
        "top_k": 5,
    }
    arguments.update(kwargs)
    return cls(**arguments)


@pytest.fixture
def data(rng):
    user_ids = np.arange(NUM_USERS)
    user_features = rng.normal(size=(NUM_USERS, USER_DIM)).astype("float32")
    catalog = rng.normal(size=(NUM_ITEMS, ITEM_DIM)).astype("float32")
    item_ids = np.tile(np.arange(NUM_ITEMS), (NUM_USERS, 1))
    item_features = np.broadcast_to(
        catalog, (NUM_USERS, NUM_ITEMS, ITEM_DIM)
    ).copy()
    labels = (rng.random((NUM_USERS, NUM_ITEMS)) < 0.25).astype("float32")
    return {
        "replicated": [user_ids, user_features, item_ids, item_features],
        "users": [user_ids, user_features],
        "catalog": catalog,
        "labels": labels,
    }


def _cosine(users, items):
    users = users / np.sqrt((users**2).sum(-1, keepdims=True) + 1e-12)
    items = items / np.sqrt((items**2).sum(-1, keepdims=True) + 1e-12)
    return users @ items.T


# ----------------------------------------------------------------------
# Construction.


def test_signature_matches_the_original():
    parameters = list(
        inspect.signature(UnifiedRecommendationModel).parameters.values()
    )
    names = [p.name for p in parameters]
    assert names[:10] == [
        "num_users",
        "num_items",
        "user_feature_dim",
        "item_feature_dim",
        "embedding_dim",
        "tower_dim",
        "top_k",
        "l2_reg",
        "preprocessing_model",
        "name",
    ]
    defaults = {p.name: p.default for p in parameters}
    assert defaults["embedding_dim"] == 32
    assert defaults["tower_dim"] == 32
    assert defaults["top_k"] == 10
    assert defaults["l2_reg"] == 1e-4
    assert defaults["preprocessing_model"] is None
    assert defaults["name"] == "unified_recommendation_model"


def test_attributes_and_no_unused_layers():
    model = make_model(tower_layers=3, activation="tanh")
    assert model.num_users == NUM_USERS
    assert model.tower_dim == 8 and model.embedding_dim == 8
    assert model.user_tower.hidden_layers == 3
    assert model.item_tower.activation == "tanh"
    assert model.count_params() > 0

    layer_names = {
        layer.name
        for layer in model._flatten_layers(include_self=False, recursive=False)
    }
    assert layer_names == {
        "embedding_layer",
        "user_tower",
        "item_tower",
        "similarity_layer",
        "weight_combiner",
        "selector_layer",
    }


@pytest.mark.parametrize(
    "argument, value",
    [
        ("num_users", 0),
        ("num_items", 0),
        ("user_feature_dim", 0),
        ("item_feature_dim", -1),
        ("embedding_dim", 0),
        ("tower_dim", 0),
        ("top_k", 0),
        ("top_k", NUM_ITEMS + 1),
        ("l2_reg", -0.1),
        ("tower_layers", 0),
        ("dropout_rate", 1.0),
        ("activation", "no_such_activation"),
        ("per_user_weights", "yes"),
    ],
)
def test_bad_arguments_are_named(argument, value):
    with pytest.raises(ValueError, match=argument):
        make_model(**{argument: value})


def test_numpy_integer_arguments_are_accepted():
    model = make_model(num_users=np.int64(NUM_USERS), top_k=np.int32(3))
    assert model.num_users == NUM_USERS and model.top_k == 3


def test_config_round_trip_and_registration():
    model = make_model(per_user_weights=False, dropout_rate=0.1)
    clone = assert_config_round_trip(model)
    assert clone.per_user_weights is False
    assert clone.dropout_rate == 0.1
    assert_registered(model, "kmr.models")


# ----------------------------------------------------------------------
# The forward pass.


def test_scores_match_a_numpy_oracle(data, rng):
    model = make_model()
    offsets = rng.normal(size=(NUM_USERS, 2)).astype("float32")
    model.weight_combiner.user_logit_offsets.embeddings.assign(offsets)
    model.weight_combiner.component_logits.assign([0.3, -0.2])
    model.set_item_catalog(data["catalog"])
    user_ids, user_features = data["users"]

    scores, rec_indices, rec_scores = to_numpy(model(data["users"]))

    embeddings = model.embedding_layer
    user_vectors = ops.convert_to_numpy(embeddings.user_embedding.embeddings)
    item_vectors = ops.convert_to_numpy(embeddings.item_embedding.embeddings)
    cf = _cosine(user_vectors[user_ids], item_vectors)
    user_towers = ops.convert_to_numpy(model.user_tower(user_features))
    item_towers = ops.convert_to_numpy(model.item_tower(data["catalog"]))
    cb = _cosine(user_towers, item_towers)
    logits = np.array([0.3, -0.2]) + offsets[user_ids]
    weights = np.exp(logits) / np.exp(logits).sum(1, keepdims=True)
    expected = weights[:, :1] * cf + weights[:, 1:] * cb

    np.testing.assert_allclose(scores, expected, atol=1e-5)
    expected_order = np.argsort(-expected, axis=1, kind="stable")[:, :5]
    np.testing.assert_array_equal(rec_indices, expected_order)
    np.testing.assert_allclose(
        rec_scores, np.take_along_axis(expected, expected_order, 1), atol=1e-5
    )


def test_shared_catalog_equals_replicated_candidates(data):
    model = make_model()
    model.set_item_catalog(data["catalog"])

    replicated = model(data["replicated"], training=False)
    shared = model(data["users"], training=False)

    assert [tuple(o.shape) for o in shared] == [
        (NUM_USERS, NUM_ITEMS),
        (NUM_USERS, 5),
        (NUM_USERS, 5),
    ]
    assert_structures_equal(shared[0], replicated[0], atol=1e-6)
    assert_structures_equal(shared[2], replicated[2], atol=1e-6)


def test_same_outputs_in_training_and_inference(data):
    model = make_model()
    training = model(data["replicated"], training=True)
    inference = model(data["replicated"], training=False)
    assert len(training) == len(inference) == 3
    for got, want in zip(training, inference):
        assert tuple(got.shape) == tuple(want.shape)


def test_fewer_candidates_than_top_k_returns_that_many(data):
    model = make_model(top_k=5)
    user_ids, user_features, item_ids, item_features = data["replicated"]

    scores, rec_indices, rec_scores = model(
        [user_ids, user_features, item_ids[:, :3], item_features[:, :3]]
    )

    assert tuple(scores.shape) == (NUM_USERS, 3)
    assert tuple(rec_indices.shape) == (NUM_USERS, 3)
    assert tuple(rec_scores.shape) == (NUM_USERS, 3)


def test_new_user_is_scored_from_features_alone(data):
    model = make_model()
    model.set_item_catalog(data["catalog"])
    user_ids, user_features = data["users"]
    explainable = make_model(ExplainableUnifiedRecommendationModel)
    explainable.set_weights(model.get_weights())

    cold = np.full_like(user_ids[:4], -1)
    scores = model([cold, user_features[:4]])[0]
    cb = explainable([cold, user_features[:4]])[4]

    assert_structures_equal(scores, cb)
    np.testing.assert_array_equal(
        model.component_weights(cold), np.tile([0.0, 1.0], (4, 1))
    )


# ----------------------------------------------------------------------
# Input errors.


def test_out_of_range_ids_are_named(data):
    model = make_model()
    user_ids, user_features, item_ids, item_features = data["replicated"]
    bad_users = user_ids.copy()
    bad_users[3] = NUM_USERS
    bad_items = item_ids.copy()
    bad_items[0, 0] = -2

    with pytest.raises(ValueError, match=r"`user_ids`.*30"):
        model.predict([bad_users, user_features], verbose=0)
    with pytest.raises(ValueError, match=r"`item_ids`.*-2"):
        model.predict(
            [user_ids, user_features, bad_items, item_features], verbose=0
        )


def test_wrong_feature_widths_are_named(data):
    model = make_model()
    user_ids, user_features, item_ids, item_features = data["replicated"]
    with pytest.raises(ValueError, match="`user_features`"):
        model([user_ids, user_features[:, :2]])
    with pytest.raises(ValueError, match="`item_features`"):
        model([user_ids, user_features, item_ids, item_features[..., :2]])


def test_candidate_counts_must_agree(data):
    model = make_model()
    user_ids, user_features, item_ids, item_features = data["replicated"]
    with pytest.raises(ValueError, match="`item_ids` has 11"):
        model([user_ids, user_features, item_ids[:, :11], item_features])


def test_wrong_number_of_inputs(data):
    model = make_model()
    with pytest.raises(ValueError, match="expects the inputs"):
        model(data["replicated"][:3])


def test_item_catalog_shape_is_checked():
    model = make_model()
    with pytest.raises(ValueError, match="`item_features`"):
        model.set_item_catalog(np.zeros((NUM_ITEMS, ITEM_DIM + 1)))


# ----------------------------------------------------------------------
# compile, fit, evaluate, predict, save.


@pytest.mark.parametrize("form", ["list", "single", "flat_metrics"])
def test_compile_forms(data, form):
    model = make_model()
    model.set_item_catalog(data["catalog"])
    if form == "list":
        model.compile(
            keras.optimizers.Adam(0.02),
            loss=[SoftmaxCandidateLoss(), None, None],
            metrics=[[HitAt3()], None, None],
            jit_compile=False,
        )
    elif form == "single":
        model.compile(
            keras.optimizers.Adam(0.02),
            loss=SoftmaxCandidateLoss(),
            metrics=[HitAt3()],
            jit_compile=False,
        )
    else:
        model.compile(
            keras.optimizers.Adam(0.02),
            loss=SoftmaxCandidateLoss(),
            metrics=[HitAt3(), HitAt3(name="second_hit")],
            jit_compile=False,
        )
    before = model.component_weights(np.arange(NUM_USERS))

    history = model.fit(
        data["users"], data["labels"], epochs=2, batch_size=8, verbose=0
    )

    expected = {"loss", "hit@3"} | (
        {"second_hit"} if form == "flat_metrics" else set()
    )
    assert set(history.history) == expected
    assert history.history["loss"][1] < history.history["loss"][0]

    # The blend itself is trained.
    after = model.component_weights(np.arange(NUM_USERS))
    assert not np.allclose(before, after)
    np.testing.assert_allclose(after.sum(1), 1.0, rtol=1e-6)


def test_fit_on_replicated_candidates_and_evaluate(data):
    model = make_model()
    model.set_item_catalog(data["catalog"])
    model.compile(
        "adam",
        loss=SoftmaxCandidateLoss(),
        metrics=[HitAt3()],
        jit_compile=False,
    )

    history = model.fit(
        data["replicated"], data["labels"], epochs=1, batch_size=8, verbose=0
    )
    results = model.evaluate(
        data["replicated"], data["labels"], verbose=0, return_dict=True
    )
    loss = model.evaluate(
        data["replicated"], data["labels"], verbose=0, return_dict=False
    )

    assert set(history.history) == set(results) == {"loss", "hit@3"}
    assert np.isfinite(results["loss"])
    np.testing.assert_allclose(loss[0], results["loss"], rtol=1e-6)


def test_keras_round_trip_and_refit(data, tmp_path):
    model = make_model()
    model.set_item_catalog(data["catalog"])
    model.compile(
        "adam", loss=[SoftmaxCandidateLoss(), None, None], jit_compile=False
    )
    model.fit(data["users"], data["labels"], epochs=1, verbose=0)

    reloaded = assert_model_keras_round_trip(model, data["users"], tmp_path)
    assert_structures_equal(
        reloaded.predict(data["replicated"], verbose=0),
        model.predict(data["replicated"], verbose=0),
    )

    before = reloaded.get_weights()
    reloaded.fit(data["users"], data["labels"], epochs=1, verbose=0)
    changed = [
        not np.array_equal(a, b) for a, b in zip(before, reloaded.get_weights())
    ]
    assert any(changed)


def test_preprocessing_model_is_applied_and_saved(data, tmp_path, rng):
    raw_width = 6
    raw_features = rng.normal(size=(NUM_USERS, raw_width)).astype("float32")
    projection = keras.layers.Dense(USER_DIM, name="projection")
    model = make_model(preprocessing_model=projection)
    model.set_item_catalog(data["catalog"])
    user_ids = data["users"][0]

    scores = model([user_ids, raw_features])[0]

    plain = make_model()
    for name in ("embedding_layer", "user_tower", "item_tower"):
        getattr(plain, name).set_weights(getattr(model, name).get_weights())
    plain.weight_combiner.set_weights(model.weight_combiner.get_weights())
    plain.set_item_catalog(data["catalog"])
    projected = ops.convert_to_numpy(projection(raw_features))
    assert_structures_equal(scores, plain([user_ids, projected])[0], atol=1e-6)

    assert model.get_config()["preprocessing_model"]["class_name"] == "Dense"
    assert_model_keras_round_trip(model, [user_ids, raw_features], tmp_path)


def test_preprocessing_model_with_wrong_output_width(data):
    model = make_model(preprocessing_model=keras.layers.Dense(USER_DIM + 1))
    with pytest.raises(ValueError, match="preprocessing_model"):
        model(data["users"])


def test_preprocessing_model_must_be_a_layer():
    with pytest.raises(ValueError, match="preprocessing_model"):
        make_model(preprocessing_model=lambda x: x)


def test_recommend_excludes_seen_items(data):
    model = make_model()
    model.set_item_catalog(data["catalog"])
    user_ids, user_features = data["users"]
    seen = data["labels"] > 0

    ids, scores = model.recommend(
        user_ids=user_ids,
        user_features=user_features,
        k=4,
        seen_item_mask=seen,
    )

    assert ids.shape == scores.shape == (NUM_USERS, 4)
    assert not seen[np.arange(NUM_USERS)[:, None], ids].any()
    full = model.predict(data["users"], verbose=0)[0]
    np.testing.assert_allclose(
        scores, np.take_along_axis(full, ids, axis=1), atol=1e-6
    )


# ----------------------------------------------------------------------
# Learning on planted signal.


def _top_labels(affinity, positives):
    labels = np.zeros(affinity.shape, "float32")
    best = np.argsort(-affinity, axis=1)[:, :positives]
    np.put_along_axis(labels, best, 1.0, axis=1)
    return labels


def _collaborative_only_data(rng, users=200, items=60):
    """Interactions from latent factors; features are fresh noise."""
    affinity = rng.normal(size=(users, 3)) @ rng.normal(size=(3, items))
    x = [
        np.arange(users),
        rng.normal(size=(users, 4)).astype("float32"),
        np.tile(np.arange(items), (users, 1)),
        # Fresh noise for every (user, candidate): no item to learn from.
        rng.normal(size=(users, items, 4)).astype("float32"),
    ]
    return x, _top_labels(affinity, 6)


def _content_only_data(rng, users=200, items=60):
    """Interactions from feature affinity; ids carry no identity."""
    user_features = rng.normal(size=(users, 4)).astype("float32")
    item_features = rng.normal(size=(items, 4)).astype("float32")
    affinity = user_features @ rng.normal(size=(4, 4)) @ item_features.T
    x = [
        # 16 ids shared by 200 different users, and every row shuffles
        # which item each id names, so embeddings see only noise.
        rng.integers(0, 16, users),
        user_features,
        np.argsort(rng.random((users, items)), axis=1),
        np.broadcast_to(item_features, (users, items, 4)).copy(),
    ]
    return x, _top_labels(affinity, 6)


@pytest.mark.parametrize(
    "make_data, informative",
    [(_collaborative_only_data, 0), (_content_only_data, 1)],
    ids=["collaborative", "content"],
)
def test_blend_moves_towards_the_informative_signal(
    rng, make_data, informative
):
    x, labels = make_data(rng)
    model = UnifiedRecommendationModel(
        200, 60, 4, 4, embedding_dim=8, tower_dim=16, top_k=5
    )
    model.compile(
        keras.optimizers.Adam(0.03),
        loss=SoftmaxCandidateLoss(),
        jit_compile=False,
    )

    model.fit(x, labels, epochs=12, batch_size=50, verbose=0)

    population = model.component_weights()
    per_user = model.component_weights(np.unique(x[0])).mean(axis=0)
    assert population[informative] > 0.6, population
    assert per_user[informative] > 0.6, per_user


def _recall_at_10(ranked_ids, held_out):
    hits = np.take_along_axis(held_out, ranked_ids, axis=1).sum(axis=1)
    return float((hits / held_out.sum(axis=1)).mean())


def test_held_out_recall_beats_popularity(rng):
    users, items = 200, 100
    popularity = 1.5 * rng.normal(size=items)
    affinity = rng.normal(size=(users, 4)) @ rng.normal(size=(4, items))
    labels = _top_labels(affinity + popularity, 10)
    held_out = np.zeros_like(labels)
    for user in range(users):
        chosen = rng.choice(np.flatnonzero(labels[user]), 3, replace=False)
        held_out[user, chosen] = 1.0
    train = labels - held_out
    user_ids = np.arange(users)
    user_features = rng.normal(size=(users, 4)).astype("float32")

    model = UnifiedRecommendationModel(
        users, items, 4, 4, embedding_dim=16, tower_dim=8, top_k=10
    )
    model.set_item_catalog(rng.normal(size=(items, 4)).astype("float32"))
    model.compile(
        keras.optimizers.Adam(0.03),
        loss=SoftmaxCandidateLoss(),
        jit_compile=False,
    )
    model.fit(
        [user_ids, user_features], train, epochs=15, batch_size=50, verbose=0
    )
    ranked, _ = model.recommend(
        user_ids=user_ids,
        user_features=user_features,
        k=10,
        seen_item_mask=train > 0,
    )

    popular = np.where(train > 0, -np.inf, train.sum(axis=0))
    popular_ranked = np.argsort(-popular, axis=1, kind="stable")[:, :10]
    model_recall = _recall_at_10(ranked, held_out)
    popularity_recall = _recall_at_10(popular_ranked, held_out)
    assert model_recall > popularity_recall + 0.15, (
        model_recall,
        popularity_recall,
    )


def _seed_workflow_loss(name):
    if name == "softmax":
        return SoftmaxCandidateLoss()
    losses = pytest.importorskip("kmr.losses")
    if not hasattr(losses, "ImprovedMarginRankingLoss"):
        pytest.skip("kmr.losses.ImprovedMarginRankingLoss is not available")
    return losses.ImprovedMarginRankingLoss(
        margin=1.0, max_min_weight=0.6, avg_weight=0.4
    )


@pytest.mark.slow
@pytest.mark.parametrize(
    "loss_name",
    ["margin", "softmax"],
)
def test_seed_workflow_beats_popularity(loss_name):
    from kmr.evaluation import (
        PopularityRecommender,
        evaluate_ranking,
        label_matrix,
        random_holdout_split,
    )
    from kmr.utils import KMRDataGenerator

    generate = KMRDataGenerator.generate_collaborative_filtering_data
    users, items, _, user_features, item_features = generate(
        n_users=1000, n_items=500, n_interactions=10000, random_state=42
    )
    train, test = random_holdout_split(users, test_fraction=0.2, seed=0)
    rows = np.arange(1000)
    labels = label_matrix(users[train], items[train], 500, rows)
    model = UnifiedRecommendationModel(
        num_users=1000,
        num_items=500,
        user_feature_dim=10,
        item_feature_dim=8,
        embedding_dim=64,
        tower_dim=64,
        top_k=10,
        l2_reg=0.01,
    )
    model.set_item_catalog(item_features)
    model.compile(
        keras.optimizers.Adam(1e-3), loss=_seed_workflow_loss(loss_name)
    )

    model.fit(
        [rows, user_features], labels, epochs=30, batch_size=32, verbose=0
    )
    seen = labels > 0
    ranked, _ = model.recommend(
        user_ids=rows, user_features=user_features, seen_item_mask=seen
    )
    popularity = PopularityRecommender(num_items=500)
    popularity.fit(users[train], items[train])
    popular, _ = popularity.recommend(user_ids=rows, k=10, seen_item_mask=seen)

    held_out = (users[test], items[test])
    model_recall = evaluate_ranking(ranked, held_out, user_ids=rows)
    popular_recall = evaluate_ranking(popular, held_out, user_ids=rows)
    assert model_recall["recall@10"] > 1.2 * popular_recall["recall@10"], (
        model_recall["recall@10"],
        popular_recall["recall@10"],
    )
