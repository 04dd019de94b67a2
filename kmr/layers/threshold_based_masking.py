"""Zeroes the values below a threshold."""

from __future__ import annotations

import keras
from keras import ops

from kmr._validation import check_float
from kmr.layers.base_layer import BaseLayer


@keras.saving.register_keras_serializable(package="kmr.layers")
class ThresholdBasedMasking(BaseLayer):
    """Keeps the values `>= threshold` and sets the others to zero.

    Values equal to the threshold are kept. The masked values are replaced
    by zero (not multiplied by zero), so `-inf` scores below the threshold
    become 0 rather than NaN. The gradient flows through the kept values
    only.

    Args:
        threshold: Smallest value kept; a real number (Python or NumPy).
            Defaults to 0.0.
        name: Layer name. Defaults to `None`.
        **kwargs: Passed to `keras.layers.Layer`.

    Input shape:
        Any shape.

    Output shape:
        Same shape and dtype as the input.

    Example:
    ```python
    import numpy as np
    from kmr.layers import ThresholdBasedMasking

    scores = np.array([[0.2, 0.5, 0.7]], "float32")
    ThresholdBasedMasking(threshold=0.5)(scores)  # [[0.0, 0.5, 0.7]]
    ```
    """

    def __init__(
        self, threshold: float = 0.0, name: str | None = None, **kwargs
    ):
        super().__init__(name=name, **kwargs)
        self.threshold = check_float("threshold", threshold)

    def _config_arguments(self) -> dict:
        return {"threshold": self.threshold}

    def call(self, inputs):
        keep = inputs >= ops.cast(self.threshold, inputs.dtype)
        return ops.where(keep, inputs, ops.zeros_like(inputs))

    def compute_output_shape(self, input_shape):
        return input_shape
