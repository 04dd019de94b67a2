"""Inserts an axis of size one."""

from __future__ import annotations

import keras
from keras import ops

from kmr._validation import check_int
from kmr.layers.base_layer import BaseLayer


@keras.saving.register_keras_serializable(package="kmr.layers")
class TensorDimensionExpander(BaseLayer):
    """Inserts a new axis of size one at position `axis`.

    Negative axes count from the end of the output, as in
    `numpy.expand_dims`: `axis=-1` appends a trailing axis.

    Args:
        axis: Position of the new axis in the output, in `[-(rank + 1),
            rank]` for an input of rank `rank`. Python or NumPy integer.
            Defaults to 1.
        name: Layer name. Defaults to `None`.
        **kwargs: Passed to `keras.layers.Layer`.

    Input shape:
        Any shape of rank `rank`.

    Output shape:
        The input shape with a 1 inserted at `axis` (rank `rank + 1`).

    Example:
    ```python
    import numpy as np
    from kmr.layers import TensorDimensionExpander

    TensorDimensionExpander(axis=1)(np.zeros((2, 3), "float32")).shape
    # (2, 1, 3)
    ```
    """

    def __init__(self, axis: int = 1, name: str | None = None, **kwargs):
        super().__init__(name=name, **kwargs)
        self.axis = check_int("axis", axis)

    def _config_arguments(self) -> dict:
        return {"axis": self.axis}

    def call(self, inputs):
        self._check_axis(len(inputs.shape))
        return ops.expand_dims(inputs, self.axis)

    def compute_output_shape(self, input_shape):
        rank = len(input_shape)
        self._check_axis(rank)
        position = self.axis if self.axis >= 0 else self.axis + rank + 1
        shape = list(input_shape)
        shape.insert(position, 1)
        return tuple(shape)

    def _check_axis(self, rank: int):
        if not -(rank + 1) <= self.axis <= rank:
            raise ValueError(
                f"`axis`={self.axis} is out of range for an input of rank "
                f"{rank}: expected a value in [{-(rank + 1)}, {rank}]."
            )
