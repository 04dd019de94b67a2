"""Hit rate at K: whether any relevant candidate is in the top K."""

from __future__ import annotations

import keras
from keras import ops

from kmr.metrics.ranking_metric import RankingMetric


@keras.saving.register_keras_serializable(package="kmr.metrics")
class AccuracyAtK(RankingMetric):
    """Hit rate at K: 1 if the top `k` hold a relevant candidate, else 0.

    Relevance is binary here (any label > 0 counts once), so the value is
    never above 1, unlike the original, which returned the largest label
    (5.0 with graded labels).

    See `RankingMetric` for ranking, ties, ignored candidates (labels < 0),
    `sample_weight` and the rows left out (those without a relevant
    candidate).

    Args:
        k: Number of top-ranked candidates evaluated. Defaults to 10.
        name: Metric name. Defaults to `"accuracy_at_k"`.
        **kwargs: Passed to `keras.metrics.Metric` (`dtype`).

    Input shape:
        `y_true`: `(batch_size, num_candidates)` labels; `y_pred`: scores
        of the same shape, or a model output tuple or dict.

    Output shape:
        `result()` is a scalar.

    Example:
    ```python
    from kmr.metrics import AccuracyAtK

    metric = AccuracyAtK(k=2)
    metric.update_state([[0.0, 1.0, 0.0, 1.0]], [[0.9, 0.8, 0.1, 0.2]])
    metric.result()  # 1.0
    ```
    """

    def __init__(self, k: int = 10, name: str = "accuracy_at_k", **kwargs):
        super().__init__(k=k, name=name, **kwargs)

    def compute_row_values(self, top_relevance, relevance, num_valid):
        hits = ops.cast(top_relevance > 0, top_relevance.dtype)
        return ops.max(hits, axis=-1)
