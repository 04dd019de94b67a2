"""Precision at K: the share of the top K that is relevant."""

from __future__ import annotations

import keras
from keras import ops

from kmr.metrics.ranking_metric import RankingMetric


@keras.saving.register_keras_serializable(package="kmr.metrics")
class PrecisionAtK(RankingMetric):
    """Precision at K: relevant candidates in the top `k`, divided by `k`.

    Relevance is binary (any label > 0 counts once). The denominator is
    `min(k, number of candidates not ignored)` of the row, so a row with
    fewer candidates than `k` can still reach 1.

    See `RankingMetric` for ranking, ties, ignored candidates (labels < 0),
    `sample_weight` and the rows left out (those without a relevant
    candidate).

    Args:
        k: Number of top-ranked candidates evaluated. Defaults to 10.
        name: Metric name. Defaults to `"precision_at_k"`.
        **kwargs: Passed to `keras.metrics.Metric` (`dtype`).

    Input shape:
        `y_true`: `(batch_size, num_candidates)` labels; `y_pred`: scores
        of the same shape, or a model output tuple or dict.

    Output shape:
        `result()` is a scalar.

    Example:
    ```python
    from kmr.metrics import PrecisionAtK

    metric = PrecisionAtK(k=2)
    metric.update_state([[0.0, 1.0, 0.0, 1.0]], [[0.9, 0.8, 0.1, 0.2]])
    metric.result()  # 0.5
    ```
    """

    def __init__(self, k: int = 10, name: str = "precision_at_k", **kwargs):
        super().__init__(k=k, name=name, **kwargs)

    def compute_row_values(self, top_relevance, relevance, num_valid):
        hits = ops.cast(top_relevance > 0, top_relevance.dtype)
        k = ops.cast(top_relevance.shape[-1], num_valid.dtype)
        denominator = ops.maximum(ops.minimum(num_valid, k), 1)
        return ops.sum(hits, axis=-1) / denominator
