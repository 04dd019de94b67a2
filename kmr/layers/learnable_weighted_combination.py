"""A softmax-weighted sum of several scores with learned weights."""

from __future__ import annotations

import keras
from keras import ops

from kmr._validation import check_int
from kmr.layers.base_layer import BaseLayer


@keras.saving.register_keras_serializable(package="kmr.layers")
class LearnableWeightedCombination(BaseLayer):
    """Blends `num_scores` score tensors with learned softmax weights.

    The layer holds one trainable logit per input, `combination_weights`
    (initialised to zero, so the blend starts even), and returns
    `sum_i softmax(combination_weights)_i * inputs[i]`. The output has the
    shape of each input (the original KMR layer left a stray singleton
    axis). `component_weights()` returns the current softmax weights.

    Args:
        num_scores: Number of score tensors to blend. Defaults to 3.
        name: Layer name. Defaults to `None`.
        **kwargs: Passed to `keras.layers.Layer`.

    Input shape:
        A list of `num_scores` tensors of one shape, e.g. `(batch_size,
        num_candidates)`.

    Output shape:
        The shape of each input.

    Example:
    ```python
    import numpy as np
    from kmr.layers import LearnableWeightedCombination

    combine = LearnableWeightedCombination(num_scores=2)
    a = np.array([[1.0, 0.0]], "float32")
    b = np.array([[0.0, 1.0]], "float32")
    combine([a, b])  # [[0.5, 0.5]] before training
    ```
    """

    def __init__(self, num_scores: int = 3, name: str | None = None, **kwargs):
        super().__init__(name=name, **kwargs)
        self.num_scores = check_int("num_scores", num_scores, minimum=1)

    def _config_arguments(self) -> dict:
        return {"num_scores": self.num_scores}

    def build(self, input_shape=None):
        self.combination_weights = self.add_weight(
            name="combination_weights",
            shape=(self.num_scores,),
            initializer="zeros",
            trainable=True,
        )
        self.built = True

    def component_weights(self):
        """Returns the softmax weights, shape `(num_scores,)`."""
        logits = ops.convert_to_tensor(self.combination_weights)
        shifted = ops.exp(logits - ops.max(logits))
        return shifted / ops.sum(shifted)

    def call(self, inputs):
        if not isinstance(inputs, (list, tuple)) or len(inputs) != (
            self.num_scores
        ):
            received = (
                len(inputs)
                if isinstance(inputs, (list, tuple))
                else type(inputs).__name__
            )
            raise ValueError(
                f"LearnableWeightedCombination(num_scores={self.num_scores}) "
                f"expects a list of {self.num_scores} tensors, received "
                f"{received}."
            )
        shapes = {tuple(score.shape) for score in inputs}
        if len(shapes) > 1:
            raise ValueError(
                "LearnableWeightedCombination expects inputs of one shape, "
                f"received shapes {sorted(shapes, key=str)}."
            )

        weights = ops.cast(self.component_weights(), inputs[0].dtype)
        combined = inputs[0] * weights[0]
        for index in range(1, self.num_scores):
            combined = combined + inputs[index] * weights[index]
        return combined

    def compute_output_shape(self, input_shape):
        return tuple(input_shape[0])
