import numpy as np
import pytest

from kmr.evaluation import PopularityRecommender

TRAIN_USERS = np.array([0, 0, 1, 1, 2, 2, 2])
TRAIN_ITEMS = np.array([3, 1, 3, 2, 3, 1, 0])


def test_ranks_by_count_with_ties_to_lower_id():
    model = PopularityRecommender(num_items=5).fit(TRAIN_USERS, TRAIN_ITEMS)

    ids, scores = model.recommend(user_ids=[7, 8], k=5)

    np.testing.assert_array_equal(ids, [[3, 1, 0, 2, 4]] * 2)
    np.testing.assert_array_equal(scores, [[3, 2, 1, 1, 0]] * 2)
    assert ids.dtype == np.int64 and scores.dtype == np.float32


def test_seen_items_are_excluded_and_short_lists_padded():
    model = PopularityRecommender(num_items=3).fit(TRAIN_USERS, TRAIN_ITEMS % 3)
    mask = np.array([[True, True, False], [False, False, False]])

    ids, scores = model.recommend(user_ids=[0, 1], k=2, seen_item_mask=mask)
    same, _ = model.recommend(
        user_ids=[0, 1], k=2, seen_item_ids=[[0, 1], []], batch_size=1
    )

    assert ids[0, 0] == 2 and ids[0, 1] == -1 and np.isneginf(scores[0, 1])
    np.testing.assert_array_equal(ids, same)
    assert not np.any(
        mask[np.arange(2)[:, None], np.maximum(ids, 0)] & (ids >= 0)
    )


def test_weights_and_default_k():
    model = PopularityRecommender(num_items=4, top_k=2)
    model.fit([0, 1], [1, 2], weights=[1.0, 5.0])

    ids, _ = model.recommend(user_features=np.zeros((3, 2)))

    np.testing.assert_array_equal(ids, [[2, 1]] * 3)


@pytest.mark.parametrize(
    "call, message",
    [
        (lambda m: m.recommend(k=2), "user_ids"),
        (lambda m: m.recommend(user_ids=[0], k=0), "k"),
        (
            lambda m: m.recommend(user_ids=[0], seen_item_mask=np.ones((2, 4))),
            "seen_item_mask",
        ),
        (
            lambda m: m.recommend(user_ids=[0], seen_item_ids=[[9]]),
            "seen_item_ids",
        ),
        (
            lambda m: m.recommend(
                user_ids=[0],
                seen_item_ids=[[1]],
                seen_item_mask=np.ones((1, 4)),
            ),
            "either",
        ),
        (lambda m: m.fit([0], [4]), "item_ids"),
        (lambda m: m.fit([0, 1], [1]), "same length"),
    ],
)
def test_invalid_calls_raise(call, message):
    model = PopularityRecommender(num_items=4).fit([0], [1])
    with pytest.raises(ValueError, match=message):
        call(model)


def test_recommend_before_fit_and_bad_constructor_raise():
    with pytest.raises(ValueError, match="fit"):
        PopularityRecommender(num_items=3).recommend(user_ids=[0])
    with pytest.raises(ValueError, match="num_items"):
        PopularityRecommender(num_items=0)
