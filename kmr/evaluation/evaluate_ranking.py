"""Top-k ranking metrics from recommendation lists and test interactions."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from kmr._validation import check_int
from kmr.evaluation._arrays import as_ids, check_same_length

#: Metrics reported for each k, in the order of the result dictionary.
METRIC_NAMES = ("precision", "recall", "ndcg", "map", "hit_rate", "mrr")


def evaluate_ranking(
    top_k_item_ids,
    test_interactions,
    k_values: Sequence[int] = (10,),
    user_ids=None,
    num_items: int | None = None,
    per_user: bool = False,
) -> dict:
    """Scores recommendation lists against held-out interactions.

    Relevance is binary: an item is relevant to a user when the pair is in
    `test_interactions`. With `hits` the relevance of the first k ranks of
    a user and `n` the user's number of test items:

    - `precision@k = sum(hits) / k`;
    - `recall@k = sum(hits) / n`;
    - `ndcg@k = DCG / IDCG`, `DCG = sum_r hits_r / log2(r + 1)` over ranks
      `r = 1 .. k`, IDCG the DCG of `min(n, k)` hits at the top;
    - `map@k = sum_r hits_r * precision@r / min(n, k)`;
    - `hit_rate@k = 1` if any hit, else 0;
    - `mrr@k = 1 / rank` of the first hit, 0 without one;
    - `coverage@k` (with `num_items`): distinct recommended items over all
      evaluated users, divided by `num_items`.

    Each metric is the mean over the users that have test items; users
    without test items are left out. Padding ids (-1) never count as hits.
    Everything is vectorised over users.

    Args:
        top_k_item_ids: `(num_users, K)` recommended item ids, best first,
            padded with -1; `K` must be at least `max(k_values)`.
        test_interactions: `(test_user_ids, test_item_ids)`, two
            `(num_test,)` arrays.
        k_values: Cut-offs to report. Defaults to `(10,)`.
        user_ids: `(num_users,)` user of each row of `top_k_item_ids`.
            Defaults to the sorted distinct test users.
        num_items: Catalog size, for coverage. Defaults to `None` (no
            coverage).
        per_user: Whether to also return the per-user values under
            `"per_user"` (with the evaluated `"user_ids"`). Defaults to
            `False`.

    Returns:
        A dict mapping `"<metric>@<k>"` to a float, plus `"num_users"`.

    Example:
        >>> evaluate_ranking([[3, 1]], ([0, 0], [1, 2]), k_values=[2],
        ...                  user_ids=[0])["recall@2"]
        0.5
    """
    top_k_item_ids = np.asarray(top_k_item_ids)
    if top_k_item_ids.ndim != 2:
        raise ValueError(
            "`top_k_item_ids` must have shape (num_users, k), received "
            f"shape {top_k_item_ids.shape}."
        )
    top_k_item_ids = top_k_item_ids.astype(np.int64)
    test_users, test_items = _test_pairs(test_interactions)
    k_values = _check_k_values(k_values, top_k_item_ids.shape[1])
    if user_ids is None:
        user_ids = np.unique(test_users)
    user_ids = as_ids("user_ids", user_ids)
    if len(user_ids) != len(top_k_item_ids):
        raise ValueError(
            f"`user_ids` has {len(user_ids)} entries but `top_k_item_ids` "
            f"has {len(top_k_item_ids)} rows."
        )
    if num_items is not None:
        num_items = check_int("num_items", num_items, minimum=1)

    # Encode (user, item) pairs as single integers, so that membership of
    # every recommended pair in the test set is one sorted search.
    width = int(max(top_k_item_ids.max(initial=0), test_items.max(initial=0)))
    width += 1
    test_keys = np.unique(test_users * width + test_items)
    num_relevant = _count_per_user(test_keys // width, user_ids)
    keep = num_relevant > 0
    recommended = top_k_item_ids[keep]
    num_relevant = num_relevant[keep].astype(np.float64)
    rec_keys = user_ids[keep][:, None] * width + recommended
    # Limitation: an item listed twice in one row counts as two hits.
    hits = np.isin(rec_keys, test_keys) & (recommended >= 0)

    results, per_user_values = {"num_users": int(keep.sum())}, {}
    for k in k_values:
        values = _metrics_at_k(hits[:, :k].astype(np.float64), num_relevant)
        for name, per_user_value in zip(METRIC_NAMES, values):
            key = f"{name}@{k}"
            results[key] = _mean(per_user_value)
            per_user_values[key] = per_user_value
        if num_items is not None:
            shown = recommended[:, :k]
            distinct = np.unique(shown[shown >= 0])
            results[f"coverage@{k}"] = len(distinct) / num_items
    if per_user:
        results["per_user"] = per_user_values
        results["user_ids"] = user_ids[keep]
    return results


def _metrics_at_k(hits: np.ndarray, num_relevant: np.ndarray):
    k = hits.shape[1]
    ranks = np.arange(1, k + 1, dtype=np.float64)
    num_hits = hits.sum(axis=1)
    ideal_hits = np.minimum(num_relevant, k)

    precision = num_hits / k
    recall = num_hits / num_relevant

    discounts = 1.0 / np.log2(ranks + 1.0)
    ideal_dcg = np.cumsum(discounts)[ideal_hits.astype(np.int64) - 1]
    ndcg = (hits * discounts).sum(axis=1) / ideal_dcg

    precision_at_rank = np.cumsum(hits, axis=1) / ranks
    average_precision = (hits * precision_at_rank).sum(axis=1) / ideal_hits

    hit_rate = (num_hits > 0).astype(np.float64)
    first_hit = np.argmax(hits > 0, axis=1)
    reciprocal_rank = np.where(num_hits > 0, 1.0 / (first_hit + 1.0), 0.0)
    return (
        precision,
        recall,
        ndcg,
        average_precision,
        hit_rate,
        (reciprocal_rank),
    )


def _test_pairs(test_interactions):
    try:
        test_users, test_items = test_interactions
    except (TypeError, ValueError):
        raise ValueError(
            "`test_interactions` must be a pair (test_user_ids, "
            f"test_item_ids), received {type(test_interactions).__name__}."
        ) from None
    test_users = as_ids("test_user_ids", test_users)
    test_items = as_ids("test_item_ids", test_items)
    check_same_length(test_user_ids=test_users, test_item_ids=test_items)
    return test_users, test_items


def _check_k_values(k_values, list_length: int) -> list[int]:
    if isinstance(k_values, (int, np.integer)):
        k_values = [k_values]
    k_values = [check_int("k_values", k, minimum=1) for k in k_values]
    if not k_values:
        raise ValueError("`k_values` must hold at least one cut-off.")
    if max(k_values) > list_length:
        raise ValueError(
            f"`k_values` asks for k={max(k_values)}, but `top_k_item_ids` "
            f"holds only {list_length} items per user."
        )
    return k_values


def _count_per_user(key_users: np.ndarray, user_ids: np.ndarray):
    """Returns how many test items each of `user_ids` has."""
    distinct, counts = np.unique(key_users, return_counts=True)
    position = np.searchsorted(distinct, user_ids)
    position = np.minimum(position, max(len(distinct) - 1, 0))
    if not len(distinct):
        return np.zeros(len(user_ids), dtype=np.int64)
    return np.where(distinct[position] == user_ids, counts[position], 0)


def _mean(values: np.ndarray) -> float:
    return float(values.mean()) if values.size else float("nan")
