"""Learned user and item embeddings for collaborative filtering."""

from __future__ import annotations

import keras

from kmr._validation import check_float, check_int
from kmr.layers.base_layer import BaseLayer


@keras.saving.register_keras_serializable(package="kmr.layers")
class CollaborativeUserItemEmbedding(BaseLayer):
    """Looks up a learned vector for each user id and each item id.

    This is the collaborative-filtering half of the kmr models: users and
    items that interact with the same things end up with similar vectors.
    Both tables carry an L2 penalty of `l2_reg` on the rows, through the
    embeddings' regularizer.

    Ids must lie in `[0, num_users)` and `[0, num_items)`. The kmr models
    check concrete ids before calling the layer; inside a compiled function
    an out-of-range id raises on TensorFlow but is clamped silently by JAX.

    Args:
        num_users: Number of rows of the user table.
        num_items: Number of rows of the item table.
        embedding_dim: Length of each vector. Defaults to 32.
        l2_reg: L2 penalty on the embeddings. Defaults to 1e-6.
        name: Layer name. Defaults to `None`.
        **kwargs: Passed to `keras.layers.Layer`.

    Input shape:
        A pair `(user_ids, item_ids)` of integer tensors of any shape, e.g.
        `(batch_size,)` and `(batch_size, num_candidates)`, or
        `(num_items,)` for a shared catalog.

    Output shape:
        A pair `(user_vectors, item_vectors)`: each id shape followed by
        `(embedding_dim,)`.

    Example:
    ```python
    import numpy as np
    from kmr.layers import CollaborativeUserItemEmbedding

    embedding = CollaborativeUserItemEmbedding(
        num_users=100, num_items=50, embedding_dim=8
    )
    users, items = embedding((np.array([0, 1]), np.array([[3, 4], [5, 6]])))
    # users.shape == (2, 8), items.shape == (2, 2, 8)
    ```
    """

    def __init__(
        self,
        num_users: int,
        num_items: int,
        embedding_dim: int = 32,
        l2_reg: float = 1e-6,
        name: str | None = None,
        **kwargs,
    ):
        super().__init__(name=name, **kwargs)
        self.num_users = check_int("num_users", num_users, minimum=1)
        self.num_items = check_int("num_items", num_items, minimum=1)
        self.embedding_dim = check_int(
            "embedding_dim", embedding_dim, minimum=1
        )
        self.l2_reg = check_float("l2_reg", l2_reg, minimum=0.0)

        regularizer = (
            keras.regularizers.L2(self.l2_reg) if self.l2_reg else None
        )
        self.user_embedding = keras.layers.Embedding(
            self.num_users,
            self.embedding_dim,
            embeddings_initializer=keras.initializers.RandomNormal(stddev=0.1),
            embeddings_regularizer=regularizer,
            name="user_embedding",
        )
        self.item_embedding = keras.layers.Embedding(
            self.num_items,
            self.embedding_dim,
            embeddings_initializer=keras.initializers.RandomNormal(stddev=0.1),
            embeddings_regularizer=regularizer,
            name="item_embedding",
        )

    def _config_arguments(self) -> dict:
        return {
            "num_users": self.num_users,
            "num_items": self.num_items,
            "embedding_dim": self.embedding_dim,
            "l2_reg": self.l2_reg,
        }

    def build(self, input_shape=None):
        self.user_embedding.build((None,))
        self.item_embedding.build((None,))
        self.built = True

    def call(self, inputs):
        if not isinstance(inputs, (list, tuple)) or len(inputs) != 2:
            raise ValueError(
                "CollaborativeUserItemEmbedding expects a pair (user_ids, "
                f"item_ids), received {type(inputs).__name__}."
            )
        user_ids, item_ids = inputs
        return self.user_embedding(user_ids), self.item_embedding(item_ids)

    def compute_output_shape(self, input_shape):
        user_shape, item_shape = input_shape
        return (
            tuple(user_shape) + (self.embedding_dim,),
            tuple(item_shape) + (self.embedding_dim,),
        )
