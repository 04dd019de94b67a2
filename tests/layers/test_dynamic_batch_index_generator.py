import keras
import numpy as np
import pytest

from kmr.layers import DynamicBatchIndexGenerator
from tests.harness import (
    assert_compiled_matches_eager,
    assert_config_round_trip,
    assert_layer_keras_round_trip,
    assert_registered,
    to_numpy,
)


@pytest.mark.parametrize(
    "inputs",
    [
        np.zeros((4, 3), "float32"),
        np.zeros((4,), "int64"),
        np.zeros((4, 2, 5), "float16"),
    ],
)
def test_returns_int32_positions(inputs):
    result = DynamicBatchIndexGenerator()(inputs)

    assert keras.backend.standardize_dtype(result.dtype) == "int32"
    np.testing.assert_array_equal(to_numpy(result), [0, 1, 2, 3])


def test_symbolic_output_is_int32_with_unknown_batch():
    output = DynamicBatchIndexGenerator()(keras.Input((3,)))

    assert output.shape == (None,)
    assert output.dtype == "int32"


def test_rejects_scalar_input():
    with pytest.raises(ValueError, match="rank >= 1"):
        DynamicBatchIndexGenerator()(np.float32(1.0))


def test_serialization(rng, tmp_path):
    layer = DynamicBatchIndexGenerator(name="positions")
    assert_config_round_trip(layer)
    assert_registered(layer, "kmr.layers")

    data = rng.normal(size=(5, 2)).astype("float32")
    reloaded = assert_layer_keras_round_trip(
        layer, ((2,), "float32"), data, tmp_path
    )
    np.testing.assert_array_equal(
        reloaded.predict(data, verbose=0), np.arange(5)
    )
    assert_compiled_matches_eager(
        DynamicBatchIndexGenerator(), ((2,), "float32"), data
    )
