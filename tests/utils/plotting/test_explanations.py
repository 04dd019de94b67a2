import numpy as np
import plotly.graph_objects as go
import pytest

from kmr.utils.plotting.explanations import (
    plot_component_contributions,
    plot_component_weights,
    plot_recommendation_explanation,
)

CF = np.array([[0.9, 0.1, 0.5, 0.2], [0.0, 1.0, 0.3, 0.8]])
CB = np.array([[0.0, 0.8, 0.4, -0.2], [0.5, 0.5, 0.5, 0.5]])
WEIGHTS = np.array([[0.25, 0.75], [0.6, 0.4]])


def test_component_weights_histograms_and_strip():
    fig = plot_component_weights(WEIGHTS, user_ids=[12, 5])

    cf_hist, cf_strip, cb_hist, cb_strip = fig.data
    assert isinstance(cf_hist, go.Histogram) and isinstance(
        cf_strip, go.Scatter
    )
    np.testing.assert_allclose(cf_hist.x, [0.25, 0.6])
    np.testing.assert_allclose(cb_hist.x, [0.75, 0.4])
    assert list(cf_strip.x) == ["User 12", "User 5"]
    np.testing.assert_allclose(cb_strip.y, [0.75, 0.4])
    assert cf_hist.name == "CF weight (mean 0.425)"
    assert fig.layout.title.text == "Learned Component Weights per User"
    assert fig.layout.xaxis.title.text == "Weight"
    assert fig.layout.yaxis2.title.text == "Weight"


def test_contributions_stack_to_the_scores_of_the_top_items():
    fig = plot_component_contributions(
        CF, CB, WEIGHTS, user_index=0, top_k=3, user_ids=[12, 5]
    )

    cf_bars, cb_bars, total = fig.data
    scores = 0.25 * CF[0] + 0.75 * CB[0]
    top = np.argsort(-scores)[:3]
    assert list(cf_bars.x) == [f"Item {i}" for i in top]
    np.testing.assert_allclose(cf_bars.y, 0.25 * CF[0, top])
    np.testing.assert_allclose(cb_bars.y, 0.75 * CB[0, top])
    np.testing.assert_allclose(total.y, scores[top])
    assert fig.layout.barmode == "relative"
    assert fig.layout.title.text.endswith("for User 12")
    assert fig.layout.yaxis.title.text == "Contribution to the score"


def test_explanation_from_recommend_output_skips_padding():
    item_ids = np.array([[2, 0, -1], [1, 3, 0]])
    explanations = {
        "cf_similarities": np.array([[0.5, 0.9, 0.0], [1.0, 0.8, 0.0]]),
        "cb_similarities": np.array([[0.4, 0.0, 0.0], [0.5, 0.5, 0.5]]),
        "weights": WEIGHTS,
    }

    fig = plot_recommendation_explanation(item_ids, explanations, user_index=1)

    cf_bars, cb_bars, total = fig.data
    assert list(cf_bars.x) == ["Item 1", "Item 3", "Item 0"]
    np.testing.assert_allclose(total.y, 0.6 * np.array([1.0, 0.8, 0.0]) + 0.2)
    fig = plot_recommendation_explanation(item_ids, explanations)
    assert list(fig.data[0].x) == ["Item 2", "Item 0"]


def test_explanation_errors():
    with pytest.raises(ValueError, match="weights"):
        plot_component_weights(np.ones((3, 3)))
    with pytest.raises(ValueError, match="same users"):
        plot_component_contributions(CF, CB[:1], WEIGHTS)
    with pytest.raises(ValueError, match="user_index"):
        plot_component_contributions(CF, CB, WEIGHTS, user_index=2)
    with pytest.raises(ValueError, match="lacks"):
        plot_recommendation_explanation([[0]], {"weights": WEIGHTS})
