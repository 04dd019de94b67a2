"""Argument and input checks shared by the kmr models."""

from __future__ import annotations

import numbers
from typing import Any


def check_hidden_units(
    hidden_units: Any, default: tuple[int, ...]
) -> list[int]:
    """Returns `hidden_units` as a list of positive ints.

    Args:
        hidden_units: A list or tuple of layer widths, or `None` for
            `default`. An empty list is allowed.
        default: Widths used when `hidden_units` is `None`.

    Raises:
        ValueError: If it is not a sequence of positive integers.
    """
    if hidden_units is None:
        return list(default)
    if not isinstance(hidden_units, (list, tuple)) or any(
        isinstance(units, bool)
        or not isinstance(units, numbers.Integral)
        or units < 1
        for units in hidden_units
    ):
        raise ValueError(
            "`hidden_units` must be a list of positive integers, received "
            f"{hidden_units!r}."
        )
    return [int(units) for units in hidden_units]


def check_candidate_batch(user_inputs: dict, item_inputs: dict) -> None:
    """Checks that per-user candidates come with one row per user.

    Shared-catalog item inputs (no batch axis) are left alone, as are
    batch sizes unknown until run time.

    Raises:
        ValueError: Naming both inputs and their batch sizes.
    """
    user_batches = {
        name: tensor.shape[0]
        for name, tensor in user_inputs.items()
        if len(tensor.shape) and tensor.shape[0] is not None
    }
    for name, tensor in item_inputs.items():
        per_user_rank = 3 if name.endswith("features") else 2
        if len(tensor.shape) != per_user_rank or tensor.shape[0] is None:
            continue
        for user_name, batch_size in user_batches.items():
            if tensor.shape[0] != batch_size:
                raise ValueError(
                    f"`{name}` holds candidates for {tensor.shape[0]} users "
                    f"but `{user_name}` has {batch_size} rows; pass one row "
                    "of candidates per user, or the candidates without the "
                    "batch axis to share them."
                )


def check_user_features_rank(user_inputs: dict) -> None:
    """Checks that user features are one row per user.

    Raises:
        ValueError: If `user_features` is not `(batch_size, features)`.
    """
    features = user_inputs.get("user_features")
    if features is not None and len(features.shape) != 2:
        raise ValueError(
            "`user_features` must have shape (batch_size, user_feature_dim), "
            f"received shape {tuple(features.shape)}."
        )
