"""Margin ranking loss plus a penalty on the distance to relevant items."""

from __future__ import annotations

import keras
from keras import ops

from kmr._validation import check_float
from kmr.losses.improved_margin_ranking_loss import ImprovedMarginRankingLoss


@keras.saving.register_keras_serializable(package="kmr.losses")
class GeospatialMarginLoss(ImprovedMarginRankingLoss):
    """`ImprovedMarginRankingLoss` plus a penalty on far relevant items.

    `y_pred` carries similarities and distances side by side. With `N` the
    number of candidates (the width of `y_true`):

    - width `2 * N`: the first `N` columns are similarities, the last `N`
      the distance of each candidate;
    - width `N + 1`: the first `N` are similarities, the last column is one
      distance per row, used for every candidate;
    - any other width raises `ValueError`. For `N == 1` both forms match and
      the first wins.

    Per row: `margin_loss_b + distance_weight * penalty_b`, where
    `penalty_b = sum_j rel_bj * d_bj / sum_j rel_bj` is the relevance-
    weighted mean distance of the row's relevant candidates (`rel = y` where
    `y > 0`, else 0; ignored candidates never count). Rows without positives
    or without negatives are left out of the mean (see `RankingLoss`).

    Unlike the original, it logs nothing per call, so it trains inside
    `fit` and under `jit_compile`.

    Args:
        margin: Margin of both ranking terms. Defaults to 1.0.
        distance_weight: Weight of the distance penalty. Defaults to 0.1.
        max_min_weight: Weight of the max-min term. Defaults to 0.7.
        avg_weight: Weight of the average term. Defaults to 0.3.
        name: Loss name. Defaults to `"geospatial_margin_loss"`.
        **kwargs: Passed to `keras.losses.Loss` (`reduction`, `dtype`).

    Input shape:
        `y_true`: `(batch_size, num_candidates)`; `y_pred`:
        `(batch_size, 2 * num_candidates)` or
        `(batch_size, num_candidates + 1)`, or a tuple or list whose
        element 0 is such a matrix.

    Output shape:
        A scalar (after the Keras reduction).

    Example:
    ```python
    from kmr.losses import GeospatialMarginLoss

    loss = GeospatialMarginLoss()
    # Similarities [2, 0], one distance per row: 3.0.
    loss([[1.0, 0.0]], [[2.0, 0.0, 3.0]])  # 0 + 0.1 * 3.0 = 0.3
    ```
    """

    def __init__(
        self,
        margin: float = 1.0,
        distance_weight: float = 0.1,
        max_min_weight: float = 0.7,
        avg_weight: float = 0.3,
        name: str = "geospatial_margin_loss",
        **kwargs,
    ):
        super().__init__(
            margin=margin,
            max_min_weight=max_min_weight,
            avg_weight=avg_weight,
            name=name,
            **kwargs,
        )
        self.distance_weight = check_float(
            "distance_weight", distance_weight, minimum=0.0
        )

    def _config_arguments(self) -> dict:
        config = super()._config_arguments()
        config["distance_weight"] = self.distance_weight
        return config

    def split_prediction(self, y_true, y_pred):
        """Returns `(similarities, distances)`, both `(batch, N)`."""
        num_candidates = y_true.shape[-1]
        width = y_pred.shape[-1]
        if num_candidates is None or width is None:
            raise ValueError(
                "GeospatialMarginLoss needs static widths of y_true and "
                f"y_pred, received {y_true.shape} and {y_pred.shape}."
            )
        if width == 2 * num_candidates:
            return y_pred[:, :num_candidates], y_pred[:, num_candidates:]
        if width == num_candidates + 1:
            similarities = y_pred[:, :num_candidates]
            distances = ops.broadcast_to(
                y_pred[:, num_candidates:], ops.shape(similarities)
            )
            return similarities, distances
        raise ValueError(
            "Invalid y_pred shape. Expected shape ending in "
            f"{num_candidates + 1} or {2 * num_candidates}, but got {width}. "
            "y_pred must hold the similarities followed by one distance per "
            "candidate or one distance per row."
        )

    def _compute_distance_penalty(self, y_true, distances):
        """Returns the relevance-weighted mean distance of each row `(B,)`."""
        relevance = ops.where(
            ops.greater(y_true, 0), y_true, ops.zeros_like(y_true)
        )
        total_relevance = ops.sum(relevance, axis=-1)
        weighted = ops.sum(relevance * distances, axis=-1)
        safe_total = ops.where(
            total_relevance > 0, total_relevance, ops.ones_like(total_relevance)
        )
        return weighted / safe_total

    def compute_row_losses(self, y_true, scores, positives, negatives):
        similarities, distances = self.split_prediction(y_true, scores)
        margin_losses = super().compute_row_losses(
            y_true, similarities, positives, negatives
        )
        penalty = self._compute_distance_penalty(y_true, distances)
        return margin_losses + self.distance_weight * penalty
