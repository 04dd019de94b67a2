import numpy as np
import pytest

from kmr.layers import TensorDimensionExpander
from tests.harness import (
    assert_compiled_matches_eager,
    assert_config_round_trip,
    assert_layer_keras_round_trip,
    assert_registered,
    to_numpy,
)


@pytest.mark.parametrize("axis", [0, 1, 2, -1, -3])
def test_matches_numpy_expand_dims(rng, axis):
    inputs = rng.normal(size=(2, 3)).astype("float32")
    layer = TensorDimensionExpander(axis=axis)

    result = to_numpy(layer(inputs))

    expected = np.expand_dims(inputs, axis)
    np.testing.assert_array_equal(result, expected)
    assert layer.compute_output_shape((2, 3)) == expected.shape


def test_default_axis_is_one():
    layer = TensorDimensionExpander()

    assert layer.axis == 1
    assert tuple(layer(np.zeros((4, 5), "float32")).shape) == (4, 1, 5)


def test_accepts_numpy_integer():
    layer = TensorDimensionExpander(axis=np.int64(-1))

    assert layer.axis == -1
    assert type(layer.axis) is int


@pytest.mark.parametrize("axis", ["1", 1.0, None, True])
def test_rejects_non_integer_axis(axis):
    with pytest.raises(ValueError, match="axis"):
        TensorDimensionExpander(axis=axis)


@pytest.mark.parametrize("axis", [3, -4])
def test_rejects_axis_out_of_range(axis):
    with pytest.raises(ValueError, match="out of range"):
        TensorDimensionExpander(axis=axis)(np.zeros((2, 3), "float32"))


def test_serialization(rng, tmp_path):
    layer = TensorDimensionExpander(axis=-1, name="expand")
    clone = assert_config_round_trip(layer)
    assert clone.axis == -1
    assert_registered(layer, "kmr.layers")

    data = rng.normal(size=(3, 4)).astype("float32")
    assert_layer_keras_round_trip(layer, ((4,), "float32"), data, tmp_path)
    assert_compiled_matches_eager(
        TensorDimensionExpander(axis=1), ((4,), "float32"), data
    )
