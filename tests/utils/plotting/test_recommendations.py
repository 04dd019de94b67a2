import numpy as np
import plotly.graph_objects as go
import pytest

from kmr.utils.plotting.recommendations import (
    diversity_metrics,
    plot_recommendation_comparison,
    plot_recommendation_diversity,
    plot_recommendation_metrics,
)


def test_diversity_heatmap_marks_exactly_the_recommended_items():
    recommendations = np.array([[5, 2, 9], [2, 7, 5], [2, 5, -1]])

    fig = plot_recommendation_diversity(recommendations, user_ids=[31, 4, 18])

    (heatmap,) = fig.data
    assert isinstance(heatmap, go.Heatmap)
    assert list(heatmap.x) == ["Item 2", "Item 5", "Item 7", "Item 9"]
    assert list(heatmap.y) == ["User 31", "User 4", "User 18"]
    columns = [2, 5, 7, 9]
    expected = [
        [int(item in set(row)) for item in columns] for row in recommendations
    ]
    np.testing.assert_array_equal(np.asarray(heatmap.z), expected)
    assert fig.layout.title.text == "Recommendation Diversity Across Users"
    assert fig.layout.xaxis.title.text == "Recommended item"
    assert fig.layout.yaxis.title.text == "User"
    assert "shared by all users: 2/3" in fig.layout.annotations[0].text


def test_diversity_metrics_by_hand():
    metrics = diversity_metrics([[5, 2, 9], [2, 7, 5], [2, 5, -1]])
    assert metrics == {
        "shared_items": 2,
        "diversity_ratio": pytest.approx(1 / 3),
        "distinct_items": 4,
        "avg_unique_items_per_user": pytest.approx(4 / 3),
    }


def test_diversity_rows_without_ids_are_named_as_rows():
    fig = plot_recommendation_diversity([[1, 2], [3, 4]])
    assert list(fig.data[0].y) == ["Row 0", "Row 1"]
    with pytest.raises(ValueError, match="recommendations"):
        plot_recommendation_diversity(np.zeros((0, 3)))


def test_recommendation_metrics_bar_per_metric():
    fig = plot_recommendation_metrics({"P@5": 0.25, "R@5": np.float32(0.5)})

    (bars,) = fig.data
    assert isinstance(bars, go.Bar)
    assert list(bars.x) == ["P@5", "R@5"]
    np.testing.assert_allclose(bars.y, [0.25, 0.5])
    assert fig.layout.title.text == "Recommendation Metrics"
    with pytest.raises(ValueError, match="metrics_dict"):
        plot_recommendation_metrics({})


def test_comparison_groups_one_trace_per_metric_from_either_layout():
    by_metric = {"P@5": [0.1, 0.3], "NDCG@5": [0.2, 0.4]}
    by_model = [{"P@5": 0.1, "NDCG@5": 0.2}, {"P@5": 0.3, "NDCG@5": 0.4}]

    for metrics in (by_metric, by_model):
        fig = plot_recommendation_comparison(["MF", "TwoTower"], metrics)
        assert [t.name for t in fig.data] == ["P@5", "NDCG@5"]
        assert list(fig.data[0].x) == ["MF", "TwoTower"]
        np.testing.assert_allclose(fig.data[1].y, [0.2, 0.4])
        assert fig.layout.barmode == "group"

    with pytest.raises(ValueError, match="one value per model"):
        plot_recommendation_comparison(["MF"], {"P@5": [0.1, 0.2]})
    with pytest.raises(ValueError, match="one dict per model"):
        plot_recommendation_comparison(["MF", "B"], [{"P@5": 0.1}])
