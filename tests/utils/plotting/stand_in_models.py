"""Small Keras models that follow the kmr model contract, for the tests.

- `TableModel`: fixed scores `table[user_id, item_id]`; counts its calls.
- `ExplainableTableModel`: fixed `cf`, `cb` tables and per-user weights;
  returns the explainable unified extras.
- `TrainableExplainableModel`: learns CF embeddings, a CB tower over
  features and per-user component weights (softmax of an embedding).
"""

import keras
import numpy as np
from keras import ops

from kmr.models.base_model import BaseModel


def _gather_items(user_rows, item_ids):
    """Picks `user_rows[b, item]` for shared `(N,)` or per-user `(B, N)` ids."""
    if len(item_ids.shape) == 1:
        return ops.take(user_rows, item_ids, axis=1)
    return ops.take_along_axis(user_rows, item_ids, axis=1)


class TableModel(BaseModel):
    user_input_names = ("user_ids",)
    item_input_names = ("item_ids",)

    def __init__(self, table, top_k=3, **kwargs):
        self.table_values = np.asarray(table, dtype="float32")
        super().__init__(num_items=self.table_values.shape[1], top_k=top_k)
        self.call_count = 0

    def build_components(self):
        self.table = self.add_weight(
            name="table",
            shape=self.table_values.shape,
            initializer=keras.initializers.Constant(self.table_values),
            trainable=False,
        )

    def id_bounds(self):
        return {
            "user_ids": (0, self.table_values.shape[0] - 1),
            "item_ids": (0, self.num_items - 1),
        }

    def call(self, inputs, training=None):
        self.call_count += 1
        return super().call(inputs, training=training)

    def encode_items(self, item_inputs, training=None):
        return ops.cast(item_inputs["item_ids"], "int32")

    def score(self, user_inputs, item_state, training=None):
        user_ids = ops.cast(user_inputs["user_ids"], "int32")
        rows = ops.take(self.table, user_ids, axis=0)
        return _gather_items(rows, item_state), ()


class ExplainableTableModel(TableModel):
    extra_output_names = (
        "cf_similarities",
        "cb_similarities",
        "weights",
        "raw_cf_scores",
    )

    def __init__(self, cf, cb, weights, top_k=3, **kwargs):
        self.cf_values = np.asarray(cf, dtype="float32")
        self.cb_values = np.asarray(cb, dtype="float32")
        self.weight_values = np.asarray(weights, dtype="float32")
        super().__init__(self.cf_values, top_k=top_k)

    def build_components(self):
        super().build_components()
        self.cb_table = self.add_weight(
            name="cb_table",
            shape=self.cb_values.shape,
            initializer=keras.initializers.Constant(self.cb_values),
            trainable=False,
        )
        self.user_weights = self.add_weight(
            name="user_weights",
            shape=self.weight_values.shape,
            initializer=keras.initializers.Constant(self.weight_values),
            trainable=False,
        )

    def score(self, user_inputs, item_state, training=None):
        user_ids = ops.cast(user_inputs["user_ids"], "int32")
        cf = _gather_items(ops.take(self.table, user_ids, axis=0), item_state)
        cb = _gather_items(
            ops.take(self.cb_table, user_ids, axis=0), item_state
        )
        weights = ops.take(self.user_weights, user_ids, axis=0)
        scores = weights[:, :1] * cf + weights[:, 1:] * cb
        return scores, (cf, cb, weights, cf * 2.0)


class TrainableExplainableModel(BaseModel):
    user_input_names = ("user_ids", "user_features")
    item_input_names = ("item_ids", "item_features")
    extra_output_names = ExplainableTableModel.extra_output_names

    def __init__(
        self,
        num_users,
        num_items,
        user_feature_dim,
        item_feature_dim,
        dim=4,
        top_k=3,
        **kwargs,
    ):
        self.num_users = num_users
        self.user_feature_dim = user_feature_dim
        self.item_feature_dim = item_feature_dim
        self.catalog_feature_dim = item_feature_dim
        self.dim = dim
        super().__init__(num_items=num_items, top_k=top_k, **kwargs)

    def build_components(self):
        self.user_embedding = keras.layers.Embedding(self.num_users, self.dim)
        self.item_embedding = keras.layers.Embedding(self.num_items, self.dim)
        self.user_tower = keras.layers.Dense(self.dim, name="user_tower")
        self.item_tower = keras.layers.Dense(self.dim, name="item_tower")
        self.weight_logits = keras.layers.Embedding(
            self.num_users, 2, embeddings_initializer="zeros"
        )

    def id_bounds(self):
        return {
            "user_ids": (0, self.num_users - 1),
            "item_ids": (0, self.num_items - 1),
        }

    def encode_items(self, item_inputs, training=None):
        ids = ops.cast(item_inputs["item_ids"], "int32")
        return self.item_embedding(ids), self.item_tower(
            item_inputs["item_features"]
        )

    def score(self, user_inputs, item_state, training=None):
        ids = ops.cast(user_inputs["user_ids"], "int32")
        item_cf, item_cb = item_state
        user_cf = self.user_embedding(ids)
        user_cb = self.user_tower(user_inputs["user_features"])
        equation = "bd,nd->bn" if len(item_cf.shape) == 2 else "bd,bnd->bn"
        cf = ops.einsum(equation, user_cf, item_cf)
        cb = ops.einsum(equation, user_cb, item_cb)
        weights = ops.softmax(self.weight_logits(ids), axis=-1)
        scores = weights[:, :1] * cf + weights[:, 1:] * cb
        return scores, (cf, cb, weights, cf)


def planted_data(rng, num_users=6, num_items=8, user_dim=3, item_dim=2):
    """User/item features and labels where user u likes items u and u+1."""
    user_features = rng.normal(size=(num_users, user_dim)).astype("float32")
    item_features = rng.normal(size=(num_items, item_dim)).astype("float32")
    labels = np.zeros((num_users, num_items), dtype="float32")
    rows = np.arange(num_users)
    labels[rows, rows % num_items] = 1.0
    labels[rows, (rows + 1) % num_items] = 1.0
    return user_features, item_features, labels
