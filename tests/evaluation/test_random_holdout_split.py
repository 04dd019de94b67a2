import numpy as np
import pytest

from kmr.evaluation import random_holdout_split

# Users 0..4 with 1, 2, 5, 10 and 3 interactions, shuffled.
USERS = np.random.default_rng(0).permutation(
    np.repeat([0, 1, 2, 3, 4], [1, 2, 5, 10, 3])
)


def test_test_counts_per_user_follow_the_rounding_rule():
    train, test = random_holdout_split(USERS, test_fraction=0.2, seed=1)

    np.testing.assert_array_equal(
        np.bincount(USERS[test], minlength=5), [0, 1, 1, 2, 1]
    )
    np.testing.assert_array_equal(
        np.sort(np.concatenate([train, test])), np.arange(len(USERS))
    )
    assert train.dtype == test.dtype == np.int64


def test_seed_controls_the_choice():
    first = random_holdout_split(USERS, seed=3)
    again = random_holdout_split(USERS, seed=3)
    other = [random_holdout_split(USERS, seed=s)[1] for s in range(4, 10)]

    np.testing.assert_array_equal(first[1], again[1])
    assert any(not np.array_equal(first[1], o) for o in other)


def test_large_fraction_keeps_one_training_item_per_user():
    train, _ = random_holdout_split(USERS, test_fraction=0.99)

    np.testing.assert_array_equal(
        np.bincount(USERS[train], minlength=5), [1, 1, 1, 1, 1]
    )


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"test_fraction": 0.0}, "test_fraction"),
        ({"test_fraction": 1.0}, "test_fraction"),
        ({"user_ids": [0, -1]}, "user_ids"),
        ({"user_ids": [[0, 1]]}, "user_ids"),
        ({"user_ids": [0.5]}, "user_ids"),
    ],
)
def test_invalid_arguments_raise(kwargs, message):
    arguments = {"user_ids": USERS, **kwargs}
    with pytest.raises(ValueError, match=message):
        random_holdout_split(**arguments)
