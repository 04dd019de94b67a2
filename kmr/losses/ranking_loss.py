"""The base class of every kmr ranking loss."""

from __future__ import annotations

import keras
from keras import ops

SCORE_KEYS = ("similarities", "scores", "combined_scores", "masked_scores")


def select_scores(y_pred):
    """Returns the score matrix from a model output.

    Args:
        y_pred: A tensor or nested list of numbers; a tuple or list of
            tensors or arrays (a model output), whose element 0 is used;
            or a dict, whose first key found among `similarities`,
            `scores`, `combined_scores` and `masked_scores` is used (else
            its first value).

    Returns:
        The `(batch_size, num_candidates)` score tensor.
    """
    if isinstance(y_pred, dict):
        for key in SCORE_KEYS:
            if key in y_pred:
                return y_pred[key]
        return next(iter(y_pred.values()))
    # A nested Python list of numbers is a score matrix, not a model output.
    if isinstance(y_pred, (tuple, list)) and hasattr(y_pred[0], "shape"):
        return y_pred[0]
    return y_pred


@keras.saving.register_keras_serializable(package="kmr.losses")
class RankingLoss(keras.losses.Loss):
    """Base class of the kmr ranking losses: one loss value per user row.

    Labels `y_true` have shape `(batch_size, num_candidates)`: a value > 0
    marks a relevant (positive) candidate, 0 a non-relevant (negative) one,
    and a negative value (use -1) a candidate to ignore entirely (e.g. an
    item already seen in training). Ignored candidates take part in no
    formula.

    `call` returns one loss per row, shape `(batch_size,)`, and calling the
    loss applies `sample_weight` per row (shape `(batch_size,)` or
    `(batch_size, 1)`) and then the `reduction`. A row without positives or
    without negatives carries no ranking signal: its loss is 0 and it is
    left out of the mean, which is where this differs from the plain Keras
    reduction: with the default `"sum_over_batch_size"` (or `"mean"`) the
    loss is `sum_b(w_b * L_b) / number_of_rows_with_both`; with
    `"mean_with_sample_weight"` it is `sum_b(w_b * L_b) / sum_b(w_b)` over
    those rows; with `"sum"` it is `sum_b(w_b * L_b)`; with `None` or
    `"none"` the weighted per-row losses come back. A batch where no row has
    both gives 0. Gradients stay finite on the rows left out.

    Computation runs in the loss `dtype` (both inputs are converted to it);
    nothing is cast to a fixed float type.

    A subclass states only its formula, in `compute_row_losses`, and its
    constructor arguments, in `_config_arguments`.

    Args:
        name: Loss name. Defaults to `None` (the snake_case class name).
        reduction: Keras reduction. Defaults to `"sum_over_batch_size"`.
        dtype: Dtype of the computation. Defaults to `None` (floatx).

    Input shape:
        `y_true`: `(batch_size, num_candidates)` labels. `y_pred`: a
        `(batch_size, num_candidates)` score tensor, a model output tuple or
        list (element 0 is used), or a dict (see `select_scores`).

    Output shape:
        A scalar after reduction; `(batch_size,)` from `call` or with
        `reduction=None`.

    Example:
    ```python
    from keras import ops
    from kmr.losses import RankingLoss

    class MeanGapLoss(RankingLoss):
        def compute_row_losses(self, y_true, scores, positives, negatives):
            gap = ops.where(negatives, scores, 0.0) - ops.where(
                positives, scores, 0.0
            )
            return ops.sum(gap, axis=-1)

    MeanGapLoss()([[1.0, 0.0]], [[0.2, 0.4]])  # 0.2
    ```
    """

    def __init__(
        self,
        name: str | None = None,
        reduction: str | None = "sum_over_batch_size",
        dtype=None,
        **kwargs,
    ):
        super().__init__(name=name, reduction=reduction, dtype=dtype, **kwargs)

    def _config_arguments(self) -> dict:
        """Returns the constructor arguments that `get_config` must record."""
        return {}

    def get_config(self) -> dict:
        config = super().get_config()
        config.update(self._config_arguments())
        return config

    def compute_row_losses(self, y_true, scores, positives, negatives):
        """Returns the loss of every row, shape `(batch_size,)`.

        Args:
            y_true: `(batch_size, num_candidates)` labels, in the loss dtype.
            scores: The model's score matrix (element 0 of a tuple, see
                `select_scores`), in the loss dtype; usually
                `(batch_size, num_candidates)`.
            positives: Boolean mask of the relevant candidates (`y_true > 0`).
            negatives: Boolean mask of the non-relevant candidates
                (`y_true == 0`).

        Rows without positives or without negatives are zeroed and masked
        afterwards; the formula only has to stay finite on them.
        """
        raise NotImplementedError(
            f"{type(self).__name__} must implement `compute_row_losses`."
        )

    def row_losses_and_mask(self, y_true, scores):
        """Returns the per-row losses and the mask of rows that count.

        Args:
            y_true: `(batch_size, num_candidates)` labels.
            scores: The selected score tensor (see `select_scores`).

        Returns:
            `(row_losses, has_both)`, both `(batch_size,)`: the losses, zero
            on rows without positives or without negatives, and the boolean
            mask of the rows that have both.
        """
        scores = ops.convert_to_tensor(scores)
        y_true = ops.cast(y_true, scores.dtype)
        positives = ops.greater(y_true, 0)
        negatives = ops.equal(y_true, 0)

        row_losses = self.compute_row_losses(
            y_true, scores, positives, negatives
        )

        has_both = ops.logical_and(
            ops.any(positives, axis=-1), ops.any(negatives, axis=-1)
        )
        row_losses = ops.where(has_both, row_losses, ops.zeros_like(row_losses))
        return row_losses, has_both

    def call(self, y_true, y_pred):
        """Returns the per-row losses `(batch_size,)`, zero on empty rows."""
        scores = select_scores(y_pred)
        return self.row_losses_and_mask(y_true, scores)[0]

    def __call__(self, y_true, y_pred, sample_weight=None):
        scores = ops.convert_to_tensor(select_scores(y_pred), dtype=self.dtype)
        y_true = ops.convert_to_tensor(y_true, dtype=self.dtype)
        row_losses, has_both = self.row_losses_and_mask(y_true, scores)
        return self._reduce(row_losses, has_both, sample_weight)

    def _reduce(self, row_losses, has_both, sample_weight):
        row_weights = ops.cast(has_both, row_losses.dtype)
        if sample_weight is not None:
            sample_weight = ops.cast(sample_weight, row_losses.dtype)
            if len(sample_weight.shape) == 2:
                sample_weight = ops.squeeze(sample_weight, axis=-1)
            row_weights = row_weights * sample_weight
        weighted = row_losses * row_weights

        if self.reduction in (None, "none"):
            return weighted
        total = ops.sum(weighted)
        if self.reduction == "sum":
            return total
        if self.reduction == "mean_with_sample_weight":
            mean = ops.divide_no_nan(total, ops.sum(row_weights))
        else:
            num_rows = ops.sum(ops.cast(has_both, row_losses.dtype))
            mean = ops.divide_no_nan(total, num_rows)
        return _scale_for_replicas(mean)


def _scale_for_replicas(value):
    """Divides a mean by the number of `tf.distribute` replicas.

    Under a TensorFlow distribution strategy each replica's loss is summed
    across replicas, as for Keras's own losses; dividing each replica's mean
    makes the sum the mean over the global batch.
    """
    if keras.backend.backend() != "tensorflow":
        return value
    import tensorflow as tf

    replicas = tf.distribute.get_strategy().num_replicas_in_sync
    if replicas == 1:
        return value
    return value * ops.cast(1.0 / replicas, value.dtype)


def masked_min(values, mask):
    """Row minimum of `values` where `mask`; 0 for a row without any."""
    fill = ops.stop_gradient(ops.max(values, axis=-1, keepdims=True))
    minimum = ops.min(ops.where(mask, values, fill), axis=-1)
    return ops.where(ops.any(mask, axis=-1), minimum, ops.zeros_like(minimum))


def masked_max(values, mask):
    """Row maximum of `values` where `mask`; 0 for a row without any."""
    fill = ops.stop_gradient(ops.min(values, axis=-1, keepdims=True))
    maximum = ops.max(ops.where(mask, values, fill), axis=-1)
    return ops.where(ops.any(mask, axis=-1), maximum, ops.zeros_like(maximum))


def soft_masked_min(values, mask, temperature):
    """Softmin-weighted mean of `values` where `mask`; 0 for an empty row.

    The weights are `softmax(-values / temperature)` over the masked
    entries, so the result lies between the row minimum and the row mean
    and tends to the minimum as `temperature` goes to 0.
    """
    return -soft_masked_max(-values, mask, temperature)


def soft_masked_max(values, mask, temperature):
    """Softmax-weighted mean of `values` where `mask`; 0 for an empty row.

    The weights are `softmax(values / temperature)` over the masked
    entries, so the result lies between the row mean and the row maximum
    and tends to the maximum as `temperature` goes to 0.
    """
    logits = ops.where(mask, values / temperature, ops.full_like(values, -1e9))
    logits = logits - ops.stop_gradient(ops.max(logits, axis=-1, keepdims=True))
    weights = ops.exp(logits) * ops.cast(mask, values.dtype)
    normaliser = ops.maximum(
        ops.sum(weights, axis=-1), ops.full_like(weights[..., 0], 1e-30)
    )
    return ops.sum(weights * values, axis=-1) / normaliser


def masked_mean(values, mask):
    """Row mean of `values` where `mask`; 0 for a row without any."""
    mask = ops.cast(mask, values.dtype)
    count = ops.sum(mask, axis=-1)
    total = ops.sum(values * mask, axis=-1)
    return total / ops.maximum(count, ops.ones_like(count))
