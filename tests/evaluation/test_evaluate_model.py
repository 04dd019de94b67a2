import numpy as np
import pytest

from kmr.evaluation import (
    PopularityRecommender,
    evaluate_model,
    evaluate_ranking,
)


class RecordingModel:
    """Scores item i as i for every user and records the masks it gets."""

    num_items = 6

    def __init__(self):
        self.masks = []

    def recommend(
        self, user_ids=None, user_features=None, k=10, seen_item_mask=None
    ):
        self.masks.append(seen_item_mask.copy())
        self.features = user_features
        scores = np.tile(np.arange(6.0), (len(user_ids), 1))
        scores[seen_item_mask] = -np.inf
        order = np.argsort(-scores, axis=1, kind="stable")[:, :k]
        ids = np.where(
            np.isneginf(np.take_along_axis(scores, order, 1)), -1, order
        )
        return ids, np.take_along_axis(scores, order, 1)


TRAIN = (np.array([0, 0, 1, 2]), np.array([5, 4, 5, 0]))
TEST = (np.array([0, 1, 1, 3]), np.array([3, 4, 1, 5]))


def test_excludes_training_items_and_matches_hand_lists():
    model = RecordingModel()

    result = evaluate_model(model, TRAIN, TEST, k_values=[1, 2], batch_size=2)

    # Users 0, 1, 3 rank 3,2 / 4,3 / 5,4 once their training items are out.
    expected = evaluate_ranking(
        [[3, 2], [4, 3], [5, 4]],
        TEST,
        [1, 2],
        user_ids=[0, 1, 3],
        num_items=6,
    )
    assert result == pytest.approx(expected)
    assert result["hit_rate@1"] == pytest.approx(1.0)
    np.testing.assert_array_equal(
        np.concatenate(model.masks),
        [[0, 0, 0, 0, 1, 1], [0, 0, 0, 0, 0, 1], [0, 0, 0, 0, 0, 0]],
    )


def test_user_features_are_passed_per_chunk():
    model = RecordingModel()
    features = np.arange(8.0).reshape(4, 2)

    evaluate_model(model, TRAIN, TEST, user_features=features)

    np.testing.assert_array_equal(model.features, features[[0, 1, 3]])


class RecordingPopularity(PopularityRecommender):
    def recommend(self, user_ids=None, **kwargs):
        ids, scores = super().recommend(user_ids=user_ids, **kwargs)
        self.lists = getattr(self, "lists", []) + list(zip(user_ids, ids))
        return ids, scores


def test_popularity_never_recommends_training_items(rng):
    users = rng.integers(0, 50, 2000)
    items = rng.integers(0, 40, 2000)
    train, test = slice(0, 1500), slice(1500, None)
    model = RecordingPopularity(num_items=40).fit(users[train], items[train])

    result = evaluate_model(
        model,
        (users[train], items[train]),
        (users[test], items[test]),
        k_values=[5, 40],
        batch_size=16,
    )

    seen = set(zip(users[train].tolist(), items[train].tolist()))
    listed = {(int(u), int(i)) for u, row in model.lists for i in row}
    assert len(model.lists) == len(np.unique(users[test]))
    assert listed and not listed & seen
    assert 0.0 < result["ndcg@5"] < 1.0
    assert result["num_users"] == len(np.unique(users[test]))


def test_num_items_is_required_without_attribute():
    class Bare:
        def recommend(self, **kwargs):
            raise AssertionError

    with pytest.raises(ValueError, match="num_items"):
        evaluate_model(Bare(), TRAIN, TEST)
    with pytest.raises(ValueError, match="train_interactions"):
        evaluate_model(RecordingModel(), [1, 2, 3], TEST)
