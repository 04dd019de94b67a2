"""Collaborative filtering from user and item ids alone."""

from __future__ import annotations

from typing import Any

import keras
from keras import ops

from kmr._validation import check_float, check_int
from kmr.layers.collaborative_user_item_embedding import (
    CollaborativeUserItemEmbedding,
)
from kmr.layers.cosine_similarity_explainer import CosineSimilarityExplainer
from kmr.models._checks import check_candidate_batch
from kmr.models.base_model import BaseModel


@keras.saving.register_keras_serializable(package="kmr.models")
class MatrixFactorizationModel(BaseModel):
    """Scores items by the cosine of learned user and item vectors.

    Every user id and every item id gets a learned vector of length
    `embedding_dim`; the score of an item for a user is the cosine of the
    two vectors, computed by `similarity_layer`. The model only knows the
    ids it was trained on: a new user or item needs retraining (see
    `TwoTowerModel` for features).

    Candidates are either given per user, `item_ids` of shape
    `(batch_size, num_candidates)`, or left out, in which case the whole
    catalog `0 .. num_items - 1` is scored with one matrix product.

    Args:
        num_users: Number of user ids; ids lie in `[0, num_users)`.
        num_items: Number of item ids; ids lie in `[0, num_items)`.
        embedding_dim: Length of the user and item vectors. Defaults to 32.
        top_k: Number of recommendations returned per user, at most
            `num_items`. Defaults to 10.
        l2_reg: L2 penalty on the embeddings. Defaults to 1e-4.
        preprocessing_model: Must be `None`: the model has no feature input
            to preprocess. Kept for signature compatibility.
        name: Model name. Defaults to `"matrix_factorization_model"`.
        **kwargs: Passed to `keras.Model`.

    Input shape:
        A list `[user_ids, item_ids]`: `(batch_size,)` integers and
        `(batch_size, num_candidates)` or `(num_candidates,)` integers; or
        `[user_ids]` alone to score the whole catalog.

    Output shape:
        A tuple `(similarities, rec_indices, rec_scores)`:
        `similarities` `(batch_size, num_candidates)` cosine in [-1, 1],
        `rec_indices` `(batch_size, min(top_k, num_candidates))` int32
        positions along the candidate axis (item ids for the catalog),
        `rec_scores` the matching similarities, best first.

    Example:
    ```python
    import numpy as np
    from kmr.losses import ImprovedMarginRankingLoss
    from kmr.metrics import RecallAtK
    from kmr.models import MatrixFactorizationModel

    model = MatrixFactorizationModel(num_users=20, num_items=15, top_k=3)
    labels = (np.random.rand(20, 15) < 0.2).astype("float32")
    model.compile(
        optimizer="adam",
        loss=[ImprovedMarginRankingLoss(), None, None],
        metrics=[[RecallAtK(k=5, name="recall@5")], None, None],
    )
    model.fit(np.arange(20), labels, epochs=1, verbose=0)
    similarities, rec_indices, rec_scores = model.predict(
        np.arange(3), verbose=0
    )  # shapes (3, 15), (3, 3), (3, 3)
    item_ids, scores = model.recommend(
        user_ids=np.arange(3), seen_item_mask=labels[:3] > 0
    )
    ```
    """

    user_input_names = ("user_ids",)
    item_input_names = ("item_ids",)

    def __init__(
        self,
        num_users: int,
        num_items: int,
        embedding_dim: int = 32,
        top_k: int = 10,
        l2_reg: float = 1e-4,
        preprocessing_model: Any = None,
        name: str = "matrix_factorization_model",
        **kwargs,
    ):
        super().__init__(
            num_items=num_items,
            top_k=top_k,
            preprocessing_model=preprocessing_model,
            name=name,
            **kwargs,
        )
        self.num_users = check_int("num_users", num_users, minimum=1)
        self.embedding_dim = check_int(
            "embedding_dim", embedding_dim, minimum=1
        )
        self.l2_reg = check_float("l2_reg", l2_reg, minimum=0.0)

        self.embedding_layer = CollaborativeUserItemEmbedding(
            num_users=self.num_users,
            num_items=self.num_items,
            embedding_dim=self.embedding_dim,
            l2_reg=self.l2_reg,
            name="embedding_layer",
        )
        self.similarity_layer = CosineSimilarityExplainer(
            name="similarity_layer"
        )
        self.build()

    def check_static_shapes(self, user_inputs: dict, item_inputs: dict):
        super().check_static_shapes(user_inputs, item_inputs)
        check_candidate_batch(user_inputs, item_inputs)

    def build_components(self) -> None:
        self.embedding_layer.build()

    def encode_items(self, item_inputs: dict, training=None):
        return self.embedding_layer.item_embedding(item_inputs["item_ids"])

    def score(self, user_inputs: dict, item_state, training=None):
        user_ids = ops.reshape(user_inputs["user_ids"], (-1,))
        user_vectors = self.embedding_layer.user_embedding(user_ids)
        return self.similarity_layer((user_vectors, item_state)), ()

    def id_bounds(self) -> dict[str, tuple[int, int]]:
        return {
            "user_ids": (0, self.num_users - 1),
            "item_ids": (0, self.num_items - 1),
        }

    def _config_arguments(self) -> dict:
        return {
            "num_users": self.num_users,
            "num_items": self.num_items,
            "embedding_dim": self.embedding_dim,
            "top_k": self.top_k,
            "l2_reg": self.l2_reg,
        }
