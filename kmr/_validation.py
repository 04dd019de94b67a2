"""Argument checks shared by every public kmr class.

Each check raises a ``ValueError`` that names the argument and repeats the
value received, and returns the value converted to its canonical Python type
(so NumPy integers and floats are accepted wherever a plain number is).
"""

from __future__ import annotations

import numbers
from typing import Any

import keras


def _describe(value: Any) -> str:
    return f"{value!r} (type {type(value).__name__})"


def check_int(
    name: str,
    value: Any,
    *,
    minimum: int | None = None,
    maximum: int | None = None,
) -> int:
    """Returns ``value`` as an ``int`` after checking its type and range.

    Args:
        name: Argument name used in the error message.
        value: Value received. Python and NumPy integers are accepted; bools
            and floats are not.
        minimum: Smallest allowed value, inclusive. ``None`` for no bound.
        maximum: Largest allowed value, inclusive. ``None`` for no bound.

    Returns:
        The value as a Python ``int``.

    Raises:
        ValueError: If the value is not an integer or is out of range.
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Integral):
        raise ValueError(
            f"`{name}` must be an integer, received {_describe(value)}."
        )
    value = int(value)
    if minimum is not None and value < minimum:
        raise ValueError(f"`{name}` must be >= {minimum}, received {value}.")
    if maximum is not None and value > maximum:
        raise ValueError(f"`{name}` must be <= {maximum}, received {value}.")
    return value


def check_float(
    name: str,
    value: Any,
    *,
    minimum: float | None = None,
    maximum: float | None = None,
    min_inclusive: bool = True,
    max_inclusive: bool = True,
) -> float:
    """Returns ``value`` as a ``float`` after checking its type and range.

    Args:
        name: Argument name used in the error message.
        value: Value received. Python and NumPy reals are accepted; bools and
            strings are not.
        minimum: Lower bound, or ``None`` for no bound.
        maximum: Upper bound, or ``None`` for no bound.
        min_inclusive: Whether ``minimum`` itself is allowed.
        max_inclusive: Whether ``maximum`` itself is allowed.

    Returns:
        The value as a Python ``float``.

    Raises:
        ValueError: If the value is not a real number, is NaN, or is out of
            range.
    """
    if isinstance(value, bool) or not isinstance(value, numbers.Real):
        raise ValueError(
            f"`{name}` must be a real number, received {_describe(value)}."
        )
    value = float(value)
    if value != value:
        raise ValueError(f"`{name}` must not be NaN, received {value}.")
    if minimum is not None:
        too_small = value < minimum if min_inclusive else value <= minimum
        if too_small:
            bound = ">=" if min_inclusive else ">"
            raise ValueError(
                f"`{name}` must be {bound} {minimum}, received {value}."
            )
    if maximum is not None:
        too_large = value > maximum if max_inclusive else value >= maximum
        if too_large:
            bound = "<=" if max_inclusive else "<"
            raise ValueError(
                f"`{name}` must be {bound} {maximum}, received {value}."
            )
    return value


def check_choice(name: str, value: Any, choices: tuple[Any, ...]) -> Any:
    """Returns ``value`` after checking that it is one of ``choices``.

    Args:
        name: Argument name used in the error message.
        value: Value received.
        choices: Allowed values.

    Returns:
        The value unchanged.

    Raises:
        ValueError: If the value is not among the choices.
    """
    if value not in choices:
        raise ValueError(
            f"`{name}` must be one of {list(choices)}, received "
            f"{_describe(value)}."
        )
    return value


def check_activation(activation: Any) -> Any:
    """Returns `activation` after checking that Keras knows it.

    Args:
        activation: A Keras activation name or callable.

    Returns:
        The activation unchanged.

    Raises:
        ValueError: If Keras does not know the activation.
    """
    try:
        keras.activations.get(activation)
    except (ValueError, TypeError) as error:
        raise ValueError(
            "`activation` must name a Keras activation, received "
            f"{activation!r}."
        ) from error
    return activation
