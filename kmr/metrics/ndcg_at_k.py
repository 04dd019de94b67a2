"""Normalised discounted cumulative gain at K."""

from __future__ import annotations

import keras
from keras import ops

from kmr.metrics.ranking_metric import RankingMetric, rank_positions


@keras.saving.register_keras_serializable(package="kmr.metrics")
class NDCGAtK(RankingMetric):
    """Normalised discounted cumulative gain at K (NDCG@K), graded.

    Per row: `DCG@k = sum_{i <= k} rel_i / log2(i + 1)`, with `rel_i` the
    label value of the candidate at rank `i` (linear gain; ignored and
    non-relevant candidates give 0), divided by the IDCG@k, the DCG of the
    row's labels sorted in descending order. A perfect ranking gives 1,
    including from a score matrix (the original's reversed sort gave 0.5).

    See `RankingMetric` for ranking, ties, ignored candidates (labels < 0),
    `sample_weight` and the rows left out (those without a relevant
    candidate).

    Args:
        k: Number of top-ranked candidates evaluated. Defaults to 10.
        name: Metric name. Defaults to `"ndcg_at_k"`.
        **kwargs: Passed to `keras.metrics.Metric` (`dtype`).

    Input shape:
        `y_true`: `(batch_size, num_candidates)` labels; `y_pred`: scores
        of the same shape, or a model output tuple or dict.

    Output shape:
        `result()` is a scalar.

    Example:
    ```python
    from kmr.metrics import NDCGAtK

    metric = NDCGAtK(k=2)
    metric.update_state([[0.0, 1.0, 0.0, 1.0]], [[0.9, 0.8, 0.1, 0.2]])
    metric.result()  # 0.387
    ```
    """

    def __init__(self, k: int = 10, name: str = "ndcg_at_k", **kwargs):
        super().__init__(k=k, name=name, **kwargs)

    def compute_row_values(self, top_relevance, relevance, num_valid):
        ranks = rank_positions(top_relevance.shape[-1], top_relevance.dtype)
        discounts = 1.0 / (ops.log(ranks + 1.0) / ops.log(2.0))
        dcg = ops.sum(top_relevance * discounts, axis=-1)
        ideal_relevance = ops.top_k(relevance, k=top_relevance.shape[-1])[0]
        ideal_dcg = ops.sum(ideal_relevance * discounts, axis=-1)
        return dcg / ops.where(ideal_dcg > 0, ideal_dcg, 1)
