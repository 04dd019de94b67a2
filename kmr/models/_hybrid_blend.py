"""The learned per-user blend of collaborative and content-based scores."""

from __future__ import annotations

import keras
from keras import ops

from kmr._validation import check_float, check_int


class HybridBlend(keras.layers.Layer):
    """Returns, per user, the weights of the collaborative and content scores.

    The weights are `softmax(component_logits + user_logit_offsets[user])`:
    two global trainable logits, both zero at first (an even blend), plus,
    when `per_user` is set, a trainable per-user offset of the two logits
    (zero at first, with an L2 penalty of `l2_reg`) that lets each user lean
    towards the signal that ranks their items best. A user id of -1 marks a
    user without a trained embedding: their weights are exactly `(0, 1)`,
    all on the content-based score.

    Args:
        num_users: Number of users with an offset row.
        per_user: Whether to learn per-user offsets. Defaults to `True`.
        l2_reg: L2 penalty on the per-user offsets. Defaults to 1e-4.
        **kwargs: Passed to `keras.layers.Layer`.

    Input shape:
        `(batch_size,)` integer user ids in `[-1, num_users)`.

    Output shape:
        `(batch_size, 2)`: the collaborative weight, then the content-based
        weight; each row sums to 1.
    """

    def __init__(
        self,
        num_users: int,
        per_user: bool = True,
        l2_reg: float = 1e-4,
        **kwargs,
    ):
        super().__init__(**kwargs)
        self.num_users = check_int("num_users", num_users, minimum=1)
        self.per_user = bool(per_user)
        self.l2_reg = check_float("l2_reg", l2_reg, minimum=0.0)
        self.user_logit_offsets = None
        if self.per_user:
            self.user_logit_offsets = keras.layers.Embedding(
                self.num_users,
                2,
                embeddings_initializer="zeros",
                embeddings_regularizer=(
                    keras.regularizers.L2(self.l2_reg) if self.l2_reg else None
                ),
                name="user_logit_offsets",
            )

    def build(self, input_shape=None):
        self.component_logits = self.add_weight(
            name="component_logits",
            shape=(2,),
            initializer="zeros",
            trainable=True,
        )
        if self.user_logit_offsets is not None:
            self.user_logit_offsets.build((None,))
        self.built = True

    def call(self, user_ids):
        user_ids = ops.cast(user_ids, "int32")
        known_users = ops.expand_dims(user_ids >= 0, -1)

        logits = ops.expand_dims(
            ops.cast(self.component_logits, self.compute_dtype), 0
        )
        if self.user_logit_offsets is not None:
            offsets = self.user_logit_offsets(ops.maximum(user_ids, 0))
            logits = logits + ops.cast(offsets, self.compute_dtype)
        else:
            logits = ops.broadcast_to(logits, (ops.shape(user_ids)[0], 2))
        weights = ops.softmax(logits, axis=-1)

        content_only = ops.convert_to_tensor([[0.0, 1.0]], self.compute_dtype)
        return ops.where(known_users, weights, content_only)

    def compute_output_shape(self, input_shape):
        return (input_shape[0], 2)
