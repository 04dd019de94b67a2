"""Figures of recommendation lists and of metric values."""

from __future__ import annotations

from collections.abc import Mapping, Sequence

import numpy as np
import plotly.graph_objects as go

from kmr.utils.plotting._common import to_numpy, user_labels


def diversity_metrics(recommendations) -> dict:
    """Measures how much the users' recommendation lists overlap.

    Args:
        recommendations: `(num_users, top_k)` recommended item ids; ids
            below 0 (padding) are ignored.

    Returns:
        A dict with `shared_items` (items in every user's list),
        `diversity_ratio` (`1 - shared_items / top_k`), `distinct_items`
        (items in any list) and `avg_unique_items_per_user`
        (`distinct_items / num_users`).
    """
    recommendations = _recommendation_matrix(recommendations)
    num_users, top_k = recommendations.shape
    lists = [set(row[row >= 0].tolist()) for row in recommendations]
    shared = set.intersection(*lists) if lists else set()
    distinct = set.union(*lists) if lists else set()
    return {
        "shared_items": len(shared),
        "diversity_ratio": 1.0 - len(shared) / top_k,
        "distinct_items": len(distinct),
        "avg_unique_items_per_user": len(distinct) / num_users,
    }


def plot_recommendation_diversity(
    recommendations,
    user_ids=None,
    title: str = "Recommendation Diversity Across Users",
    height: int = 500,
) -> go.Figure:
    """Marks, for each user, which items were recommended to them.

    One heatmap row per user ("User {id}", or "Row {i}" without
    `user_ids`) and one column per item recommended to anyone ("Item {id}",
    in increasing id order); a cell is 1 exactly when the item is in the
    user's list. An annotation reports the measured overlap (see
    `diversity_metrics`).

    Args:
        recommendations: `(num_users, top_k)` recommended item ids.
        user_ids: Optional `(num_users,)` true user ids.
        title: Figure title.
        height: Figure height in pixels. Defaults to 500.

    Returns:
        A figure with one heatmap trace.
    """
    recommendations = _recommendation_matrix(recommendations)
    items = np.unique(recommendations[recommendations >= 0])
    marks = np.zeros((len(recommendations), len(items)), dtype=int)
    rows, positions = np.nonzero(recommendations >= 0)
    columns = np.searchsorted(items, recommendations[rows, positions])
    marks[rows, columns] = 1
    stats = diversity_metrics(recommendations)

    fig = go.Figure(
        go.Heatmap(
            z=marks,
            x=[f"Item {item}" for item in items.tolist()],
            y=user_labels(user_ids, len(recommendations)),
            colorscale="Viridis",
            zmin=0,
            zmax=1,
            showscale=False,
            hovertemplate="%{y}<br>%{x}<br>recommended %{z}<extra></extra>",
        )
    )
    fig.add_annotation(
        text=(
            f"Items shared by all users: {stats['shared_items']}/"
            f"{recommendations.shape[1]} | diversity ratio "
            f"{stats['diversity_ratio']:.1%} | distinct items per user "
            f"{stats['avg_unique_items_per_user']:.2f}"
        ),
        xref="paper",
        yref="paper",
        x=0.5,
        y=1.08,
        showarrow=False,
    )
    fig.update_layout(
        title=title,
        height=height,
        xaxis_title="Recommended item",
        yaxis_title="User",
        template="plotly_white",
    )
    return fig


def plot_recommendation_metrics(
    metrics_dict: Mapping[str, float],
    title: str = "Recommendation Metrics",
    height: int = 400,
) -> go.Figure:
    """Draws one bar per metric, labelled with its value.

    Args:
        metrics_dict: `{metric name: value}`.
        title: Figure title.
        height: Figure height in pixels. Defaults to 400.

    Returns:
        A figure with one bar trace.

    Raises:
        ValueError: If `metrics_dict` is empty.
    """
    if not metrics_dict:
        raise ValueError(
            f"`metrics_dict` must hold at least one metric, received "
            f"{metrics_dict!r}."
        )
    names = [str(name) for name in metrics_dict]
    values = [float(to_numpy(v)) for v in metrics_dict.values()]
    fig = go.Figure(
        go.Bar(
            x=names,
            y=values,
            text=[f"{v:.4f}" for v in values],
            textposition="auto",
            name="Value",
        )
    )
    fig.update_layout(
        title=title,
        height=height,
        xaxis_title="Metric",
        yaxis_title="Value",
        template="plotly_white",
    )
    return fig


def plot_recommendation_comparison(
    models: Sequence[str],
    metrics,
    title: str = "Model Comparison",
    height: int = 500,
) -> go.Figure:
    """Compares models on several metrics with grouped bars.

    Args:
        models: Model names, one per group.
        metrics: `{metric name: values, one per model}`, or one
            `{metric name: value}` dict per model.
        title: Figure title.
        height: Figure height in pixels. Defaults to 500.

    Returns:
        A figure with one bar trace per metric, x being the model names.

    Raises:
        ValueError: If a metric does not have one value per model.
    """
    models = [str(model) for model in models]
    if not isinstance(metrics, Mapping):
        per_model = list(metrics)
        if len(per_model) != len(models):
            raise ValueError(
                f"`metrics` must hold one dict per model ({len(models)}), "
                f"received {len(per_model)}."
            )
        names = list(dict.fromkeys(n for m in per_model for n in m))
        metrics = {
            name: [m.get(name, np.nan) for m in per_model] for name in names
        }
    fig = go.Figure()
    for name, values in metrics.items():
        values = to_numpy(values, "float64").reshape(-1)
        if len(values) != len(models):
            raise ValueError(
                f"`metrics[{name!r}]` must hold one value per model "
                f"({len(models)}), received {len(values)}."
            )
        fig.add_trace(go.Bar(x=models, y=values, name=str(name)))
    fig.update_layout(
        title=title,
        height=height,
        barmode="group",
        xaxis_title="Model",
        yaxis_title="Value",
        template="plotly_white",
    )
    return fig


def _recommendation_matrix(recommendations) -> np.ndarray:
    recommendations = to_numpy(recommendations)
    if recommendations is None or recommendations.ndim == 1:
        recommendations = (
            None if recommendations is None else recommendations[None, :]
        )
    if (
        recommendations is None
        or recommendations.ndim != 2
        or recommendations.size == 0
    ):
        raise ValueError(
            "`recommendations` must be a non-empty (num_users, top_k) array "
            "of item ids, received "
            f"{None if recommendations is None else recommendations.shape}."
        )
    return recommendations.astype("int64")
