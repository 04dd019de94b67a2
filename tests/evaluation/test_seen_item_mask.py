import numpy as np
import pytest

from kmr.evaluation import seen_item_mask


def test_marks_each_rows_training_items():
    mask = seen_item_mask(
        [3, 0, 3, 7], [2, 1, 0, 1], num_items=3, rows=[3, 5, 0]
    )

    np.testing.assert_array_equal(
        mask, [[True, False, True], [False] * 3, [False, True, False]]
    )
    assert mask.dtype == bool


def test_invalid_arguments_raise():
    with pytest.raises(ValueError, match="item_ids"):
        seen_item_mask([0], [3], num_items=3, rows=[0])
    with pytest.raises(ValueError, match="distinct"):
        seen_item_mask([0], [1], num_items=3, rows=[0, 0])
