"""Leave-last-out split by timestamp."""

from __future__ import annotations

import numpy as np

from kmr._validation import check_int
from kmr.evaluation._arrays import as_ids, check_same_length


def leave_last_out_split(
    user_ids, timestamps, num_last: int = 1
) -> tuple[np.ndarray, np.ndarray]:
    """Holds out each user's latest interactions.

    Each user's `num_last` most recent interactions go to the test set,
    provided the user keeps at least one training interaction; users with
    `num_last` interactions or fewer stay entirely in training. Ties in
    time go to the interaction that comes later in the arrays.

    Args:
        user_ids: `(num_interactions,)` user of each interaction.
        timestamps: `(num_interactions,)` time of each interaction.
        num_last: Interactions held out per user. Defaults to 1.

    Returns:
        `(train_index, test_index)`: sorted int64 positions into the
        interaction arrays.

    Example:
        >>> train, test = leave_last_out_split([0, 0, 1], [5, 3, 9])
        >>> train, test
        (array([1, 2]), array([0]))
    """
    user_ids = as_ids("user_ids", user_ids)
    timestamps = np.asarray(timestamps)
    if timestamps.ndim != 1:
        raise ValueError(
            f"`timestamps` must be 1-D, received shape {timestamps.shape}."
        )
    check_same_length(user_ids=user_ids, timestamps=timestamps)
    num_last = check_int("num_last", num_last, minimum=1)

    counts = np.bincount(user_ids) if user_ids.size else np.zeros(0, int)
    positions = np.arange(len(user_ids))
    order = np.lexsort((positions, timestamps, user_ids))
    last_of_user = np.cumsum(counts) - 1
    ranks_from_end = np.empty(len(user_ids), dtype=np.int64)
    ranks_from_end[order] = last_of_user[user_ids[order]] - positions

    held_out = (ranks_from_end < num_last) & (counts[user_ids] > num_last)
    return np.flatnonzero(~held_out), np.flatnonzero(held_out)
