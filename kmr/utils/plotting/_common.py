"""Helpers shared by the plotting modules: arrays, ids, histories."""

from __future__ import annotations

from collections.abc import Mapping

import numpy as np
from keras import ops

#: Colours used across the figures, so a component keeps its colour.
CF_COLOR = "#1f77b4"
CB_COLOR = "#ff7f0e"
HIGHLIGHT_COLOR = "#d62728"
MUTED_COLOR = "#9ecae1"

#: History keys written by `ComponentWeightsLogger`: the mean (and spread)
#: across users of the learned collaborative and content weights.
CF_WEIGHT_KEY = "cf_weight_mean"
CB_WEIGHT_KEY = "cb_weight_mean"
CF_WEIGHT_STD_KEY = "cf_weight_std"
COMPONENT_WEIGHT_KEYS = (CF_WEIGHT_KEY, CB_WEIGHT_KEY, CF_WEIGHT_STD_KEY)


def to_numpy(values, dtype=None) -> np.ndarray:
    """Returns `values` (array, tensor or nested list) as a NumPy array."""
    if values is None:
        return None
    if not isinstance(values, (np.ndarray, list, tuple, int, float)):
        values = ops.convert_to_numpy(values)
    array = np.asarray(values)
    return array if dtype is None else array.astype(dtype)


def as_score_matrix(scores, name: str = "scores") -> np.ndarray:
    """Returns scores as a float `(num_users, num_items)` matrix.

    Raises:
        ValueError: If `scores` is not 1-D or 2-D, or is empty.
    """
    scores = to_numpy(scores, "float64")
    if scores.ndim == 1:
        scores = scores[None, :]
    if scores.ndim != 2 or scores.size == 0:
        raise ValueError(
            f"`{name}` must be a non-empty (num_items,) or (num_users, "
            f"num_items) array, received shape {scores.shape}."
        )
    return scores


def user_labels(user_ids, num_users: int, name: str = "user_ids") -> list:
    """Returns one display label per user.

    With `user_ids` the label is "User {id}"; without, the row is named
    "Row {i}", because a row index is not a user id.

    Raises:
        ValueError: If `user_ids` does not hold one id per user.
    """
    if user_ids is None:
        return [f"Row {row}" for row in range(num_users)]
    user_ids = to_numpy(user_ids).reshape(-1)
    if len(user_ids) < num_users:
        raise ValueError(
            f"`{name}` must hold one id per user ({num_users}), received "
            f"{len(user_ids)}."
        )
    return [f"User {_plain(uid)}" for uid in user_ids[:num_users]]


def top_k_rows(scores: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Returns the indices and values of the k best entries per row.

    Rows are ordered best first; ties go to the lower index.
    """
    k = min(k, scores.shape[1])
    order = np.argsort(-scores, axis=1, kind="stable")[:, :k]
    return order, np.take_along_axis(scores, order, axis=1)


def history_dict(history) -> dict[str, list[float]]:
    """Returns a `{name: values per epoch}` dict from a history-like object.

    Accepts a `keras.callbacks.History`, a plain dict, or a callback with
    an `epoch_metrics` dict (`RecommendationMetricsLogger`).

    Raises:
        ValueError: If `history` is none of these.
    """
    if hasattr(history, "history") and isinstance(history.history, Mapping):
        history = history.history
    elif hasattr(history, "epoch_metrics"):
        history = history.epoch_metrics
    if not isinstance(history, Mapping):
        raise ValueError(
            "`history` must be a keras History, a dict of lists or a "
            f"callback with `epoch_metrics`, received {type(history).__name__}."
        )
    return {
        str(key): [float(v) for v in np.asarray(values, "float64").ravel()]
        for key, values in history.items()
    }


def _plain(value):
    """Returns a NumPy scalar as a Python scalar, for labels."""
    return value.item() if isinstance(value, np.generic) else value
