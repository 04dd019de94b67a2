"""Median of every value seen since the last reset."""

from __future__ import annotations

import keras
from keras import ops

from kmr._validation import check_int


@keras.saving.register_keras_serializable(package="kmr.metrics")
class Median(keras.metrics.Metric):
    """Exact median of every value seen since the last reset.

    Each update appends all the elements of its values to a buffer of
    `max_values` slots; `result()` sorts the filled part and returns its
    middle element (the mean of the two middle ones for an even count).
    The original overwrote its state on each update and returned the mean
    of per-column medians, not a median.

    Both calling forms work: `update_state(values)` (the original's single
    argument) and `update_state(y_true, y_pred, sample_weight=None)`, as in
    `compile(metrics=[...])`, where the values are `y_pred` (element 0 of a
    tuple): the median of the model's scores. A weighted median is not
    defined here: a `sample_weight` other than `None` raises `ValueError`.

    Args:
        name: Metric name. Defaults to `"median"`.
        max_values: Capacity of the buffer. Defaults to 100000.
        **kwargs: Passed to `keras.metrics.Metric` (`dtype`).

    Output shape:
        `result()` is a scalar; 0 before any value.

    Example:
    ```python
    from kmr.metrics import Median

    metric = Median()
    metric.update_state([5.0, 1.0])
    metric.update_state([3.0, 2.0, 4.0])
    metric.result()  # 3.0
    ```
    """

    def __init__(
        self, name: str = "median", max_values: int = 100_000, **kwargs
    ):
        super().__init__(name=name, **kwargs)
        self.max_values = check_int("max_values", max_values, minimum=1)

        # One spare slot receives the values that do not fit.
        self.values = self.add_variable(
            shape=(self.max_values + 1,),
            initializer="zeros",
            dtype=self.dtype,
            name="values",
        )
        self.count = self.add_variable(
            shape=(), initializer="zeros", dtype="int32", name="count"
        )

    def update_state(self, y_true, y_pred=None, sample_weight=None):
        if sample_weight is not None:
            raise ValueError(
                "Median does not support sample_weight, received "
                f"{sample_weight!r}."
            )
        values = y_true if y_pred is None else y_pred
        if isinstance(values, (tuple, list)) and hasattr(values[0], "shape"):
            values = values[0]
        values = ops.reshape(
            ops.cast(ops.convert_to_tensor(values), self.dtype), (-1,)
        )
        num_new = ops.shape(values)[0]

        # Limitation: values past `max_values` are dropped; the median is
        # then that of the first `max_values` values seen.
        positions = self.count + ops.arange(num_new, dtype="int32")
        positions = ops.clip(positions, 0, self.max_values)
        self.values.assign(
            ops.scatter_update(
                ops.convert_to_tensor(self.values), positions[:, None], values
            )
        )
        self.count.assign(ops.minimum(self.count + num_new, self.max_values))

    def result(self):
        # The clip only matters for placeholder values in symbolic builds.
        stored = ops.clip(self.count, 0, self.max_values)
        slots = ops.arange(self.max_values + 1, dtype="int32")
        filled = ops.where(
            slots < stored,
            ops.convert_to_tensor(self.values),
            ops.full((self.max_values + 1,), float("inf"), self.dtype),
        )
        ordered = ops.sort(filled)
        upper = ops.take(ordered, stored // 2)
        lower = ops.take(ordered, ops.maximum(stored - 1, 0) // 2)
        median = (upper + lower) / 2
        return ops.where(stored > 0, median, ops.zeros_like(median))

    def reset_state(self):
        self.values.assign(ops.zeros((self.max_values + 1,), self.dtype))
        self.count.assign(0)

    def get_config(self) -> dict:
        config = super().get_config()
        config["max_values"] = self.max_values
        return config
