"""Hinge between the mean positive score and the mean negative score."""

from __future__ import annotations

import keras
from keras import ops

from kmr._validation import check_float
from kmr.losses.ranking_loss import RankingLoss, masked_mean


@keras.saving.register_keras_serializable(package="kmr.losses")
class AverageMarginLoss(RankingLoss):
    """Hinge on the gap between the mean positive and mean negative score.

    Per row `b`:

    `L_b = max(0, margin - (mean_{j in P_b} s_bj - mean_{j in N_b} s_bj))`

    with `P_b` the relevant candidates (`y > 0`, all weighted equally) and
    `N_b` the non-relevant ones (`y == 0`). It is a soft, averaged signal:
    zero once the means are `margin` apart, even if some positives still
    trail some negatives. Rows without positives or without negatives give 0
    and are left out of the mean (the original treated a missing positive
    set as mean 0). See `RankingLoss` for labels, masking and reduction.

    Args:
        margin: Required gap between the means. Defaults to 0.5.
        name: Loss name. Defaults to `"average_margin_loss"`.
        **kwargs: Passed to `keras.losses.Loss` (`reduction`, `dtype`).

    Input shape:
        `y_true`: `(batch_size, num_candidates)`; `y_pred`: scores of the
        same shape, or a model output tuple or dict.

    Output shape:
        A scalar (after the Keras reduction).

    Example:
    ```python
    from kmr.losses import AverageMarginLoss

    loss = AverageMarginLoss(margin=0.5)
    loss([[1.0, 0.0, 0.0]], [[0.6, 0.4, 0.0]])  # 0.5 - (0.6 - 0.2) = 0.1
    ```
    """

    def __init__(
        self, margin: float = 0.5, name: str = "average_margin_loss", **kwargs
    ):
        super().__init__(name=name, **kwargs)
        self.margin = check_float("margin", margin)

    def _config_arguments(self) -> dict:
        return {"margin": self.margin}

    def compute_row_losses(self, y_true, scores, positives, negatives):
        gap = masked_mean(scores, positives) - masked_mean(scores, negatives)
        return ops.relu(self.margin - gap)
