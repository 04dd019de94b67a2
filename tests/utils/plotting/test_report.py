import numpy as np
import pytest

from kmr.utils.plotting.report import (
    create_recommendation_diagnostic_report,
    format_diagnostic_summary,
    print_diagnostic_summary,
)
from tests.utils.plotting.stand_in_models import (
    ExplainableTableModel,
    TableModel,
    TrainableExplainableModel,
    planted_data,
)

ORIGINAL_FIGURES = {
    "training_history",
    "similarity_distribution",
    "topk_scores",
    "prediction_confidence",
    "embedding_space",
    "recommendation_diversity",
    "user_clusters",
}
ORIGINAL_METRICS = {
    "diversity",
    "similarity",
    "mean_confidence",
    "cluster_labels",
}
HISTORY = {
    "loss": [1.0, 0.5],
    "cf_weight_mean": [0.5, 0.6],
    "cb_weight_mean": [0.5, 0.4],
}


@pytest.fixture
def explainable(rng):
    num_users, num_items = 8, 6
    cf = rng.random((num_users, num_items))
    cb = rng.random((num_users, num_items))
    weights = rng.dirichlet([1.0, 1.0], size=num_users)
    model = ExplainableTableModel(cf, cb, weights, top_k=2)
    return model, cf, cb, weights


def test_report_scores_the_true_user_ids_in_one_call(explainable, rng):
    model, cf, cb, weights = explainable
    user_ids = np.array([7, 2, 5, 0])
    labels = (rng.random((4, 6)) > 0.5).astype("float32")
    expected_scores = weights[user_ids, :1] * cf[user_ids] + (
        weights[user_ids, 1:] * cb[user_ids]
    )

    report = create_recommendation_diagnostic_report(
        model,
        HISTORY,
        None,
        None,
        labels,
        n_sample_users=3,
        user_ids=user_ids,
    )

    assert model.call_count == 1
    figures, metrics = report["figures"], report["metrics"]
    assert set(figures) >= ORIGINAL_FIGURES
    assert set(metrics) >= ORIGINAL_METRICS
    assert figures["embedding_space"] is None
    heatmap = figures["recommendation_diversity"].data[0]
    assert list(heatmap.y) == ["User 7", "User 2", "User 5"]
    top = np.argsort(-expected_scores[:3], axis=1)[:, :2]
    assert sorted(heatmap.x) == sorted(f"Item {i}" for i in np.unique(top))
    bars = figures["topk_scores"].data[0]
    np.testing.assert_allclose(bars.y, expected_scores[0, top[0]], rtol=1e-5)
    assert figures["topk_scores"].layout.title.text.endswith("for User 7")

    _, margin = np.sort(expected_scores[:3], axis=1)[:, ::-1][:, :2].T
    best = np.sort(expected_scores[:3], axis=1)[:, -1]
    assert metrics["mean_confidence"] == pytest.approx(
        np.mean(best - margin), rel=1e-5
    )
    positive = expected_scores[:3][labels[:3] > 0]
    assert metrics["similarity"]["positive_mean"] == pytest.approx(
        positive.mean(), rel=1e-5
    )
    shared = set.intersection(*(set(row) for row in top.tolist()))
    assert metrics["diversity"]["shared_items"] == len(shared)
    assert metrics["cluster_labels"].shape == (3,)
    np.testing.assert_array_equal(metrics["user_ids"], [7, 2, 5])


def test_report_explains_the_hybrid_weights(explainable, rng):
    model, cf, cb, weights = explainable
    user_ids = np.array([3, 1, 6])

    report = create_recommendation_diagnostic_report(
        model, HISTORY, None, None, np.zeros((3, 6)), user_ids=user_ids
    )

    figures, metrics = report["figures"], report["metrics"]
    histogram = figures["component_weights"].data[0]
    np.testing.assert_allclose(histogram.x, weights[user_ids, 0], rtol=1e-6)
    cf_bars, cb_bars, total = figures["component_contributions"].data
    w_cf, w_cb = weights[3]
    scores = w_cf * cf[3] + w_cb * cb[3]
    top = np.argsort(-scores)[:2]
    np.testing.assert_allclose(cf_bars.y, w_cf * cf[3, top], rtol=1e-5)
    np.testing.assert_allclose(cb_bars.y, w_cb * cb[3, top], rtol=1e-5)
    over_epochs = figures["component_weights_over_epochs"].data
    np.testing.assert_allclose(over_epochs[0].y, [0.5, 0.6])
    assert metrics["component_weights"]["cf_mean"] == pytest.approx(
        weights[user_ids, 0].mean(), rel=1e-5
    )
    assert metrics["component_weights"]["reconstruction_max_abs_error"] < 1e-5


def test_report_for_a_feature_model_with_replicated_candidates(rng):
    user_features, item_features, labels = planted_data(rng)
    model = TrainableExplainableModel(6, 8, 3, 2, top_k=3)
    replicated = np.stack([item_features] * 6)

    report = create_recommendation_diagnostic_report(
        model,
        None,
        user_features,
        replicated,
        labels,
        n_sample_users=4,
        user_ids=np.arange(6)[::-1],
    )
    shared = create_recommendation_diagnostic_report(
        model,
        None,
        user_features,
        item_features,
        labels,
        n_sample_users=4,
        user_ids=np.arange(6)[::-1],
    )

    assert report["figures"]["training_history"] is None
    assert report["figures"]["embedding_space"] is not None
    assert "component_weights_over_epochs" not in report["figures"]
    np.testing.assert_allclose(
        report["figures"]["topk_scores"].data[0].y,
        shared["figures"]["topk_scores"].data[0].y,
        rtol=1e-5,
    )


def test_report_refuses_to_use_rows_as_ids(rng):
    model = TableModel(rng.random((4, 5)))
    with pytest.raises(ValueError, match="user_ids"):
        create_recommendation_diagnostic_report(
            model, None, None, None, np.zeros((4, 5))
        )


def test_summary_prints_measurements_only(explainable, capsys):
    model = explainable[0]
    report = create_recommendation_diagnostic_report(
        model, None, None, None, np.eye(8, 6), user_ids=np.arange(8)
    )

    print_diagnostic_summary(report)

    printed = capsys.readouterr().out
    assert printed.strip() == format_diagnostic_summary(report)
    assert printed.isascii()
    assert "users diagnosed: 8" in printed
    diversity = report["metrics"]["diversity"]
    assert f"every user's list: {diversity['shared_items']} " in printed
    assert f"{report['metrics']['mean_confidence']:.4f}" in printed
    assert "CF weight: mean" in printed
