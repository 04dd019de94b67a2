import numpy as np
import plotly.graph_objects as go
import pytest

from kmr.utils.plotting.scores import (
    plot_prediction_confidence,
    plot_recommendation_scores,
    plot_topk_scores,
)
from tests.utils.plotting.stand_in_models import TableModel


def test_full_score_vector_is_drawn_by_item_id_with_top_k_marked():
    scores = np.array([0.1, 0.9, 0.3, 0.7, 0.5])

    fig = plot_recommendation_scores(scores, top_k=2, title="T")

    every, best = fig.data
    assert isinstance(every, go.Scatter) and isinstance(best, go.Scatter)
    np.testing.assert_array_equal(every.x, np.arange(5))
    np.testing.assert_allclose(every.y, scores)
    np.testing.assert_array_equal(best.x, [1, 3])
    np.testing.assert_allclose(best.y, [0.9, 0.7])
    assert best.text == ("rank 1", "rank 2")
    assert best.name == "Top-2"
    assert fig.layout.title.text == "T"
    assert fig.layout.xaxis.title.text == "Item id"
    assert fig.layout.yaxis.title.text == "Score"


def test_top_k_vector_keeps_its_item_ids_and_matrix_uses_first_row():
    fig = plot_recommendation_scores(
        [0.9, 0.8, 0.2], top_k=3, item_ids=[40, 7, 13]
    )
    np.testing.assert_array_equal(fig.data[1].x, [40, 7, 13])

    fig = plot_recommendation_scores([[0.0, 1.0], [1.0, 0.0]], top_k=1)
    np.testing.assert_array_equal(fig.data[1].x, [1])


def test_recommendation_scores_rejects_bad_arguments():
    with pytest.raises(ValueError, match="top_k"):
        plot_recommendation_scores([0.1, 0.2], top_k=0)
    with pytest.raises(ValueError, match="item_ids"):
        plot_recommendation_scores([0.1, 0.2], item_ids=[1, 2, 3])
    with pytest.raises(ValueError, match="scores"):
        plot_recommendation_scores(np.zeros((2, 2, 2)))


def test_topk_scores_scores_the_true_user_id(rng):
    table = rng.random((5, 6))
    model = TableModel(table, top_k=3)
    user_ids = np.array([4, 2, 0])

    fig = plot_topk_scores(None, None, model, user_idx=1, user_ids=user_ids)

    (bars,) = fig.data
    assert isinstance(bars, go.Bar)
    expected = np.argsort(-table[2])[:3]
    assert list(bars.x) == [f"Item {i}" for i in expected]
    np.testing.assert_allclose(bars.y, table[2, expected], rtol=1e-6)
    assert fig.layout.title.text == "Top-K Recommendation Scores for User 2"
    assert fig.layout.width == 900


def test_topk_scores_needs_user_ids_for_an_id_model(rng):
    model = TableModel(rng.random((3, 4)))
    with pytest.raises(ValueError, match="user_ids"):
        plot_topk_scores(None, None, model, user_idx=1)


def test_prediction_confidence_is_best_minus_second_best():
    scores = np.array([[0.1, 0.9, 0.4], [0.5, 0.5, 0.0]])

    fig, mean_confidence = plot_prediction_confidence(scores, user_ids=[7, 3])

    (bars,) = fig.data
    np.testing.assert_allclose(bars.y, [0.5, 0.0])
    assert list(bars.x) == ["User 7", "User 3"]
    assert mean_confidence == pytest.approx(0.25)
    assert fig.layout.shapes[0].y0 == pytest.approx(0.25)
    assert fig.layout.title.text == (
        "Model Prediction Confidence (Top Score - 2nd Place)"
    )
    assert fig.layout.yaxis.title.text == "Score margin"


def test_prediction_confidence_labels_rows_without_ids_and_needs_two_items():
    fig, _ = plot_prediction_confidence([[1.0, 0.0]])
    assert list(fig.data[0].x) == ["Row 0"]
    with pytest.raises(ValueError, match="at least 2 items"):
        plot_prediction_confidence([[1.0], [2.0]])
    with pytest.raises(ValueError, match="user_ids"):
        plot_prediction_confidence([[1.0, 0.0], [0.0, 1.0]], user_ids=[1])
