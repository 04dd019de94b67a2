"""Array checks shared by the evaluation helpers."""

from __future__ import annotations

import numpy as np


def as_ids(name: str, values, upper: int | None = None) -> np.ndarray:
    """Returns `values` as a 1-D int64 array of non-negative ids.

    Raises:
        ValueError: Naming the argument when the values are not whole
            numbers, not 1-D, negative or not below `upper`.
    """
    array = np.asarray(values)
    if array.ndim != 1:
        raise ValueError(f"`{name}` must be 1-D, received shape {array.shape}.")
    is_integral = np.issubdtype(array.dtype, np.integer)
    is_whole = is_integral or (
        np.issubdtype(array.dtype, np.number) and np.all(np.mod(array, 1) == 0)
    )
    if array.size and not is_whole:
        raise ValueError(
            f"`{name}` must hold integer ids, received dtype {array.dtype}."
        )
    array = array.astype(np.int64)
    if array.size and array.min() < 0:
        raise ValueError(
            f"`{name}` must be non-negative, received {array.min()}."
        )
    if upper is not None and array.size and array.max() >= upper:
        raise ValueError(
            f"`{name}` must be below {upper}, received {array.max()}."
        )
    return array


def check_same_length(**arrays) -> int:
    """Returns the common length of the arrays, or raises naming them."""
    lengths = {name: len(a) for name, a in arrays.items() if a is not None}
    if len(set(lengths.values())) > 1:
        raise ValueError(
            f"Arrays must have the same length, received {lengths}."
        )
    return next(iter(lengths.values()))


def distinct_rows(values) -> np.ndarray:
    """Returns `values` as row user ids after checking they are distinct."""
    rows = as_ids("rows", values)
    if len(np.unique(rows)) != len(rows):
        raise ValueError("`rows` must hold distinct user ids.")
    return rows


def row_positions(rows: np.ndarray, user_ids: np.ndarray) -> np.ndarray:
    """Returns the row of each user id in `rows`, or -1 when absent."""
    order = np.argsort(rows, kind="stable")
    sorted_rows = rows[order]
    found = np.searchsorted(sorted_rows, user_ids)
    found = np.minimum(found, max(len(rows) - 1, 0))
    hit = len(rows) > 0
    if not hit:
        return np.full(len(user_ids), -1, dtype=np.int64)
    matches = sorted_rows[found] == user_ids
    return np.where(matches, order[found], -1)
