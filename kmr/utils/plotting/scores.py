"""Figures of recommendation scores: full vectors, top-k, confidence."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from kmr._validation import check_int
from kmr.utils.plotting._common import (
    HIGHLIGHT_COLOR,
    MUTED_COLOR,
    as_score_matrix,
    to_numpy,
    top_k_rows,
    user_labels,
)
from kmr.utils.plotting.model_outputs import score_users


def plot_recommendation_scores(
    scores,
    top_k: int = 10,
    title: str = "Recommendation Scores",
    height: int = 400,
    item_ids=None,
) -> go.Figure:
    """Plots one user's scores over the catalog with the top-k marked.

    Pass the full `(num_items,)` score vector: every item is drawn at its
    item id, and the `top_k` best are drawn again in red with their rank.
    For a `(num_users, num_items)` matrix the first row is drawn. To plot a
    top-k vector alone, pass its item ids through `item_ids`, so the x-axis
    still shows item ids rather than ranks.

    Args:
        scores: `(num_items,)` or `(num_users, num_items)` scores.
        top_k: Number of best items to highlight. Defaults to 10.
        title: Figure title.
        height: Figure height in pixels. Defaults to 400.
        item_ids: Optional `(num_items,)` ids of the scored items. Defaults
            to `0 .. num_items - 1`.

    Returns:
        A figure with an "All items" and a "Top-k" scatter trace.

    Raises:
        ValueError: If `top_k` is not a positive integer or `item_ids` does
            not match the scores.
    """
    top_k = check_int("top_k", top_k, minimum=1)
    row = as_score_matrix(scores)[0]
    item_ids = _item_ids(item_ids, len(row))
    best, best_scores = top_k_rows(row[None, :], top_k)
    best = best[0]

    fig = go.Figure()
    fig.add_trace(
        go.Scatter(
            x=item_ids,
            y=row,
            mode="markers",
            name="All items",
            marker={"color": MUTED_COLOR, "size": 6},
            hovertemplate="item %{x}<br>score %{y:.4f}<extra></extra>",
        )
    )
    fig.add_trace(
        go.Scatter(
            x=item_ids[best],
            y=best_scores[0],
            mode="markers",
            name=f"Top-{len(best)}",
            marker={"color": HIGHLIGHT_COLOR, "size": 10},
            text=[f"rank {rank}" for rank in range(1, len(best) + 1)],
            hovertemplate=(
                "item %{x}<br>score %{y:.4f}<br>%{text}<extra></extra>"
            ),
        )
    )
    fig.update_layout(
        title=title,
        height=height,
        xaxis_title="Item id",
        yaxis_title="Score",
        template="plotly_white",
    )
    return fig


def plot_topk_scores(
    user_features,
    item_features,
    model,
    user_idx: int = 0,
    title: str = "Top-K Recommendation Scores",
    height: int = 400,
    width: int = 900,
    user_ids=None,
    top_k: int | None = None,
) -> go.Figure:
    """Scores one user with the model and plots the top-k scores as bars.

    The user is row `user_idx` of the inputs; its id is `user_ids[user_idx]`
    (a model that takes user ids needs `user_ids`, the row index is never
    used as an id).

    Args:
        user_features: `(num_users, user_feature_dim)` features, or `None`
            for a model without user features.
        item_features: `(num_items, item_feature_dim)` shared catalog or
            `(num_users, num_items, item_feature_dim)` candidates per user,
            or `None` to score the model's catalog.
        model: A kmr recommendation model.
        user_idx: Row of the user to plot. Defaults to 0.
        title: Figure title; " for User {id}" is appended.
        height: Figure height in pixels. Defaults to 400.
        width: Figure width in pixels. Defaults to 900.
        user_ids: Optional `(num_users,)` true user ids.
        top_k: Number of bars. Defaults to `model.top_k`, else 10.

    Returns:
        A bar figure, one bar per recommended item, best first.
    """
    user_idx = check_int("user_idx", user_idx, minimum=0)
    rows = slice(user_idx, user_idx + 1)
    item_features = to_numpy(item_features)
    if item_features is not None and item_features.ndim == 3:
        item_features = item_features[rows]
    outputs = score_users(
        model,
        user_ids=None if user_ids is None else to_numpy(user_ids)[rows],
        user_features=(
            None if user_features is None else to_numpy(user_features)[rows]
        ),
        item_features=item_features,
    )
    if user_ids is None:
        label = f"Row {user_idx}"
    else:
        label = user_labels(to_numpy(user_ids)[rows], 1)[0]
    k = top_k if top_k is not None else getattr(model, "top_k", 10)
    return topk_scores_figure(
        outputs["scores"][0], k, f"{title} for {label}", height, width
    )


def topk_scores_figure(
    score_row, top_k: int, title: str, height: int = 400, width: int = 900
) -> go.Figure:
    """Returns the bar figure of the `top_k` best entries of `score_row`."""
    top_k = check_int("top_k", top_k, minimum=1)
    best, best_scores = top_k_rows(as_score_matrix(score_row), top_k)
    fig = go.Figure(
        go.Bar(
            x=[f"Item {item}" for item in best[0]],
            y=best_scores[0],
            name="Score",
            marker={"color": best_scores[0], "colorscale": "Viridis"},
            hovertemplate="%{x}<br>score %{y:.4f}<extra></extra>",
        )
    )
    fig.update_layout(
        title=title,
        height=height,
        width=width,
        xaxis_title="Recommended item (best first)",
        yaxis_title="Score",
        template="plotly_white",
    )
    return fig


def plot_prediction_confidence(
    similarity_matrices,
    user_ids=None,
    title: str = "Model Prediction Confidence",
    height: int = 400,
    width: int = 900,
) -> tuple[go.Figure, float]:
    """Plots, per user, the margin of the best score over the second best.

    Args:
        similarity_matrices: `(num_users, num_items)` scores, at least two
            items per user.
        user_ids: Optional `(num_users,)` true user ids, for the labels.
        title: Figure title; " (Top Score - 2nd Place)" is appended.
        height: Figure height in pixels. Defaults to 400.
        width: Figure width in pixels. Defaults to 900.

    Returns:
        `(fig, mean_confidence)`: a bar figure with a dashed line at the
        mean, and the mean margin as a float.

    Raises:
        ValueError: If there are fewer than two items per user.
    """
    scores = as_score_matrix(similarity_matrices, "similarity_matrices")
    if scores.shape[1] < 2:
        raise ValueError(
            "`similarity_matrices` needs at least 2 items per user to "
            f"measure a margin, received shape {scores.shape}."
        )
    _, best = top_k_rows(scores, 2)
    confidence = best[:, 0] - best[:, 1]
    mean_confidence = float(confidence.mean())

    fig = go.Figure(
        go.Bar(
            x=user_labels(user_ids, len(scores)),
            y=confidence,
            name="Top score - 2nd place",
            marker={"color": confidence, "colorscale": "Viridis"},
        )
    )
    fig.add_hline(
        y=mean_confidence,
        line_dash="dash",
        annotation_text=f"mean {mean_confidence:.4f}",
    )
    fig.update_layout(
        title=f"{title} (Top Score - 2nd Place)",
        height=height,
        width=width,
        xaxis_title="User",
        yaxis_title="Score margin",
        template="plotly_white",
    )
    return fig, mean_confidence


def _item_ids(item_ids, num_items: int) -> np.ndarray:
    if item_ids is None:
        return np.arange(num_items)
    item_ids = to_numpy(item_ids).reshape(-1)
    if len(item_ids) != num_items:
        raise ValueError(
            f"`item_ids` must hold one id per score ({num_items}), received "
            f"{len(item_ids)}."
        )
    return item_ids
