import numpy as np
import pytest

from kmr.layers import NormalizedDotProductSimilarity
from tests.harness import (
    assert_compiled_matches_eager,
    assert_config_round_trip,
    assert_layer_keras_round_trip,
    assert_registered,
    to_numpy,
)


def test_matches_scaled_dot_product(rng):
    e1 = rng.normal(size=(5, 6)).astype("float32")
    e2 = rng.normal(size=(5, 6)).astype("float32")

    result = to_numpy(NormalizedDotProductSimilarity()((e1, e2)))

    expected = (e1 * e2).sum(axis=-1, keepdims=True) / np.sqrt(6.0)
    np.testing.assert_allclose(result, expected, rtol=1e-6, atol=1e-6)


def test_is_not_cosine():
    ones = np.ones((1, 4), "float32")

    result = to_numpy(NormalizedDotProductSimilarity()((ones, ones)))

    np.testing.assert_allclose(result, [[2.0]])


def test_keeps_leading_axes(rng):
    e1 = rng.normal(size=(2, 3, 4)).astype("float32")

    result = NormalizedDotProductSimilarity()((e1, e1))

    assert tuple(result.shape) == (2, 3, 1)


@pytest.mark.parametrize("count", [1, 3])
def test_rejects_wrong_number_of_inputs(count):
    inputs = [np.ones((2, 3), "float32")] * count
    with pytest.raises(ValueError, match=f"received {count} input"):
        NormalizedDotProductSimilarity()(inputs)


def test_rejects_mismatched_shapes():
    with pytest.raises(ValueError, match="same shape"):
        NormalizedDotProductSimilarity()(
            (np.ones((2, 3), "float32"), np.ones((2, 4), "float32"))
        )


def test_rejects_rank_one():
    with pytest.raises(ValueError, match="same shape"):
        NormalizedDotProductSimilarity()(
            (np.ones((3,), "float32"), np.ones((3,), "float32"))
        )


def test_serialization(rng, tmp_path):
    layer = NormalizedDotProductSimilarity(name="similarity")
    assert_config_round_trip(layer)
    assert_registered(layer, "kmr.layers")

    specs = [((4,), "float32"), ((4,), "float32")]
    data = [rng.normal(size=(3, 4)).astype("float32") for _ in range(2)]
    assert_layer_keras_round_trip(layer, specs, data, tmp_path)
    assert_compiled_matches_eager(NormalizedDotProductSimilarity(), specs, data)
