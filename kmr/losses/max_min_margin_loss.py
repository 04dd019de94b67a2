"""Hinge between the weakest positive and the strongest negative."""

from __future__ import annotations

import keras
from keras import ops

from kmr._validation import check_float
from kmr.losses.ranking_loss import RankingLoss, masked_max, masked_min


@keras.saving.register_keras_serializable(package="kmr.losses")
class MaxMinMarginLoss(RankingLoss):
    """Hinge on the hardest pair of a row: weakest positive, strongest negative.

    Per row `b`:

    `L_b = max(0, margin - (min_{j in P_b} s_bj - max_{j in N_b} s_bj))`

    where `P_b` are the relevant candidates (`y > 0`) and `N_b` the
    non-relevant ones (`y == 0`). The loss is zero exactly when every
    positive beats every negative by at least `margin`.

    Unlike the original KMR loss, which paired the *best* positive with the
    *worst* negative (a constraint met as soon as one positive beats the
    lowest-scored negative), this pairs the *weakest* positive with the
    *strongest* negative, the usual hinge that pushes hard negatives out of
    the top of the list. Rows without positives or without negatives give 0
    and are left out of the mean (the original returned about 1e9 for them).
    See `RankingLoss` for labels, masking and reduction.

    Args:
        margin: Required score gap. Defaults to 1.0.
        name: Loss name. Defaults to `"max_min_margin_loss"`.
        **kwargs: Passed to `keras.losses.Loss` (`reduction`, `dtype`).

    Input shape:
        `y_true`: `(batch_size, num_candidates)`; `y_pred`: scores of the
        same shape, or a model output tuple or dict.

    Output shape:
        A scalar (after the Keras reduction).

    Example:
    ```python
    from kmr.losses import MaxMinMarginLoss

    loss = MaxMinMarginLoss(margin=1.0)
    loss([[1.0, 0.0, 0.0]], [[0.9, 0.4, 0.1]])  # 1 - (0.9 - 0.4) = 0.5
    ```
    """

    def __init__(
        self, margin: float = 1.0, name: str = "max_min_margin_loss", **kwargs
    ):
        super().__init__(name=name, **kwargs)
        self.margin = check_float("margin", margin)

    def _config_arguments(self) -> dict:
        return {"margin": self.margin}

    def compute_row_losses(self, y_true, scores, positives, negatives):
        weakest_positive = masked_min(scores, positives)
        strongest_negative = masked_max(scores, negatives)
        return ops.relu(self.margin - (weakest_positive - strongest_negative))
