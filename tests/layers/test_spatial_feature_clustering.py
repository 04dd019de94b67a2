import keras
import numpy as np
import pytest

from kmr.layers import SpatialFeatureClustering
from tests.harness import (
    assert_compiled_matches_eager,
    assert_config_round_trip,
    assert_layer_keras_round_trip,
    assert_registered,
    to_numpy,
)


def numpy_soft_assignment(points, centers, temperature=1.0):
    squared = ((points[:, None, :] - centers[None, :, :]) ** 2).sum(-1)
    logits = -squared / temperature
    logits -= logits.max(axis=1, keepdims=True)
    weights = np.exp(logits)
    return weights / weights.sum(axis=1, keepdims=True)


def test_matches_soft_k_means_assignment(rng):
    layer = SpatialFeatureClustering(n_clusters=3, temperature=2.0)
    points = rng.normal(size=(6, 4)).astype("float32")
    layer.build(points.shape)
    centers = rng.normal(size=(3, 4)).astype("float32")
    layer.cluster_centers.assign(centers)

    result = to_numpy(layer(points))

    expected = numpy_soft_assignment(points, centers, temperature=2.0)
    np.testing.assert_allclose(result, expected, rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(result.sum(axis=1), 1.0, rtol=1e-6)


def test_point_on_a_centre_goes_to_that_cluster():
    layer = SpatialFeatureClustering(n_clusters=2, temperature=0.1)
    layer.build((None, 2))
    centers = np.array([[0.0, 0.0], [5.0, 5.0]], "float32")
    layer.cluster_centers.assign(centers)

    result = to_numpy(layer(np.array([[5.0, 5.0], [0.1, -0.1]], "float32")))

    np.testing.assert_array_equal(result.argmax(axis=1), [1, 0])
    assert layer.cluster_weights is layer.cluster_centers


@pytest.mark.parametrize("n_clusters", [1, 2, 7])
def test_any_number_of_clusters(rng, n_clusters):
    points = rng.normal(size=(4, 3)).astype("float32")

    result = to_numpy(SpatialFeatureClustering(n_clusters=n_clusters)(points))

    assert result.shape == (4, n_clusters)
    np.testing.assert_allclose(result.sum(axis=1), 1.0, rtol=1e-6)


def test_every_centre_is_trained_and_blobs_are_separated(rng):
    # Two planted blobs; the target cluster of each point is its blob.
    blob_a = rng.normal(loc=(-3.0, 0.0), scale=0.3, size=(32, 2))
    blob_b = rng.normal(loc=(3.0, 0.0), scale=0.3, size=(32, 2))
    points = np.concatenate([blob_a, blob_b]).astype("float32")
    labels = np.repeat([0, 1], 32)

    layer = SpatialFeatureClustering(n_clusters=3)
    model = keras.Sequential([keras.Input((2,)), layer])
    before = to_numpy(layer.cluster_centers).copy()
    model.compile(
        optimizer=keras.optimizers.Adam(0.1),
        loss="sparse_categorical_crossentropy",
    )
    model.fit(points, labels, epochs=30, batch_size=64, verbose=0)

    after = to_numpy(layer.cluster_centers)
    assert np.all(np.abs(after - before).sum(axis=1) > 0)
    predicted = model.predict(points, verbose=0).argmax(axis=1)
    np.testing.assert_array_equal(predicted, labels)


def test_accepts_numpy_integer():
    layer = SpatialFeatureClustering(n_clusters=np.int32(4))
    assert layer.n_clusters == 4
    assert type(layer.n_clusters) is int


@pytest.mark.parametrize(
    "kwargs, argument",
    [
        ({"n_clusters": 0}, "n_clusters"),
        ({"n_clusters": 2.5}, "n_clusters"),
        ({"temperature": 0.0}, "temperature"),
        ({"temperature": "hot"}, "temperature"),
    ],
)
def test_rejects_bad_arguments(kwargs, argument):
    with pytest.raises(ValueError, match=argument):
        SpatialFeatureClustering(**kwargs)


def test_rejects_wrong_rank():
    with pytest.raises(ValueError, match="feature_dim"):
        SpatialFeatureClustering()(np.zeros((2, 3, 4), "float32"))


def test_rejects_feature_width_change():
    layer = SpatialFeatureClustering()
    layer(np.zeros((2, 3), "float32"))
    with pytest.raises(ValueError, match="built for feature_dim=3"):
        layer(np.zeros((2, 4), "float32"))


def test_serialization(rng, tmp_path):
    layer = SpatialFeatureClustering(n_clusters=4, temperature=0.5)
    clone = assert_config_round_trip(layer)
    assert (clone.n_clusters, clone.temperature) == (4, 0.5)
    assert_registered(layer, "kmr.layers")

    data = rng.normal(size=(5, 3)).astype("float32")
    assert_layer_keras_round_trip(layer, ((3,), "float32"), data, tmp_path)
    assert "cluster_centers" not in str(layer.get_config())
    assert_compiled_matches_eager(
        SpatialFeatureClustering(n_clusters=4), ((3,), "float32"), data
    )
