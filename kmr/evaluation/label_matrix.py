"""Label matrices in the shared `y_true` convention."""

from __future__ import annotations

import numpy as np

from kmr._validation import check_int
from kmr.evaluation._arrays import (
    as_ids,
    check_same_length,
    distinct_rows,
    row_positions,
)


def label_matrix(
    user_ids,
    item_ids,
    num_items: int,
    rows,
    relevance=None,
    ignored_user_ids=None,
    ignored_item_ids=None,
) -> np.ndarray:
    """Builds the `(num_rows, num_items)` label matrix of a set of users.

    Values follow the kmr convention: positive for relevant items (1, or the
    given graded `relevance`), 0 for irrelevant items, and -1 for items to
    leave out of losses and metrics, for example the training items of a
    test user. Ignored pairs win over relevant ones. Built with scatters,
    no loop over users.

    Args:
        user_ids: `(num_interactions,)` user of each relevant interaction.
        item_ids: `(num_interactions,)` item of each relevant interaction.
        num_items: Number of items in the catalog.
        rows: `(num_rows,)` distinct user ids, one per output row.
            Interactions of other users are skipped.
        relevance: Optional `(num_interactions,)` positive grades. Defaults
            to 1 for every interaction.
        ignored_user_ids: Optional users of the pairs to mark -1.
        ignored_item_ids: Optional items of the pairs to mark -1.

    Returns:
        float32 array of shape `(num_rows, num_items)`.

    Example:
        >>> label_matrix([0, 1], [2, 0], num_items=3, rows=[0, 1],
        ...              ignored_user_ids=[0], ignored_item_ids=[1])
        array([[ 0., -1.,  1.],
               [ 1.,  0.,  0.]], dtype=float32)
    """
    num_items = check_int("num_items", num_items, minimum=1)
    user_ids = as_ids("user_ids", user_ids)
    item_ids = as_ids("item_ids", item_ids, upper=num_items)
    check_same_length(user_ids=user_ids, item_ids=item_ids)
    rows = distinct_rows(rows)
    if relevance is None:
        relevance = np.ones(len(user_ids), dtype=np.float32)
    relevance = np.asarray(relevance, dtype=np.float32)
    check_same_length(user_ids=user_ids, relevance=relevance)
    if relevance.size and not np.all(relevance > 0):
        raise ValueError(
            "`relevance` must be positive, received "
            f"{relevance[relevance <= 0][0]}."
        )

    labels = np.zeros((len(rows), num_items), dtype=np.float32)
    positions = row_positions(rows, user_ids)
    present = positions >= 0
    labels[positions[present], item_ids[present]] = relevance[present]

    if (ignored_user_ids is None) != (ignored_item_ids is None):
        raise ValueError(
            "Pass both `ignored_user_ids` and `ignored_item_ids`, or neither."
        )
    if ignored_user_ids is not None:
        ignored_users = as_ids("ignored_user_ids", ignored_user_ids)
        ignored_items = as_ids(
            "ignored_item_ids", ignored_item_ids, upper=num_items
        )
        check_same_length(
            ignored_user_ids=ignored_users, ignored_item_ids=ignored_items
        )
        positions = row_positions(rows, ignored_users)
        present = positions >= 0
        labels[positions[present], ignored_items[present]] = -1.0
    return labels
