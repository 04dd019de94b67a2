import numpy as np
import pytest

from kmr.evaluation import label_matrix


def test_binary_labels_with_ignored_training_items():
    labels = label_matrix(
        user_ids=[0, 2, 2, 5],
        item_ids=[1, 0, 3, 2],
        num_items=4,
        rows=[2, 0, 9],
        ignored_user_ids=[0, 2, 2],
        ignored_item_ids=[3, 3, 2],
    )

    np.testing.assert_array_equal(
        labels,
        [[1, 0, -1, -1], [0, 1, 0, -1], [0, 0, 0, 0]],
    )
    assert labels.dtype == np.float32


def test_graded_relevance():
    labels = label_matrix([0, 0], [2, 0], 3, rows=[0], relevance=[5, 2.5])

    np.testing.assert_array_equal(labels, [[2.5, 0, 5]])


@pytest.mark.parametrize(
    "kwargs, message",
    [
        ({"rows": [0, 0]}, "distinct"),
        ({"item_ids": [0, 3]}, "item_ids"),
        ({"relevance": [1, 0]}, "relevance"),
        ({"relevance": [1]}, "same length"),
        ({"ignored_user_ids": [0]}, "ignored"),
        ({"num_items": 0}, "num_items"),
    ],
)
def test_invalid_arguments_raise(kwargs, message):
    arguments = {
        "user_ids": [0, 1],
        "item_ids": [0, 1],
        "num_items": 3,
        "rows": [0, 1],
        **kwargs,
    }
    with pytest.raises(ValueError, match=message):
        label_matrix(**arguments)
