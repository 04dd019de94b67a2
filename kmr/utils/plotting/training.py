"""Figures of training curves and of learned weights over epochs."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
from plotly.colors import DEFAULT_PLOTLY_COLORS
from plotly.subplots import make_subplots

from kmr.utils.plotting._common import (
    CB_COLOR,
    CB_WEIGHT_KEY,
    CF_COLOR,
    CF_WEIGHT_KEY,
    CF_WEIGHT_STD_KEY,
    COMPONENT_WEIGHT_KEYS,
    HIGHLIGHT_COLOR,
    history_dict,
)

_MAX_EXTRA_METRICS = 5


def plot_training_history(
    history,
    metrics: list[str] | None = None,
    title: str = "Training Progress",
    height: int = 400,
) -> go.Figure:
    """Draws one panel per metric, with its validation curve when logged.

    Args:
        history: A `keras.callbacks.History`, a `{name: values}` dict or a
            `RecommendationMetricsLogger`.
        metrics: Names to draw. Defaults to those of "loss" and "accuracy"
            that were logged.
        title: Figure title.
        height: Figure height in pixels. Defaults to 400.

    Returns:
        A figure with one subplot per metric: a solid training trace and a
        dashed "val_" trace when present.

    Raises:
        ValueError: If a requested metric was not logged, or none of the
            default ones was.
    """
    logged = history_dict(history)
    if metrics is None:
        metrics = [m for m in ("loss", "accuracy") if m in logged]
        if not metrics:
            raise ValueError(
                "`history` holds neither 'loss' nor 'accuracy'; pass "
                f"`metrics=` from {sorted(logged)}."
            )
    missing = [m for m in metrics if m not in logged]
    if missing:
        raise ValueError(
            f"`metrics` names {missing}, which `history` does not hold; "
            f"logged: {sorted(logged)}."
        )

    fig = make_subplots(rows=1, cols=len(metrics), subplot_titles=metrics)
    for column, metric in enumerate(metrics, start=1):
        color = DEFAULT_PLOTLY_COLORS[(column - 1) % 10]
        _add_curves(fig, logged, metric, color, row=1, col=column)
        fig.update_xaxes(title_text="Epoch", row=1, col=column)
        fig.update_yaxes(title_text=metric, row=1, col=column)
    fig.update_layout(title=title, height=height, template="plotly_white")
    return fig


def plot_training_history_comprehensive(
    history,
    title: str = "Training Progress",
    height: int = 400,
    width: int = 1200,
) -> go.Figure:
    """Draws the loss and up to five other metrics in two panels.

    Validation curves ("val_" keys) are drawn dashed in the colour of
    their training curve instead of as separate metrics.

    Args:
        history: A `keras.callbacks.History`, a `{name: values}` dict or a
            `RecommendationMetricsLogger`.
        title: Figure title.
        height: Figure height in pixels. Defaults to 400.
        width: Figure width in pixels. Defaults to 1200.

    Returns:
        A figure with a "Loss" and a "Metrics" panel.
    """
    logged = history_dict(history)
    others = [
        key
        for key in logged
        if key != "loss"
        and not key.startswith("val_")
        and key not in COMPONENT_WEIGHT_KEYS
    ][:_MAX_EXTRA_METRICS]

    fig = make_subplots(rows=1, cols=2, subplot_titles=("Loss", "Metrics"))
    if "loss" in logged:
        _add_curves(fig, logged, "loss", HIGHLIGHT_COLOR, row=1, col=1)
    for position, metric in enumerate(others):
        color = DEFAULT_PLOTLY_COLORS[position % 10]
        _add_curves(fig, logged, metric, color, row=1, col=2)
    for col, y_title in ((1, "Loss"), (2, "Value")):
        fig.update_xaxes(title_text="Epoch", row=1, col=col)
        fig.update_yaxes(title_text=y_title, row=1, col=col)
    fig.update_layout(
        title=title, height=height, width=width, template="plotly_white"
    )
    return fig


def plot_component_weights_over_epochs(
    history,
    title: str = "Learned Component Weights over Epochs",
    height: int = 400,
    width: int = 900,
) -> go.Figure:
    """Draws the mean collaborative and content weights after each epoch.

    The values come from `ComponentWeightsLogger`, either read from the
    callback itself (its `weight_history`, with the measured epochs) or
    from the `history` of `fit`, where it writes `cf_weight_mean`,
    `cb_weight_mean` and `cf_weight_std` every epoch.

    Args:
        history: A `ComponentWeightsLogger`, a `keras.callbacks.History` or
            a `{name: values}` dict holding the keys above.
        title: Figure title.
        height: Figure height in pixels. Defaults to 400.
        width: Figure width in pixels. Defaults to 900.

    Returns:
        A figure with a "CF weight" and a "CB weight" line (and a shaded
        band of one standard deviation across users around the CF weight
        when logged).

    Raises:
        ValueError: If the history holds no component weights.
    """
    epochs, cf_mean, cb_mean, cf_std = component_weight_series(history)

    fig = go.Figure()
    if cf_std is not None:
        fig.add_trace(
            go.Scatter(
                x=np.concatenate([epochs, epochs[::-1]]),
                y=np.concatenate([cf_mean + cf_std, (cf_mean - cf_std)[::-1]]),
                fill="toself",
                fillcolor="rgba(31, 119, 180, 0.2)",
                line={"width": 0},
                name="CF weight ± 1 std across users",
                hoverinfo="skip",
            )
        )
    for values, name, color in (
        (cf_mean, "CF weight", CF_COLOR),
        (cb_mean, "CB weight", CB_COLOR),
    ):
        fig.add_trace(
            go.Scatter(
                x=epochs,
                y=values,
                mode="lines+markers",
                name=name,
                line={"color": color},
            )
        )
    fig.update_layout(
        title=title,
        height=height,
        width=width,
        xaxis_title="Epoch",
        yaxis_title="Mean weight across users",
        template="plotly_white",
    )
    return fig


def component_weight_series(history):
    """Returns `(epochs, cf_mean, cb_mean, cf_std or None)` arrays.

    Raises:
        ValueError: If `history` holds no component weights.
    """
    records = getattr(history, "weight_history", None)
    if records is not None:
        if not records:
            raise ValueError(
                "The ComponentWeightsLogger has not recorded any epoch yet."
            )
        epochs = np.array([r["epoch"] for r in records], dtype=int)
        series = {
            key: np.array([r[key] for r in records], dtype="float64")
            for key in COMPONENT_WEIGHT_KEYS
        }
    else:
        logged = history_dict(history)
        if CF_WEIGHT_KEY not in logged or CB_WEIGHT_KEY not in logged:
            raise ValueError(
                f"`history` holds no '{CF_WEIGHT_KEY}'/'{CB_WEIGHT_KEY}'; "
                "train with kmr.callbacks.ComponentWeightsLogger to record "
                f"them. Logged: {sorted(logged)}."
            )
        series = {
            key: np.asarray(logged[key], dtype="float64")
            for key in COMPONENT_WEIGHT_KEYS
            if key in logged
        }
        epochs = np.arange(1, len(series[CF_WEIGHT_KEY]) + 1)
    return (
        epochs,
        series[CF_WEIGHT_KEY],
        series[CB_WEIGHT_KEY],
        series.get(CF_WEIGHT_STD_KEY),
    )


def has_component_weights(history) -> bool:
    """Returns whether `history` holds component weights to plot."""
    if getattr(history, "weight_history", None):
        return True
    try:
        logged = history_dict(history)
    except ValueError:
        return False
    return CF_WEIGHT_KEY in logged and CB_WEIGHT_KEY in logged


def _add_curves(fig, logged, metric, color, row, col):
    values = logged[metric]
    epochs = np.arange(1, len(values) + 1)
    fig.add_trace(
        go.Scatter(
            x=epochs,
            y=values,
            mode="lines+markers",
            name=metric,
            line={"color": color},
        ),
        row=row,
        col=col,
    )
    validation = logged.get(f"val_{metric}")
    if validation is not None:
        fig.add_trace(
            go.Scatter(
                x=np.arange(1, len(validation) + 1),
                y=validation,
                mode="lines+markers",
                name=f"val_{metric}",
                line={"color": color, "dash": "dash"},
            ),
            row=row,
            col=col,
        )
