"""Bayesian personalised ranking: a logistic loss on every pair."""

from __future__ import annotations

import keras
from keras import ops

from kmr.losses.ranking_loss import RankingLoss


@keras.saving.register_keras_serializable(package="kmr.losses")
class BPRLoss(RankingLoss):
    """Mean logistic loss over every (positive, negative) pair of a row.

    Per row `b`, with `P_b` the relevant candidates (`y > 0`) and `N_b` the
    non-relevant ones (`y == 0`):

    `L_b = mean_{i in P_b, j in N_b} softplus(-(s_bi - s_bj))`

    i.e. `-log sigmoid(s_bi - s_bj)`, the BPR criterion (Rendle et al.,
    2009) on all pairs instead of sampled ones. Every misordered pair
    contributes, weighted by how badly it is misordered, and the loss never
    reaches exactly zero, so unlike the margin losses it keeps separating
    pairs that already satisfy a margin. It ranked best of the kmr losses
    on MovieLens latest-small in `benchmarks/loss_choice.py` (NDCG@10 0.23
    with 64 sampled candidates per row, against 0.15 to 0.19 for the
    others); with whole catalogs as candidates
    its pair matrix grows too large, and `SoftmaxCrossEntropyRankingLoss`
    is the scalable choice.
    Rows without positives or without negatives are left out of the mean
    (see `RankingLoss`).

    Args:
        name: Loss name. Defaults to `"bpr_loss"`.
        **kwargs: Passed to `keras.losses.Loss` (`reduction`, `dtype`).

    Input shape:
        `y_true`: `(batch_size, num_candidates)`; `y_pred`: scores of the
        same shape, or a model output tuple or dict.

    Output shape:
        A scalar (after the Keras reduction).

    Example:
    ```python
    from kmr.losses import BPRLoss

    BPRLoss()([[1.0, 0.0]], [[0.0, 0.0]])  # log(2) = 0.693
    ```
    """

    def __init__(self, name: str = "bpr_loss", **kwargs):
        super().__init__(name=name, **kwargs)

    def compute_row_losses(self, y_true, scores, positives, negatives):
        # Limitation: the pair matrix takes O(batch * num_candidates ** 2)
        # memory; for catalogs of thousands of items use the softmax loss.
        differences = scores[:, :, None] - scores[:, None, :]
        pairs = ops.logical_and(positives[:, :, None], negatives[:, None, :])
        pair_losses = ops.softplus(-differences)
        pair_losses = ops.where(pairs, pair_losses, ops.zeros_like(pair_losses))
        num_pairs = ops.sum(ops.cast(pairs, scores.dtype), axis=(1, 2))
        num_pairs = ops.maximum(num_pairs, ops.ones_like(num_pairs))
        return ops.sum(pair_losses, axis=(1, 2)) / num_pairs
