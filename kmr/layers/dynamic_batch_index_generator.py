"""The positions 0..batch_size-1 of a batch."""

from __future__ import annotations

import keras
from keras import ops

from kmr.layers.base_layer import BaseLayer


@keras.saving.register_keras_serializable(package="kmr.layers")
class DynamicBatchIndexGenerator(BaseLayer):
    """Returns `[0, 1, ..., batch_size - 1]` as int32, for any input.

    The batch size is read from the input at call time, so it may be
    unknown when the model is built. The indices are always int32,
    whatever the input dtype (the original returned the input's dtype, so
    a float input gave float indices that could not be used to gather).

    Args:
        name: Layer name. Defaults to `None`.
        **kwargs: Passed to `keras.layers.Layer`.

    Input shape:
        `(batch_size, ...)`, any dtype, rank >= 1.

    Output shape:
        `(batch_size,)`, int32.

    Example:
    ```python
    import numpy as np
    from kmr.layers import DynamicBatchIndexGenerator

    DynamicBatchIndexGenerator()(np.zeros((3, 4), "float32"))  # [0, 1, 2]
    ```
    """

    def __init__(self, name: str | None = None, **kwargs):
        super().__init__(name=name, **kwargs)

    def call(self, inputs):
        _check_rank(inputs.shape)
        return ops.arange(ops.shape(inputs)[0], dtype="int32")

    def compute_output_spec(self, inputs):
        _check_rank(inputs.shape)
        return keras.KerasTensor((inputs.shape[0],), dtype="int32")


def _check_rank(shape):
    if len(shape) < 1:
        raise ValueError(
            "DynamicBatchIndexGenerator needs an input with a batch axis "
            f"(rank >= 1), received shape {tuple(shape)}."
        )
