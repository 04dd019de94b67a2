"""Selects the k best-scored candidates of each row."""

from __future__ import annotations

import keras
from keras import ops

from kmr._validation import check_int
from kmr.layers.base_layer import BaseLayer


@keras.saving.register_keras_serializable(package="kmr.layers")
class TopKRecommendationSelector(BaseLayer):
    """Returns the indices and scores of the `k` highest scores per row.

    The number of results is `min(k, num_candidates)`, computed from the
    static shape of the scores, so the layer works inside `jax.jit`, TF
    graphs and `torch.compile`. Scores come back in descending order. Among
    equal scores TensorFlow and JAX return the lower candidate index first;
    PyTorch gives no guarantee.

    Unlike the original KMR layer, `k` is never turned into a tensor, which
    is what made the original fail under `jax.jit`.

    Args:
        k: Number of candidates to keep per row. Defaults to 10.
        name: Layer name. Defaults to `None`.
        **kwargs: Passed to `keras.layers.Layer`.

    Input shape:
        `(batch_size, num_candidates)` scores.

    Output shape:
        A tuple `(indices, scores)`, both `(batch_size, min(k,
        num_candidates))`; indices are int32 positions along the candidate
        axis.

    Example:
    ```python
    import numpy as np
    from kmr.layers import TopKRecommendationSelector

    selector = TopKRecommendationSelector(k=2)
    indices, scores = selector(np.array([[0.1, 0.9, 0.5]], "float32"))
    # indices == [[1, 2]], scores == [[0.9, 0.5]]
    ```
    """

    def __init__(self, k: int = 10, name: str | None = None, **kwargs):
        super().__init__(name=name, **kwargs)
        self.k = check_int("k", k, minimum=1)

    def _config_arguments(self) -> dict:
        return {"k": self.k}

    def _effective_k(self, num_candidates: int | None) -> int:
        if num_candidates is None:
            return self.k
        return min(self.k, num_candidates)

    def call(self, scores):
        if len(scores.shape) != 2:
            raise ValueError(
                "TopKRecommendationSelector expects scores of shape "
                f"(batch_size, num_candidates), received shape {scores.shape}."
            )
        num_candidates = scores.shape[-1]

        # Limitation: with an unknown candidate count the row is padded with
        # -inf so that exactly `k` results come back; padded positions carry
        # indices >= num_candidates and a score of -inf.
        if num_candidates is None:
            padding = ops.full(
                (ops.shape(scores)[0], self.k), float("-inf"), scores.dtype
            )
            scores = ops.concatenate([scores, padding], axis=-1)

        top_scores, top_indices = ops.top_k(
            scores, k=self._effective_k(num_candidates), sorted=True
        )
        return ops.cast(top_indices, "int32"), top_scores

    def compute_output_shape(self, input_shape):
        k = self._effective_k(input_shape[-1])
        return (input_shape[0], k), (input_shape[0], k)

    def compute_output_spec(self, scores):
        k = self._effective_k(scores.shape[-1])
        shape = (scores.shape[0], k)
        return (
            keras.KerasTensor(shape, dtype="int32"),
            keras.KerasTensor(shape, dtype=scores.dtype),
        )
