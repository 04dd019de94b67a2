"""Per-user random holdout split."""

from __future__ import annotations

import numpy as np

from kmr._validation import check_float
from kmr.evaluation._arrays import as_ids


def random_holdout_split(
    user_ids, test_fraction: float = 0.2, seed: int | None = 42
) -> tuple[np.ndarray, np.ndarray]:
    """Holds out a random share of each user's interactions.

    A user with `n` interactions gives `round(test_fraction * n)` of them
    to the test set (rounding halves to even), but at least one when
    `n >= 2` and never all of them, so every user keeps a training
    interaction. Vectorised: one sort, no loop over users.

    Args:
        user_ids: `(num_interactions,)` user of each interaction.
        test_fraction: Share of each user's interactions held out, in
            `(0, 1)`. Defaults to 0.2.
        seed: Seed of the local random generator. Defaults to 42.

    Returns:
        `(train_index, test_index)`: sorted int64 positions into the
        interaction arrays.

    Example:
        >>> train, test = random_holdout_split([0, 0, 0, 0, 0, 1])
        >>> len(train), len(test)
        (5, 1)
    """
    user_ids = as_ids("user_ids", user_ids)
    test_fraction = check_float(
        "test_fraction",
        test_fraction,
        minimum=0.0,
        maximum=1.0,
        min_inclusive=False,
        max_inclusive=False,
    )
    rng = np.random.default_rng(seed)

    counts = np.bincount(user_ids) if user_ids.size else np.zeros(0, int)
    test_counts = np.rint(test_fraction * counts).astype(np.int64)
    test_counts = np.clip(test_counts, np.minimum(counts, 2) - 1, counts - 1)
    test_counts = np.maximum(test_counts, 0)

    # A random key per interaction, sorted within each user, gives every
    # interaction a random rank among its user's.
    order = np.lexsort((rng.random(len(user_ids)), user_ids))
    first_of_user = np.concatenate([[0], np.cumsum(counts)[:-1]])
    ranks = np.empty(len(user_ids), dtype=np.int64)
    ranks[order] = np.arange(len(user_ids)) - first_of_user[user_ids[order]]

    is_test = ranks < test_counts[user_ids]
    return np.flatnonzero(~is_test), np.flatnonzero(is_test)
