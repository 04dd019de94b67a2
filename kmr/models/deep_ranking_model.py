"""A feed-forward network that scores each user-item feature pair."""

from __future__ import annotations

from typing import Any

import keras
from keras import ops

from kmr._validation import check_activation, check_float, check_int
from kmr.models._checks import (
    check_candidate_batch,
    check_hidden_units,
    check_user_features_rank,
)
from kmr.models.base_model import BaseModel

_DEFAULT_HIDDEN_UNITS = (128, 64, 32)


@keras.saving.register_keras_serializable(package="kmr.models")
class DeepRankingModel(BaseModel):
    """Ranks candidates with an MLP over the user and item features.

    The network reads the concatenated pair `[user_features,
    item_features]`: one hidden block per entry of `hidden_units`
    (`Dense(units)`, `activation`, batch normalisation when `batch_norm`,
    dropout), then a linear `Dense(1)`. The score is that unbounded output,
    so any ranking loss can separate positives from negatives by its
    margin.

    The first dense layer applied to the pair equals
    `user_features @ W_user + item_features @ W_item + b`, so the model
    computes the user part once per user, `(batch_size, units)`, and the
    item part once per candidate, `(num_candidates, units)` for a shared
    catalog, and adds them with broadcasting: user features are never
    copied per candidate. The deeper blocks then run on every pair.

    Unlike the original KMR model, the hidden blocks are not squeezed
    through a one-unit bottleneck, `activation` and `batch_norm` take
    effect, and the scores are not squashed by a sigmoid. The original's
    `ranking_tower` (a `DeepFeatureRanking` ending in one unit) is gone;
    the network is `user_projection` and `item_projection` (the first
    layer), `dense_layers` (the rest of the hidden blocks) and
    `output_layer`.

    Args:
        user_feature_dim: Width of the user features.
        item_feature_dim: Width of the item features.
        num_items: Number of items in the catalog.
        hidden_units: Widths of the hidden blocks, at least one. Defaults
            to `[128, 64, 32]`.
        activation: Activation of the hidden blocks. Defaults to `"relu"`.
        dropout_rate: Dropout after each hidden block, in [0, 1). Defaults
            to 0.3.
        batch_norm: Whether to normalise each hidden block. Defaults to
            `True`.
        l2_reg: L2 penalty on the dense kernels. Defaults to 1e-4.
        top_k: Number of recommendations returned per user, at most
            `num_items`. Defaults to 10.
        preprocessing_model: Optional Keras layer or model applied to the
            user features first; it must output `user_feature_dim`
            features. Defaults to `None`.
        name: Model name. Defaults to `"deep_ranking_model"`.
        **kwargs: Passed to `keras.Model`.

    Input shape:
        A list `[user_features, item_features]`: `(batch_size,
        user_feature_dim)` and `(batch_size, num_candidates,
        item_feature_dim)` or `(num_candidates, item_feature_dim)`; or
        `[user_features]` alone to score the catalog stored with
        `set_item_catalog`.

    Output shape:
        A tuple `(scores, rec_indices, rec_scores)`: `scores`
        `(batch_size, num_candidates)` unbounded, `rec_indices`
        `(batch_size, min(top_k, num_candidates))` int32 positions along
        the candidate axis (item ids for the catalog), `rec_scores` the
        matching scores, best first.

    Example:
    ```python
    import numpy as np
    from kmr.losses import SoftmaxCrossEntropyRankingLoss
    from kmr.models import DeepRankingModel

    user_features = np.random.rand(20, 6).astype("float32")
    item_features = np.random.rand(15, 4).astype("float32")
    labels = (np.random.rand(20, 15) < 0.2).astype("float32")
    model = DeepRankingModel(
        user_feature_dim=6, item_feature_dim=4, num_items=15,
        hidden_units=[32, 16], top_k=3,
    )
    model.set_item_catalog(item_features)
    model.compile(
        optimizer="adam", loss=SoftmaxCrossEntropyRankingLoss()
    )
    model.fit(user_features, labels, epochs=1, verbose=0)
    candidates = np.stack([item_features[:5], item_features[5:10]])
    scores, rec_indices, rec_scores = model.predict(
        [user_features[:2], candidates], verbose=0
    )  # shapes (2, 5), (2, 3), (2, 3)
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
        activation: str = "relu",
        dropout_rate: float = 0.3,
        batch_norm: bool = True,
        l2_reg: float = 1e-4,
        top_k: int = 10,
        preprocessing_model: Any = None,
        name: str = "deep_ranking_model",
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
        if not self.hidden_units:
            raise ValueError(
                "`hidden_units` must hold at least one width, received []."
            )
        self.activation = check_activation(activation)
        self.dropout_rate = check_float(
            "dropout_rate",
            dropout_rate,
            minimum=0.0,
            maximum=1.0,
            max_inclusive=False,
        )
        if not isinstance(batch_norm, bool):
            raise ValueError(
                f"`batch_norm` must be a bool, received {batch_norm!r}."
            )
        self.batch_norm = batch_norm
        self.l2_reg = check_float("l2_reg", l2_reg, minimum=0.0)

        regularizer = (
            keras.regularizers.L2(self.l2_reg) if self.l2_reg else None
        )
        first_units = self.hidden_units[0]
        self.user_projection = keras.layers.Dense(
            first_units, kernel_regularizer=regularizer, name="user_projection"
        )
        self.item_projection = keras.layers.Dense(
            first_units,
            use_bias=False,
            kernel_regularizer=regularizer,
            name="item_projection",
        )
        self.dense_layers = self._make_hidden_blocks(regularizer)
        self.output_layer = keras.layers.Dense(1, name="output_layer")
        self.build()

    def _make_hidden_blocks(self, regularizer) -> list[keras.layers.Layer]:
        """Returns the layers that follow the split first projection.

        The first block's dense layer is the pair of projections, so its
        block starts at the activation.
        """
        layers = []
        for index, units in enumerate(self.hidden_units):
            if index == 0:
                layers.append(
                    keras.layers.Activation(self.activation, name="block_0")
                )
            else:
                layers.append(
                    keras.layers.Dense(
                        units,
                        activation=self.activation,
                        kernel_regularizer=regularizer,
                        name=f"block_{index}",
                    )
                )
            if self.batch_norm:
                layers.append(
                    keras.layers.BatchNormalization(name=f"batch_norm_{index}")
                )
            layers.append(
                keras.layers.Dropout(self.dropout_rate, name=f"dropout_{index}")
            )
        return layers

    def check_static_shapes(self, user_inputs: dict, item_inputs: dict):
        super().check_static_shapes(user_inputs, item_inputs)
        if self.preprocessing_model is None:
            check_user_features_rank(user_inputs)
        check_candidate_batch(user_inputs, item_inputs)

    def build_components(self) -> None:
        self.user_projection.build((None, self.user_feature_dim))
        self.item_projection.build((None, self.item_feature_dim))
        shape = (None, None, self.hidden_units[0])
        for layer in self.dense_layers:
            layer.build(shape)
            shape = layer.compute_output_shape(shape)
        self.output_layer.build(shape)

    def encode_items(self, item_inputs: dict, training=None):
        return self.item_projection(item_inputs["item_features"])

    def score(self, user_inputs: dict, item_state, training=None):
        user_part = self.user_projection(user_inputs["user_features"])
        user_part = ops.expand_dims(user_part, axis=1)
        if len(item_state.shape) == 2:
            item_state = ops.expand_dims(item_state, axis=0)
        hidden = user_part + item_state

        for layer in self.dense_layers:
            hidden = layer(hidden, training=training)
        scores = ops.squeeze(self.output_layer(hidden), axis=-1)
        return scores, ()

    def _config_arguments(self) -> dict:
        return {
            "user_feature_dim": self.user_feature_dim,
            "item_feature_dim": self.item_feature_dim,
            "num_items": self.num_items,
            "hidden_units": list(self.hidden_units),
            "activation": self.activation,
            "dropout_rate": self.dropout_rate,
            "batch_norm": self.batch_norm,
            "l2_reg": self.l2_reg,
            "top_k": self.top_k,
        }
