"""The unified hybrid model, returning every part of its blend."""

from __future__ import annotations

from typing import Any

import keras

from kmr.models.unified_recommendation_model import (
    UnifiedRecommendationModel,
)


@keras.saving.register_keras_serializable(package="kmr.models")
class ExplainableUnifiedRecommendationModel(UnifiedRecommendationModel):
    """`UnifiedRecommendationModel` that also returns how each score arose.

    The scores are computed exactly as in `UnifiedRecommendationModel`, and
    the parts of the computation are returned with them, so the explanation
    is the computation itself:

    `combined_scores == weights[:, :1] * cf_similarities + weights[:, 1:] *
    cb_similarities`.

    `weights` holds, per user, the learned weight of the collaborative and
    of the content-based similarity (each row sums to 1; a new user, id -1,
    gets `(0, 1)`). `recommend(..., explain=True)` returns the components
    at the recommended items and the weights per user.

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
            user features before the user tower. Defaults to `None`.
        name: Model name. Defaults to
            `"explainable_unified_recommendation_model"`.
        tower_layers: Dense blocks per tower. Defaults to 2.
        dropout_rate: Dropout in the towers, in [0, 1). Defaults to 0.0
            (see `UnifiedRecommendationModel`).
        activation: Activation of the towers. Defaults to `"relu"`.
        per_user_weights: Whether each user learns an offset of the blend.
            Defaults to `True`.
        **kwargs: Passed to `keras.Model`.

    Inputs:
        As `UnifiedRecommendationModel`: `[user_ids (batch_size,),
        user_features (batch_size, user_feature_dim), item_ids (batch_size,
        num_candidates), item_features (batch_size, num_candidates,
        item_feature_dim)]`, or `[user_ids, user_features]` alone for the
        shared catalog.

    Outputs:
        A 7-tuple, the same in training and inference:

        1. `combined_scores (batch_size, num_candidates)`;
        2. `rec_indices (batch_size, k)`, `k = min(top_k, num_candidates)`;
        3. `rec_scores (batch_size, k)`;
        4. `cf_similarities (batch_size, num_candidates)`: embedding cosine,
           0 for a new user or item;
        5. `cb_similarities (batch_size, num_candidates)`: tower cosine;
        6. `weights (batch_size, 2)`: `(w_cf, w_cb)` per user;
        7. `raw_cf_scores (batch_size, num_candidates)`: the unnormalised
           embedding dot products, 0 for a new user or item.

    Example:
    ```python
    import numpy as np
    from kmr.models import ExplainableUnifiedRecommendationModel

    model = ExplainableUnifiedRecommendationModel(
        num_users=20, num_items=12, user_feature_dim=4, item_feature_dim=3,
        top_k=5,
    )
    model.set_item_catalog(np.random.rand(12, 3).astype("float32"))
    user_features = np.random.rand(3, 4).astype("float32")
    (scores, rec_indices, rec_scores, cf, cb, weights, raw_cf) = model(
        [np.array([0, 1, -1]), user_features]
    )
    # weights.shape == (3, 2); the new user (-1) has weights [0, 1]
    ids, scores, why = model.recommend(
        user_ids=np.array([0, 1]), user_features=user_features[:2],
        explain=True,
    )
    # why["cf_similarities"].shape == (2, 5), why["weights"].shape == (2, 2)
    ```
    """

    extra_output_names = (
        "cf_similarities",
        "cb_similarities",
        "weights",
        "raw_cf_scores",
    )
    per_candidate_output_names = (
        "cf_similarities",
        "cb_similarities",
        "raw_cf_scores",
    )

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
        name: str = "explainable_unified_recommendation_model",
        tower_layers: int = 2,
        dropout_rate: float = 0.0,
        activation: str = "relu",
        per_user_weights: bool = True,
        **kwargs,
    ):
        super().__init__(
            num_users=num_users,
            num_items=num_items,
            user_feature_dim=user_feature_dim,
            item_feature_dim=item_feature_dim,
            embedding_dim=embedding_dim,
            tower_dim=tower_dim,
            top_k=top_k,
            l2_reg=l2_reg,
            preprocessing_model=preprocessing_model,
            name=name,
            tower_layers=tower_layers,
            dropout_rate=dropout_rate,
            activation=activation,
            per_user_weights=per_user_weights,
            **kwargs,
        )

    def score(self, user_inputs: dict, item_state: dict, training=None):
        components = self.hybrid_components(
            user_inputs, item_state, training=training
        )
        extras = tuple(components[name] for name in self.extra_output_names)
        return components["combined_scores"], extras
