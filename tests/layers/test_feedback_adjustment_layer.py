import keras
import numpy as np
import pytest

from kmr.layers import FeedbackAdjustmentLayer
from tests.harness import (
    assert_compiled_matches_eager,
    assert_config_round_trip,
    assert_layer_keras_round_trip,
    assert_registered,
    to_numpy,
)

SCORES = np.array([[0.8, 0.4, -0.6]], "float32")
FEEDBACK = np.array([[1.0, 0.0, 0.5]], "float32")


@pytest.mark.parametrize("weight", [0.0, 0.5, 1.0])
def test_blends_feedback_by_weight(weight):
    layer = FeedbackAdjustmentLayer(feedback_weight=weight)

    result = to_numpy(layer((SCORES, FEEDBACK)))

    expected = SCORES * ((1.0 - weight) + weight * FEEDBACK)
    np.testing.assert_allclose(result, expected, rtol=1e-6)


def test_default_is_the_plain_product():
    result = to_numpy(FeedbackAdjustmentLayer()((SCORES, FEEDBACK)))

    np.testing.assert_allclose(result, SCORES * FEEDBACK)


def test_broadcasts_per_user_feedback():
    scores = np.ones((2, 3), "float32")
    feedback = np.array([[0.0], [2.0]], "float32")

    result = to_numpy(FeedbackAdjustmentLayer()((scores, feedback)))

    np.testing.assert_allclose(result, [[0.0] * 3, [2.0] * 3])


def test_symbolic_shape_with_broadcasting():
    scores = keras.Input((3,))
    feedback = keras.Input((1,))

    output = FeedbackAdjustmentLayer()((scores, feedback))

    assert output.shape == (None, 3)


@pytest.mark.parametrize("weight", [-0.1, 1.5, "0.5", None])
def test_rejects_bad_feedback_weight(weight):
    with pytest.raises(ValueError, match="feedback_weight"):
        FeedbackAdjustmentLayer(feedback_weight=weight)


def test_rejects_none_and_single_input():
    layer = FeedbackAdjustmentLayer()
    with pytest.raises(ValueError, match="pair"):
        layer(SCORES)
    with pytest.raises(ValueError, match="pair"):
        layer([SCORES, FEEDBACK, FEEDBACK])


def test_rejects_shapes_that_do_not_broadcast():
    with pytest.raises(ValueError, match="broadcast"):
        FeedbackAdjustmentLayer().compute_output_shape(((None, 3), (None, 4)))


def test_serialization(rng, tmp_path):
    layer = FeedbackAdjustmentLayer(feedback_weight=0.3)
    clone = assert_config_round_trip(layer)
    assert clone.feedback_weight == 0.3
    assert_registered(layer, "kmr.layers")

    specs = [((4,), "float32"), ((4,), "float32")]
    data = [rng.random((3, 4)).astype("float32") for _ in range(2)]
    assert_layer_keras_round_trip(layer, specs, data, tmp_path)
    assert_compiled_matches_eager(FeedbackAdjustmentLayer(0.3), specs, data)
