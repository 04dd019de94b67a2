"""Ranks the whole catalog for chunks of users: `BaseModel.recommend`."""

from __future__ import annotations

import numpy as np
from keras import ops

from kmr._ranking import top_k_rows


def rank_catalog(model, user_inputs, k, seen_item_mask, batch_size, explain):
    """Returns the top-k catalog items of every user, best first.

    Args:
        model: A `BaseModel`.
        user_inputs: Checked NumPy user inputs, keyed by input name.
        k: Items per user, at most `model.num_items`.
        seen_item_mask: `(num_users, num_items)` booleans, or `None`.
        batch_size: Users scored per chunk.
        explain: Whether to gather the model's extra outputs.

    Returns:
        As `BaseModel.recommend`.
    """
    num_users = len(next(iter(user_inputs.values())))

    # The item side is the same for every user: encode it once.
    item_state = model.encode_items(model.catalog_item_inputs(), training=False)

    top_ids, top_scores, explanations = [], [], {}
    for start in range(0, num_users, batch_size):
        stop = min(start + batch_size, num_users)
        chunk = {
            name: ops.convert_to_tensor(values[start:stop])
            for name, values in user_inputs.items()
        }
        if model.preprocessing_model is not None:
            chunk["user_features"] = model.preprocessing_model(
                chunk["user_features"], training=False
            )

        scores, extras = model.score(chunk, item_state, training=False)
        scores = np.asarray(ops.convert_to_numpy(scores), dtype=np.float32)
        if seen_item_mask is not None:
            scores = np.where(seen_item_mask[start:stop], -np.inf, scores)

        ids, best = top_k_rows(scores, k)
        top_ids.append(ids)
        top_scores.append(best)
        if explain:
            _collect_explanations(
                explanations,
                model.extra_output_names,
                extras,
                ids,
                scores.shape,
                model.per_candidate_output_names,
            )

    top_ids = np.concatenate(top_ids) if top_ids else np.empty((0, k), np.int64)
    top_scores = (
        np.concatenate(top_scores)
        if top_scores
        else np.empty((0, k), np.float32)
    )
    if not explain:
        return top_ids, top_scores
    gathered = {
        name: np.concatenate(parts) for name, parts in explanations.items()
    }
    return top_ids, top_scores, gathered


def _collect_explanations(
    explanations, names, extras, ids, scores_shape, per_candidate_names=None
):
    """Appends each extra output, gathered at the recommended items.

    Per-candidate outputs (those named in `per_candidate_names`, or, when it
    is `None`, those shaped like the scores) are gathered at the recommended
    ids; other outputs (per user) are kept whole.
    """
    gather_ids = np.maximum(ids, 0)
    for name, values in zip(names, extras):
        values = ops.convert_to_numpy(values)
        per_candidate = (
            values.shape == scores_shape
            if per_candidate_names is None
            else name in per_candidate_names
        )
        if per_candidate:
            values = np.take_along_axis(values, gather_ids, axis=1)
        explanations.setdefault(name, []).append(values)
