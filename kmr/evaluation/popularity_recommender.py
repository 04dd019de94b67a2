"""The most-popular-items baseline."""

from __future__ import annotations

import numpy as np

from kmr._ranking import resolve_seen_items, top_k_rows
from kmr._validation import check_int
from kmr.evaluation._arrays import as_ids, check_same_length


class PopularityRecommender:
    """Recommends the items with the most training interactions.

    Every user gets the same ranking, by number (or total weight) of
    training interactions, ties to the lower item id, with each user's seen
    items removed. `recommend` has the signature and the returns of the kmr
    models' `recommend`, so the baseline goes through the same evaluation
    code.

    Args:
        num_items: Number of items in the catalog.
        top_k: Default number of recommendations. Defaults to 10.

    Example:
        >>> model = PopularityRecommender(num_items=4).fit([0, 1, 1], [2, 2, 0])
        >>> model.recommend(user_ids=[0], k=2)[0]
        array([[2, 0]])
    """

    def __init__(self, num_items: int, top_k: int = 10):
        self.num_items = check_int("num_items", num_items, minimum=1)
        self.top_k = check_int("top_k", top_k, minimum=1)
        self.item_scores = None

    def fit(self, user_ids, item_ids, weights=None) -> PopularityRecommender:
        """Counts the training interactions of each item.

        Args:
            user_ids: `(num_interactions,)` training users (only checked).
            item_ids: `(num_interactions,)` training items.
            weights: Optional `(num_interactions,)` weight of each
                interaction. Defaults to 1.

        Returns:
            The recommender itself.
        """
        user_ids = as_ids("user_ids", user_ids)
        item_ids = as_ids("item_ids", item_ids, upper=self.num_items)
        check_same_length(user_ids=user_ids, item_ids=item_ids)
        if weights is not None:
            weights = np.asarray(weights, dtype=np.float64)
            check_same_length(item_ids=item_ids, weights=weights)
        self.item_scores = np.bincount(
            item_ids, weights=weights, minlength=self.num_items
        ).astype(np.float64)
        return self

    def recommend(
        self,
        user_ids=None,
        user_features=None,
        k: int | None = None,
        seen_item_mask=None,
        seen_item_ids=None,
        batch_size: int = 1024,
    ):
        """Ranks the catalog by popularity for each user.

        Args:
            user_ids: `(num_users,)` user ids; only their number matters.
            user_features: `(num_users, F)` features, used for the number of
                users when `user_ids` is not given.
            k: Items per user. Defaults to `top_k`; capped at `num_items`.
            seen_item_mask: Optional `(num_users, num_items)` boolean mask of
                items never to recommend.
            seen_item_ids: Optional alternative: one array of item ids per
                user.
            batch_size: Users ranked per chunk. Defaults to 1024.

        Returns:
            `(top_k_item_ids, top_k_scores)`: int64 and float32 arrays of
            shape `(num_users, k)`, best first, padded with -1 and `-inf`.
        """
        if self.item_scores is None:
            raise ValueError("Call `fit` before `recommend`.")
        rows = user_ids if user_ids is not None else user_features
        if rows is None:
            raise ValueError("`recommend` needs `user_ids` or `user_features`.")
        num_users = len(rows)
        k = min(
            check_int("k", self.top_k if k is None else k, minimum=1),
            self.num_items,
        )
        batch_size = check_int("batch_size", batch_size, minimum=1)
        mask = resolve_seen_items(
            seen_item_mask, seen_item_ids, num_users, self.num_items
        )

        # Without exclusions every user gets the same list: rank once.
        if mask is None:
            best_ids, best_scores = top_k_rows(self.item_scores[None, :], k)
            return (
                np.repeat(best_ids, num_users, axis=0),
                np.repeat(best_scores, num_users, axis=0),
            )

        ids, scores = [], []
        for start in range(0, num_users, batch_size):
            stop = min(start + batch_size, num_users)
            chunk = np.where(mask[start:stop], -np.inf, self.item_scores)
            chunk_ids, chunk_scores = top_k_rows(chunk, k)
            ids.append(chunk_ids)
            scores.append(chunk_scores)
        if not ids:
            return np.empty((0, k), np.int64), np.empty((0, k), np.float32)
        return np.concatenate(ids), np.concatenate(scores)
