"""Collaborative filtering whose scores come with their explanation."""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

import keras
import numpy as np
from keras import ops

from kmr._validation import check_float, check_int
from kmr.layers.collaborative_user_item_embedding import (
    CollaborativeUserItemEmbedding,
)
from kmr.layers.cosine_similarity_explainer import CosineSimilarityExplainer
from kmr.layers.feedback_adjustment_layer import FeedbackAdjustmentLayer
from kmr.models._checks import check_candidate_batch
from kmr.models.base_model import BaseModel

_INPUT_NAMES = ("user_ids", "item_ids", "user_feedback")


@keras.saving.register_keras_serializable(package="kmr.models")
class ExplainableRecommendationModel(BaseModel):
    """Id-based recommendations with similarities and feedback exposed.

    Users and items get learned vectors, as in `MatrixFactorizationModel`.
    Three views of each user-candidate pair are returned:

    - `similarity_matrix`: the cosine of the user and item vectors, in
      [-1, 1], computed by `explainer`. It is the model's explanation: how
      closely the item matches the user's learned taste.
    - `feedback_adjusted`: the match as a relevance in [0, 1],
      `(1 + similarity) / 2`, scaled by the user's explicit feedback
      through `feedback_adjuster`: `relevance * ((1 - feedback_weight) +
      feedback_weight * feedback)`. Feedback of 1 leaves an item as it is;
      feedback of 0 shrinks its relevance by `feedback_weight`. Without
      feedback it is the relevance alone.
    - `scores`: what is ranked and trained, `2 * feedback_adjusted - 1`:
      the feedback-adjusted relevance on the similarity's [-1, 1] scale,
      so that margin losses with a margin of 1 stay satisfiable. Without
      feedback it equals `similarity_matrix`.

    Feedback is optional and per candidate, e.g. 1 for "show me more like
    this" and 0 for "not interested"; values must lie in [0, 1].

    Args:
        num_users: Number of user ids; ids lie in `[0, num_users)`.
        num_items: Number of item ids; ids lie in `[0, num_items)`.
        embedding_dim: Length of the user and item vectors. Defaults to 32.
        top_k: Number of recommendations returned per user, at most
            `num_items`. Defaults to 10.
        l2_reg: L2 penalty on the embeddings. Defaults to 1e-4.
        feedback_weight: How strongly feedback acts, in [0, 1]. Defaults
            to 0.5.
        preprocessing_model: Must be `None`: the model has no feature input
            to preprocess. Kept for signature compatibility.
        name: Model name. Defaults to `"explainable_recommendation_model"`.
        **kwargs: Passed to `keras.Model`.

    Input shape:
        A list `[user_ids, item_ids]` or `[user_ids, item_ids,
        user_feedback]`: `(batch_size,)` integers, `(batch_size,
        num_candidates)` or `(num_candidates,)` integers, and
        `(batch_size, num_candidates)` feedback; or `[user_ids]` alone to
        score the whole catalog. A dict with the keys `user_ids`,
        `item_ids` (optional) and `user_feedback` (optional) is accepted
        too; with no `item_ids`, the feedback covers the whole catalog,
        `(batch_size, num_items)`.

    Output shape:
        A tuple `(scores, rec_indices, rec_scores, similarity_matrix,
        feedback_adjusted)`: `scores`, `similarity_matrix` and
        `feedback_adjusted` are `(batch_size, num_candidates)`;
        `rec_indices` `(batch_size, min(top_k, num_candidates))` int32
        positions along the candidate axis (item ids for the catalog) and
        `rec_scores` the matching scores, best first.

    Example:
    ```python
    import numpy as np
    from kmr.losses import SoftmaxCrossEntropyRankingLoss
    from kmr.models import ExplainableRecommendationModel

    model = ExplainableRecommendationModel(
        num_users=20, num_items=15, top_k=3, feedback_weight=0.5
    )
    labels = (np.random.rand(20, 15) < 0.2).astype("float32")
    model.compile(
        optimizer="adam", loss=SoftmaxCrossEntropyRankingLoss(temperature=0.1)
    )
    model.fit(np.arange(20), labels, epochs=1, verbose=0)
    item_ids = np.tile(np.arange(15), (2, 1))
    feedback = np.ones((2, 15), "float32")
    feedback[:, 0] = 0.0  # both users dismissed item 0
    outputs = model.predict(
        [np.array([0, 1]), item_ids, feedback], verbose=0
    )
    scores, rec_indices, rec_scores, similarity, adjusted = outputs
    ```
    """

    user_input_names = ("user_ids",)
    item_input_names = ("item_ids",)
    extra_output_names = ("similarity_matrix", "feedback_adjusted")

    def __init__(
        self,
        num_users: int,
        num_items: int,
        embedding_dim: int = 32,
        top_k: int = 10,
        l2_reg: float = 1e-4,
        feedback_weight: float = 0.5,
        preprocessing_model: Any = None,
        name: str = "explainable_recommendation_model",
        **kwargs,
    ):
        super().__init__(
            num_items=num_items,
            top_k=top_k,
            preprocessing_model=preprocessing_model,
            name=name,
            **kwargs,
        )
        self.num_users = check_int("num_users", num_users, minimum=1)
        self.embedding_dim = check_int(
            "embedding_dim", embedding_dim, minimum=1
        )
        self.l2_reg = check_float("l2_reg", l2_reg, minimum=0.0)
        self.feedback_weight = check_float(
            "feedback_weight", feedback_weight, minimum=0.0, maximum=1.0
        )

        self.embedding_layer = CollaborativeUserItemEmbedding(
            num_users=self.num_users,
            num_items=self.num_items,
            embedding_dim=self.embedding_dim,
            l2_reg=self.l2_reg,
            name="embedding_layer",
        )
        self.explainer = CosineSimilarityExplainer(name="explainer")
        self.feedback_adjuster = FeedbackAdjustmentLayer(
            feedback_weight=self.feedback_weight, name="feedback_adjuster"
        )
        self.build()

    def build_components(self) -> None:
        self.embedding_layer.build()

    def split_inputs(self, inputs) -> tuple[dict, dict | None]:
        """Splits the inputs; feedback travels with the candidates.

        Returns `(user_inputs, item_inputs)`; `item_inputs` is `None` for
        the catalog without feedback, and holds `user_feedback` when given.
        """
        if isinstance(inputs, Mapping):
            unknown = sorted(set(inputs) - set(_INPUT_NAMES))
            if unknown or "user_ids" not in inputs:
                raise ValueError(
                    f"{type(self).__name__} expects a dict with the keys "
                    "`user_ids`, optionally `item_ids` and `user_feedback`; "
                    f"received the keys {sorted(inputs)}."
                )
            named = dict(inputs)
        else:
            if not isinstance(inputs, (list, tuple)):
                inputs = [inputs]
            if len(inputs) not in (1, 2, 3):
                raise ValueError(
                    f"{type(self).__name__} expects the inputs [user_ids, "
                    "item_ids], [user_ids, item_ids, user_feedback] or "
                    f"[user_ids] (the whole catalog), received {len(inputs)} "
                    "inputs."
                )
            named = dict(zip(_INPUT_NAMES, inputs))

        user_inputs = {"user_ids": named["user_ids"]}
        feedback = named.get("user_feedback")
        if named.get("item_ids") is None and feedback is None:
            return user_inputs, None
        item_inputs = {
            "item_ids": (
                named["item_ids"]
                if named.get("item_ids") is not None
                else ops.arange(self.num_items, dtype="int32")
            )
        }
        if feedback is not None:
            item_inputs["user_feedback"] = feedback
        return user_inputs, item_inputs

    def check_static_shapes(self, user_inputs: dict, item_inputs: dict):
        check_candidate_batch(user_inputs, item_inputs)
        item_inputs = dict(item_inputs)
        feedback = item_inputs.pop("user_feedback", None)
        super().check_static_shapes(user_inputs, item_inputs)
        if feedback is None:
            return
        if len(feedback.shape) != 2:
            raise ValueError(
                "`user_feedback` must have shape (batch_size, "
                f"num_candidates), received shape {tuple(feedback.shape)}."
            )
        num_candidates = item_inputs["item_ids"].shape[-1]
        if None not in (num_candidates, feedback.shape[-1]) and (
            feedback.shape[-1] != num_candidates
        ):
            raise ValueError(
                "The candidate inputs disagree on the number of candidates: "
                f"`item_ids` has {num_candidates}, `user_feedback` has "
                f"{feedback.shape[-1]}."
            )

    def validate_inputs(self, inputs) -> None:
        """Checks id ranges, and that concrete feedback lies in [0, 1].

        Raises:
            ValueError: Naming the input and the offending value.
        """
        super().validate_inputs(inputs)
        if not isinstance(inputs, (list, tuple, Mapping)):
            return
        _, item_inputs = self.split_inputs(inputs)
        feedback = (item_inputs or {}).get("user_feedback")
        if feedback is None or isinstance(feedback, keras.KerasTensor):
            return
        try:
            feedback = np.asarray(ops.convert_to_numpy(feedback))
        except Exception:
            return
        if feedback.size and (
            np.isnan(feedback).any() or feedback.min() < 0 or feedback.max() > 1
        ):
            raise ValueError(
                "`user_feedback` must lie in [0, 1], received values in "
                f"[{np.nanmin(feedback)}, {np.nanmax(feedback)}] (or NaN)."
            )

    def encode_items(self, item_inputs: dict, training=None):
        item_vectors = self.embedding_layer.item_embedding(
            item_inputs["item_ids"]
        )
        return item_vectors, item_inputs.get("user_feedback")

    def score(self, user_inputs: dict, item_state, training=None):
        item_vectors, feedback = item_state
        user_ids = ops.reshape(user_inputs["user_ids"], (-1,))
        user_vectors = self.embedding_layer.user_embedding(user_ids)
        similarity_matrix = self.explainer((user_vectors, item_vectors))

        relevance = 0.5 * (similarity_matrix + 1.0)
        if feedback is None:
            return similarity_matrix, (similarity_matrix, relevance)

        feedback_adjusted = self.feedback_adjuster((relevance, feedback))
        scores = 2.0 * feedback_adjusted - 1.0
        return scores, (similarity_matrix, feedback_adjusted)

    def id_bounds(self) -> dict[str, tuple[int, int]]:
        return {
            "user_ids": (0, self.num_users - 1),
            "item_ids": (0, self.num_items - 1),
        }

    def _config_arguments(self) -> dict:
        return {
            "num_users": self.num_users,
            "num_items": self.num_items,
            "embedding_dim": self.embedding_dim,
            "top_k": self.top_k,
            "l2_reg": self.l2_reg,
            "feedback_weight": self.feedback_weight,
        }
