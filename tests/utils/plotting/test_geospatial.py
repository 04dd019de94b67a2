import numpy as np
import pytest

from kmr.utils.plotting.geospatial import plot_geospatial_recommendations


def test_geospatial_marks_first_users_recommendations():
    lats = np.array([10.0, 20.0, 30.0, 40.0])
    lons = np.array([-1.0, -2.0, -3.0, -4.0])

    fig = plot_geospatial_recommendations(
        [45.0, 0.0],
        [7.0, 0.0],
        lats,
        lons,
        recommended_indices=[[3, 1], [0, 2]],
    )

    items, recommended, user = fig.data
    np.testing.assert_allclose(items.x, lons)
    np.testing.assert_allclose(items.y, lats)
    np.testing.assert_allclose(recommended.x, [-4.0, -2.0])
    np.testing.assert_allclose(recommended.y, [40.0, 20.0])
    assert recommended.name == "Recommended"
    np.testing.assert_allclose(user.x, [7.0])
    np.testing.assert_allclose(user.y, [45.0])
    assert user.marker.symbol == "star"
    assert fig.layout.xaxis.title.text == "Longitude"
    assert fig.layout.yaxis.title.text == "Latitude"


def test_geospatial_without_recommendations_and_errors():
    fig = plot_geospatial_recommendations(0.0, 0.0, [1.0], [2.0])
    assert [t.name for t in fig.data] == ["Items", "User"]
    with pytest.raises(ValueError, match="recommended_indices"):
        plot_geospatial_recommendations(0, 0, [1.0], [2.0], [3])
    with pytest.raises(ValueError, match="item_lons"):
        plot_geospatial_recommendations(0, 0, [1.0, 2.0], [2.0])
