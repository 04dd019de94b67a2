import numpy as np
import plotly.graph_objects as go
import pytest

from kmr.utils.plotting.similarity import (
    plot_similarity_distribution,
    plot_similarity_matrix,
)


@pytest.mark.parametrize(
    "shape, y_title",
    [((4,), "User (single)"), ((3, 3), "Items"), ((2, 5), "Users")],
)
def test_similarity_matrix_heatmap_holds_the_matrix(rng, shape, y_title):
    matrix = rng.random(shape)

    fig = plot_similarity_matrix(matrix, title="S")

    (heatmap,) = fig.data
    assert isinstance(heatmap, go.Heatmap)
    np.testing.assert_allclose(
        np.asarray(heatmap.z), matrix.reshape(-1, shape[-1])
    )
    assert fig.layout.yaxis.title.text == y_title
    assert fig.layout.xaxis.title.text == "Items"
    assert fig.layout.title.text == "S"


def test_similarity_distribution_separates_labels_and_ignores_negatives():
    scores = np.array(
        [[0.9, 0.1, 0.5, 0.3], [0.2, 0.8, 0.4, 0.0], [5.0, 5.0, 5.0, 5.0]]
    )
    labels = np.array([[1, 0, -1, 0], [0, 2, 0, 0], [1, 0, 0, 0]])

    fig, stats = plot_similarity_distribution(scores, labels, n_users=2)

    positive, negative = fig.data
    assert isinstance(positive, go.Histogram)
    np.testing.assert_allclose(sorted(positive.x), [0.8, 0.9])
    np.testing.assert_allclose(sorted(negative.x), [0.0, 0.1, 0.2, 0.3, 0.4])
    assert positive.nbinsx == 30
    assert stats["positive_mean"] == pytest.approx(0.85)
    assert stats["positive_std"] == pytest.approx(0.05)
    assert stats["negative_mean"] == pytest.approx(0.2)
    assert stats["negative_std"] == pytest.approx(
        np.std([0, 0.1, 0.2, 0.3, 0.4])
    )
    assert stats["positive_count"] == 2 and stats["negative_count"] == 5
    assert stats["separation"] is True
    assert fig.layout.barmode == "overlay"
    assert fig.layout.title.text == "Similarity Score Distribution (2 users)"
    assert fig.layout.xaxis.title.text == "Score"


def test_similarity_distribution_without_positives_reports_no_separation():
    _, stats = plot_similarity_distribution([[0.3, 0.1]], [[0, 0]])
    assert np.isnan(stats["positive_mean"])
    assert stats["separation"] is False


def test_similarity_distribution_rejects_mismatched_labels():
    with pytest.raises(ValueError, match="train_y"):
        plot_similarity_distribution([[0.3, 0.1]], [[0, 0, 1]])
    with pytest.raises(ValueError, match="n_users"):
        plot_similarity_distribution([[0.3, 0.1]], [[0, 1]], n_users=0)
