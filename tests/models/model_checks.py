"""Planted-signal data, a test loss, NumPy metrics and docstring examples.

The data have a known structure that a working model can learn and a
popularity ranking cannot: latent user and item factors for the id models,
a bilinear affinity between user and item features for the feature models.
"""

from __future__ import annotations

import inspect
import re

import keras
import numpy as np
from keras import ops


@keras.saving.register_keras_serializable(package="kmr_test_helpers")
class CandidateSoftmaxLoss(keras.losses.Loss):
    """Softmax cross-entropy over candidates, averaged over positives.

    Labels > 0 are positives, 0 negatives, and -1 marks candidates left out.
    """

    def __init__(self, temperature=0.1, name="candidate_softmax", **kwargs):
        super().__init__(name=name, **kwargs)
        self.temperature = temperature

    def call(self, y_true, y_pred):
        y_true = ops.cast(y_true, y_pred.dtype)
        logits = ops.where(y_true >= 0, y_pred / self.temperature, -1e9)
        log_probs = ops.log_softmax(logits, axis=-1)
        positives = ops.cast(y_true > 0, y_pred.dtype)
        count = ops.maximum(ops.sum(positives, axis=-1), 1.0)
        return -ops.sum(positives * log_probs, axis=-1) / count

    def get_config(self):
        return {**super().get_config(), "temperature": self.temperature}


@keras.saving.register_keras_serializable(package="kmr_test_helpers")
class HitRateAtK(keras.metrics.Mean):
    """Share of rows with a positive among the k best-scored candidates."""

    def __init__(self, k=5, name=None, **kwargs):
        super().__init__(name=name or f"hit@{k}", **kwargs)
        self.k = k

    def update_state(self, y_true, y_pred, sample_weight=None):
        top = ops.top_k(y_pred, self.k)[1]
        hits = ops.take_along_axis(ops.cast(y_true, "float32"), top, axis=1)
        return super().update_state(
            ops.cast(ops.max(hits, axis=1) > 0, "float32"), sample_weight
        )

    def get_config(self):
        return {**super().get_config(), "k": self.k}


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
