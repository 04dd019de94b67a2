"""Mean average precision at K."""

from __future__ import annotations

import keras
from keras import ops

from kmr.metrics.ranking_metric import RankingMetric, rank_positions


@keras.saving.register_keras_serializable(package="kmr.metrics")
class MeanAveragePrecisionAtK(RankingMetric):
    """Mean average precision at K (MAP@K).

    Per row: `AP@k = sum_{i <= k} P@i * hit_i / min(k, num_relevant)`,
    where `hit_i` says whether the candidate at rank `i` is relevant
    (binary: any label > 0) and `P@i` is the precision of the first `i`.
    Dividing by `min(k, num_relevant)` makes a perfect top `k` score 1
    even when the row has more than `k` relevant candidates.

    See `RankingMetric` for ranking, ties, ignored candidates (labels < 0),
    `sample_weight` and the rows left out (those without a relevant
    candidate).

    Args:
        k: Number of top-ranked candidates evaluated. Defaults to 10.
        name: Metric name. Defaults to `"mean_average_precision_at_k"`.
        **kwargs: Passed to `keras.metrics.Metric` (`dtype`).

    Input shape:
        `y_true`: `(batch_size, num_candidates)` labels; `y_pred`: scores
        of the same shape, or a model output tuple or dict.

    Output shape:
        `result()` is a scalar.

    Example:
    ```python
    from kmr.metrics import MeanAveragePrecisionAtK

    metric = MeanAveragePrecisionAtK(k=2)
    metric.update_state([[0.0, 1.0, 0.0, 1.0]], [[0.9, 0.8, 0.1, 0.2]])
    metric.result()  # 0.25
    ```
    """

    def __init__(
        self, k: int = 10, name: str = "mean_average_precision_at_k", **kwargs
    ):
        super().__init__(k=k, name=name, **kwargs)

    def compute_row_values(self, top_relevance, relevance, num_valid):
        hits = ops.cast(top_relevance > 0, top_relevance.dtype)
        ranks = rank_positions(hits.shape[-1], hits.dtype)
        precisions = ops.cumsum(hits, axis=-1) / ranks
        num_relevant = ops.sum(ops.cast(relevance > 0, relevance.dtype), -1)
        k = ops.cast(hits.shape[-1], hits.dtype)
        denominator = ops.maximum(ops.minimum(num_relevant, k), 1)
        return ops.sum(precisions * hits, axis=-1) / denominator
