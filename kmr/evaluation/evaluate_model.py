"""Full-catalog evaluation of any model with a `recommend` method."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from kmr._validation import check_int
from kmr.evaluation._arrays import as_ids, check_same_length
from kmr.evaluation.evaluate_ranking import evaluate_ranking
from kmr.evaluation.seen_item_mask import seen_item_mask


def evaluate_model(
    model,
    train_interactions,
    test_interactions,
    k_values: Sequence[int] = (10,),
    num_items: int | None = None,
    user_features=None,
    batch_size: int = 1024,
) -> dict:
    """Ranks the whole catalog for each test user and scores the lists.

    For every user with test interactions, the model ranks all items with
    the user's training items excluded, through `model.recommend(user_ids=,
    user_features=, k=, seen_item_mask=)`; the lists are then scored by
    `evaluate_ranking`. Users are processed in chunks of `batch_size`, so
    the seen-item masks never exceed `batch_size * num_items` booleans.

    Args:
        model: A kmr model or `PopularityRecommender`; anything whose
            `recommend` has that signature and returns `(top_k_item_ids,
            top_k_scores)`.
        train_interactions: `(user_ids, item_ids)` of the training set.
        test_interactions: `(user_ids, item_ids)` of the test set.
        k_values: Cut-offs to report. Defaults to `(10,)`.
        num_items: Catalog size. Defaults to `model.num_items`.
        user_features: Optional `(num_users, F)` features indexed by user
            id, for models that read user features.
        batch_size: Users per `recommend` call. Defaults to 1024.

    Returns:
        The dictionary of `evaluate_ranking`, coverage included.

    Example:
        >>> from kmr.evaluation import PopularityRecommender
        >>> model = PopularityRecommender(num_items=3).fit([0, 1], [0, 0])
        >>> evaluate_model(model, ([0, 1], [0, 0]), ([1], [2]),
        ...                k_values=[1])["hit_rate@1"]
        0.0
    """
    if num_items is None:
        num_items = getattr(model, "num_items", None)
    if num_items is None:
        raise ValueError("`num_items` is required for this model.")
    num_items = check_int("num_items", num_items, minimum=1)
    batch_size = check_int("batch_size", batch_size, minimum=1)
    train_users, train_items = _pairs("train_interactions", train_interactions)
    test_users, test_items = _pairs("test_interactions", test_interactions)
    k_values = list(k_values) if not np.isscalar(k_values) else [k_values]
    k = max(check_int("k_values", value, minimum=1) for value in k_values)
    k = min(k, num_items)

    users = np.unique(test_users)
    top_ids = []
    for start in range(0, len(users), batch_size):
        chunk = users[start : start + batch_size]
        mask = seen_item_mask(train_users, train_items, num_items, chunk)
        ids, _ = model.recommend(
            user_ids=chunk,
            user_features=(
                None
                if user_features is None
                else np.asarray(user_features)[chunk]
            ),
            k=k,
            seen_item_mask=mask,
        )
        top_ids.append(np.asarray(ids))
    top_ids = np.concatenate(top_ids) if top_ids else np.empty((0, k))
    return evaluate_ranking(
        top_ids,
        (test_users, test_items),
        [min(value, k) for value in k_values],
        user_ids=users,
        num_items=num_items,
    )


def _pairs(name, interactions):
    try:
        user_ids, item_ids = interactions
    except (TypeError, ValueError):
        raise ValueError(
            f"`{name}` must be a pair (user_ids, item_ids)."
        ) from None
    user_ids = as_ids(f"{name}[0]", user_ids)
    item_ids = as_ids(f"{name}[1]", item_ids)
    check_same_length(user_ids=user_ids, item_ids=item_ids)
    return user_ids, item_ids
