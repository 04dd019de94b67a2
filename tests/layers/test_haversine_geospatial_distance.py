import math

import numpy as np
import pytest

from kmr.layers import HaversineGeospatialDistance
from tests.harness import (
    assert_compiled_matches_eager,
    assert_config_round_trip,
    assert_layer_keras_round_trip,
    assert_registered,
    to_numpy,
)

PARIS = (48.8566, 2.3522)
LONDON = (51.5074, -0.1278)
NEW_YORK = (40.7128, -74.0060)


def numpy_haversine(lat1, lon1, lat2, lon2, radius=6371.0):
    """Oracle in float64 radians."""
    a = (
        np.sin((lat2 - lat1) / 2) ** 2
        + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
    )
    return 2 * radius * np.arcsin(np.sqrt(a))


def as_inputs(first, second, dtype="float32", convert=np.radians):
    lat1, lon1 = np.asarray(first, "float64").T
    lat2, lon2 = np.asarray(second, "float64").T
    return [convert(x).astype(dtype) for x in (lat1, lon1, lat2, lon2)]


def test_paris_london_in_degrees():
    inputs = as_inputs([PARIS], [LONDON], convert=np.asarray)
    layer = HaversineGeospatialDistance(angle_unit="degrees")

    distance = to_numpy(layer(inputs))

    assert distance.shape == (1,)
    np.testing.assert_allclose(distance, [343.5], atol=0.5)
    oracle = numpy_haversine(*as_inputs([PARIS], [LONDON], "float64"))
    np.testing.assert_allclose(distance, oracle, rtol=1e-5)


def test_element_wise_in_radians_matches_numpy(rng):
    first = np.column_stack(
        [rng.uniform(-90, 90, 6), rng.uniform(-180, 180, 6)]
    )
    second = np.column_stack(
        [rng.uniform(-90, 90, 6), rng.uniform(-180, 180, 6)]
    )

    distances = to_numpy(
        HaversineGeospatialDistance()(as_inputs(first, second))
    )

    oracle = numpy_haversine(*as_inputs(first, second, "float64"))
    np.testing.assert_allclose(distances, oracle, rtol=1e-4, atol=1e-2)


def test_element_wise_keeps_input_shape():
    inputs = [x.reshape(3, 1) for x in as_inputs([PARIS] * 3, [LONDON] * 3)]

    distances = HaversineGeospatialDistance()(inputs)

    assert tuple(distances.shape) == (3, 1)


def test_pairwise_matrix_matches_numpy():
    first = [PARIS, LONDON]
    second = [LONDON, NEW_YORK, PARIS]
    layer = HaversineGeospatialDistance(pairwise=True)

    matrix = to_numpy(layer(as_inputs(first, second)))

    lat1, lon1, lat2, lon2 = as_inputs(first, second, "float64")
    oracle = numpy_haversine(
        lat1[:, None], lon1[:, None], lat2[None, :], lon2[None, :]
    )
    assert matrix.shape == (2, 3)
    np.testing.assert_allclose(matrix, oracle, rtol=1e-4, atol=1e-2)
    assert matrix[0, 2] == 0.0


def test_same_point_is_zero_and_antipode_is_half_circumference():
    layer = HaversineGeospatialDistance(earth_radius=1.0)
    inputs = [
        np.array([0.3, 0.0], "float32"),
        np.array([1.0, 0.0], "float32"),
        np.array([0.3, 0.0], "float32"),
        np.array([1.0, math.pi], "float32"),
    ]

    distances = to_numpy(layer(inputs))

    np.testing.assert_allclose(distances, [0.0, math.pi], atol=1e-6)


def test_single_pair_is_not_normalised_away():
    inputs = as_inputs([PARIS], [LONDON])

    distance = to_numpy(HaversineGeospatialDistance()(inputs))

    assert distance[0] > 300.0


def test_max_distance_normalization_is_batch_independent():
    layer = HaversineGeospatialDistance(normalization="max_distance")
    alone = to_numpy(layer(as_inputs([PARIS], [LONDON])))
    batch = to_numpy(layer(as_inputs([PARIS, PARIS], [LONDON, NEW_YORK])))

    np.testing.assert_allclose(alone, [343.55 / (math.pi * 6371.0)], rtol=1e-3)
    np.testing.assert_allclose(batch[:1], alone, rtol=1e-6)


def test_batch_min_max_normalization():
    layer = HaversineGeospatialDistance(normalization="batch_min_max")
    inputs = as_inputs([PARIS, PARIS, PARIS], [PARIS, LONDON, NEW_YORK])

    result = to_numpy(layer(inputs))

    raw = numpy_haversine(*as_inputs([PARIS] * 3, [PARIS, LONDON, NEW_YORK]))
    expected = (raw - raw.min()) / (raw.max() - raw.min() + 1e-6)
    np.testing.assert_allclose(result, expected, rtol=1e-4, atol=1e-5)


def test_accepts_numpy_radius():
    layer = HaversineGeospatialDistance(earth_radius=np.float64(3958.8))
    assert layer.earth_radius == 3958.8
    assert type(layer.earth_radius) is float


@pytest.mark.parametrize(
    "kwargs, argument",
    [
        ({"earth_radius": 0.0}, "earth_radius"),
        ({"earth_radius": -1.0}, "earth_radius"),
        ({"earth_radius": "6371"}, "earth_radius"),
        ({"pairwise": "yes"}, "pairwise"),
        ({"angle_unit": "deg"}, "angle_unit"),
        ({"normalization": "minmax"}, "normalization"),
    ],
)
def test_rejects_bad_arguments(kwargs, argument):
    with pytest.raises(ValueError, match=argument):
        HaversineGeospatialDistance(**kwargs)


@pytest.mark.parametrize("count", [2, 5])
def test_rejects_wrong_number_of_inputs(count):
    inputs = [np.zeros((2,), "float32")] * count
    with pytest.raises(ValueError, match=f"four inputs .* received {count}"):
        HaversineGeospatialDistance()(inputs)


def test_pairwise_rejects_matrices():
    inputs = [np.zeros((2, 3), "float32")] * 4
    with pytest.raises(ValueError, match="num_points"):
        HaversineGeospatialDistance(pairwise=True)(inputs)


@pytest.mark.parametrize("pairwise", [False, True])
def test_serialization(tmp_path, pairwise):
    layer = HaversineGeospatialDistance(
        earth_radius=6371.0, pairwise=pairwise, angle_unit="degrees"
    )
    clone = assert_config_round_trip(layer)
    assert clone.pairwise is pairwise
    assert_registered(layer, "kmr.layers")

    specs = [((1,), "float32")] * 4
    data = [
        x.reshape(-1, 1)
        for x in as_inputs(
            [PARIS, LONDON, NEW_YORK],
            [LONDON, NEW_YORK, PARIS],
            convert=np.asarray,
        )
    ]
    assert_layer_keras_round_trip(layer, specs, data, tmp_path)
    assert_compiled_matches_eager(
        HaversineGeospatialDistance(pairwise=pairwise, angle_unit="degrees"),
        specs,
        data,
        rtol=1e-5,
        atol=1e-3,
    )
