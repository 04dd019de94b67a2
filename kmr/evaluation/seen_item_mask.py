"""Per-user masks of the items seen in training."""

from __future__ import annotations

import numpy as np

from kmr._validation import check_int
from kmr.evaluation._arrays import (
    as_ids,
    check_same_length,
    distinct_rows,
    row_positions,
)


def seen_item_mask(user_ids, item_ids, num_items: int, rows) -> np.ndarray:
    """Marks, for each user of `rows`, the items that user interacted with.

    The result is what `recommend(..., seen_item_mask=...)` takes to keep
    training items out of the recommendations. Built with one scatter, no
    loop over users.

    Args:
        user_ids: `(num_interactions,)` user of each interaction.
        item_ids: `(num_interactions,)` item of each interaction.
        num_items: Number of items in the catalog.
        rows: `(num_rows,)` distinct user ids, one per output row.

    Returns:
        Boolean array of shape `(num_rows, num_items)`.

    Example:
        >>> seen_item_mask([0, 0, 2], [1, 3, 0], num_items=4, rows=[2, 0])
        array([[ True, False, False, False],
               [False,  True, False,  True]])
    """
    num_items = check_int("num_items", num_items, minimum=1)
    user_ids = as_ids("user_ids", user_ids)
    item_ids = as_ids("item_ids", item_ids, upper=num_items)
    check_same_length(user_ids=user_ids, item_ids=item_ids)
    rows = distinct_rows(rows)

    mask = np.zeros((len(rows), num_items), dtype=bool)
    positions = row_positions(rows, user_ids)
    present = positions >= 0
    mask[positions[present], item_ids[present]] = True
    return mask
