"""A hybrid of collaborative filtering and content-based towers."""

from __future__ import annotations

from typing import Any

import keras
from keras import ops

from kmr._validation import (
    check_activation,
    check_choice,
    check_float,
    check_int,
)
from kmr.layers.collaborative_user_item_embedding import (
    CollaborativeUserItemEmbedding,
)
from kmr.layers.cosine_similarity_explainer import CosineSimilarityExplainer
from kmr.layers.deep_feature_tower import DeepFeatureTower
from kmr.models._hybrid_blend import HybridBlend
from kmr.models.base_model import BaseModel


@keras.saving.register_keras_serializable(package="kmr.models")
class UnifiedRecommendationModel(BaseModel):
    """Blends collaborative and content-based scores with learned weights.

    For a user `u` and a candidate item `i` the model computes two cosine
    similarities, each in [-1, 1]:

    - `cf(u, i)`: between the learned id embeddings of `u` and `i`
      (`embedding_layer`);
    - `cb(u, i)`: between the user tower's output on the user features and
      the item tower's output on the item features (`user_tower`,
      `item_tower`);

    and returns `w_cf(u) * cf(u, i) + w_cb(u) * cb(u, i)`. The weights
    `(w_cf(u), w_cb(u))` come from `weight_combiner`: a softmax over two
    trainable global logits plus, with `per_user_weights=True`, a trainable
    per-user offset, so training moves the blend towards whichever signal
    ranks the positives higher, for the whole population and for each user.

    **Cold start.** An id of -1 marks a user or an item without a trained
    embedding. Its collaborative similarity is 0; a new user also gets the
    weights `(0, 1)`, so their scores are the content-based cosine alone.

    # Limitation: a new item (id -1) scored for a known user gets
    # `w_cb(u) * cb(u, i)` with no collaborative part, so among known items
    # it is ranked with a handicap; ranking new items among themselves is
    # unaffected.

    **Dropout.** The original KMR towers used dropout 0.2, hard-coded. Here
    it defaults to 0: dropout on the tower output makes the content-based
    score noisier in training than at inference, and the learned blend
    then underweights it (on planted data where only the features carry
    signal, the content weight stayed near 0.5 with dropout 0.2 and rose
    to about 0.7 without). Regularize with `l2_reg` instead, or set
    `dropout_rate` knowingly.

    **Candidates.** Pass the candidates per user, or only the user inputs
    to score the whole catalog (item ids `0 .. num_items - 1` with the item
    features stored by `set_item_catalog`); the item tower then runs once
    per step on `(num_items, item_feature_dim)`, never once per user. A
    batch with fewer candidates than `top_k` returns that many
    recommendations per user.

    Args:
        num_users: Number of users with a trained embedding.
        num_items: Number of items in the catalog.
        user_feature_dim: Width of the user features (after
            `preprocessing_model`, when one is given).
        item_feature_dim: Width of the item features.
        embedding_dim: Length of the id embeddings. Defaults to 32.
        tower_dim: Width of the tower layers and outputs. Defaults to 32.
        top_k: Recommendations returned per user, in `[1, num_items]`.
            Defaults to 10.
        l2_reg: L2 penalty on embeddings, tower kernels and per-user blend
            offsets. Defaults to 1e-4.
        preprocessing_model: Optional Keras layer or model applied to the
            user features before the user tower; it is saved with the
            model. Defaults to `None`.
        name: Model name. Defaults to `"unified_recommendation_model"`.
        tower_layers: Dense blocks per tower. Defaults to 2.
        dropout_rate: Dropout in the towers, in [0, 1). Defaults to 0.0
            (see **Dropout** above).
        activation: Activation of the towers. Defaults to `"relu"`.
        per_user_weights: Whether each user learns an offset of the blend.
            Defaults to `True`.
        **kwargs: Passed to `keras.Model`.

    Inputs:
        A list `[user_ids (batch_size,), user_features (batch_size,
        user_feature_dim), item_ids (batch_size, num_candidates),
        item_features (batch_size, num_candidates, item_feature_dim)]`, or
        `[user_ids, user_features]` alone for the shared catalog. Ids lie in
        `[-1, num_users)` and `[-1, num_items)`.

    Outputs:
        A tuple `(combined_scores (batch_size, num_candidates), rec_indices
        (batch_size, k), rec_scores (batch_size, k))` with `k =
        min(top_k, num_candidates)`; `rec_indices` are positions along the
        candidate axis, best first. The same tuple in training and
        inference.

    Example:
    ```python
    import numpy as np
    from kmr.models import UnifiedRecommendationModel

    model = UnifiedRecommendationModel(
        num_users=20, num_items=12, user_feature_dim=4, item_feature_dim=3,
        top_k=5,
    )
    user_ids = np.arange(4)
    user_features = np.random.rand(4, 4).astype("float32")
    item_ids = np.tile(np.arange(12), (4, 1))
    item_features = np.random.rand(4, 12, 3).astype("float32")
    scores, rec_indices, rec_scores = model(
        [user_ids, user_features, item_ids, item_features]
    )
    # scores.shape == (4, 12), rec_indices.shape == (4, 5)

    model.set_item_catalog(np.random.rand(12, 3).astype("float32"))
    scores, _, _ = model([user_ids, user_features])  # whole catalog
    ```
    """

    user_input_names = ("user_ids", "user_features")
    item_input_names = ("item_ids", "item_features")

    def __init__(
        self,
        num_users: int,
        num_items: int,
        user_feature_dim: int,
        item_feature_dim: int,
        embedding_dim: int = 32,
        tower_dim: int = 32,
        top_k: int = 10,
        l2_reg: float = 1e-4,
        preprocessing_model: Any = None,
        name: str = "unified_recommendation_model",
        tower_layers: int = 2,
        dropout_rate: float = 0.0,
        activation: str = "relu",
        per_user_weights: bool = True,
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
        self.user_feature_dim = check_int(
            "user_feature_dim", user_feature_dim, minimum=1
        )
        self.item_feature_dim = check_int(
            "item_feature_dim", item_feature_dim, minimum=1
        )
        self.embedding_dim = check_int(
            "embedding_dim", embedding_dim, minimum=1
        )
        self.tower_dim = check_int("tower_dim", tower_dim, minimum=1)
        self.l2_reg = check_float("l2_reg", l2_reg, minimum=0.0)
        self.tower_layers = check_int("tower_layers", tower_layers, minimum=1)
        self.dropout_rate = check_float(
            "dropout_rate",
            dropout_rate,
            minimum=0.0,
            maximum=1.0,
            max_inclusive=False,
        )
        self.activation = check_activation(activation)
        self.per_user_weights = check_choice(
            "per_user_weights", per_user_weights, (True, False)
        )
        self.catalog_feature_dim = self.item_feature_dim

        self.embedding_layer = CollaborativeUserItemEmbedding(
            self.num_users,
            self.num_items,
            embedding_dim=self.embedding_dim,
            l2_reg=self.l2_reg,
            name="embedding_layer",
        )
        self.user_tower = self._make_tower("user_tower")
        self.item_tower = self._make_tower("item_tower")
        self.similarity_layer = CosineSimilarityExplainer(
            name="similarity_layer"
        )
        self.weight_combiner = HybridBlend(
            self.num_users,
            per_user=self.per_user_weights,
            l2_reg=self.l2_reg,
            name="weight_combiner",
        )
        self.build()

    def _make_tower(self, name: str) -> DeepFeatureTower:
        return DeepFeatureTower(
            units=self.tower_dim,
            hidden_layers=self.tower_layers,
            dropout_rate=self.dropout_rate,
            l2_reg=self.l2_reg,
            activation=self.activation,
            name=name,
        )

    # ------------------------------------------------------------------
    # The BaseModel contract.

    def build_components(self) -> None:
        self.embedding_layer.build()
        self.user_tower.build((None, self.user_feature_dim))
        self.item_tower.build((None, self.item_feature_dim))
        self.weight_combiner.build((None,))

    def id_bounds(self) -> dict[str, tuple[int, int]]:
        # -1 marks a new user or item, scored from its features alone.
        return {
            "user_ids": (-1, self.num_users - 1),
            "item_ids": (-1, self.num_items - 1),
        }

    def encode_items(self, item_inputs: dict, training=None) -> dict:
        item_ids = ops.cast(item_inputs["item_ids"], "int32")
        item_features = ops.cast(
            item_inputs["item_features"], self.compute_dtype
        )
        return {
            "item_vectors": self.embedding_layer.item_embedding(
                ops.maximum(item_ids, 0)
            ),
            "item_representations": self._encode_item_features(
                item_features, training=training
            ),
            "known_items": item_ids >= 0,
        }

    def _encode_item_features(self, item_features, training=None):
        if len(item_features.shape) == 2:
            return self.item_tower(item_features, training=training)

        # Per-user candidates: the tower sees one row per (user, candidate).
        leading_shape = ops.shape(item_features)[:2]
        rows = ops.reshape(item_features, (-1, self.item_feature_dim))
        representations = self.item_tower(rows, training=training)
        return ops.reshape(representations, (*leading_shape, self.tower_dim))

    def score(self, user_inputs: dict, item_state: dict, training=None):
        components = self.hybrid_components(
            user_inputs, item_state, training=training, with_raw_cf_scores=False
        )
        return components["combined_scores"], ()

    def hybrid_components(
        self,
        user_inputs: dict,
        item_state: dict,
        training=None,
        with_raw_cf_scores: bool = True,
    ) -> dict:
        """Computes the blended scores and every part of the blend.

        Args:
            user_inputs: `user_ids (batch_size,)` and `user_features
                (batch_size, user_feature_dim)`, already preprocessed.
            item_state: The output of `encode_items`.
            training: Whether the towers run in training mode.
            with_raw_cf_scores: Whether to compute the unnormalised
                embedding dot products too (one more matrix product).
                Defaults to `True`.

        Returns:
            A dict with `combined_scores`, `cf_similarities`,
            `cb_similarities`, `raw_cf_scores` (each `(batch_size,
            num_candidates)`; `raw_cf_scores` only when asked) and
            `weights` `(batch_size, 2)`, where
            `combined_scores == weights[:, :1] * cf_similarities +
            weights[:, 1:] * cb_similarities`.
        """
        user_ids = ops.cast(user_inputs["user_ids"], "int32")
        user_ids = ops.reshape(user_ids, (-1,))
        user_features = ops.cast(
            user_inputs["user_features"], self.compute_dtype
        )
        if user_features.shape[-1] not in (None, self.user_feature_dim):
            raise ValueError(
                "`preprocessing_model` must output user_feature_dim="
                f"{self.user_feature_dim} features, it returned shape "
                f"{tuple(user_features.shape)}."
            )

        user_vectors = self.embedding_layer.user_embedding(
            ops.maximum(user_ids, 0)
        )
        item_vectors = item_state["item_vectors"]
        known_pairs = ops.logical_and(
            ops.expand_dims(user_ids >= 0, -1), item_state["known_items"]
        )
        known_pairs = ops.cast(known_pairs, self.compute_dtype)
        cf_similarities = known_pairs * self.similarity_layer(
            (user_vectors, item_vectors)
        )
        raw_cf_scores = None
        if with_raw_cf_scores:
            if len(item_vectors.shape) == 2:
                raw_cf_scores = ops.matmul(
                    user_vectors, ops.transpose(item_vectors)
                )
            else:
                raw_cf_scores = ops.einsum(
                    "bd,bnd->bn", user_vectors, item_vectors
                )
            raw_cf_scores = known_pairs * raw_cf_scores

        user_representations = self.user_tower(user_features, training=training)
        cb_similarities = self.similarity_layer(
            (user_representations, item_state["item_representations"])
        )

        weights = self.weight_combiner(user_ids)
        combined_scores = (
            weights[:, :1] * cf_similarities + weights[:, 1:] * cb_similarities
        )
        components = {
            "combined_scores": combined_scores,
            "cf_similarities": cf_similarities,
            "cb_similarities": cb_similarities,
            "weights": weights,
        }
        if with_raw_cf_scores:
            components["raw_cf_scores"] = raw_cf_scores
        return components

    def component_weights(self, user_ids=None):
        """Returns the blend weights `(w_cf, w_cb)` as a NumPy array.

        Args:
            user_ids: Optional `(num_users,)` ids. Without them, returns the
                population weights `(2,)` from the global logits alone.

        Returns:
            `(2,)` without `user_ids`, else `(num_users, 2)`.
        """
        if user_ids is None:
            logits = self.weight_combiner.component_logits
            return ops.convert_to_numpy(ops.softmax(logits))
        self.validate_inputs([user_ids, None])
        return ops.convert_to_numpy(
            self.weight_combiner(ops.convert_to_tensor(user_ids))
        )

    def _config_arguments(self) -> dict:
        return {
            "num_users": self.num_users,
            "num_items": self.num_items,
            "user_feature_dim": self.user_feature_dim,
            "item_feature_dim": self.item_feature_dim,
            "embedding_dim": self.embedding_dim,
            "tower_dim": self.tower_dim,
            "top_k": self.top_k,
            "l2_reg": self.l2_reg,
            "tower_layers": self.tower_layers,
            "dropout_rate": self.dropout_rate,
            "activation": self.activation,
            "per_user_weights": self.per_user_weights,
        }
