import numpy as np
import pytest

from kmr.evaluation import catalog_inputs


def test_user_side_inputs_for_fit():
    features = np.arange(12.0).reshape(4, 3)

    inputs = catalog_inputs([2, 0], user_features=features)

    assert set(inputs) == {"user_ids", "user_features"}
    np.testing.assert_array_equal(inputs["user_ids"], [2, 0])
    assert inputs["user_ids"].dtype == np.int32
    np.testing.assert_array_equal(inputs["user_features"], features[[2, 0]])


def test_catalog_items_without_batch_axis():
    item_features = np.ones((5, 2))

    inputs = catalog_inputs(
        [1], item_features=item_features, include_items=True
    )

    np.testing.assert_array_equal(inputs["item_ids"], np.arange(5))
    assert inputs["item_features"].shape == (5, 2)
    assert inputs["item_features"].dtype == np.float32


def test_invalid_arguments_raise():
    with pytest.raises(ValueError, match="user_features"):
        catalog_inputs([4], user_features=np.ones((4, 2)))
    with pytest.raises(ValueError, match="num_items"):
        catalog_inputs([0], include_items=True)
    with pytest.raises(ValueError, match="item_features"):
        catalog_inputs(
            [0], item_features=np.ones((3, 2)), num_items=4, include_items=True
        )
