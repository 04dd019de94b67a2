"""Mean reciprocal rank of the first relevant candidate."""

from __future__ import annotations

import keras
from keras import ops

from kmr.metrics.ranking_metric import RankingMetric, rank_positions


@keras.saving.register_keras_serializable(package="kmr.metrics")
class MeanReciprocalRank(RankingMetric):
    """Mean reciprocal rank: `1 / rank` of the first relevant candidate.

    Per row: `1 / i` for the smallest rank `i` whose candidate is relevant
    (binary: any label > 0), or 0 when none is within the first `k`. With
    `k=None` (the default) the whole list is ranked, so every row with a
    relevant candidate gets a value above 0.

    Unlike the original, it accepts a plain score matrix (the original
    needed a tuple and read element 1, the indices), honours
    `sample_weight`, and works in `compile(metrics=...)`. The original's
    constructor, `MeanReciprocalRank(name="mean_reciprocal_rank")`, still
    works; `k` is a new keyword argument.

    See `RankingMetric` for ranking, ties, ignored candidates (labels < 0),
    `sample_weight` and the rows left out (those without a relevant
    candidate).

    Args:
        name: Metric name. Defaults to `"mean_reciprocal_rank"`.
        k: Cut-off rank, or `None` for the whole list. Defaults to `None`.
        **kwargs: Passed to `keras.metrics.Metric` (`dtype`).

    Input shape:
        `y_true`: `(batch_size, num_candidates)` labels; `y_pred`: scores
        of the same shape, or a model output tuple or dict.

    Output shape:
        `result()` is a scalar.

    Example:
    ```python
    from kmr.metrics import MeanReciprocalRank

    metric = MeanReciprocalRank()
    metric.update_state([[0.0, 1.0, 0.0, 1.0]], [[0.9, 0.8, 0.1, 0.2]])
    metric.result()  # 0.5
    ```
    """

    def __init__(
        self, name: str = "mean_reciprocal_rank", k: int | None = None, **kwargs
    ):
        super().__init__(k=k, name=name, **kwargs)

    def compute_row_values(self, top_relevance, relevance, num_valid):
        hits = ops.cast(top_relevance > 0, top_relevance.dtype)
        ranks = rank_positions(hits.shape[-1], hits.dtype)
        return ops.max(hits / ranks, axis=-1)
