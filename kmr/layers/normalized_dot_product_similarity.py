"""Scaled dot product of two batches of vectors."""

from __future__ import annotations

import math

import keras
from keras import ops

from kmr.layers.base_layer import BaseLayer


@keras.saving.register_keras_serializable(package="kmr.layers")
class NormalizedDotProductSimilarity(BaseLayer):
    """Dot product of paired vectors divided by the square root of their size.

    For vectors `e1` and `e2` of size `D` the layer returns
    `sum(e1 * e2) / sqrt(D)`, the scaling used by attention scores. This is
    **not** cosine similarity: the vectors are not normalised, so two
    identical vectors of ones give `D / sqrt(D) = sqrt(D)`, not 1. Use
    `CosineSimilarityExplainer` for cosine similarity.

    Args:
        name: Layer name. Defaults to `None`.
        **kwargs: Passed to `keras.layers.Layer`.

    Input shape:
        A pair `(e1, e2)`, both `(batch_size, ..., dim)` with the same shape
        and a known `dim`.

    Output shape:
        `(batch_size, ..., 1)`, e.g. `(batch_size, 1)` for 2-D inputs.

    Example:
    ```python
    import numpy as np
    from kmr.layers import NormalizedDotProductSimilarity

    e1 = np.array([[1.0, 2.0, 3.0, 4.0]], "float32")
    e2 = np.array([[1.0, 1.0, 1.0, 1.0]], "float32")
    NormalizedDotProductSimilarity()((e1, e2))  # [[5.0]] = 10 / sqrt(4)
    ```
    """

    def __init__(self, name: str | None = None, **kwargs):
        super().__init__(name=name, **kwargs)

    def call(self, inputs):
        first, second = _unpack_pair(inputs)
        scale = 1.0 / math.sqrt(first.shape[-1])
        return ops.sum(first * second, axis=-1, keepdims=True) * scale

    def compute_output_shape(self, input_shape):
        return (*input_shape[0][:-1], 1)


def _unpack_pair(inputs):
    if not isinstance(inputs, (list, tuple)) or len(inputs) != 2:
        count = len(inputs) if isinstance(inputs, (list, tuple)) else 1
        raise ValueError(
            "NormalizedDotProductSimilarity expects a pair (e1, e2), "
            f"received {count} input(s)."
        )
    first, second = inputs
    if len(first.shape) < 2 or tuple(first.shape) != tuple(second.shape):
        raise ValueError(
            "NormalizedDotProductSimilarity expects two inputs of the same "
            "shape (batch_size, ..., dim), received shapes "
            f"{tuple(first.shape)} and {tuple(second.shape)}."
        )
    if first.shape[-1] is None:
        raise ValueError(
            "NormalizedDotProductSimilarity needs a known last dimension, "
            f"received shape {tuple(first.shape)}."
        )
    return first, second
