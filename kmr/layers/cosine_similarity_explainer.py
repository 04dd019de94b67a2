"""Cosine similarity between users and their candidate items."""

from __future__ import annotations

import keras
from keras import ops

from kmr.layers.base_layer import BaseLayer

_EPSILON = 1e-12


def _l2_normalize(vectors):
    squared_norm = ops.sum(ops.square(vectors), axis=-1, keepdims=True)
    return vectors * ops.rsqrt(squared_norm + _EPSILON)


@keras.saving.register_keras_serializable(package="kmr.layers")
class CosineSimilarityExplainer(BaseLayer):
    """Cosine similarity of each user vector with each candidate item vector.

    The candidates are either per user, `(batch_size, num_candidates,
    dim)`, or one shared catalog for the whole batch, `(num_candidates,
    dim)`; the shared form is one matrix product and never copies the item
    vectors per user. Vectors are scaled to unit length as
    `x / sqrt(||x||^2 + 1e-12)`, so a zero vector has similarity 0 with
    everything and a finite gradient.

    Args:
        name: Layer name. Defaults to `None`.
        **kwargs: Passed to `keras.layers.Layer`.

    Input shape:
        A pair `(user_vectors, item_vectors)`: `(batch_size, dim)` and
        either `(batch_size, num_candidates, dim)` or `(num_candidates,
        dim)`.

    Output shape:
        `(batch_size, num_candidates)`, values in [-1, 1].

    Example:
    ```python
    import numpy as np
    from kmr.layers import CosineSimilarityExplainer

    users = np.array([[1.0, 0.0]], "float32")
    items = np.array([[1.0, 0.0], [0.0, 2.0], [-3.0, 0.0]], "float32")
    CosineSimilarityExplainer()((users, items))  # [[1.0, 0.0, -1.0]]
    ```
    """

    def __init__(self, name: str | None = None, **kwargs):
        super().__init__(name=name, **kwargs)

    def call(self, inputs):
        user_vectors, item_vectors = _unpack_pair(inputs)
        user_unit = _l2_normalize(user_vectors)
        item_unit = _l2_normalize(item_vectors)
        if len(item_vectors.shape) == 2:
            return ops.matmul(user_unit, ops.transpose(item_unit))
        return ops.einsum("bd,bnd->bn", user_unit, item_unit)

    def compute_output_shape(self, input_shape):
        user_shape, item_shape = input_shape
        return (user_shape[0], item_shape[-2])


def _unpack_pair(inputs):
    if not isinstance(inputs, (list, tuple)) or len(inputs) != 2:
        raise ValueError(
            "CosineSimilarityExplainer expects a pair (user_vectors, "
            f"item_vectors), received {type(inputs).__name__}."
        )
    user_vectors, item_vectors = inputs
    if len(user_vectors.shape) != 2:
        raise ValueError(
            "`user_vectors` must have shape (batch_size, dim), received "
            f"shape {tuple(user_vectors.shape)}."
        )
    if len(item_vectors.shape) not in (2, 3):
        raise ValueError(
            "`item_vectors` must have shape (batch_size, num_candidates, "
            "dim) or (num_candidates, dim), received shape "
            f"{tuple(item_vectors.shape)}."
        )
    if user_vectors.shape[-1] != item_vectors.shape[-1]:
        raise ValueError(
            "`user_vectors` and `item_vectors` must share their last "
            f"dimension, received {user_vectors.shape[-1]} and "
            f"{item_vectors.shape[-1]}."
        )
    return user_vectors, item_vectors
