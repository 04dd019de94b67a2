import keras
import numpy as np
import pytest

from kmr.layers import CosineSimilarityExplainer
from tests.harness import (
    assert_compiled_matches_eager,
    assert_config_round_trip,
    assert_layer_keras_round_trip,
    assert_registered,
    to_numpy,
)


def numpy_cosine(users, items):
    users = users / np.linalg.norm(users, axis=-1, keepdims=True)
    items = items / np.linalg.norm(items, axis=-1, keepdims=True)
    if items.ndim == 2:
        return users @ items.T
    return np.einsum("bd,bnd->bn", users, items)


def test_per_user_candidates_match_numpy(rng):
    users = rng.normal(size=(3, 4)).astype("float32")
    items = rng.normal(size=(3, 5, 4)).astype("float32")

    result = to_numpy(CosineSimilarityExplainer()((users, items)))

    assert result.shape == (3, 5)
    np.testing.assert_allclose(
        result, numpy_cosine(users, items), rtol=1e-5, atol=1e-6
    )


def test_shared_catalog_matches_numpy(rng):
    users = rng.normal(size=(3, 4)).astype("float32")
    catalog = rng.normal(size=(7, 4)).astype("float32")

    result = to_numpy(CosineSimilarityExplainer()((users, catalog)))

    assert result.shape == (3, 7)
    np.testing.assert_allclose(
        result, numpy_cosine(users, catalog), rtol=1e-5, atol=1e-6
    )


def test_shared_catalog_equals_tiled_catalog(rng):
    users = rng.normal(size=(2, 3)).astype("float32")
    catalog = rng.normal(size=(4, 3)).astype("float32")
    layer = CosineSimilarityExplainer()

    shared = to_numpy(layer((users, catalog)))
    tiled = to_numpy(layer((users, np.stack([catalog, catalog]))))

    np.testing.assert_allclose(shared, tiled, rtol=1e-6, atol=1e-6)


def test_docstring_example_and_zero_vector():
    users = np.array([[1.0, 0.0], [0.0, 0.0]], "float32")
    items = np.array([[1.0, 0.0], [0.0, 2.0], [-3.0, 0.0]], "float32")

    result = to_numpy(CosineSimilarityExplainer()((users, items)))

    np.testing.assert_allclose(
        result, [[1.0, 0.0, -1.0], [0.0, 0.0, 0.0]], atol=1e-6
    )


def test_rejects_single_input():
    with pytest.raises(ValueError, match="pair"):
        CosineSimilarityExplainer()(np.ones((2, 3), "float32"))


@pytest.mark.parametrize(
    "user_shape, item_shape, message",
    [
        ((2, 3, 1), (2, 4, 3), "user_vectors"),
        ((2, 3), (3,), "item_vectors"),
        ((2, 3), (2, 4, 5), "last dimension"),
    ],
)
def test_rejects_bad_shapes(user_shape, item_shape, message):
    users = np.ones(user_shape, "float32")
    items = np.ones(item_shape, "float32")
    with pytest.raises(ValueError, match=message):
        CosineSimilarityExplainer()((users, items))


def test_serialization(rng, tmp_path):
    layer = CosineSimilarityExplainer(name="cosine")
    assert_config_round_trip(layer)
    assert_registered(layer, "kmr.layers")

    specs = [((4,), "float32"), ((5, 4), "float32")]
    data = [
        rng.normal(size=(3, 4)).astype("float32"),
        rng.normal(size=(3, 5, 4)).astype("float32"),
    ]
    assert_layer_keras_round_trip(layer, specs, data, tmp_path)
    assert_compiled_matches_eager(CosineSimilarityExplainer(), specs, data)


def test_shared_catalog_inside_a_compiled_model(rng):
    catalog = rng.normal(size=(6, 4)).astype("float32")
    users = rng.normal(size=(3, 4)).astype("float32")
    inputs = keras.Input((4,))
    outputs = CosineSimilarityExplainer()((inputs, keras.ops.array(catalog)))
    model = keras.Model(inputs, outputs)
    model.compile(jit_compile=keras.backend.backend() != "torch")

    result = model.predict(users, verbose=0)

    np.testing.assert_allclose(
        result, numpy_cosine(users, catalog), rtol=1e-5, atol=1e-6
    )
