import inspect

import numpy as np
import plotly.graph_objects as go

from kmr.utils.k_m_r_plotter import KMRPlotter

# Parameters and defaults of the original recommendation methods, which
# must keep working positionally; new parameters may only follow them.
ORIGINAL_SIGNATURES = {
    "plot_recommendation_scores": [
        ("scores", None),
        ("top_k", 10),
        ("title", "Recommendation Scores"),
        ("height", 400),
    ],
    "plot_recommendation_diversity": [
        ("recommendations", None),
        ("user_ids", None),
        ("title", "Recommendation Diversity Across Users"),
        ("height", 500),
    ],
    "plot_similarity_matrix": [
        ("similarity_matrix", None),
        ("title", "Similarity Matrix"),
        ("height", 500),
    ],
    "plot_recommendation_metrics": [
        ("metrics_dict", None),
        ("title", "Recommendation Metrics"),
        ("height", 400),
    ],
    "plot_geospatial_recommendations": [
        ("user_lat", None),
        ("user_lon", None),
        ("item_lats", None),
        ("item_lons", None),
        ("recommended_indices", None),
        ("title", "Geospatial Recommendations"),
        ("height", 600),
    ],
    "plot_user_clusters": [
        ("similarity_matrices", None),
        ("user_ids", None),
        ("n_clusters", None),
        ("method", "hierarchical"),
        ("title", "User Clusters Based on Similarity Patterns"),
        ("height", 600),
    ],
    "plot_recommendation_comparison": [
        ("models", None),
        ("metrics", None),
        ("title", "Model Comparison"),
        ("height", 500),
    ],
    "plot_training_history": [
        ("history", None),
        ("metrics", None),
        ("title", "Training Progress"),
        ("height", 400),
    ],
    "plot_training_history_comprehensive": [
        ("history", None),
        ("title", "Training Progress"),
        ("height", 400),
        ("width", 1200),
    ],
    "plot_similarity_distribution": [
        ("similarity_matrices", None),
        ("train_y", None),
        ("n_users", 5),
        ("title", "Similarity Score Distribution"),
        ("height", 400),
        ("width", 1000),
    ],
    "plot_topk_scores": [
        ("user_features", None),
        ("item_features", None),
        ("model", None),
        ("user_idx", 0),
        ("title", "Top-K Recommendation Scores"),
        ("height", 400),
        ("width", 900),
    ],
    "plot_prediction_confidence": [
        ("similarity_matrices", None),
        ("user_ids", None),
        ("title", "Model Prediction Confidence"),
        ("height", 400),
        ("width", 900),
    ],
    "plot_embedding_space": [
        ("user_features", None),
        ("model", None),
        ("user_ids", None),
        ("title", "User Embedding Space"),
        ("height", 500),
        ("width", 900),
    ],
    "create_recommendation_diagnostic_report": [
        ("model", None),
        ("history", None),
        ("user_features", None),
        ("item_features", None),
        ("train_y", None),
        ("n_sample_users", 10),
        ("top_k", None),
    ],
    "print_diagnostic_summary": [("report", None)],
}


def test_original_methods_keep_their_leading_parameters_and_defaults():
    for name, expected in ORIGINAL_SIGNATURES.items():
        method = inspect.getattr_static(KMRPlotter, name)
        assert isinstance(method, staticmethod), name
        parameters = list(
            inspect.signature(getattr(KMRPlotter, name)).parameters.values()
        )
        leading = [
            (
                p.name,
                None if p.default is inspect.Parameter.empty else p.default,
            )
            for p in parameters[: len(expected)]
        ]
        assert leading == expected, name


def test_plotter_is_importable_from_the_plotting_package():
    from kmr.utils.plotting import KMRPlotter as FromPackage

    assert FromPackage is KMRPlotter


def test_tuple_returning_methods_return_tuples():
    scores = np.array([[0.9, 0.1, 0.3], [0.2, 0.8, 0.1], [0.1, 0.2, 0.7]])
    fig, labels = KMRPlotter.plot_user_clusters(scores, n_clusters=2)
    assert isinstance(fig, go.Figure) and labels.shape == (3,)
    fig, stats = KMRPlotter.plot_similarity_distribution(scores, np.eye(3))
    assert isinstance(fig, go.Figure) and stats["separation"] is True
    fig, mean_confidence = KMRPlotter.plot_prediction_confidence(scores)
    assert isinstance(mean_confidence, float)
