"""Listwise softmax cross-entropy over each row's candidates."""

from __future__ import annotations

import keras
from keras import ops

from kmr._validation import check_choice, check_float
from kmr.losses.ranking_loss import RankingLoss


@keras.saving.register_keras_serializable(package="kmr.losses")
class SoftmaxCrossEntropyRankingLoss(RankingLoss):
    """Cross-entropy between the labels and a softmax over the candidates.

    Per row `b`, over the candidates that are not ignored (`y >= 0`):

    `L_b = -sum_j p_bj * log softmax(s_b / temperature)_j`,
    `p_bj = rel_bj / sum_i rel_bi`, `rel = y` where `y > 0`, else 0.

    With `normalize_relevance=False` the targets are the relevances
    themselves, `p_bj = rel_bj`: each relevant item adds its own
    log-likelihood term, so a row with 50 positives weighs 50 times as much
    as a row with one. The sum is the same as with one training row per
    (user, positive) pair over the same candidates, where active users
    contribute more rows; with the default every row (user) weighs the same
    whatever its number of positives. In the MovieLens latest-small quality
    benchmark (whole catalog as candidates) validation chose the
    unnormalised form for the collaborative and unified models, and it
    raised their held-out NDCG@10 on each of four splits; the feature-only
    `TwoTowerModel` kept the default (see the evaluation page of the
    documentation). Since the loss then grows with the positives per row,
    an L2 penalty of the same `l2_reg` weighs relatively less.

    Graded labels give larger targets to more relevant items. Every
    candidate of the row competes with every relevant one at once, so the
    gradient concentrates on the negatives that score highest. Unlike the
    margin losses it has no dead zone once a margin is met and needs no
    margin tuned to the score scale, at `O(num_candidates)` per row.
    Prefer it when the candidates are a whole catalog: it is the loss the
    MovieLens quality benchmark trains every kmr model with. With a few
    dozen sampled candidates per row `BPRLoss` ranked better in
    `benchmarks/loss_choice.py`; measure the choice on your data (the last
    tables are in the documentation's evaluation page). A lower
    `temperature` sharpens the focus on the top of the list.

    Rows without positives or without negatives are left out of the mean
    (see `RankingLoss`).

    Args:
        temperature: Divides the scores before the softmax. Defaults to 1.0.
        normalize_relevance: Whether each row's relevances are divided by
            their sum, so that every row weighs the same. Defaults to
            `True`.
        name: Loss name. Defaults to
            `"softmax_cross_entropy_ranking_loss"`.
        **kwargs: Passed to `keras.losses.Loss` (`reduction`, `dtype`).

    Input shape:
        `y_true`: `(batch_size, num_candidates)`; `y_pred`: scores of the
        same shape, or a model output tuple or dict.

    Output shape:
        A scalar (after the Keras reduction).

    Example:
    ```python
    from kmr.losses import SoftmaxCrossEntropyRankingLoss

    loss = SoftmaxCrossEntropyRankingLoss()
    loss([[1.0, 0.0]], [[0.0, 0.0]])  # log(2) = 0.693

    per_item = SoftmaxCrossEntropyRankingLoss(normalize_relevance=False)
    per_item([[1.0, 1.0, 0.0]], [[0.0, 0.0, 0.0]])  # 2 log(3) = 2.197
    ```
    """

    def __init__(
        self,
        temperature: float = 1.0,
        normalize_relevance: bool = True,
        name: str = "softmax_cross_entropy_ranking_loss",
        **kwargs,
    ):
        super().__init__(name=name, **kwargs)
        self.temperature = check_float(
            "temperature", temperature, minimum=0.0, min_inclusive=False
        )
        self.normalize_relevance = check_choice(
            "normalize_relevance", normalize_relevance, (True, False)
        )

    def _config_arguments(self) -> dict:
        return {
            "temperature": self.temperature,
            "normalize_relevance": self.normalize_relevance,
        }

    def compute_row_losses(self, y_true, scores, positives, negatives):
        candidates = ops.logical_or(positives, negatives)
        logits = scores / self.temperature

        # Ignored candidates take the row minimum, so every value stays
        # finite and no NaN reaches the gradient of a masked entry.
        row_min = ops.stop_gradient(ops.min(logits, axis=-1, keepdims=True))
        logits = ops.where(candidates, logits, row_min)
        row_max = ops.stop_gradient(ops.max(logits, axis=-1, keepdims=True))
        exp_logits = ops.where(
            candidates, ops.exp(logits - row_max), ops.zeros_like(logits)
        )
        sum_exp = ops.sum(exp_logits, axis=-1, keepdims=True)
        sum_exp = ops.where(sum_exp > 0, sum_exp, ops.ones_like(sum_exp))
        log_probabilities = logits - row_max - ops.log(sum_exp)

        relevance = ops.where(positives, y_true, ops.zeros_like(y_true))
        if not self.normalize_relevance:
            return -ops.sum(relevance * log_probabilities, axis=-1)

        total_relevance = ops.sum(relevance, axis=-1, keepdims=True)
        total_relevance = ops.where(
            total_relevance > 0, total_relevance, ops.ones_like(total_relevance)
        )
        targets = relevance / total_relevance
        return -ops.sum(targets * log_probabilities, axis=-1)
