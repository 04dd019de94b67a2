"""Figures of score matrices: heatmaps and positive/negative separation."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from kmr._validation import check_int
from kmr.utils.plotting._common import (
    HIGHLIGHT_COLOR,
    as_score_matrix,
    to_numpy,
)


def plot_similarity_matrix(
    similarity_matrix,
    title: str = "Similarity Matrix",
    height: int = 500,
) -> go.Figure:
    """Draws a score or similarity matrix as a Viridis heatmap.

    A 1-D input is drawn as a single row. The y-axis reads "User (single)"
    for one row, "Items" for a square matrix and "Users" otherwise.

    Args:
        similarity_matrix: `(num_items,)` or `(num_rows, num_columns)`.
        title: Figure title.
        height: Figure height in pixels. Defaults to 500.

    Returns:
        A figure with one heatmap trace holding the matrix.
    """
    matrix = as_score_matrix(similarity_matrix, "similarity_matrix")
    if matrix.shape[0] == 1:
        y_title = "User (single)"
    elif matrix.shape[0] == matrix.shape[1]:
        y_title = "Items"
    else:
        y_title = "Users"
    fig = go.Figure(
        go.Heatmap(z=matrix, colorscale="Viridis", colorbar={"title": "Score"})
    )
    fig.update_layout(
        title=title,
        height=height,
        xaxis_title="Items",
        yaxis_title=y_title,
        template="plotly_white",
    )
    return fig


def plot_similarity_distribution(
    similarity_matrices,
    train_y,
    n_users: int = 5,
    title: str = "Similarity Score Distribution",
    height: int = 400,
    width: int = 1000,
) -> tuple[go.Figure, dict]:
    """Overlays the score histograms of relevant and irrelevant items.

    Labels follow the kmr convention: values > 0 are relevant, 0 is not
    relevant, negative values are ignored.

    Args:
        similarity_matrices: `(num_users, num_items)` scores.
        train_y: `(num_users, num_items)` labels for the same rows.
        n_users: Number of leading rows used. Defaults to 5.
        title: Figure title.
        height: Figure height in pixels. Defaults to 400.
        width: Figure width in pixels. Defaults to 1000.

    Returns:
        `(fig, stats)`: a figure with a "Positive items" and a "Negative
        items" histogram (30 bins), and a dict with `positive_mean`,
        `positive_std`, `negative_mean`, `negative_std` (NaN when a group is
        empty), `positive_count`, `negative_count` and `separation`
        (whether the mean positive score exceeds the mean negative one).

    Raises:
        ValueError: If the labels do not match the scores.
    """
    n_users = check_int("n_users", n_users, minimum=1)
    scores = as_score_matrix(similarity_matrices, "similarity_matrices")
    labels = to_numpy(train_y, "float64")
    if labels is None or labels.ndim == 1:
        labels = None if labels is None else labels[None, :]
    if labels is None or labels.shape[1] != scores.shape[1]:
        raise ValueError(
            "`train_y` must have shape (num_users, num_items) with "
            f"num_items={scores.shape[1]}, received "
            f"{None if labels is None else labels.shape}."
        )
    rows = min(n_users, len(scores), len(labels))
    scores, labels = scores[:rows], labels[:rows]
    positive = scores[labels > 0]
    negative = scores[labels == 0]
    stats = {
        "positive_mean": _mean(positive),
        "positive_std": _std(positive),
        "negative_mean": _mean(negative),
        "negative_std": _std(negative),
        "positive_count": int(positive.size),
        "negative_count": int(negative.size),
    }
    stats["separation"] = bool(
        positive.size
        and negative.size
        and stats["positive_mean"] > stats["negative_mean"]
    )

    fig = go.Figure()
    for values, name, color in (
        (positive, "Positive items", "#2ca02c"),
        (negative, "Negative items", HIGHLIGHT_COLOR),
    ):
        fig.add_trace(
            go.Histogram(
                x=values,
                nbinsx=30,
                name=f"{name} (n={values.size})",
                marker={"color": color},
                opacity=0.6,
            )
        )
    fig.update_layout(
        title=f"{title} ({rows} users)",
        barmode="overlay",
        height=height,
        width=width,
        xaxis_title="Score",
        yaxis_title="Count",
        template="plotly_white",
    )
    return fig, stats


def _mean(values: np.ndarray) -> float:
    return float(values.mean()) if values.size else float("nan")


def _std(values: np.ndarray) -> float:
    return float(values.std()) if values.size else float("nan")
