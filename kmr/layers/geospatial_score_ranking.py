"""Pairwise relevance scores from geospatial feature rows."""

from __future__ import annotations

import math

import keras
from keras import ops

from kmr._validation import check_int
from kmr.layers.base_layer import BaseLayer


@keras.saving.register_keras_serializable(package="kmr.layers")
class GeospatialScoreRanking(BaseLayer):
    """Scores every pair of locations from their feature rows.

    Each feature row (for example the cluster assignment of a location from
    `SpatialFeatureClustering`, or its coordinates and distances) is
    embedded by `Dense(embedding_dim, relu)` then a linear
    `Dense(embedding_dim)`. The score of a query row `i` and a
    candidate row `j` is

        sigmoid(e_i . e_j / sqrt(embedding_dim))

    in (0, 1). With one input the candidates are the batch itself, giving a
    `(batch_size, batch_size)` matrix as in the original KMR layer; with a
    pair `(query_features, candidate_features)` the candidates are a
    separate set (for example a shared catalogue of places).

    Each score depends only on its two rows, in training and in inference.
    The original KMR layer squeezed each row to one scalar and applied
    batch normalisation after it, so its scores changed with the rest of
    the batch; this layer has no batch normalisation.

    Args:
        embedding_dim: Width of the location embedding, >= 1. Defaults to
            32.
        input_dim: Number of features per row, >= 1; checked against the
            inputs. Defaults to 5.
        name: Layer name. Defaults to `None`.
        **kwargs: Passed to `keras.layers.Layer`.

    Input shape:
        `(batch_size, input_dim)`, or a pair `((batch_size, input_dim),
        (num_candidates, input_dim))`.

    Output shape:
        `(batch_size, batch_size)`, or `(batch_size, num_candidates)` for a
        pair.

    Example:
    ```python
    import numpy as np
    from kmr.layers import GeospatialScoreRanking

    layer = GeospatialScoreRanking(embedding_dim=8, input_dim=5)
    features = np.random.default_rng(0).random((4, 5)).astype("float32")
    layer(features).shape  # (4, 4), values in (0, 1)
    ```
    """

    def __init__(
        self,
        embedding_dim: int = 32,
        input_dim: int = 5,
        name: str | None = None,
        **kwargs,
    ):
        super().__init__(name=name, **kwargs)
        self.embedding_dim = check_int(
            "embedding_dim", embedding_dim, minimum=1
        )
        self.input_dim = check_int("input_dim", input_dim, minimum=1)
        self.dense1 = keras.layers.Dense(
            self.embedding_dim, activation="relu", name="dense1"
        )
        self.dense2 = keras.layers.Dense(self.embedding_dim, name="dense2")

    def _config_arguments(self) -> dict:
        return {
            "embedding_dim": self.embedding_dim,
            "input_dim": self.input_dim,
        }

    def build(self, input_shape):
        shapes = _split_shapes(input_shape)
        for shape in shapes:
            self._check_shape(shape)
        feature_shape = (None, self.input_dim)
        self.dense1.build(feature_shape)
        self.dense2.build((None, self.embedding_dim))

    def call(self, inputs):
        if isinstance(inputs, (list, tuple)):
            if len(inputs) != 2:
                raise ValueError(
                    "GeospatialScoreRanking expects one feature tensor or a "
                    "pair (query_features, candidate_features), received "
                    f"{len(inputs)} inputs."
                )
            query_features, candidate_features = inputs
        else:
            query_features = candidate_features = inputs
        for features in (query_features, candidate_features):
            self._check_shape(features.shape)

        query_embeddings = self._embed(query_features)
        if candidate_features is query_features:
            candidate_embeddings = query_embeddings
        else:
            candidate_embeddings = self._embed(candidate_features)

        logits = ops.matmul(
            query_embeddings, ops.transpose(candidate_embeddings)
        )
        return ops.sigmoid(logits / math.sqrt(self.embedding_dim))

    def _embed(self, features):
        return self.dense2(self.dense1(features))

    def _check_shape(self, shape):
        if len(shape) != 2:
            raise ValueError(
                "GeospatialScoreRanking expects features of shape "
                f"(batch_size, input_dim), received {tuple(shape)}."
            )
        if shape[-1] != self.input_dim:
            raise ValueError(
                f"GeospatialScoreRanking was created with input_dim="
                f"{self.input_dim}, but the features have {shape[-1]} "
                f"columns (shape {tuple(shape)})."
            )

    def compute_output_shape(self, input_shape):
        shapes = _split_shapes(input_shape)
        return (shapes[0][0], shapes[-1][0])


def _split_shapes(input_shape):
    if isinstance(input_shape, (list, tuple)) and isinstance(
        input_shape[0], (list, tuple)
    ):
        return [tuple(shape) for shape in input_shape]
    return [tuple(input_shape)]
