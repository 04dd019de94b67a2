"""Standard deviation of every value seen since the last reset."""

from __future__ import annotations

import keras
from keras import ops


@keras.saving.register_keras_serializable(package="kmr.metrics")
class StandardDeviation(keras.metrics.Metric):
    """Population standard deviation of every value seen since the reset.

    Each update adds all the elements of its values to a running count,
    mean and sum of squared deviations (merged exactly with the batch's
    own, so the result equals the standard deviation of the concatenation
    of everything seen, `ddof=0`). `sample_weight`, broadcastable to the
    values, counts each value that many times. The original overwrote its
    state on each update, keeping only the last batch.

    Both calling forms work: `update_state(values)` (the original's single
    argument) and `update_state(y_true, y_pred, sample_weight=None)`, as in
    `compile(metrics=[...])`, where the values are `y_pred` (element 0 of a
    tuple): the spread of the model's scores.

    Args:
        name: Metric name. Defaults to `"standard_deviation"`.
        **kwargs: Passed to `keras.metrics.Metric` (`dtype`).

    Output shape:
        `result()` is a scalar; 0 before any value.

    Example:
    ```python
    from kmr.metrics import StandardDeviation

    metric = StandardDeviation()
    metric.update_state([1.0, 2.0])
    metric.update_state([3.0, 4.0])
    metric.result()  # 1.118
    ```
    """

    def __init__(self, name: str = "standard_deviation", **kwargs):
        super().__init__(name=name, **kwargs)
        self.count = self.add_variable(
            shape=(), initializer="zeros", dtype=self.dtype, name="count"
        )
        self.mean = self.add_variable(
            shape=(), initializer="zeros", dtype=self.dtype, name="mean"
        )
        self.squared_deviations = self.add_variable(
            shape=(),
            initializer="zeros",
            dtype=self.dtype,
            name="squared_deviations",
        )

    def update_state(self, y_true, y_pred=None, sample_weight=None):
        values = y_true if y_pred is None else y_pred
        if isinstance(values, (tuple, list)) and hasattr(values[0], "shape"):
            values = values[0]
        values = ops.cast(ops.convert_to_tensor(values), self.dtype)
        weights = ops.ones_like(values)
        if sample_weight is not None:
            sample_weight = ops.cast(sample_weight, self.dtype)
            if len(sample_weight.shape) < len(values.shape):
                extra = len(values.shape) - len(sample_weight.shape)
                sample_weight = ops.reshape(
                    sample_weight, sample_weight.shape + (1,) * extra
                )
            weights = weights * sample_weight

        batch_count = ops.sum(weights)
        batch_mean = ops.divide_no_nan(ops.sum(weights * values), batch_count)
        batch_squares = ops.sum(weights * ops.square(values - batch_mean))

        # Chan et al.'s exact merge of two (count, mean, M2) summaries.
        total_count = self.count + batch_count
        delta = batch_mean - self.mean
        share = ops.divide_no_nan(batch_count, total_count)
        self.squared_deviations.assign(
            self.squared_deviations
            + batch_squares
            + ops.square(delta) * self.count * share
        )
        self.mean.assign(self.mean + delta * share)
        self.count.assign(total_count)

    def result(self):
        variance = ops.divide_no_nan(self.squared_deviations, self.count)
        return ops.sqrt(ops.maximum(variance, 0))
