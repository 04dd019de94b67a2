import numpy as np
import plotly.graph_objects as go
import pytest

from kmr.utils.plotting.clusters import (
    average_linkage_clusters,
    cosine_similarity_matrix,
    kmeans_clusters,
    plot_user_clusters,
)


def _two_taste_groups(rng):
    # Users 0, 2, 4 like the first half of the catalog, 1, 3, 5 the second.
    base = np.repeat([[1.0, 0.0], [0.0, 1.0]], 5, axis=1)
    scores = base[[0, 1, 0, 1, 0, 1]] + 0.05 * rng.random((6, 10))
    return scores


def test_user_clusters_recover_planted_groups(rng):
    scores = _two_taste_groups(rng)

    for method in ("hierarchical", "kmeans"):
        fig, labels = plot_user_clusters(
            scores, user_ids=np.arange(100, 106), n_clusters=2, method=method
        )
        np.testing.assert_array_equal(labels, [0, 1, 0, 1, 0, 1])


def test_user_clusters_figure_panels(rng):
    scores = _two_taste_groups(rng)

    fig, labels = plot_user_clusters(
        scores, user_ids=np.arange(100, 106), n_clusters=2
    )

    scatter_a, scatter_b, heatmap, bars = fig.data
    assert isinstance(scatter_a, go.Scatter) and isinstance(heatmap, go.Heatmap)
    assert list(scatter_a.text) == ["U100", "U102", "U104"]
    order = [0, 2, 4, 1, 3, 5]
    assert list(heatmap.y) == [f"User {100 + i}" for i in order]
    similarity = cosine_similarity_matrix(scores)
    np.testing.assert_allclose(
        np.asarray(heatmap.z), similarity[np.ix_(order, order)]
    )
    np.testing.assert_array_equal(bars.y, [3, 3])
    assert fig.layout.xaxis.title.text.startswith("PC1 (")
    assert fig.layout.width == 1400
    assert fig.layout.title.text == "User Clusters Based on Similarity Patterns"


def test_average_linkage_matches_scipy(rng):
    hierarchy = pytest.importorskip("scipy.cluster.hierarchy")
    distance = pytest.importorskip("scipy.spatial.distance")
    points = rng.normal(size=(30, 4))
    distances = distance.squareform(distance.pdist(points))

    ours = average_linkage_clusters(distances, 4)

    linkage = hierarchy.linkage(distance.pdist(points), method="average")
    theirs = hierarchy.fcluster(linkage, t=4, criterion="maxclust")
    # Same partition, possibly numbered differently.
    pairs = set(zip(ours.tolist(), theirs.tolist()))
    assert len(pairs) == len(set(ours)) == len(set(theirs)) == 4


def test_kmeans_is_seeded_locally_and_leaves_global_state_alone(rng):
    points = np.concatenate(
        [rng.normal(0, 0.1, (5, 2)), rng.normal(5, 0.1, (5, 2))]
    )
    state = np.random.get_state()[1].copy()

    first = kmeans_clusters(points, 2, random_state=3)
    second = kmeans_clusters(points, 2, random_state=3)

    np.testing.assert_array_equal(first, second)
    np.testing.assert_array_equal(first, [0] * 5 + [1] * 5)
    np.testing.assert_array_equal(np.random.get_state()[1], state)


def test_user_clusters_defaults_and_errors(rng):
    _, labels = plot_user_clusters(rng.random((9, 4)))
    assert labels.shape == (9,) and labels.max() == 2  # sqrt(9) clusters
    with pytest.raises(ValueError, match="at least 2 users"):
        plot_user_clusters(rng.random((1, 4)))
    with pytest.raises(ValueError, match="method"):
        plot_user_clusters(rng.random((3, 4)), method="spectral")
    with pytest.raises(ValueError, match="n_clusters"):
        plot_user_clusters(rng.random((3, 4)), n_clusters=0)
