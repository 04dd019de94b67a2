"""The contract shared by every kmr recommendation model."""

from __future__ import annotations

from collections.abc import Mapping, Sequence
from typing import Any

import keras
import numpy as np
from keras import ops

from kmr._ranking import resolve_seen_items
from kmr._validation import check_int
from kmr.layers.top_k_recommendation_selector import (
    TopKRecommendationSelector,
)
from kmr.models._catalog_ranking import rank_catalog

#: Outputs every recommendation model returns first, in this order.
BASE_OUTPUT_NAMES = ("scores", "rec_indices", "rec_scores")


class BaseModel(keras.Model):
    """Base class of the kmr recommendation models.

    A concrete model states three things and inherits the rest:

    - `user_input_names` and `item_input_names`: the positional inputs that
      describe users and candidate items, in order;
    - `encode_items(item_inputs, training)`: item representations, for either
      candidates per user (leading axes `(batch_size, num_candidates)`) or
      one shared catalog (leading axis `(num_candidates,)`);
    - `score(user_inputs, item_state, training)`: the `(batch_size,
      num_candidates)` scores and any extra outputs.

    From that the base class provides:

    - `call`: positional list inputs in the original KMR order, replicated
      candidates or the shared catalog, and the output tuple `(scores,
      rec_indices, rec_scores, *extras)` in training and inference alike;
    - `compile`: accepts the original's list form (one loss followed by
      `None`s, one metric list followed by `None`s), a single loss, and a
      flat list of metrics; losses and metrics always apply to the scores
      and metric names appear unprefixed in `history.history`;
    - `recommend`: top-k item ids and scores over the whole catalog with
      already-seen items excluded, computed in chunks of users;
    - input validation with errors that name the input.

    **Shared catalog.** When only the user inputs are given, the candidates
    are the whole catalog: item ids `0 .. num_items - 1` and, for models
    with item features, the features stored with `set_item_catalog`. The
    item representations are then computed once per step and scored with
    one matrix product, instead of being copied for every user.

    Args:
        num_items: Number of items in the catalog.
        top_k: Number of recommendations returned per user.
        preprocessing_model: Optional Keras layer or model applied to the
            user feature input before the user tower. Only models with user
            features accept one. Defaults to `None`.
        **kwargs: Passed to `keras.Model`.
    """

    user_input_names: tuple[str, ...] = ()
    item_input_names: tuple[str, ...] = ()
    extra_output_names: tuple[str, ...] = ()

    #: Extra outputs holding one value per candidate, gathered at the
    #: recommended items by `recommend(explain=True)`; the others are per
    #: user and kept whole. `None` decides by shape: an output shaped like
    #: the scores is per candidate.
    per_candidate_output_names: tuple[str, ...] | None = None

    #: Width of the item features stored for the shared catalog, or `None`
    #: for a model without item features. Set by subclasses in `__init__`.
    catalog_feature_dim: int | None = None

    def __init__(
        self,
        num_items: int,
        top_k: int = 10,
        preprocessing_model: Any = None,
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.num_items = check_int("num_items", num_items, minimum=1)
        self.top_k = check_int(
            "top_k", top_k, minimum=1, maximum=self.num_items
        )
        self.preprocessing_model = _check_preprocessing_model(
            preprocessing_model, self.user_input_names
        )
        self.selector_layer = TopKRecommendationSelector(
            k=self.top_k, name="selector_layer"
        )
        self.catalog_item_features = None

    # ------------------------------------------------------------------
    # What a concrete model provides.

    def build_components(self) -> None:
        """Builds every sublayer from the constructor's dimensions."""
        raise NotImplementedError

    def encode_items(self, item_inputs: dict, training=None):
        """Returns the item state that `score` consumes."""
        raise NotImplementedError

    def score(self, user_inputs: dict, item_state, training=None):
        """Returns the scores and the extra outputs.

        The scores have shape `(batch_size, num_candidates)`; the extras are
        a tuple named by `extra_output_names`.
        """
        raise NotImplementedError

    def id_bounds(self) -> dict[str, tuple[int, int]]:
        """Returns, per id input, the inclusive range of accepted ids."""
        return {}

    # ------------------------------------------------------------------
    # Building and the shared catalog.

    def build(self, input_shape=None):
        if self.built:
            return
        self.build_components()
        if self.catalog_feature_dim is not None:
            self.catalog_item_features = self.add_weight(
                name="catalog_item_features",
                shape=(self.num_items, self.catalog_feature_dim),
                initializer="zeros",
                trainable=False,
            )
        self.built = True

    def set_item_catalog(self, item_features) -> None:
        """Stores the item features used when no candidates are given.

        The features are kept in a non-trainable weight, so they are saved
        with the model.

        Args:
            item_features: Array of shape `(num_items, item_feature_dim)`;
                row `i` describes item id `i`.

        Raises:
            ValueError: If the model has no item features or the shape does
                not match.
        """
        if self.catalog_feature_dim is None:
            raise ValueError(
                f"{type(self).__name__} has no item features; its catalog is "
                "the item ids 0 .. num_items - 1."
            )
        item_features = np.asarray(item_features, dtype="float32")
        expected = (self.num_items, self.catalog_feature_dim)
        if item_features.shape != expected:
            raise ValueError(
                f"`item_features` must have shape {expected}, received "
                f"{item_features.shape}."
            )
        self.build()
        self.catalog_item_features.assign(item_features)

    def catalog_item_inputs(self) -> dict:
        """Returns the item inputs of the whole catalog, without batch axis."""
        self.build()
        catalog = {}
        if "item_ids" in self.item_input_names:
            catalog["item_ids"] = ops.arange(self.num_items, dtype="int32")
        if "item_features" in self.item_input_names:
            catalog["item_features"] = ops.convert_to_tensor(
                self.catalog_item_features
            )
        return catalog

    # ------------------------------------------------------------------
    # The forward pass.

    @property
    def output_names_in_order(self) -> tuple[str, ...]:
        """Names of the outputs returned by `call`, in order."""
        return BASE_OUTPUT_NAMES + self.extra_output_names

    def split_inputs(self, inputs) -> tuple[dict, dict | None]:
        """Splits the positional inputs into user and item dictionaries.

        Returns the item dictionary as `None` when only the user inputs are
        given, which selects the shared catalog.
        """
        if isinstance(inputs, Mapping):
            user_inputs = {
                name: inputs[name]
                for name in self.user_input_names
                if name in inputs
            }
            item_inputs = {
                name: inputs[name]
                for name in self.item_input_names
                if name in inputs
            }
            inputs = [user_inputs.get(n) for n in self.user_input_names]
            inputs += [item_inputs[n] for n in item_inputs]
        if not isinstance(inputs, (list, tuple)):
            inputs = [inputs]
        inputs = list(inputs)

        num_user = len(self.user_input_names)
        num_item = len(self.item_input_names)
        if len(inputs) not in (num_user, num_user + num_item):
            raise ValueError(
                f"{type(self).__name__} expects the inputs "
                f"{list(self.user_input_names + self.item_input_names)} "
                f"(or only {list(self.user_input_names)} to score the shared "
                f"catalog), received {len(inputs)} inputs."
            )
        user_inputs = dict(zip(self.user_input_names, inputs[:num_user]))
        if len(inputs) == num_user:
            return user_inputs, None
        item_inputs = dict(zip(self.item_input_names, inputs[num_user:]))
        return user_inputs, item_inputs

    def call(self, inputs, training=None):
        user_inputs, item_inputs = self.split_inputs(inputs)
        if item_inputs is None:
            item_inputs = self.catalog_item_inputs()
        self.check_static_shapes(user_inputs, item_inputs)
        if self.preprocessing_model is not None:
            user_inputs = dict(user_inputs)
            user_inputs["user_features"] = self.preprocessing_model(
                user_inputs["user_features"], training=training
            )

        item_state = self.encode_items(item_inputs, training=training)
        scores, extras = self.score(user_inputs, item_state, training=training)

        rec_indices, rec_scores = self.selector_layer(scores)
        return (scores, rec_indices, rec_scores, *extras)

    def check_static_shapes(self, user_inputs: dict, item_inputs: dict):
        """Checks ranks, feature widths and candidate counts of the inputs.

        Raises:
            ValueError: Naming the input whose shape is wrong.
        """
        expected_widths = self.feature_widths()
        for name, tensor in {**user_inputs, **item_inputs}.items():
            width = expected_widths.get(name)
            if width is None or tensor.shape[-1] is None:
                continue
            if name == "user_features" and self.preprocessing_model:
                continue
            if tensor.shape[-1] != width:
                raise ValueError(
                    f"`{name}` must have {width} features in its last axis, "
                    f"received shape {tuple(tensor.shape)}."
                )

        for name in ("user_ids",):
            if name in user_inputs and len(user_inputs[name].shape) > 2:
                raise ValueError(
                    f"`{name}` must have shape (batch_size,), received "
                    f"shape {tuple(user_inputs[name].shape)}."
                )

        candidate_counts = {}
        for name, tensor in item_inputs.items():
            rank = len(tensor.shape)
            has_features = name.endswith("features")
            shared_rank = 2 if has_features else 1
            if rank not in (shared_rank, shared_rank + 1):
                raise ValueError(
                    f"`{name}` must have shape "
                    f"{_item_shape_text(name)}, received shape "
                    f"{tuple(tensor.shape)}."
                )
            candidate_axis = rank - 2 if has_features else rank - 1
            candidate_counts[name] = tensor.shape[candidate_axis]
        known = {n: c for n, c in candidate_counts.items() if c is not None}
        if len(set(known.values())) > 1:
            raise ValueError(
                "The candidate inputs disagree on the number of candidates: "
                + ", ".join(f"`{n}` has {c}" for n, c in known.items())
                + "."
            )

    def feature_widths(self) -> dict[str, int]:
        """Returns the expected last-axis width of each feature input."""
        widths = {}
        if getattr(self, "user_feature_dim", None) is not None:
            widths["user_features"] = self.user_feature_dim
        if getattr(self, "item_feature_dim", None) is not None:
            widths["item_features"] = self.item_feature_dim
        return widths

    # ------------------------------------------------------------------
    # compile, fit, predict, evaluate.

    def compile(self, optimizer="rmsprop", loss=None, metrics=None, **kwargs):
        """Configures training; losses and metrics apply to the scores.

        Accepts the original KMR list form (`loss=[L, None, ...]`,
        `metrics=[[m1, m2], None, ...]`), a single loss, and a flat list of
        metrics. Every metric is computed on the `(batch_size,
        num_candidates)` scores and appears in `history.history` under its
        own name.

        Args:
            optimizer: As in `keras.Model.compile`.
            loss: A loss, or a list with a loss for the scores and `None`
                for every other output.
            metrics: A list of metrics, or a list whose first element is
                the list of metrics for the scores and whose other elements
                are `None`.
            **kwargs: Passed to `keras.Model.compile`.
        """
        num_outputs = len(self.output_names_in_order)
        score_loss = _scores_entry(loss, num_outputs, "loss")
        score_metrics = _score_metrics(metrics, num_outputs)
        weighted = kwargs.pop("weighted_metrics", None)
        if weighted is not None:
            kwargs["weighted_metrics"] = [
                _score_metrics(weighted, num_outputs)
            ] + [None] * (num_outputs - 1)
        super().compile(
            optimizer=optimizer,
            loss=[score_loss] + [None] * (num_outputs - 1),
            metrics=(
                None
                if score_metrics is None
                else [score_metrics] + [None] * (num_outputs - 1)
            ),
            **kwargs,
        )

    def compile_from_config(self, config):
        """Recompiles a reloaded model from its saved compile config."""
        config = keras.saving.deserialize_keras_object(config)
        self.compile(**config)
        if getattr(self, "optimizer", None) is not None and self.built:
            self.optimizer.build(self.trainable_variables)

    def fit(self, x=None, y=None, **kwargs):
        self.validate_inputs(x)
        return super().fit(x, y, **kwargs)

    def evaluate(self, x=None, y=None, **kwargs):
        self.validate_inputs(x)
        return super().evaluate(x, y, **kwargs)

    def predict(self, x, **kwargs):
        self.validate_inputs(x)
        return super().predict(x, **kwargs)

    def validate_inputs(self, inputs) -> None:
        """Checks concrete id inputs against the ranges the model accepts.

        Symbolic tensors and datasets are left to `call`, which checks the
        shapes it can see.

        Raises:
            ValueError: Naming the input and the offending id.
        """
        is_structure = isinstance(inputs, (list, tuple, Mapping))
        if not is_structure and not _is_concrete(inputs):
            return
        try:
            user_inputs, item_inputs = self.split_inputs(inputs)
        except ValueError:
            raise
        except Exception:
            return
        named = {**user_inputs, **(item_inputs or {})}
        for name, (low, high) in self.id_bounds().items():
            ids = named.get(name)
            if ids is None or not _is_concrete(ids):
                continue
            ids = np.asarray(ids)
            if ids.size == 0:
                continue
            is_integral = np.issubdtype(ids.dtype, np.integer)
            if not is_integral and not np.all(np.mod(ids, 1) == 0):
                raise ValueError(
                    f"`{name}` must hold integer ids, received dtype "
                    f"{ids.dtype}."
                )
            smallest, largest = int(ids.min()), int(ids.max())
            if smallest < low or largest > high:
                bad = smallest if smallest < low else largest
                raise ValueError(
                    f"`{name}` must lie in [{low}, {high}], received id {bad}."
                )

    # ------------------------------------------------------------------
    # Recommendation over the whole catalog.

    def recommend(
        self,
        user_ids=None,
        user_features=None,
        k: int | None = None,
        seen_item_mask=None,
        seen_item_ids: Sequence | None = None,
        batch_size: int = 1024,
        explain: bool = False,
    ):
        """Ranks the whole catalog for each user, excluding seen items.

        The item representations are computed once; users are scored in
        chunks of `batch_size`, so memory stays bounded by `batch_size *
        num_items` scores.

        Args:
            user_ids: `(num_users,)` user ids, for models with user ids.
            user_features: `(num_users, user_feature_dim)` features, for
                models with user features.
            k: Number of items per user. Defaults to the model's `top_k`;
                capped at `num_items`.
            seen_item_mask: Optional `(num_users, num_items)` boolean array;
                `True` marks an item that must not be recommended.
            seen_item_ids: Optional alternative to `seen_item_mask`: one
                array of item ids per user.
            batch_size: Users scored per chunk. Defaults to 1024.
            explain: When `True`, also returns, for the explainable models,
                the extra outputs gathered at the recommended items.

        Returns:
            `(top_k_item_ids, top_k_scores)` as NumPy arrays of shape
            `(num_users, k)`, best first. With `explain=True` a third
            element is a dict mapping each extra output name to its values
            at the recommended items (or per user for per-user outputs).
            Rows with fewer than `k` unseen items are padded with id `-1`
            and score `-inf`.
        """
        user_columns = {"user_ids": user_ids, "user_features": user_features}
        user_inputs = {}
        for name in self.user_input_names:
            if user_columns[name] is None:
                raise ValueError(f"recommend() needs `{name}` for this model.")
            user_inputs[name] = np.asarray(user_columns[name])
        num_users = len(next(iter(user_inputs.values())))
        for name, values in user_inputs.items():
            if len(values) != num_users:
                raise ValueError(
                    f"`{name}` has {len(values)} rows, expected {num_users}."
                )
        self.validate_inputs([user_inputs[n] for n in self.user_input_names])
        k = min(
            check_int("k", self.top_k if k is None else k, minimum=1),
            self.num_items,
        )
        batch_size = check_int("batch_size", batch_size, minimum=1)
        seen_item_mask = resolve_seen_items(
            seen_item_mask, seen_item_ids, num_users, self.num_items
        )

        return rank_catalog(
            self, user_inputs, k, seen_item_mask, batch_size, explain
        )

    # ------------------------------------------------------------------
    # Serialization.

    def _config_arguments(self) -> dict:
        """Returns the constructor arguments recorded by `get_config`."""
        return {}

    def get_config(self) -> dict:
        config = {
            "name": self.name,
            "trainable": self.trainable,
            "dtype": keras.saving.serialize_keras_object(self.dtype_policy),
        }
        config.update(self._config_arguments())
        if self.preprocessing_model is not None:
            config["preprocessing_model"] = keras.saving.serialize_keras_object(
                self.preprocessing_model
            )
        return config

    @classmethod
    def from_config(cls, config):
        config = dict(config)
        preprocessing = config.get("preprocessing_model")
        if isinstance(preprocessing, dict):
            config["preprocessing_model"] = (
                keras.saving.deserialize_keras_object(preprocessing)
            )
        return cls(**config)


def _check_preprocessing_model(preprocessing_model, user_input_names):
    if preprocessing_model is None:
        return None
    if "user_features" not in user_input_names:
        raise ValueError(
            "`preprocessing_model` is applied to `user_features`, which this "
            f"model does not take; received {preprocessing_model!r}."
        )
    if not isinstance(preprocessing_model, keras.layers.Layer):
        raise ValueError(
            "`preprocessing_model` must be a Keras layer or model that maps "
            "the raw user features to `user_feature_dim` features, received "
            f"{type(preprocessing_model).__name__}."
        )
    return preprocessing_model


def _item_shape_text(name: str) -> str:
    if name.endswith("features"):
        return (
            "(batch_size, num_candidates, item_feature_dim) or "
            "(num_candidates, item_feature_dim)"
        )
    return "(batch_size, num_candidates) or (num_candidates,)"


def _scores_entry(entry, num_outputs: int, argument: str):
    """Returns the single loss meant for the scores."""
    if not isinstance(entry, (list, tuple)):
        return entry
    entry = list(entry)
    if len(entry) == 1:
        return entry[0]
    if len(entry) != num_outputs or any(e is not None for e in entry[1:]):
        raise ValueError(
            f"`{argument}` must be a single {argument} or a list of "
            f"{num_outputs} entries whose first is for the scores and whose "
            f"others are None, received {entry!r}."
        )
    return entry[0]


def _score_metrics(metrics, num_outputs: int):
    """Returns the flat list of metrics for the scores."""
    if metrics is None:
        return None
    if not isinstance(metrics, (list, tuple)):
        return [metrics]
    metrics = list(metrics)
    nested = any(isinstance(m, (list, tuple)) for m in metrics)
    if not nested:
        return [m for m in metrics if m is not None]
    if len(metrics) != num_outputs or any(m is not None for m in metrics[1:]):
        raise ValueError(
            "`metrics` must be a flat list of metrics or a list of "
            f"{num_outputs} entries whose first is the list of metrics for "
            f"the scores and whose others are None, received {metrics!r}."
        )
    first = metrics[0]
    return list(first) if isinstance(first, (list, tuple)) else [first]


def _is_concrete(value) -> bool:
    if value is None or isinstance(value, keras.KerasTensor):
        return False
    if isinstance(value, (np.ndarray, list, tuple, int, float)):
        return True
    try:
        ops.convert_to_numpy(value)
    except Exception:
        return False
    return True
