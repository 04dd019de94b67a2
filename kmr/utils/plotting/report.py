"""The diagnostic report of a trained recommendation model."""

from __future__ import annotations

import numpy as np

from kmr._validation import check_int
from kmr.utils.plotting._common import to_numpy, top_k_rows, user_labels
from kmr.utils.plotting.clusters import plot_user_clusters
from kmr.utils.plotting.diagnostic_report import DiagnosticReport
from kmr.utils.plotting.embeddings import plot_embedding_space
from kmr.utils.plotting.explanations import (
    component_weights,
    plot_component_contributions,
    plot_component_weights,
)
from kmr.utils.plotting.model_outputs import score_users
from kmr.utils.plotting.recommendations import (
    diversity_metrics,
    plot_recommendation_diversity,
)
from kmr.utils.plotting.scores import (
    plot_prediction_confidence,
    topk_scores_figure,
)
from kmr.utils.plotting.similarity import plot_similarity_distribution
from kmr.utils.plotting.training import (
    has_component_weights,
    plot_component_weights_over_epochs,
    plot_training_history_comprehensive,
)

_EXPLANATION_OUTPUTS = ("cf_similarities", "cb_similarities", "weights")


def create_recommendation_diagnostic_report(
    model,
    history,
    user_features,
    item_features,
    train_y,
    n_sample_users: int = 10,
    top_k: int | None = None,
    user_ids=None,
) -> DiagnosticReport:
    """Scores a sample of users once and gathers the diagnostic figures.

    The first `n_sample_users` rows are scored with a single call of the
    model. A model that takes user ids needs `user_ids`: a row index is
    never used as an id. For the explainable unified model (outputs
    `cf_similarities`, `cb_similarities` and `weights`) the report adds the
    learned weights per user and the contributions of each component to
    the first user's recommendations; when `history` holds the weights
    recorded by `ComponentWeightsLogger`, also their course over epochs.

    The labels `train_y` decide which scores count as positives; pass the
    labels of held-out interactions to diagnose generalisation rather than
    memorisation.

    Args:
        model: A kmr recommendation model.
        history: A `keras.callbacks.History`, a `{name: values}` dict, or
            `None` to leave out the training curves.
        user_features: `(num_users, user_feature_dim)` features, or `None`.
        item_features: `(num_items, item_feature_dim)` shared catalog,
            `(num_users, num_items, item_feature_dim)` candidates per user,
            or `None` (model without item features, or its stored catalog).
        train_y: `(num_users, num_items)` labels: > 0 relevant, 0 not,
            negative ignored.
        n_sample_users: Number of leading rows to diagnose. Defaults to 10.
        top_k: Length of the recommendation lists. Defaults to
            `model.top_k`.
        user_ids: `(num_users,)` true user ids of the rows.

    Returns:
        A `DiagnosticReport` (a dict) with "figures": `training_history`,
        `similarity_distribution`, `topk_scores`, `prediction_confidence`,
        `embedding_space` (`None` without a `user_tower`),
        `recommendation_diversity`, `user_clusters` (`None` for one user),
        and for the explainable model `component_weights`,
        `component_contributions` and `component_weights_over_epochs`;
        and "metrics": `diversity`, `similarity`, `mean_confidence`,
        `cluster_labels`, `top_k`, `n_users`, `user_ids`, and for the
        explainable model `component_weights`.
    """
    n_sample_users = check_int("n_sample_users", n_sample_users, minimum=1)
    # Limitation: the sample is the leading rows, as in the original; pass
    # shuffled or held-out rows to diagnose other users.
    rows = slice(0, n_sample_users)
    user_ids = None if user_ids is None else to_numpy(user_ids)[rows]
    user_features = (
        None if user_features is None else to_numpy(user_features)[rows]
    )
    item_features = to_numpy(item_features)
    if item_features is not None and item_features.ndim == 3:
        item_features = item_features[rows]

    outputs = score_users(
        model,
        user_ids=user_ids,
        user_features=user_features,
        item_features=item_features,
    )
    scores = outputs["scores"].astype("float64")
    num_users = len(scores)
    labels = to_numpy(train_y)[rows]
    if top_k is None:
        top_k = getattr(model, "top_k", 10)
    top_k = check_int("top_k", top_k, minimum=1)
    recommended, _ = top_k_rows(scores, top_k)
    first_label = user_labels(user_ids, num_users)[0]

    figures, metrics = {}, {}
    figures["training_history"] = (
        None
        if history is None
        else plot_training_history_comprehensive(history)
    )
    figures["similarity_distribution"], metrics["similarity"] = (
        plot_similarity_distribution(scores, labels, n_users=num_users)
    )
    figures["topk_scores"] = topk_scores_figure(
        scores[0], top_k, f"Top-K Recommendation Scores for {first_label}"
    )
    figures["prediction_confidence"], metrics["mean_confidence"] = (
        plot_prediction_confidence(scores, user_ids=user_ids)
    )
    figures["embedding_space"] = (
        plot_embedding_space(user_features, model, user_ids=user_ids)
        if getattr(model, "user_tower", None) is not None
        and user_features is not None
        else None
    )
    figures["recommendation_diversity"] = plot_recommendation_diversity(
        recommended, user_ids=user_ids
    )
    metrics["diversity"] = diversity_metrics(recommended)
    if num_users >= 2:
        figures["user_clusters"], metrics["cluster_labels"] = (
            plot_user_clusters(
                scores, user_ids=user_ids, n_clusters=min(3, num_users)
            )
        )
    else:
        figures["user_clusters"] = None
        metrics["cluster_labels"] = np.zeros(num_users, dtype=int)
    metrics["top_k"] = top_k
    metrics["n_users"] = num_users
    metrics["user_ids"] = user_ids

    if all(name in outputs for name in _EXPLANATION_OUTPUTS):
        _add_explanations(figures, metrics, outputs, scores, top_k, user_ids)
    if history is not None and has_component_weights(history):
        figures["component_weights_over_epochs"] = (
            plot_component_weights_over_epochs(history)
        )
    return DiagnosticReport(figures=figures, metrics=metrics)


def _add_explanations(figures, metrics, outputs, scores, top_k, user_ids):
    weights = component_weights(outputs["weights"])
    cf = outputs["cf_similarities"].astype("float64")
    cb = outputs["cb_similarities"].astype("float64")
    rebuilt = weights[:, :1] * cf + weights[:, 1:] * cb
    figures["component_weights"] = plot_component_weights(
        weights, user_ids=user_ids
    )
    figures["component_contributions"] = plot_component_contributions(
        cf, cb, weights, top_k=top_k, user_ids=user_ids
    )
    metrics["component_weights"] = {
        "cf_mean": float(weights[:, 0].mean()),
        "cf_std": float(weights[:, 0].std()),
        "cb_mean": float(weights[:, 1].mean()),
        "cb_std": float(weights[:, 1].std()),
        # How exactly the weighted parts add up to the model's scores.
        "reconstruction_max_abs_error": float(np.abs(rebuilt - scores).max()),
    }


def format_diagnostic_summary(report) -> str:
    """Returns the measured numbers of a report as plain text lines."""
    metrics = report["metrics"]
    lines = ["Recommendation diagnostics"]
    user_ids = metrics.get("user_ids")
    ids_text = (
        "" if user_ids is None else f" (ids {np.asarray(user_ids).tolist()})"
    )
    diversity = metrics.get("diversity")
    if diversity is not None:
        lines += [
            f"  users diagnosed: {metrics.get('n_users')}" + ids_text,
            f"  top-k: {metrics.get('top_k')}",
            f"  items shared by every user's list: "
            f"{diversity['shared_items']} "
            f"(diversity ratio {diversity['diversity_ratio']:.3f})",
            f"  distinct recommended items: "
            f"{diversity.get('distinct_items', 'n/a')}, per user "
            f"{diversity['avg_unique_items_per_user']:.2f}",
        ]
    similarity = metrics.get("similarity")
    if similarity is not None:
        lines += [
            f"  positive scores: mean {similarity['positive_mean']:.4f}, "
            f"std {similarity['positive_std']:.4f}, "
            f"n={similarity.get('positive_count', 'n/a')}",
            f"  negative scores: mean {similarity['negative_mean']:.4f}, "
            f"std {similarity['negative_std']:.4f}, "
            f"n={similarity.get('negative_count', 'n/a')}",
            "  mean positive score above mean negative score: "
            f"{'yes' if similarity['separation'] else 'no'}",
        ]
    if "mean_confidence" in metrics:
        lines.append(
            "  mean margin of the best score over the second: "
            f"{metrics['mean_confidence']:.4f}"
        )
    weights = metrics.get("component_weights")
    if weights is not None:
        lines += [
            f"  CF weight: mean {weights['cf_mean']:.4f}, "
            f"std {weights['cf_std']:.4f}",
            f"  CB weight: mean {weights['cb_mean']:.4f}, "
            f"std {weights['cb_std']:.4f}",
            "  largest |w_cf*cf + w_cb*cb - score|: "
            f"{weights['reconstruction_max_abs_error']:.2e}",
        ]
    return "\n".join(lines)


def print_diagnostic_summary(report) -> None:
    """Prints the measured numbers of a diagnostic report.

    Printing is this function's purpose; the text comes from
    `format_diagnostic_summary`, which states measurements only.

    Args:
        report: The dict returned by `create_recommendation_diagnostic_report`.
    """
    print(format_diagnostic_summary(report))  # noqa: T201
