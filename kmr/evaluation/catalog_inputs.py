"""Model inputs for a set of users and the shared catalog."""

from __future__ import annotations

import numpy as np

from kmr._validation import check_int
from kmr.evaluation._arrays import as_ids


def catalog_inputs(
    rows,
    user_features=None,
    item_features=None,
    num_items: int | None = None,
    include_items: bool = False,
) -> dict:
    """Returns the named model inputs of `rows` against the shared catalog.

    A kmr model given only its user inputs scores the whole catalog (item
    ids `0 .. num_items - 1`, and the item features stored with
    `model.set_item_catalog`), so nothing is copied per user. The returned
    dictionary is keyed by input name, so one dictionary serves every
    model: each takes the names it needs.

    - For `fit` and `predict`, keep `include_items=False`: every array has
      the users on its first axis, as Keras batching requires.
    - For a direct call `model(inputs)`, `include_items=True` adds
      `item_ids` `(num_items,)` and `item_features` `(num_items, F)` without
      a batch axis.

    Args:
        rows: `(num_rows,)` user ids.
        user_features: Optional `(num_users, user_feature_dim)` matrix,
            indexed by user id.
        item_features: Optional `(num_items, item_feature_dim)` matrix.
        num_items: Catalog size; defaults to `len(item_features)`. Needed
            with `include_items=True`.
        include_items: Whether to add the catalog item inputs. Defaults to
            `False`.

    Returns:
        A dict with `user_ids` int32 `(num_rows,)`, `user_features` float32
        `(num_rows, user_feature_dim)` when given, and with
        `include_items=True`, `item_ids` and `item_features`.

    Example:
        >>> inputs = catalog_inputs([3, 1], user_features=np.eye(4))
        >>> inputs["user_ids"], inputs["user_features"].shape
        (array([3, 1], dtype=int32), (2, 4))
    """
    rows = as_ids("rows", rows)
    inputs = {"user_ids": rows.astype(np.int32)}
    if user_features is not None:
        user_features = np.asarray(user_features, dtype=np.float32)
        if rows.size and rows.max() >= len(user_features):
            raise ValueError(
                f"`rows` holds user id {rows.max()}, but `user_features` "
                f"has only {len(user_features)} rows."
            )
        inputs["user_features"] = user_features[rows]
    if not include_items:
        return inputs

    if num_items is None:
        if item_features is None:
            raise ValueError(
                "`include_items=True` needs `num_items` or `item_features`."
            )
        num_items = len(item_features)
    num_items = check_int("num_items", num_items, minimum=1)
    inputs["item_ids"] = np.arange(num_items, dtype=np.int32)
    if item_features is not None:
        item_features = np.asarray(item_features, dtype=np.float32)
        if len(item_features) != num_items:
            raise ValueError(
                f"`item_features` must have {num_items} rows, received "
                f"{len(item_features)}."
            )
        inputs["item_features"] = item_features
    return inputs
