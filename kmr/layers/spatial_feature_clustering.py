"""Soft assignment of feature rows to learned cluster centres."""

from __future__ import annotations

import keras
from keras import ops

from kmr._validation import check_float, check_int
from kmr.layers.base_layer import BaseLayer


@keras.saving.register_keras_serializable(package="kmr.layers")
class SpatialFeatureClustering(BaseLayer):
    """Soft-assigns each row to `n_clusters` learned centres (soft k-means).

    The layer holds a trainable matrix of cluster centres `C` of shape
    `(n_clusters, feature_dim)`. For each input row `x` it returns

        p_k = softmax_k(-||x - C_k||^2 / temperature)

    the probability that `x` belongs to cluster `k`; each row of the output
    sums to 1 and depends only on its own input row. Every centre receives
    gradients (for `n_clusters >= 2`; with one cluster the output is the
    constant 1). Rows can be coordinates, embeddings, or distances from
    each point to a fixed set of reference locations.

    The original KMR layer reduced a `(batch_size, batch_size)` distance
    matrix to its row mean and used three rows of its weights, which was
    not clustering and crashed below three clusters; this layer is a real
    clustering for any `n_clusters >= 1`. Its batch normalisation of the
    logits (batch-dependent) is gone.

    Args:
        n_clusters: Number of clusters, >= 1. Defaults to 5.
        temperature: Softness of the assignment, > 0; smaller is harder.
            Defaults to 1.0.
        name: Layer name. Defaults to `None`.
        **kwargs: Passed to `keras.layers.Layer`.

    Input shape:
        `(batch_size, feature_dim)` with `feature_dim` known when the layer
        is built. A `(batch_size, batch_size)` distance matrix within the
        batch only works with a fixed batch size, since the centres have a
        fixed width.

    Output shape:
        `(batch_size, n_clusters)` assignment probabilities.

    Example:
    ```python
    import numpy as np
    from kmr.layers import SpatialFeatureClustering

    layer = SpatialFeatureClustering(n_clusters=3)
    points = np.random.default_rng(0).normal(size=(4, 2)).astype("float32")
    layer(points).shape  # (4, 3), rows sum to 1
    ```
    """

    def __init__(
        self,
        n_clusters: int = 5,
        temperature: float = 1.0,
        name: str | None = None,
        **kwargs,
    ):
        super().__init__(name=name, **kwargs)
        self.n_clusters = check_int("n_clusters", n_clusters, minimum=1)
        self.temperature = check_float(
            "temperature", temperature, minimum=0.0, min_inclusive=False
        )
        self.cluster_centers = None

    def _config_arguments(self) -> dict:
        return {"n_clusters": self.n_clusters, "temperature": self.temperature}

    @property
    def cluster_weights(self):
        """The cluster centres; the weight name of the original layer."""
        return self.cluster_centers

    def build(self, input_shape):
        _check_shape(input_shape)
        self.cluster_centers = self.add_weight(
            name="cluster_centers",
            shape=(self.n_clusters, input_shape[-1]),
            initializer="random_normal",
        )

    def call(self, inputs):
        _check_shape(inputs.shape)
        feature_dim = self.cluster_centers.shape[-1]
        if inputs.shape[-1] != feature_dim:
            raise ValueError(
                "SpatialFeatureClustering was built for feature_dim="
                f"{feature_dim}, received shape {tuple(inputs.shape)}."
            )

        # ||x - c||^2 = ||x||^2 - 2 x.c + ||c||^2, one matrix product.
        centers = ops.cast(self.cluster_centers, inputs.dtype)
        squared_distances = (
            ops.sum(ops.square(inputs), axis=-1, keepdims=True)
            - 2.0 * ops.matmul(inputs, ops.transpose(centers))
            + ops.sum(ops.square(centers), axis=-1)[None, :]
        )
        # A hand-written softmax: `ops.softmax` warns on one cluster.
        logits = -squared_distances / self.temperature
        logits = logits - ops.max(logits, axis=-1, keepdims=True)
        weights = ops.exp(logits)
        return weights / ops.sum(weights, axis=-1, keepdims=True)

    def compute_output_shape(self, input_shape):
        return (input_shape[0], self.n_clusters)


def _check_shape(shape):
    if len(shape) != 2 or shape[-1] is None:
        raise ValueError(
            "SpatialFeatureClustering expects inputs of shape (batch_size, "
            f"feature_dim) with a known feature_dim, received {tuple(shape)}."
        )
