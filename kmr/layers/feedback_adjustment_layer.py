"""Adjusts recommendation scores by explicit user feedback."""

from __future__ import annotations

import keras
from keras import ops

from kmr._validation import check_float
from kmr.layers.base_layer import BaseLayer


@keras.saving.register_keras_serializable(package="kmr.layers")
class FeedbackAdjustmentLayer(BaseLayer):
    """Scales scores by feedback, blended in with `feedback_weight`.

    Computes `predictions * ((1 - feedback_weight) + feedback_weight *
    feedback)`: with the default weight 1 this is the original KMR layer's
    plain product `predictions * feedback`; with weight 0 the feedback is
    ignored; in between, feedback of 1 leaves a score unchanged and
    feedback of 0 shrinks it by `feedback_weight`. Shapes broadcast.

    Args:
        feedback_weight: How strongly the feedback acts, in [0, 1].
            Defaults to 1.0.
        name: Layer name. Defaults to `None`.
        **kwargs: Passed to `keras.layers.Layer`.

    Input shape:
        A pair `(predictions, feedback)` of broadcastable shapes, e.g. both
        `(batch_size, num_candidates)`.

    Output shape:
        The broadcast shape of the pair.

    Example:
    ```python
    import numpy as np
    from kmr.layers import FeedbackAdjustmentLayer

    layer = FeedbackAdjustmentLayer(feedback_weight=0.5)
    scores = np.array([[0.8, 0.4]], "float32")
    feedback = np.array([[1.0, 0.0]], "float32")
    layer((scores, feedback))  # [[0.8, 0.2]]
    ```
    """

    def __init__(
        self, feedback_weight: float = 1.0, name: str | None = None, **kwargs
    ):
        super().__init__(name=name, **kwargs)
        self.feedback_weight = check_float(
            "feedback_weight", feedback_weight, minimum=0.0, maximum=1.0
        )

    def _config_arguments(self) -> dict:
        return {"feedback_weight": self.feedback_weight}

    def call(self, inputs):
        if inputs is None:
            raise ValueError("FeedbackAdjustmentLayer received inputs=None.")
        if not isinstance(inputs, (list, tuple)) or len(inputs) != 2:
            raise ValueError(
                "FeedbackAdjustmentLayer expects a pair (predictions, "
                f"feedback), received {type(inputs).__name__}."
            )
        predictions, feedback = inputs
        feedback = ops.cast(feedback, predictions.dtype)
        factor = (1.0 - self.feedback_weight) + self.feedback_weight * feedback
        return predictions * factor

    def compute_output_shape(self, input_shape):
        predictions_shape, feedback_shape = input_shape
        return _broadcast_shapes(predictions_shape, feedback_shape)


def _broadcast_shapes(first, second):
    rank = max(len(first), len(second))
    first = (1,) * (rank - len(first)) + tuple(first)
    second = (1,) * (rank - len(second)) + tuple(second)
    shape = []
    for a, b in zip(first, second):
        if a == 1:
            shape.append(b)
        elif b == 1 or b is None or a == b:
            shape.append(a)
        elif a is None:
            shape.append(b)
        else:
            raise ValueError(
                "FeedbackAdjustmentLayer received `predictions` and "
                f"`feedback` of shapes {first} and {second}, which do not "
                "broadcast."
            )
    return tuple(shape)
