"""Argument checks shared by the feature-based models."""

from __future__ import annotations

import numbers
from typing import Any

import keras


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


def check_activation(activation: Any) -> Any:
    """Returns `activation` after checking that Keras knows it.

    Raises:
        ValueError: If it does not name a Keras activation.
    """
    try:
        keras.activations.get(activation)
    except (ValueError, TypeError) as error:
        raise ValueError(
            "`activation` must name a Keras activation, received "
            f"{activation!r}."
        ) from error
    return activation
