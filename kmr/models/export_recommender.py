"""Export of a trained recommender for TensorFlow Serving."""

from __future__ import annotations

from kmr._validation import check_int

_FEATURE_INPUTS = ("user_features",)


def export_for_serving(model, path: str, k: int | None = None) -> None:
    """Writes a SavedModel that returns each user's top-k catalog items.

    The export holds the model's weights and stored catalog and two
    signatures, both over the whole catalog (item ids `0 .. num_items -
    1`, with the features stored by `set_item_catalog`):

    - `serving_default`: the model's user inputs (`user_ids` and, for
      models with user features, `user_features`) in; `top_k_item_ids`
      `(batch_size, k)` int32 and `top_k_scores` `(batch_size, k)` float32
      out, best first, ties broken by the lower item id, as in
      `recommend`;
    - `serve_excluding_seen`: the same inputs and a `seen_item_mask`
      `(batch_size, num_items)` bool; seen items score `-inf` and are
      returned only when a user has fewer than `k` unseen items (use the
      scores to drop them).

    Needs the TensorFlow backend (`KERAS_BACKEND=tensorflow`); TensorFlow
    is imported only when this function is called.

    Args:
        model: A built kmr model (a `BaseModel` subclass).
        path: Directory to write the SavedModel to.
        k: Items returned per user. Defaults to the model's `top_k`;
            capped at `num_items`.

    Raises:
        ValueError: If `k` is not a positive integer.
        RuntimeError: If the Keras backend is not TensorFlow.

    Example:
    ```python
    # KERAS_BACKEND=tensorflow
    from kmr.models import export_for_serving

    export_for_serving(model, "/tmp/recommender", k=10)
    # tf.saved_model.load("/tmp/recommender").serve(user_ids, user_features)
    ```
    """
    import keras

    if keras.backend.backend() != "tensorflow":
        raise RuntimeError(
            "export_for_serving writes a TensorFlow SavedModel and needs "
            "KERAS_BACKEND=tensorflow; the backend is "
            f"{keras.backend.backend()!r}."
        )
    import tensorflow as tf

    k = min(
        check_int("k", model.top_k if k is None else k, minimum=1),
        model.num_items,
    )
    model.build()
    user_specs = [
        _user_spec(tf, model, name) for name in model.user_input_names
    ]
    seen_spec = tf.TensorSpec(
        (None, model.num_items), tf.bool, name="seen_item_mask"
    )

    def top_k(user_inputs, seen_item_mask=None):
        scores = model(list(user_inputs), training=False)[0]
        scores = tf.cast(scores, tf.float32)
        if seen_item_mask is not None:
            scores = tf.where(
                seen_item_mask, tf.constant(-float("inf")), scores
            )
        # tf.math.top_k returns the lower index first among equal scores.
        best_scores, best_ids = tf.math.top_k(scores, k=k)
        return {"top_k_item_ids": best_ids, "top_k_scores": best_scores}

    archive = keras.export.ExportArchive()
    archive.track(model)
    archive.add_endpoint(
        "serve", lambda *inputs: top_k(inputs), input_signature=user_specs
    )
    archive.add_endpoint(
        "serve_excluding_seen",
        lambda *inputs: top_k(inputs[:-1], inputs[-1]),
        input_signature=[*user_specs, seen_spec],
    )
    archive.write_out(path, verbose=False)


def _user_spec(tf, model, name: str):
    if name in _FEATURE_INPUTS:
        width = getattr(model, "user_feature_dim", None)
        if model.preprocessing_model is not None:
            width = None
        return tf.TensorSpec((None, width), tf.float32, name=name)
    return tf.TensorSpec((None,), tf.int32, name=name)
