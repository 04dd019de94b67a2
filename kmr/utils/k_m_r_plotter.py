"""`KMRPlotter`: the Plotly diagnostics of kmr behind one class."""

from __future__ import annotations

from kmr.utils.plotting import (
    clusters,
    diagnostic_report,
    embeddings,
    explanations,
    geospatial,
    recommendations,
    report,
    scores,
    similarity,
    training,
)


class KMRPlotter:
    """Plotly figures that diagnose recommendation models.

    Every method is static and returns Plotly figures (some with the
    numbers they measured); none of them shows or prints anything except
    `print_diagnostic_summary`. The methods live in the modules of
    `kmr.utils.plotting` and are gathered here under the original names.

    - Scores: `plot_recommendation_scores`, `plot_topk_scores`,
      `plot_prediction_confidence`.
    - Score matrices: `plot_similarity_matrix`,
      `plot_similarity_distribution`, `plot_user_clusters`.
    - Lists and metrics: `plot_recommendation_diversity`,
      `plot_recommendation_metrics`, `plot_recommendation_comparison`,
      `plot_geospatial_recommendations`.
    - Training: `plot_training_history`,
      `plot_training_history_comprehensive`,
      `plot_component_weights_over_epochs`.
    - Explanations of hybrid models: `plot_component_weights`,
      `plot_component_contributions`, `plot_recommendation_explanation`,
      `plot_embedding_space`.
    - Report: `create_recommendation_diagnostic_report`,
      `save_report_html`, `print_diagnostic_summary`.

    Example:
        ```python
        import numpy as np
        from kmr.utils.k_m_r_plotter import KMRPlotter

        scores = np.random.default_rng(0).random((4, 20))
        fig = KMRPlotter.plot_recommendation_scores(scores[0], top_k=5)
        fig, mean_margin = KMRPlotter.plot_prediction_confidence(scores)
        ```
    """

    plot_recommendation_scores = staticmethod(scores.plot_recommendation_scores)
    plot_topk_scores = staticmethod(scores.plot_topk_scores)
    plot_prediction_confidence = staticmethod(scores.plot_prediction_confidence)
    plot_similarity_matrix = staticmethod(similarity.plot_similarity_matrix)
    plot_similarity_distribution = staticmethod(
        similarity.plot_similarity_distribution
    )
    plot_user_clusters = staticmethod(clusters.plot_user_clusters)
    plot_recommendation_diversity = staticmethod(
        recommendations.plot_recommendation_diversity
    )
    plot_recommendation_metrics = staticmethod(
        recommendations.plot_recommendation_metrics
    )
    plot_recommendation_comparison = staticmethod(
        recommendations.plot_recommendation_comparison
    )
    plot_geospatial_recommendations = staticmethod(
        geospatial.plot_geospatial_recommendations
    )
    plot_training_history = staticmethod(training.plot_training_history)
    plot_training_history_comprehensive = staticmethod(
        training.plot_training_history_comprehensive
    )
    plot_component_weights_over_epochs = staticmethod(
        training.plot_component_weights_over_epochs
    )
    plot_component_weights = staticmethod(explanations.plot_component_weights)
    plot_component_contributions = staticmethod(
        explanations.plot_component_contributions
    )
    plot_recommendation_explanation = staticmethod(
        explanations.plot_recommendation_explanation
    )
    plot_embedding_space = staticmethod(embeddings.plot_embedding_space)
    create_recommendation_diagnostic_report = staticmethod(
        report.create_recommendation_diagnostic_report
    )
    save_report_html = staticmethod(diagnostic_report.save_report_html)
    print_diagnostic_summary = staticmethod(report.print_diagnostic_summary)
