"""Recall at K: the share of a row's relevant candidates found in the top K."""

from __future__ import annotations

import keras
from keras import ops

from kmr.metrics.ranking_metric import RankingMetric


@keras.saving.register_keras_serializable(package="kmr.metrics")
class RecallAtK(RankingMetric):
    """Recall at K: relevant candidates in the top `k` over all relevant ones.

    Relevance is binary (any label > 0 counts once). Rows without relevant
    candidates are left out of the mean instead of counting as 0 as in the
    original, which deflated the value.

    See `RankingMetric` for ranking, ties, ignored candidates (labels < 0),
    `sample_weight` and the rows left out (those without a relevant
    candidate).

    Args:
        k: Number of top-ranked candidates evaluated. Defaults to 10.
        name: Metric name. Defaults to `"recall_at_k"`.
        **kwargs: Passed to `keras.metrics.Metric` (`dtype`).

    Input shape:
        `y_true`: `(batch_size, num_candidates)` labels; `y_pred`: scores
        of the same shape, or a model output tuple or dict.

    Output shape:
        `result()` is a scalar.

    Example:
    ```python
    from kmr.metrics import RecallAtK

    metric = RecallAtK(k=2)
    metric.update_state([[0.0, 1.0, 0.0, 1.0]], [[0.9, 0.8, 0.1, 0.2]])
    metric.result()  # 0.5
    ```
    """

    def __init__(self, k: int = 10, name: str = "recall_at_k", **kwargs):
        super().__init__(k=k, name=name, **kwargs)

    def compute_row_values(self, top_relevance, relevance, num_valid):
        hits = ops.cast(top_relevance > 0, top_relevance.dtype)
        num_relevant = ops.sum(ops.cast(relevance > 0, relevance.dtype), -1)
        return ops.sum(hits, axis=-1) / ops.maximum(num_relevant, 1)
