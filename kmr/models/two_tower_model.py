"""Two feature towers whose outputs are compared by cosine similarity."""

from __future__ import annotations

from typing import Any

import keras
from keras import ops

from kmr._validation import check_activation, check_float, check_int
from kmr.layers.cosine_similarity_explainer import CosineSimilarityExplainer
from kmr.layers.deep_feature_tower import DeepFeatureTower
from kmr.models._checks import (
    check_candidate_batch,
    check_hidden_units,
    check_user_features_rank,
)
from kmr.models.base_model import BaseModel

_DEFAULT_HIDDEN_UNITS = (64, 32)


@keras.saving.register_keras_serializable(package="kmr.models")
class TwoTowerModel(BaseModel):
    """Content-based retrieval: a user tower, an item tower, and cosine.

    Each tower maps raw features to a vector of length `output_dim`: one
    block per entry of `hidden_units` (`Dense(units, activation)`, batch
    normalisation, dropout; see `DeepFeatureTower`), then a linear
    `Dense(output_dim)` projection. The score of an item for a user is the
    cosine of the two tower outputs, computed by `similarity_layer`.

    The model sees only features, never ids, so it scores users and items
    it was not trained on (cold start) as readily as known ones.

    Candidates are either given per user, `item_features` of shape
    `(batch_size, num_candidates, item_feature_dim)`, or left out: the
    model then scores the catalog stored with `set_item_catalog`, running
    the item tower once per step instead of once per user.

    Unlike the original KMR model, every entry of `hidden_units` sets the
    width of a layer (the original used only their number, with all layers
    `output_dim` wide), and the towers end in a linear projection rather
    than a ReLU, so cosines can be negative.

    Args:
        user_feature_dim: Width of the user features.
        item_feature_dim: Width of the item features.
        num_items: Number of items in the catalog.
        hidden_units: Widths of the hidden blocks of each tower. Defaults
            to `[64, 32]`; an empty list gives linear towers.
        output_dim: Width of the tower outputs. Defaults to 32.
        activation: Activation of the hidden blocks. Defaults to `"relu"`.
        dropout_rate: Dropout after each hidden block, in [0, 1). Defaults
            to 0.2.
        l2_reg: L2 penalty on the dense kernels. Defaults to 1e-4.
        top_k: Number of recommendations returned per user, at most
            `num_items`. Defaults to 10.
        preprocessing_model: Optional Keras layer or model applied to the
            user features before the user tower; it must output
            `user_feature_dim` features. Defaults to `None`.
        name: Model name. Defaults to `"two_tower_model"`.
        **kwargs: Passed to `keras.Model`.

    Input shape:
        A list `[user_features, item_features]`: `(batch_size,
        user_feature_dim)` and `(batch_size, num_candidates,
        item_feature_dim)` or `(num_candidates, item_feature_dim)`; or
        `[user_features]` alone to score the stored catalog.

    Output shape:
        A tuple `(similarities, rec_indices, rec_scores)`:
        `similarities` `(batch_size, num_candidates)` cosine in [-1, 1],
        `rec_indices` `(batch_size, min(top_k, num_candidates))` int32
        positions along the candidate axis (item ids for the catalog),
        `rec_scores` the matching similarities, best first.

    Example:
    ```python
    import numpy as np
    from kmr.losses import SoftmaxCrossEntropyRankingLoss
    from kmr.models import TwoTowerModel

    user_features = np.random.rand(20, 6).astype("float32")
    item_features = np.random.rand(15, 4).astype("float32")
    labels = (np.random.rand(20, 15) < 0.2).astype("float32")
    model = TwoTowerModel(
        user_feature_dim=6, item_feature_dim=4, num_items=15, top_k=3
    )
    model.set_item_catalog(item_features)
    model.compile(
        optimizer="adam", loss=SoftmaxCrossEntropyRankingLoss(temperature=0.1)
    )
    model.fit(user_features, labels, epochs=1, verbose=0)
    item_ids, scores = model.recommend(user_features=user_features[:3])
    ```
    """

    user_input_names = ("user_features",)
    item_input_names = ("item_features",)

    def __init__(
        self,
        user_feature_dim: int,
        item_feature_dim: int,
        num_items: int,
        hidden_units: list[int] | None = None,
        output_dim: int = 32,
        activation: str = "relu",
        dropout_rate: float = 0.2,
        l2_reg: float = 1e-4,
        top_k: int = 10,
        preprocessing_model: Any = None,
        name: str = "two_tower_model",
        **kwargs,
    ):
        super().__init__(
            num_items=num_items,
            top_k=top_k,
            preprocessing_model=preprocessing_model,
            name=name,
            **kwargs,
        )
        self.user_feature_dim = check_int(
            "user_feature_dim", user_feature_dim, minimum=1
        )
        self.item_feature_dim = check_int(
            "item_feature_dim", item_feature_dim, minimum=1
        )
        self.catalog_feature_dim = self.item_feature_dim
        self.hidden_units = check_hidden_units(
            hidden_units, _DEFAULT_HIDDEN_UNITS
        )
        self.output_dim = check_int("output_dim", output_dim, minimum=1)
        self.activation = check_activation(activation)
        self.dropout_rate = check_float(
            "dropout_rate",
            dropout_rate,
            minimum=0.0,
            maximum=1.0,
            max_inclusive=False,
        )
        self.l2_reg = check_float("l2_reg", l2_reg, minimum=0.0)

        self.user_tower = self._make_tower("user_tower")
        self.item_tower = self._make_tower("item_tower")
        self.similarity_layer = CosineSimilarityExplainer(
            name="similarity_layer"
        )
        self.build()

    def _make_tower(self, name: str) -> keras.Sequential:
        regularizer = (
            keras.regularizers.L2(self.l2_reg) if self.l2_reg else None
        )
        blocks = [
            DeepFeatureTower(
                units=units,
                hidden_layers=1,
                dropout_rate=self.dropout_rate,
                l2_reg=self.l2_reg,
                activation=self.activation,
                name=f"block_{index}",
            )
            for index, units in enumerate(self.hidden_units)
        ]
        projection = keras.layers.Dense(
            self.output_dim, kernel_regularizer=regularizer, name="projection"
        )
        return keras.Sequential(blocks + [projection], name=name)

    def check_static_shapes(self, user_inputs: dict, item_inputs: dict):
        super().check_static_shapes(user_inputs, item_inputs)
        if self.preprocessing_model is None:
            check_user_features_rank(user_inputs)
        check_candidate_batch(user_inputs, item_inputs)

    def build_components(self) -> None:
        self.user_tower.build((None, self.user_feature_dim))
        self.item_tower.build((None, self.item_feature_dim))

    def encode_items(self, item_inputs: dict, training=None):
        item_features = item_inputs["item_features"]
        if len(item_features.shape) == 2:
            return self.item_tower(item_features, training=training)

        # Per-user candidates go through the tower as one flat batch.
        leading_shape = ops.shape(item_features)[:2]
        flat_features = ops.reshape(item_features, (-1, self.item_feature_dim))
        item_vectors = self.item_tower(flat_features, training=training)
        return ops.reshape(
            item_vectors,
            (leading_shape[0], leading_shape[1], self.output_dim),
        )

    def score(self, user_inputs: dict, item_state, training=None):
        user_vectors = self.user_tower(
            user_inputs["user_features"], training=training
        )
        return self.similarity_layer((user_vectors, item_state)), ()

    def _config_arguments(self) -> dict:
        return {
            "user_feature_dim": self.user_feature_dim,
            "item_feature_dim": self.item_feature_dim,
            "num_items": self.num_items,
            "hidden_units": list(self.hidden_units),
            "output_dim": self.output_dim,
            "activation": self.activation,
            "dropout_rate": self.dropout_rate,
            "l2_reg": self.l2_reg,
            "top_k": self.top_k,
        }
