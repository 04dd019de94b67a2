"""A small feed-forward network that turns pair features into a score."""

from __future__ import annotations

import keras
import numpy as np

from kmr._validation import check_activation, check_float, check_int
from kmr.layers.base_layer import BaseLayer
from kmr.layers.deep_feature_tower import _from_rows, _to_rows


@keras.saving.register_keras_serializable(package="kmr.layers")
class DeepFeatureRanking(BaseLayer):
    """Scores feature vectors with one hidden block and a linear output.

    The network is `Dense(hidden_dim, activation)` with an L2 kernel
    penalty, then `BatchNormalization` when `batch_norm` is set, then
    `Dropout(dropout_rate)`, then `Dense(1)`. It works on any number of
    leading axes, e.g. `(batch_size, num_candidates, features)` for every
    user-candidate pair at once.

    Unlike the original KMR layer, `activation` and `batch_norm` are real
    arguments instead of being dropped silently.

    Args:
        hidden_dim: Width of the hidden block. Defaults to 32.
        l2_reg: L2 penalty on the dense kernels. Defaults to 1e-6.
        dropout_rate: Dropout after the hidden block, in [0, 1). Defaults
            to 0.2.
        activation: Activation of the hidden block. Defaults to `"relu"`.
        batch_norm: Whether to normalise the hidden block. Defaults to
            `True`.
        name: Layer name. Defaults to `None`.
        **kwargs: Passed to `keras.layers.Layer`.

    Input shape:
        `(..., feature_dim)`.

    Output shape:
        `(..., 1)`: one unbounded score per row.

    Example:
    ```python
    import numpy as np
    from kmr.layers import DeepFeatureRanking

    ranking = DeepFeatureRanking(hidden_dim=16)
    ranking(np.zeros((4, 6), "float32")).shape  # (4, 1)
    ```
    """

    def __init__(
        self,
        hidden_dim: int = 32,
        l2_reg: float = 1e-6,
        dropout_rate: float = 0.2,
        activation: str = "relu",
        batch_norm: bool = True,
        name: str | None = None,
        **kwargs,
    ):
        super().__init__(name=name, **kwargs)
        self.hidden_dim = check_int("hidden_dim", hidden_dim, minimum=1)
        self.l2_reg = check_float("l2_reg", l2_reg, minimum=0.0)
        self.dropout_rate = check_float(
            "dropout_rate",
            dropout_rate,
            minimum=0.0,
            maximum=1.0,
            max_inclusive=False,
        )
        self.activation = check_activation(activation)
        if not isinstance(batch_norm, (bool, np.bool_)):
            raise ValueError(
                f"`batch_norm` must be a bool, received {batch_norm!r}."
            )

        regularizer = (
            keras.regularizers.L2(self.l2_reg) if self.l2_reg else None
        )
        self.dense1 = keras.layers.Dense(
            self.hidden_dim,
            activation=self.activation,
            kernel_regularizer=regularizer,
            name="dense1",
        )
        self.batch_norm = (
            keras.layers.BatchNormalization(name="batch_norm")
            if batch_norm
            else None
        )
        self.dropout = keras.layers.Dropout(self.dropout_rate, name="dropout")
        self.dense2 = keras.layers.Dense(1, name="dense2")

    def _config_arguments(self) -> dict:
        return {
            "hidden_dim": self.hidden_dim,
            "l2_reg": self.l2_reg,
            "dropout_rate": self.dropout_rate,
            "activation": self.activation,
            "batch_norm": self.batch_norm is not None,
        }

    def build(self, input_shape):
        # Built on rows: batch normalisation fixes its rank when built.
        shape = (None, input_shape[-1])
        self.dense1.build(shape)
        hidden_shape = shape[:-1] + (self.hidden_dim,)
        if self.batch_norm is not None:
            self.batch_norm.build(hidden_shape)
        self.dense2.build(hidden_shape)
        self.built = True

    def call(self, inputs, training=None):
        rows, leading_shape = _to_rows(inputs)
        hidden = self.dense1(rows)
        if self.batch_norm is not None:
            hidden = self.batch_norm(hidden, training=training)
        hidden = self.dropout(hidden, training=training)
        return _from_rows(self.dense2(hidden), leading_shape)

    def compute_output_shape(self, input_shape):
        return tuple(input_shape[:-1]) + (1,)
