"""Figures that explain a hybrid model: learned weights and contributions.

The explainable unified model scores `weights[:, :1] * cf + weights[:, 1:]
* cb`, where `cf` and `cb` are the collaborative and content similarities
and `weights` the `(num_users, 2)` learned per-user weights.
"""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
from plotly.subplots import make_subplots

from kmr._validation import check_int
from kmr.utils.plotting._common import (
    CB_COLOR,
    CF_COLOR,
    as_score_matrix,
    to_numpy,
    top_k_rows,
    user_labels,
)


def plot_component_weights(
    weights,
    user_ids=None,
    title: str = "Learned Component Weights per User",
    height: int = 450,
    width: int = 1100,
) -> go.Figure:
    """Shows how the learned CF/CB weights vary across users.

    Args:
        weights: `(num_users, 2)` per-user weights, CF first.
        user_ids: Optional `(num_users,)` true user ids, for the labels.
        title: Figure title.
        height: Figure height in pixels. Defaults to 450.
        width: Figure width in pixels. Defaults to 1100.

    Returns:
        A figure with two panels: overlaid histograms of the CF and CB
        weights across users, and a strip of both weights per user.
    """
    weights = component_weights(weights)
    labels = user_labels(user_ids, len(weights))

    fig = make_subplots(
        rows=1,
        cols=2,
        subplot_titles=("Distribution across users", "Weights per user"),
    )
    for column, name, color in (
        (0, "CF weight", CF_COLOR),
        (1, "CB weight", CB_COLOR),
    ):
        fig.add_trace(
            go.Histogram(
                x=weights[:, column],
                nbinsx=20,
                name=f"{name} (mean {weights[:, column].mean():.3f})",
                marker={"color": color},
                opacity=0.6,
                legendgroup=name,
            ),
            row=1,
            col=1,
        )
        fig.add_trace(
            go.Scatter(
                x=labels,
                y=weights[:, column],
                mode="markers",
                name=f"{name} per user",
                marker={"color": color, "size": 9},
                legendgroup=name,
            ),
            row=1,
            col=2,
        )
    fig.update_xaxes(title_text="Weight", row=1, col=1)
    fig.update_yaxes(title_text="Users", row=1, col=1)
    fig.update_xaxes(title_text="User", row=1, col=2)
    fig.update_yaxes(title_text="Weight", row=1, col=2)
    fig.update_layout(
        title=title,
        height=height,
        width=width,
        barmode="overlay",
        template="plotly_white",
    )
    return fig


def plot_component_contributions(
    cf_similarities,
    cb_similarities,
    weights,
    user_index: int = 0,
    top_k: int = 10,
    user_ids=None,
    title: str = "Score Contributions of the Recommended Items",
    height: int = 450,
    width: int = 900,
) -> go.Figure:
    """Splits one user's top-k scores into their CF and CB parts.

    The recommended items are the `top_k` best of `w_cf * cf + w_cb * cb`
    for the user; each bar stacks `w_cf * cf[item]` and `w_cb * cb[item]`,
    and a marker shows their sum, the item's score.

    Args:
        cf_similarities: `(num_users, num_items)` collaborative similarities.
        cb_similarities: `(num_users, num_items)` content similarities.
        weights: `(num_users, 2)` learned weights, CF first.
        user_index: Row of the user to explain. Defaults to 0.
        top_k: Number of recommended items. Defaults to 10.
        user_ids: Optional `(num_users,)` true user ids, for the title.
        title: Figure title; " for User {id}" is appended.
        height: Figure height in pixels. Defaults to 450.
        width: Figure width in pixels. Defaults to 900.

    Returns:
        A figure with a "CF contribution" and a "CB contribution" bar trace
        and a "Score" scatter trace, items best first.
    """
    cf = as_score_matrix(cf_similarities, "cf_similarities")
    cb = as_score_matrix(cb_similarities, "cb_similarities")
    weights = component_weights(weights)
    if cf.shape != cb.shape or len(weights) != len(cf):
        raise ValueError(
            "`cf_similarities`, `cb_similarities` and `weights` must cover "
            f"the same users and items, received shapes {cf.shape}, "
            f"{cb.shape} and {weights.shape}."
        )
    user_index = check_int(
        "user_index", user_index, minimum=0, maximum=len(cf) - 1
    )
    top_k = check_int("top_k", top_k, minimum=1)

    w_cf, w_cb = weights[user_index]
    scores = w_cf * cf[user_index] + w_cb * cb[user_index]
    items, _ = top_k_rows(scores[None, :], top_k)
    items = items[0]
    label = user_labels(user_ids, len(cf))[user_index]
    return contribution_figure(
        items,
        cf[user_index, items],
        cb[user_index, items],
        (w_cf, w_cb),
        title=f"{title} for {label}",
        height=height,
        width=width,
    )


def plot_recommendation_explanation(
    top_k_item_ids,
    explanations: dict,
    user_index: int = 0,
    user_ids=None,
    title: str = "Score Contributions of the Recommended Items",
    height: int = 450,
    width: int = 900,
) -> go.Figure:
    """Plots the contributions returned by `model.recommend(explain=True)`.

    Args:
        top_k_item_ids: `(num_users, k)` item ids from `recommend`.
        explanations: The dict from `recommend(..., explain=True)`, holding
            `cf_similarities` and `cb_similarities` at the recommended items
            (`(num_users, k)`) and `weights` (`(num_users, 2)`).
        user_index: Row of the user to explain. Defaults to 0.
        user_ids: Optional `(num_users,)` true user ids, for the title.
        title: Figure title; " for User {id}" is appended.
        height: Figure height in pixels. Defaults to 450.
        width: Figure width in pixels. Defaults to 900.

    Returns:
        The same stacked-bar figure as `plot_component_contributions`.
    """
    missing = {"cf_similarities", "cb_similarities", "weights"} - set(
        explanations
    )
    if missing:
        raise ValueError(
            f"`explanations` lacks {sorted(missing)}; it holds "
            f"{sorted(explanations)}."
        )
    item_ids = to_numpy(top_k_item_ids).astype("int64")
    weights = component_weights(explanations["weights"])
    user_index = check_int(
        "user_index", user_index, minimum=0, maximum=len(item_ids) - 1
    )
    valid = item_ids[user_index] >= 0
    label = user_labels(user_ids, len(item_ids))[user_index]
    return contribution_figure(
        item_ids[user_index][valid],
        to_numpy(explanations["cf_similarities"])[user_index][valid],
        to_numpy(explanations["cb_similarities"])[user_index][valid],
        weights[user_index],
        title=f"{title} for {label}",
        height=height,
        width=width,
    )


def contribution_figure(
    item_ids, cf_values, cb_values, user_weights, title, height, width
) -> go.Figure:
    """Returns stacked CF/CB contribution bars for a list of items."""
    w_cf, w_cb = (float(w) for w in user_weights)
    cf_part = w_cf * np.asarray(cf_values, dtype="float64")
    cb_part = w_cb * np.asarray(cb_values, dtype="float64")
    names = [f"Item {item}" for item in np.asarray(item_ids).tolist()]

    fig = go.Figure()
    for part, name, color in (
        (cf_part, f"CF contribution (w_cf={w_cf:.3f})", CF_COLOR),
        (cb_part, f"CB contribution (w_cb={w_cb:.3f})", CB_COLOR),
    ):
        fig.add_trace(
            go.Bar(x=names, y=part, name=name, marker={"color": color})
        )
    fig.add_trace(
        go.Scatter(
            x=names,
            y=cf_part + cb_part,
            mode="markers",
            name="Score",
            marker={"color": "black", "symbol": "diamond", "size": 9},
        )
    )
    fig.update_layout(
        title=title,
        barmode="relative",
        height=height,
        width=width,
        xaxis_title="Recommended item (best first)",
        yaxis_title="Contribution to the score",
        template="plotly_white",
    )
    return fig


def component_weights(weights) -> np.ndarray:
    """Returns per-user weights as a float `(num_users, 2)` array.

    Raises:
        ValueError: If `weights` is not `(num_users, 2)`.
    """
    weights = to_numpy(weights, "float64")
    if weights is None or weights.ndim != 2 or weights.shape[1] != 2:
        raise ValueError(
            "`weights` must have shape (num_users, 2) holding the CF and CB "
            "weight of each user, received "
            f"{None if weights is None else weights.shape}."
        )
    return weights
