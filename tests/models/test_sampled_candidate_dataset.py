"""Tests for SampledCandidateDataset."""

import keras
import numpy as np
import pytest

from kmr.losses import SoftmaxCrossEntropyRankingLoss
from kmr.models import SampledCandidateDataset, UnifiedRecommendationModel


def make_dataset(rng, num_users=10, num_items=200, **kwargs):
    positives = [
        rng.choice(num_items, rng.integers(1, 5), replace=False)
        for _ in range(num_users)
    ]
    arguments = {
        "user_ids": np.arange(num_users),
        "user_features": rng.random((num_users, 3), dtype="float32"),
        "positive_item_ids": positives,
        "item_features": rng.random((num_items, 2), dtype="float32"),
        "num_candidates": 40,
        "batch_size": 4,
        "seed": 7,
    }
    arguments.update(kwargs)
    return SampledCandidateDataset(**arguments), positives


def test_shapes_dtypes_and_length(rng):
    dataset, _ = make_dataset(rng)
    assert len(dataset) == 3
    (users, features, items, item_features), labels = dataset[0]
    assert users.shape == (4,) and users.dtype == np.int32
    assert features.shape == (4, 3) and features.dtype == np.float32
    assert items.shape == (40,) and items.dtype == np.int32
    assert item_features.shape == (40, 2)
    assert labels.shape == (4, 40) and labels.dtype == np.float32
    np.testing.assert_array_equal(item_features, dataset.item_features[items])
    (users, *_), labels = dataset[2]
    assert users.shape == (2,) and labels.shape == (2, 40)


def test_labels_mark_each_users_own_positives(rng):
    dataset, positives = make_dataset(rng)
    for index in range(len(dataset)):
        (users, _, items, _), labels = dataset[index]
        assert len(np.unique(items)) == len(items)
        batch_positives = np.concatenate([positives[u] for u in users])
        assert set(batch_positives) <= set(items.tolist())
        for row, user in enumerate(users):
            expected = np.isin(items, positives[user]).astype("float32")
            np.testing.assert_array_equal(labels[row], expected)


def test_ignored_items_are_minus_one_unless_positive(rng):
    ignored = [np.arange(200) for _ in range(10)]
    dataset, positives = make_dataset(rng, ignored_item_ids=ignored)
    (users, _, items, _), labels = dataset[1]
    for row, user in enumerate(users):
        expected = np.where(np.isin(items, positives[user]), 1.0, -1.0)
        np.testing.assert_array_equal(labels[row], expected)


def test_same_seed_same_batches_and_epochs_differ(rng):
    first, _ = make_dataset(np.random.default_rng(1))
    second, _ = make_dataset(np.random.default_rng(1))
    for a, b in zip(first[1][0], second[1][0]):
        np.testing.assert_array_equal(a, b)
    np.testing.assert_array_equal(first[1][1], second[1][1])
    before = first.user_order().copy()
    candidates_before = first[0][0][2].copy()
    first.on_epoch_end()
    assert not np.array_equal(before, first.user_order())
    assert not np.array_equal(candidates_before, first[0][0][2])
    other_seed, _ = make_dataset(np.random.default_rng(1), seed=8)
    assert not np.array_equal(second[0][0][2], other_seed[0][0][2])


def test_negatives_are_uniform_over_non_positives():
    dataset = SampledCandidateDataset(
        user_ids=[0],
        user_features=None,
        positive_item_ids=[[0, 5]],
        num_items=10,
        num_candidates=4,
        batch_size=1,
        seed=3,
    )
    counts = np.zeros(10)
    for epoch in range(2000):
        dataset.epoch = epoch
        (_, items), _ = dataset[0]
        counts[items] += 1
    assert counts[0] == counts[5] == 2000
    negatives = np.delete(counts, [0, 5]) / 2000
    # 2 of the 8 other items per batch: 0.25 each, binomial sd about 0.01.
    np.testing.assert_allclose(negatives, 0.25, atol=0.04)


def test_overflowing_positives_warn_and_are_subsampled(rng):
    with pytest.warns(UserWarning, match="num_candidates=5"):
        dataset = SampledCandidateDataset(
            user_ids=[0, 1],
            user_features=None,
            positive_item_ids=[np.arange(4), np.arange(4, 8)],
            num_items=20,
            num_candidates=5,
            batch_size=2,
            shuffle=False,
            seed=0,
        )
    (_, items), labels = dataset[0]
    assert len(items) == 5 and set(items.tolist()) <= set(range(8))
    assert labels.sum() == 5


@pytest.mark.parametrize(
    ("arguments", "message"),
    [
        ({"num_candidates": 201}, "num_candidates"),
        ({"batch_size": 0}, "batch_size"),
        ({"positive_item_ids": [[0]]}, "positive_item_ids"),
        ({"positive_item_ids": [[200]] * 10}, "positive_item_ids"),
        ({"ignored_item_ids": [[-1]] * 10}, "ignored_item_ids"),
        ({"user_features": np.zeros((3, 3))}, "user_features"),
        ({"item_features": None}, "num_items"),
        ({"shuffle": "yes"}, "shuffle"),
    ],
)
def test_invalid_arguments(rng, arguments, message):
    with pytest.raises(ValueError, match=message):
        make_dataset(rng, **arguments)


def test_index_out_of_range(rng):
    dataset, _ = make_dataset(rng)
    with pytest.raises(IndexError, match="index"):
        dataset[3]


def test_unified_model_learns_planted_preferences(rng):
    # Users of group g like the items of group g; features reveal groups.
    num_users, num_items, groups = 64, 2000, 4
    user_groups = np.arange(num_users) % groups
    item_groups = rng.integers(0, groups, num_items)
    user_features = np.eye(groups, dtype="float32")[user_groups]
    item_features = np.eye(groups, dtype="float32")[item_groups]
    positives = [
        rng.choice(np.flatnonzero(item_groups == g), 5, replace=False)
        for g in user_groups
    ]
    dataset = SampledCandidateDataset(
        np.arange(num_users),
        user_features,
        positives,
        item_features,
        num_candidates=128,
        batch_size=16,
        seed=0,
    )
    model = UnifiedRecommendationModel(
        num_users=num_users,
        num_items=num_items,
        user_feature_dim=groups,
        item_feature_dim=groups,
        embedding_dim=8,
        tower_dim=8,
    )
    model.set_item_catalog(item_features)
    model.compile(
        optimizer=keras.optimizers.Adam(0.02),
        loss=SoftmaxCrossEntropyRankingLoss(temperature=0.1),
    )
    history = model.fit(dataset, epochs=6, verbose=0)

    losses = history.history["loss"]
    assert losses[-1] < 0.8 * losses[0]
    top_ids, _ = model.recommend(np.arange(num_users), user_features, k=10)
    recall = np.mean(
        [np.isin(positives[u], top_ids[u]).mean() for u in range(num_users)]
    )
    # Over the whole catalog a random top 10 finds 10 / 2000 = 0.005 of
    # the positives; each step saw only 128 of the 2000 items.
    assert recall > 0.25
