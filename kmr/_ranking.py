"""Ranking helpers shared by every `recommend` implementation."""

from __future__ import annotations

import numpy as np

from kmr.evaluation._arrays import as_ids


def resolve_seen_items(seen_item_mask, seen_item_ids, num_users, num_items):
    """Returns the `(num_users, num_items)` mask of items not to recommend.

    Accepts either a dense boolean mask or one array of item ids per user
    (never both); returns `None` when neither is given.

    Raises:
        ValueError: Naming the argument whose shape or ids are wrong.
    """
    if seen_item_mask is not None and seen_item_ids is not None:
        raise ValueError(
            "Pass either `seen_item_mask` or `seen_item_ids`, not both."
        )
    if seen_item_mask is not None:
        mask = np.asarray(seen_item_mask, dtype=bool)
        if mask.shape != (num_users, num_items):
            raise ValueError(
                "`seen_item_mask` must have shape (num_users, num_items) = "
                f"{(num_users, num_items)}, received {mask.shape}."
            )
        return mask
    if seen_item_ids is None:
        return None
    if len(seen_item_ids) != num_users:
        raise ValueError(
            f"`seen_item_ids` must hold one array per user ({num_users}), "
            f"received {len(seen_item_ids)}."
        )
    lengths = [len(ids) for ids in seen_item_ids]
    flat = as_ids(
        "seen_item_ids",
        np.concatenate([np.asarray(ids).ravel() for ids in seen_item_ids])
        if sum(lengths)
        else np.empty(0, np.int64),
        upper=num_items,
    )
    mask = np.zeros((num_users, num_items), dtype=bool)
    mask[np.repeat(np.arange(num_users), lengths), flat] = True
    return mask


def top_k_rows(scores: np.ndarray, k: int) -> tuple[np.ndarray, np.ndarray]:
    """Returns the ids and scores of the k best entries per row, best first.

    Ties go to the lower item id, also at the k-th place: of the items tied
    with the k-th best score, the lowest ids are kept. Entries scored
    `-inf` (excluded items) come back as id -1.
    """
    k = min(k, scores.shape[1])
    num_users, num_items = scores.shape
    if k < num_items:
        selected = _top_k_mask(scores, k)
        # Exactly k entries per row are selected, found in row-major order.
        partition = np.nonzero(selected)[1].reshape(num_users, k)
    else:
        partition = np.broadcast_to(np.arange(num_items), scores.shape)
    candidate_scores = np.take_along_axis(scores, partition, axis=1)
    order = np.lexsort((partition, -candidate_scores), axis=1)
    ids = np.take_along_axis(partition, order, axis=1)
    best = np.take_along_axis(candidate_scores, order, axis=1)
    ids = np.where(np.isneginf(best), -1, ids)
    return ids.astype(np.int64), best.astype(np.float32)


def _top_k_mask(scores: np.ndarray, k: int) -> np.ndarray:
    """Marks the k best entries of each row, ties to the lower index."""
    num_items = scores.shape[1]
    kth_best = np.partition(scores, num_items - k, axis=1)[:, num_items - k]
    kth_best = kth_best[:, None]
    above = scores > kth_best
    tied = scores == kth_best

    places_left = k - np.sum(above, axis=1, keepdims=True)
    if np.all(np.sum(tied, axis=1, keepdims=True) == places_left):
        return above | tied

    # More entries tie for the last places than remain: keep the first ones.
    selected = above | (tied & (np.cumsum(tied, axis=1) <= places_left))

    # NaN compares false with everything, so a row holding one comes short.
    if np.count_nonzero(selected) != selected.shape[0] * k:
        raise ValueError(
            "Scores contain NaN, so the top items are undefined; check the "
            "model's weights and inputs."
        )
    return selected
