"""Tracks statistics of the model's score matrix during training."""

from __future__ import annotations

import keras
import numpy as np
from keras import ops
from loguru import logger

from kmr._validation import check_int
from kmr.callbacks._common import (
    check_callback_kwargs,
    check_frequency,
    is_due,
    split_eval_data,
)


class SimilarityMatrixVisualizer(keras.callbacks.Callback):
    """Records how the scores on an evaluation set evolve over epochs.

    Every `frequency` epochs the model scores the evaluation inputs once.
    `compute_similarity_fn(outputs)` turns the model outputs into the
    `(batch_size, num_candidates)` matrix to track; without it the scores
    (output 0) are used. `similarity_history` receives a dict with "epoch",
    "mean", "std", "max", "min", "top_k_mean" (mean over users of their
    `top_k` best values), "top_k_threshold" (mean over users of their
    `top_k`-th best value) and, when labels are given, "precision_at_k"
    (share of relevant items among each user's `top_k`, averaged over the
    users with a relevant item; candidates labelled below 0 are left out).

    Errors are not caught: a failing `compute_similarity_fn` or a matrix of
    the wrong shape stops training with the original exception.

    Args:
        eval_data: The model inputs, or an `(inputs, labels)` pair whose
            labels have shape `(batch_size, num_candidates)`.
        compute_similarity_fn: Optional callable mapping the model outputs
            (the tuple it returns) to a `(batch_size, num_candidates)`
            matrix. Defaults to `None`: the scores.
        frequency: Measure every this many epochs. Defaults to 10.
        top_k: Number of best values per user in the top-k statistics.
            Defaults to 5.
        verbose: 1 or more to log each measurement with loguru. Defaults
            to 1.
        name: Name of the callback. Defaults to
            "SimilarityMatrixVisualizer".

    Example:
        ```python
        from kmr.callbacks import SimilarityMatrixVisualizer

        tracker = SimilarityMatrixVisualizer(
            eval_data=([[0, 1]], [[1.0, 0.0]]),
            compute_similarity_fn=lambda outputs: outputs[0],
            frequency=1,
            top_k=1,
        )
        ```
    """

    def __init__(
        self,
        eval_data,
        compute_similarity_fn=None,
        frequency: int = 10,
        top_k: int = 5,
        verbose: int = 1,
        name: str = "SimilarityMatrixVisualizer",
        **kwargs,
    ):
        check_callback_kwargs(type(self).__name__, kwargs)
        super().__init__()
        if compute_similarity_fn is not None and not callable(
            compute_similarity_fn
        ):
            raise ValueError(
                "`compute_similarity_fn` must be callable or None, received "
                f"{compute_similarity_fn!r}."
            )
        self.eval_data = eval_data
        self.eval_inputs, self.eval_labels = split_eval_data(eval_data)
        self.compute_similarity_fn = compute_similarity_fn
        self.frequency = check_frequency(frequency)
        self.top_k = check_int("top_k", top_k, minimum=1)
        self.verbose = check_int("verbose", verbose, minimum=0)
        self.name = name
        self.similarity_history: list[dict] = []

    def on_epoch_end(self, epoch, logs=None):
        if not is_due(epoch, self.frequency):
            return
        similarities = self.similarities()
        record = {"epoch": epoch + 1, **self.statistics(similarities)}
        self.similarity_history.append(record)
        if self.verbose >= 1:
            logger.info(
                f"Epoch {epoch + 1} similarities: "
                + ", ".join(
                    f"{k}={v:.4f}" for k, v in record.items() if k != "epoch"
                )
            )

    def similarities(self) -> np.ndarray:
        """Returns the tracked `(batch_size, num_candidates)` matrix.

        Raises:
            ValueError: If the matrix is not 2-D.
        """
        outputs = self.model(self.eval_inputs, training=False)
        if self.compute_similarity_fn is not None:
            matrix = self.compute_similarity_fn(outputs)
        elif isinstance(outputs, (list, tuple)):
            matrix = outputs[0]
        else:
            matrix = outputs
        matrix = np.asarray(ops.convert_to_numpy(matrix), dtype="float64")
        if matrix.ndim != 2:
            raise ValueError(
                "The similarity matrix must have shape (batch_size, "
                f"num_candidates), received {matrix.shape}."
            )
        return matrix

    def statistics(self, similarities: np.ndarray) -> dict:
        """Returns the recorded statistics of one similarity matrix."""
        k = min(self.top_k, similarities.shape[1])
        labels = self.eval_labels
        ranked = similarities.copy()
        if labels is not None:
            labels = np.asarray(ops.convert_to_numpy(labels), "float64")
            if labels.shape != similarities.shape:
                raise ValueError(
                    "The labels of `eval_data` must match the similarity "
                    f"matrix {similarities.shape}, received {labels.shape}."
                )
            ranked[labels < 0] = -np.inf
        order = np.argsort(-ranked, axis=1, kind="stable")[:, :k]
        best = np.take_along_axis(similarities, order, axis=1)
        stats = {
            "mean": float(similarities.mean()),
            "std": float(similarities.std()),
            "max": float(similarities.max()),
            "min": float(similarities.min()),
            "top_k_mean": float(best.mean()),
            "top_k_threshold": float(best[:, -1].mean()),
        }
        if labels is not None:
            hits = np.take_along_axis(labels, order, axis=1) > 0
            has_positive = (labels > 0).any(axis=1)
            precision = hits.sum(axis=1) / k
            stats["precision_at_k"] = (
                float(precision[has_positive].mean())
                if has_positive.any()
                else float("nan")
            )
        return stats

    def get_config(self) -> dict:
        return {
            "frequency": self.frequency,
            "top_k": self.top_k,
            "verbose": self.verbose,
            "name": self.name,
        }
