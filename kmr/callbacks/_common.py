"""Helpers shared by the kmr callbacks."""

from __future__ import annotations

from collections.abc import Mapping

from kmr._validation import check_int


def split_eval_data(eval_data, name: str = "eval_data"):
    """Returns `(inputs, labels)` from an evaluation set.

    `eval_data` is either an `(inputs, labels)` pair, a tuple of length two
    whose first element is the model's list (or dict) of inputs, or the
    inputs alone, in which case the labels are `None`.

    Raises:
        ValueError: If `eval_data` is `None`.
    """
    if eval_data is None:
        raise ValueError(
            f"`{name}` must hold the model inputs or an (inputs, labels) "
            "pair, received None."
        )
    # Limitation: inputs passed as a tuple of two whose first element is a
    # list are read as an (inputs, labels) pair; pass model inputs as a list.
    is_pair = (
        isinstance(eval_data, tuple)
        and len(eval_data) == 2
        and isinstance(eval_data[0], (list, tuple, Mapping))
    )
    if is_pair:
        return eval_data[0], eval_data[1]
    return eval_data, None


def check_callback_kwargs(callback_name: str, kwargs: dict) -> None:
    """Rejects keyword arguments that no callback understands.

    Raises:
        ValueError: Naming the unexpected arguments.
    """
    if kwargs:
        raise ValueError(
            f"{callback_name} received unexpected keyword arguments "
            f"{sorted(kwargs)}."
        )


def check_frequency(value) -> int:
    """Returns `value` checked as a positive epoch interval."""
    return check_int("frequency", value, minimum=1)


def is_due(epoch: int, frequency: int) -> bool:
    """Returns whether the 0-based `epoch` ends a `frequency` interval."""
    return (epoch + 1) % frequency == 0
