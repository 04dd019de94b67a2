import keras
import numpy as np
import pytest

from kmr.layers import LearnableWeightedCombination
from tests.harness import (
    assert_compiled_matches_eager,
    assert_config_round_trip,
    assert_layer_keras_round_trip,
    assert_registered,
    to_numpy,
)


def softmax(logits):
    shifted = np.exp(logits - logits.max())
    return shifted / shifted.sum()


def test_softmax_weighted_sum_matches_numpy(rng):
    layer = LearnableWeightedCombination(num_scores=3)
    scores = [rng.normal(size=(4, 5)).astype("float32") for _ in range(3)]
    layer.build(None)
    logits = np.array([0.5, -1.0, 2.0], "float32")
    layer.combination_weights.assign(logits)

    result = to_numpy(layer(scores))

    weights = softmax(logits)
    expected = sum(w * s for w, s in zip(weights, scores))
    assert result.shape == (4, 5)
    np.testing.assert_allclose(result, expected, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(
        to_numpy(layer.component_weights()), weights, rtol=1e-6
    )


def test_starts_as_an_even_blend():
    a = np.array([[1.0, 0.0]], "float32")
    b = np.array([[0.0, 1.0]], "float32")

    result = to_numpy(LearnableWeightedCombination(num_scores=2)([a, b]))

    np.testing.assert_allclose(result, [[0.5, 0.5]])


def test_single_score_is_returned_unchanged(rng):
    scores = rng.normal(size=(2, 3)).astype("float32")

    result = to_numpy(LearnableWeightedCombination(num_scores=1)([scores]))

    np.testing.assert_allclose(result, scores, rtol=1e-6)


def test_learns_to_favour_the_informative_score(rng):
    informative = rng.normal(size=(64, 1)).astype("float32")
    noise = rng.normal(size=(64, 1)).astype("float32")
    layer = LearnableWeightedCombination(num_scores=2)
    inputs = [keras.Input((1,)), keras.Input((1,))]
    model = keras.Model(inputs, layer(inputs))
    model.compile(optimizer=keras.optimizers.Adam(0.1), loss="mse")

    model.fit([noise, informative], informative, epochs=30, verbose=0)

    weights = to_numpy(layer.component_weights())
    assert weights[1] > 0.9


@pytest.mark.parametrize("count", [2, 4])
def test_rejects_wrong_number_of_scores(count):
    layer = LearnableWeightedCombination(num_scores=3)
    with pytest.raises(ValueError, match=f"received {count}"):
        layer([np.ones((2, 2), "float32")] * count)


def test_rejects_scores_of_different_shapes():
    layer = LearnableWeightedCombination(num_scores=2)
    with pytest.raises(ValueError, match="one shape"):
        layer([np.ones((2, 3), "float32"), np.ones((2, 1), "float32")])


@pytest.mark.parametrize("num_scores", [0, 2.0, "3"])
def test_rejects_bad_num_scores(num_scores):
    with pytest.raises(ValueError, match="num_scores"):
        LearnableWeightedCombination(num_scores=num_scores)


def test_accepts_numpy_integer():
    assert LearnableWeightedCombination(np.int64(2)).num_scores == 2


def test_serialization(rng, tmp_path):
    layer = LearnableWeightedCombination(num_scores=2)
    assert_config_round_trip(layer)
    assert_registered(layer, "kmr.layers")

    specs = [((4,), "float32"), ((4,), "float32")]
    data = [rng.normal(size=(3, 4)).astype("float32") for _ in range(2)]
    model_layer = LearnableWeightedCombination(num_scores=2)
    reloaded = assert_layer_keras_round_trip(model_layer, specs, data, tmp_path)
    assert len(reloaded.trainable_weights) == 1
    assert_compiled_matches_eager(
        LearnableWeightedCombination(num_scores=2), specs, data
    )
