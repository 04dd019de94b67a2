"""The base class of every kmr @K ranking metric."""

from __future__ import annotations

import keras
from keras import ops

from kmr._validation import check_int

SCORE_KEYS = ("combined_scores", "scores")


def select_scores(y_pred):
    """Returns the score matrix from a model output.

    Args:
        y_pred: A tensor or nested list of numbers; a tuple or list of
            tensors or arrays (a model output), whose element 0 is used; or
            a dict with a `combined_scores` or `scores` key (tried in that
            order).

    Returns:
        The `(batch_size, num_candidates)` scores.

    Raises:
        ValueError: If a dict holds neither key.
    """
    if isinstance(y_pred, dict):
        for key in SCORE_KEYS:
            if key in y_pred:
                return y_pred[key]
        raise ValueError(
            "A dict y_pred needs a 'combined_scores' or 'scores' key, "
            f"received keys {sorted(y_pred)}."
        )
    # A nested Python list of numbers is a score matrix, not a model output.
    if isinstance(y_pred, (tuple, list)) and hasattr(y_pred[0], "shape"):
        return y_pred[0]
    return y_pred


def top_k_indices(scores, k: int):
    """Returns the positions of the `k` best scores per row, best first.

    Ties go to the lower candidate index on every backend: TensorFlow and
    JAX `top_k` keep the lower index first among equal values, and on
    PyTorch (whose `topk` gives no such guarantee) a stable ascending sort
    of the negated scores does the same.
    """
    if keras.backend.backend() == "torch":
        return ops.argsort(-scores, axis=-1)[:, :k]
    return ops.top_k(scores, k=k, sorted=True)[1]


@keras.saving.register_keras_serializable(package="kmr.metrics")
class RankingMetric(keras.metrics.Metric):
    """Base class of the @K ranking metrics: a weighted mean over user rows.

    For each row (one user) the metric ranks the candidates by descending
    score and evaluates the first `k` of them against the labels:

    - labels `y_true` have shape `(batch_size, num_candidates)`; a value > 0
      is relevant (its value is the graded relevance), 0 is not relevant,
      and a negative value (use -1) marks a candidate to ignore (e.g. an
      item seen in training): it is never ranked above a candidate that is
      not ignored, counts as not relevant, and is not a candidate for the
      precision denominator;
    - ties: among equal scores the lower candidate index ranks first, on
      every backend;
    - `k` is clamped to the number of candidates; `k=None` ranks the whole
      list;
    - the result is the mean of the per-row values, weighted by
      `sample_weight` (one weight per row, shape `(batch_size,)` or
      `(batch_size, 1)`), over the rows that have at least one relevant
      candidate. Rows without any are left out (they have no defined
      value); if no row has one the result is 0. The same rule holds for
      every metric.

    `y_pred` is the score matrix, a model output tuple or list (element 0,
    the scores, is used), or a dict with a `combined_scores` or `scores`
    key. Unlike the original KMR metrics, scores are always ranked (never
    taken for indices), best first, and `k` is always honoured.

    A subclass states only its per-row formula, in `compute_row_values`.

    Args:
        k: Number of top-ranked candidates evaluated. Defaults to 10.
        name: Metric name. Defaults to `None` (the class name in
            snake_case).
        dtype: Dtype of the metric state. Defaults to `None` (floatx).
        **kwargs: Passed to `keras.metrics.Metric`.

    Example:
    ```python
    from keras import ops
    from kmr.metrics import RankingMetric

    class HitsAtK(RankingMetric):
        def compute_row_values(self, top_relevance, relevance, num_valid):
            return ops.sum(ops.cast(top_relevance > 0, "float32"), axis=-1)

    metric = HitsAtK(k=2)
    metric.update_state([[1.0, 0.0, 1.0]], [[0.9, 0.5, 0.7]])
    metric.result()  # 2.0
    ```
    """

    def __init__(
        self,
        k: int | None = 10,
        name: str | None = None,
        dtype=None,
        **kwargs,
    ):
        super().__init__(name=name, dtype=dtype, **kwargs)
        self.k = None if k is None else check_int("k", k, minimum=1)
        self.total = self.add_variable(
            shape=(), initializer="zeros", dtype=self.dtype, name="total"
        )
        self.count = self.add_variable(
            shape=(), initializer="zeros", dtype=self.dtype, name="count"
        )

    def compute_row_values(self, top_relevance, relevance, num_valid):
        """Returns the metric value of every row, shape `(batch_size,)`.

        Args:
            top_relevance: `(batch_size, k)` relevance of the ranked top `k`,
                best first (0 for non-relevant and ignored candidates).
            relevance: `(batch_size, num_candidates)` relevance of every
                candidate, in candidate order (0 where not relevant or
                ignored).
            num_valid: `(batch_size,)` number of candidates not ignored.

        Only rows with at least one relevant candidate are kept; the formula
        only has to stay finite on the others.
        """
        raise NotImplementedError(
            f"{type(self).__name__} must implement `compute_row_values`."
        )

    def effective_k(self, num_candidates: int | None) -> int:
        """Returns `k` clamped to the (static) number of candidates."""
        if num_candidates is None:
            if self.k is None:
                raise ValueError(
                    f"{type(self).__name__} with k=None needs a static "
                    "number of candidates."
                )
            # Limitation: with an unknown candidate count, `k` is not
            # clamped, so `k` must not exceed the number of candidates.
            return self.k
        if self.k is None:
            return num_candidates
        return min(self.k, num_candidates)

    def update_state(self, y_true, y_pred, sample_weight=None):
        scores = ops.convert_to_tensor(select_scores(y_pred))
        if not keras.backend.is_float_dtype(scores.dtype):
            scores = ops.cast(scores, self.dtype)
        labels = ops.cast(ops.convert_to_tensor(y_true), self.dtype)
        valid = ops.greater_equal(labels, 0)
        relevance = ops.where(
            ops.greater(labels, 0), labels, ops.zeros_like(labels)
        )

        # Ignored candidates go last, whatever their score.
        # Limitation: a candidate scored -inf ties with the ignored ones.
        ranked_scores = ops.where(
            valid, scores, ops.full_like(scores, float("-inf"))
        )
        k = self.effective_k(scores.shape[-1])
        top_indices = top_k_indices(ranked_scores, k)
        top_relevance = ops.take_along_axis(relevance, top_indices, axis=-1)

        num_valid = ops.sum(ops.cast(valid, self.dtype), axis=-1)
        row_values = self.compute_row_values(
            top_relevance, relevance, num_valid
        )

        has_positive = ops.any(ops.greater(labels, 0), axis=-1)
        row_weights = ops.cast(has_positive, self.dtype)
        if sample_weight is not None:
            row_weights = row_weights * _row_weights(sample_weight, self.dtype)
        row_values = ops.where(
            has_positive, ops.cast(row_values, self.dtype), 0
        )
        self.total.assign_add(ops.sum(row_weights * row_values))
        self.count.assign_add(ops.sum(row_weights))

    def result(self):
        return ops.divide_no_nan(self.total, self.count)

    def reset_state(self):
        self.total.assign(ops.zeros((), self.dtype))
        self.count.assign(ops.zeros((), self.dtype))

    def get_config(self) -> dict:
        config = super().get_config()
        config["k"] = self.k
        return config


def _row_weights(sample_weight, dtype):
    sample_weight = ops.cast(ops.convert_to_tensor(sample_weight), dtype)
    if len(sample_weight.shape) == 2:
        if sample_weight.shape[-1] != 1:
            raise ValueError(
                "sample_weight must hold one weight per row, shape "
                f"(batch_size,) or (batch_size, 1), received shape "
                f"{sample_weight.shape}."
            )
        sample_weight = ops.squeeze(sample_weight, axis=-1)
    return sample_weight


def rank_positions(k: int, dtype):
    """Returns the 1-based ranks `[1, ..., k]` as a `(k,)` tensor."""
    return ops.arange(1, k + 1, dtype=dtype)
