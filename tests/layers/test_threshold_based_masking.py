import numpy as np
import pytest

from kmr.layers import ThresholdBasedMasking
from tests.harness import (
    assert_compiled_matches_eager,
    assert_config_round_trip,
    assert_layer_keras_round_trip,
    assert_registered,
    to_numpy,
)


def test_keeps_values_at_or_above_threshold():
    scores = np.array([[0.2, 0.5, 0.7], [-1.0, 0.0, 3.0]], "float32")

    result = to_numpy(ThresholdBasedMasking(threshold=0.5)(scores))

    expected = np.array([[0.0, 0.5, 0.7], [0.0, 0.0, 3.0]], "float32")
    np.testing.assert_array_equal(result, expected)
    assert result.dtype == np.float32


def test_default_threshold_zeroes_negatives():
    scores = np.array([[-0.5, 0.0, 0.5]], "float32")

    result = to_numpy(ThresholdBasedMasking()(scores))

    np.testing.assert_array_equal(result, [[0.0, 0.0, 0.5]])


def test_masked_minus_infinity_becomes_zero_not_nan():
    scores = np.array([[-np.inf, 1.0]], "float32")

    result = to_numpy(ThresholdBasedMasking()(scores))

    np.testing.assert_array_equal(result, [[0.0, 1.0]])


def test_accepts_numpy_numbers():
    layer = ThresholdBasedMasking(threshold=np.float32(0.25))
    assert layer.threshold == 0.25
    assert type(layer.threshold) is float
    assert ThresholdBasedMasking(threshold=np.int64(2)).threshold == 2.0


@pytest.mark.parametrize("threshold", [None, "0.5", "abc", True, float("nan")])
def test_rejects_non_real_threshold(threshold):
    with pytest.raises(ValueError, match="threshold"):
        ThresholdBasedMasking(threshold=threshold)


def test_rejects_unknown_keyword():
    with pytest.raises((TypeError, ValueError), match="treshold"):
        ThresholdBasedMasking(treshold=0.5)


def test_serialization(rng, tmp_path):
    layer = ThresholdBasedMasking(threshold=0.1, name="mask")
    clone = assert_config_round_trip(layer)
    assert clone.threshold == 0.1
    assert_registered(layer, "kmr.layers")

    data = rng.normal(size=(4, 5)).astype("float32")
    assert_layer_keras_round_trip(layer, ((5,), "float32"), data, tmp_path)
    assert_compiled_matches_eager(
        ThresholdBasedMasking(0.1), ((5,), "float32"), data
    )
