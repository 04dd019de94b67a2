"""Weighted sum of the max-min and the average margin losses."""

from __future__ import annotations

import keras

from kmr._validation import check_float
from kmr.losses.average_margin_loss import AverageMarginLoss
from kmr.losses.max_min_margin_loss import MaxMinMarginLoss
from kmr.losses.ranking_loss import RankingLoss


@keras.saving.register_keras_serializable(package="kmr.losses")
class ImprovedMarginRankingLoss(RankingLoss):
    """Weighted sum of `MaxMinMarginLoss` and `AverageMarginLoss`.

    Per row: `max_min_weight * L_maxmin + avg_weight * L_average`, both
    with the same `margin`. The max-min term is the hinge of the weakest
    positive against the strongest negative (see `MaxMinMarginLoss` for how
    this differs from the original). The terms are combined per row, so
    `sample_weight` weights rows and rows without positives or negatives are
    left out of the mean (see `RankingLoss`).

    Args:
        margin: Margin of both terms. Defaults to 1.0.
        max_min_weight: Weight of the max-min term. Defaults to 0.7.
        avg_weight: Weight of the average term. Defaults to 0.3.
        name: Loss name. Defaults to `"improved_margin_ranking_loss"`.
        **kwargs: Passed to `keras.losses.Loss` (`reduction`, `dtype`).

    Input shape:
        `y_true`: `(batch_size, num_candidates)`; `y_pred`: scores of the
        same shape, or a model output tuple or dict.

    Output shape:
        A scalar (after the Keras reduction).

    Example:
    ```python
    from kmr.losses import ImprovedMarginRankingLoss

    loss = ImprovedMarginRankingLoss()
    loss([[1.0, 0.0]], [[0.5, 0.0]])  # 0.7 * 0.5 + 0.3 * 0.5 = 0.5
    ```
    """

    def __init__(
        self,
        margin: float = 1.0,
        max_min_weight: float = 0.7,
        avg_weight: float = 0.3,
        name: str = "improved_margin_ranking_loss",
        **kwargs,
    ):
        super().__init__(name=name, **kwargs)
        self.margin = check_float("margin", margin)
        self.max_min_weight = check_float(
            "max_min_weight", max_min_weight, minimum=0.0
        )
        self.avg_weight = check_float("avg_weight", avg_weight, minimum=0.0)
        self.max_min_loss = MaxMinMarginLoss(
            margin=margin, name="max_min_margin"
        )
        self.avg_loss = AverageMarginLoss(margin=margin, name="avg_margin")

    def _config_arguments(self) -> dict:
        return {
            "margin": self.margin,
            "max_min_weight": self.max_min_weight,
            "avg_weight": self.avg_weight,
        }

    def compute_row_losses(self, y_true, scores, positives, negatives):
        max_min = self.max_min_loss.compute_row_losses(
            y_true, scores, positives, negatives
        )
        average = self.avg_loss.compute_row_losses(
            y_true, scores, positives, negatives
        )
        return self.max_min_weight * max_min + self.avg_weight * average
