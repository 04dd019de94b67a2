import numpy as np
import pytest

from kmr.datasets import MovieLensData


def _data():
    return MovieLensData(
        name="toy",
        user_ids=np.array([0, 1], np.int32),
        item_ids=np.array([1, 0], np.int32),
        ratings=np.array([4.0, 2.0], np.float32),
        timestamps=np.array([1, 2]),
        user_features=np.zeros((2, 0), np.float32),
        user_feature_names=[],
        item_features=np.eye(2, dtype=np.float32),
        item_feature_names=["genre_A", "genre_B"],
        item_titles=["a", "b"],
        raw_user_ids=np.array([4, 9]),
        raw_item_ids=np.array([10, 30]),
    )


def test_id_mappings_round_trip():
    data = _data()

    np.testing.assert_array_equal(data.user_index([9, 4, 9]), [1, 0, 1])
    np.testing.assert_array_equal(data.item_index([30]), [1])
    np.testing.assert_array_equal(
        data.raw_item_ids[data.item_index([10, 30])], [10, 30]
    )
    assert (data.num_users, data.num_items) == (2, 2)


def test_unknown_raw_ids_raise():
    with pytest.raises(ValueError, match="raw_user_ids.*5"):
        _data().user_index([5])
    with pytest.raises(ValueError, match="raw_item_ids.*99"):
        _data().item_index([99])
