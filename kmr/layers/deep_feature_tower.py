"""A stack of dense blocks that maps raw features to a representation."""

from __future__ import annotations

import keras
from keras import ops

from kmr._validation import check_activation, check_float, check_int
from kmr.layers.base_layer import BaseLayer


@keras.saving.register_keras_serializable(package="kmr.layers")
class DeepFeatureTower(BaseLayer):
    """Maps user or item features to a dense representation.

    The tower is `hidden_layers` identical blocks, each `Dense(units,
    activation)` with an L2 kernel penalty, then `BatchNormalization`, then
    `Dropout(dropout_rate)`. It works on any number of leading axes, so the
    same tower encodes users `(batch_size, features)`, per-user candidates
    `(batch_size, num_candidates, features)` and a shared catalog
    `(num_items, features)`.

    To change the architecture, subclass it and override `call`; the block
    lists `dense_layers`, `batch_norms` and `dropouts` are public.

    Args:
        units: Width of every block and of the output. Defaults to 32.
        hidden_layers: Number of blocks. Defaults to 2.
        dropout_rate: Dropout after each block, in [0, 1). Defaults to 0.2.
        l2_reg: L2 penalty on the dense kernels. Defaults to 1e-6.
        activation: Activation of the dense layers. Defaults to `"relu"`.
        name: Layer name. Defaults to `None`.
        **kwargs: Passed to `keras.layers.Layer`.

    Input shape:
        `(..., feature_dim)`.

    Output shape:
        `(..., units)`.

    Example:
    ```python
    import numpy as np
    from kmr.layers import DeepFeatureTower

    tower = DeepFeatureTower(units=16, hidden_layers=2)
    tower(np.zeros((4, 10), "float32")).shape  # (4, 16)
    ```
    """

    def __init__(
        self,
        units: int = 32,
        hidden_layers: int = 2,
        dropout_rate: float = 0.2,
        l2_reg: float = 1e-6,
        activation: str = "relu",
        name: str | None = None,
        **kwargs,
    ):
        super().__init__(name=name, **kwargs)
        self.units = check_int("units", units, minimum=1)
        self.hidden_layers = check_int(
            "hidden_layers", hidden_layers, minimum=1
        )
        self.dropout_rate = check_float(
            "dropout_rate",
            dropout_rate,
            minimum=0.0,
            maximum=1.0,
            max_inclusive=False,
        )
        self.l2_reg = check_float("l2_reg", l2_reg, minimum=0.0)
        self.activation = check_activation(activation)

        regularizer = (
            keras.regularizers.L2(self.l2_reg) if self.l2_reg else None
        )
        self.dense_layers = [
            keras.layers.Dense(
                self.units,
                activation=self.activation,
                kernel_regularizer=regularizer,
                name=f"dense_{index}",
            )
            for index in range(self.hidden_layers)
        ]
        self.batch_norms = [
            keras.layers.BatchNormalization(name=f"batch_norm_{index}")
            for index in range(self.hidden_layers)
        ]
        self.dropouts = [
            keras.layers.Dropout(self.dropout_rate, name=f"dropout_{index}")
            for index in range(self.hidden_layers)
        ]

    def _config_arguments(self) -> dict:
        return {
            "units": self.units,
            "hidden_layers": self.hidden_layers,
            "dropout_rate": self.dropout_rate,
            "l2_reg": self.l2_reg,
            "activation": self.activation,
        }

    def build(self, input_shape):
        # Built on rows: batch normalisation fixes its rank when built.
        shape = (None, input_shape[-1])
        for dense, batch_norm in zip(self.dense_layers, self.batch_norms):
            dense.build(shape)
            shape = shape[:-1] + (self.units,)
            batch_norm.build(shape)
        self.built = True

    def call(self, inputs, training=None):
        outputs, leading_shape = _to_rows(inputs)
        for dense, batch_norm, dropout in zip(
            self.dense_layers, self.batch_norms, self.dropouts
        ):
            outputs = dense(outputs)
            outputs = batch_norm(outputs, training=training)
            outputs = dropout(outputs, training=training)
        return _from_rows(outputs, leading_shape)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape[:-1]) + (self.units,)


def _to_rows(inputs):
    """Flattens the leading axes, so every call sees `(rows, features)`."""
    if len(inputs.shape) == 2:
        return inputs, None
    leading_shape = ops.shape(inputs)[:-1]
    return ops.reshape(inputs, (-1, inputs.shape[-1])), leading_shape


def _from_rows(outputs, leading_shape):
    if leading_shape is None:
        return outputs
    return ops.reshape(outputs, (*leading_shape, outputs.shape[-1]))
