"""Planted-signal data, the notebooks' compile setup, NumPy metrics.

The data have a known structure that a working model can learn and a
popularity ranking cannot: latent user and item factors for the id models,
a bilinear affinity between user and item features for the feature models.
"""

from __future__ import annotations

import inspect
import re

import numpy as np

from kmr.losses import ImprovedMarginRankingLoss
from kmr.metrics import AccuracyAtK, PrecisionAtK, RecallAtK


def notebook_loss():
    """The loss every original KMR notebook compiles with."""
    return ImprovedMarginRankingLoss(
        margin=1.0, max_min_weight=0.6, avg_weight=0.4
    )


def notebook_metrics():
    """The six metrics every original KMR notebook compiles with."""
    return [
        AccuracyAtK(k=5, name="acc@5"),
        AccuracyAtK(k=10, name="acc@10"),
        PrecisionAtK(k=5, name="prec@5"),
        PrecisionAtK(k=10, name="prec@10"),
        RecallAtK(k=5, name="recall@5"),
        RecallAtK(k=10, name="recall@10"),
    ]


NOTEBOOK_METRIC_NAMES = {
    "acc@5",
    "acc@10",
    "prec@5",
    "prec@10",
    "recall@5",
    "recall@10",
}


def _top_items(affinity, num_positives):
    order = np.argsort(-affinity, axis=1)[:, :num_positives]
    labels = np.zeros_like(affinity, dtype="float32")
    np.put_along_axis(labels, order, 1.0, axis=1)
    return labels


def planted_id_data(
    rng, num_users=200, num_items=100, rank=3, num_positives=10, num_test=3
):
    """Returns `(train_labels, test_labels)` with a low-rank structure.

    Each user's positives are the `num_positives` items of highest affinity
    `user_factors @ item_factors.T + item_bias`; `num_test` of them, drawn at
    random, are held out.
    """
    user_factors = rng.normal(size=(num_users, rank))
    item_factors = rng.normal(size=(num_items, rank))
    item_bias = 0.5 * rng.normal(size=num_items)
    affinity = user_factors @ item_factors.T + item_bias
    labels = _top_items(affinity, num_positives)

    test = np.zeros_like(labels)
    for user in range(num_users):
        positives = np.flatnonzero(labels[user])
        held_out = rng.choice(positives, size=num_test, replace=False)
        test[user, held_out] = 1.0
    return labels - test, test


def planted_feature_data(
    rng,
    num_users=300,
    num_items=80,
    user_feature_dim=8,
    item_feature_dim=6,
    rank=3,
    num_positives=8,
):
    """Returns `(user_features, item_features, labels)`.

    The positives of a user are the items of highest affinity
    `(user_features @ A) . (item_features @ B) + item_bias`, so they follow
    from the features alone and carry over to users never trained on.
    """
    user_features = rng.normal(size=(num_users, user_feature_dim))
    item_features = rng.normal(size=(num_items, item_feature_dim))
    user_map = rng.normal(size=(user_feature_dim, rank))
    item_map = rng.normal(size=(item_feature_dim, rank))
    item_bias = 0.5 * rng.normal(size=num_items)
    affinity = (user_features @ user_map) @ (item_features @ item_map).T
    labels = _top_items(affinity + item_bias, num_positives)
    return (
        user_features.astype("float32"),
        item_features.astype("float32"),
        labels,
    )


def recall_at_k(top_item_ids, test_labels):
    """Mean over users with test positives of hits / number of positives."""
    hits = np.take_along_axis(test_labels, np.maximum(top_item_ids, 0), 1)
    hits = hits * (top_item_ids >= 0)
    num_positives = test_labels.sum(axis=1)
    has_positives = num_positives > 0
    return float(
        np.mean(hits.sum(axis=1)[has_positives] / num_positives[has_positives])
    )


def popularity_top_ids(train_labels, num_users, k, seen_item_mask=None):
    """Top-k items by training count for each user, seen items excluded."""
    counts = train_labels.sum(axis=0).astype("float64")
    scores = np.tile(counts, (num_users, 1))
    if seen_item_mask is not None:
        scores[seen_item_mask] = -np.inf
    return np.argsort(-scores, axis=1, kind="stable")[:, :k]


def run_docstring_example(cls):
    """Runs the code block of the `Example:` section of a class docstring."""
    docstring = inspect.getdoc(cls)
    match = re.search(r"Example:\n```python\n(.*?)```", docstring, re.S)
    assert match, f"{cls.__name__} has no runnable Example"
    exec(compile(match.group(1), f"<{cls.__name__} example>", "exec"), {})
