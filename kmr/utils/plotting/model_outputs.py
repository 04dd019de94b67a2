"""Calls a recommendation model once for a batch of users."""

from __future__ import annotations

import numpy as np
from keras import ops

from kmr.utils.plotting._common import to_numpy

#: Names of the outputs every kmr model returns first.
BASE_OUTPUTS = ("scores", "rec_indices", "rec_scores")

#: Extra outputs of the explainable unified model, used when the model does
#: not name its own extras.
EXPLAINABLE_UNIFIED_EXTRAS = (
    "cf_similarities",
    "cb_similarities",
    "weights",
    "raw_cf_scores",
)

_INPUT_ORDER = ("user_ids", "user_features", "item_ids", "item_features")


def score_users(
    model,
    user_ids=None,
    user_features=None,
    item_features=None,
    item_ids=None,
) -> dict[str, np.ndarray]:
    """Scores a batch of users with one call of the model.

    A kmr model names its inputs (`user_input_names`, `item_input_names`);
    each named input must then be given, except the item inputs, which
    default to the model's shared catalog, and `item_ids` to `0 ..
    num_candidates - 1` when item features are given. 2-D item
    features are one catalog shared by every user; 3-D item features hold
    candidates per user. A model without these attributes receives the
    given inputs in the order `user_ids, user_features, item_ids,
    item_features`.

    Args:
        model: A callable Keras model returning a tuple whose first element
            is the `(num_users, num_candidates)` score matrix.
        user_ids: `(num_users,)` true user ids, or `None`.
        user_features: `(num_users, user_feature_dim)`, or `None`.
        item_features: `(num_candidates, item_feature_dim)` or
            `(num_users, num_candidates, item_feature_dim)`, or `None`.
        item_ids: Candidate item ids, `(num_candidates,)` or
            `(num_users, num_candidates)`, or `None`.

    Returns:
        A dict from output name (`scores`, `rec_indices`, `rec_scores`,
        then the model's extras) to NumPy arrays.

    Raises:
        ValueError: If the model needs an input that was not given.
    """
    given = {
        "user_ids": _ids(user_ids),
        "user_features": _features(user_features),
        "item_ids": _ids(item_ids),
        "item_features": _features(item_features),
    }
    inputs = _model_inputs(model, given)
    outputs = model(inputs, training=False)
    if not isinstance(outputs, (list, tuple)):
        outputs = (outputs,)
    names = output_names(model, len(outputs))
    return {name: to_numpy(value) for name, value in zip(names, outputs)}


def output_names(model, num_outputs: int) -> tuple[str, ...]:
    """Returns the name of each model output, in order."""
    extras = getattr(model, "extra_output_names", None)
    if extras is None and num_outputs == 7:
        extras = EXPLAINABLE_UNIFIED_EXTRAS
    names = BASE_OUTPUTS + tuple(extras or ())
    names = names[:num_outputs]
    return names + tuple(f"output_{i}" for i in range(len(names), num_outputs))


def _model_inputs(model, given: dict) -> list:
    user_names = getattr(model, "user_input_names", None)
    item_names = getattr(model, "item_input_names", None)
    if user_names is None or item_names is None:
        return [
            ops.convert_to_tensor(given[n])
            for n in _INPUT_ORDER
            if given[n] is not None
        ]

    if given["item_ids"] is None and given["item_features"] is not None:
        given["item_ids"] = _default_item_ids(given["item_features"])
    inputs = []
    for name in user_names:
        if given[name] is None:
            raise ValueError(
                f"{type(model).__name__} takes `{name}`; pass `{name}=` "
                "(a row index is never used in place of a user id)."
            )
        inputs.append(ops.convert_to_tensor(given[name]))
    if all(given[name] is None for name in item_names):
        return inputs
    for name in item_names:
        if given[name] is None:
            raise ValueError(
                f"{type(model).__name__} takes `{name}` with the other item "
                f"inputs; pass `{name}=` or none of "
                f"{list(item_names)} to score the shared catalog."
            )
        inputs.append(ops.convert_to_tensor(given[name]))
    return inputs


def _ids(values):
    return None if values is None else to_numpy(values).astype("int32")


def _features(values):
    return None if values is None else to_numpy(values).astype("float32")


def _default_item_ids(item_features: np.ndarray) -> np.ndarray:
    num_candidates = item_features.shape[-2]
    ids = np.arange(num_candidates, dtype="int32")
    if item_features.ndim == 3:
        ids = np.tile(ids, (item_features.shape[0], 1))
    return ids
