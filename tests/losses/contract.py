"""Checks every kmr loss test shares: serialization, gradients, fit."""

from __future__ import annotations

import keras
import numpy as np
from keras import ops

from tests.harness import (
    BACKEND,
    assert_config_round_trip,
    assert_registered,
)


def loss_gradient(loss, labels, scores):
    """Returns d loss / d scores as a NumPy array, on any backend."""
    scores = np.asarray(scores, "float32")
    labels = np.asarray(labels, "float32")
    if BACKEND == "tensorflow":
        import tensorflow as tf

        variable = tf.Variable(scores)
        with tf.GradientTape() as tape:
            value = loss(labels, variable)
        return tape.gradient(value, variable).numpy()
    if BACKEND == "jax":
        import jax

        return np.asarray(jax.grad(lambda s: loss(labels, s))(scores))
    import torch

    tensor = torch.tensor(scores, requires_grad=True)
    loss(labels, tensor).backward()
    return tensor.grad.numpy()


def assert_loss_contract(loss):
    """Config round trip and registration under `kmr.losses`."""
    clone = assert_config_round_trip(loss)
    assert type(clone) is type(loss)
    assert_registered(loss, "kmr.losses")


def fit_with_loss(loss, num_candidates=6, output_width=None, epochs=2):
    """Fits a tiny scorer with `loss` under `jit_compile`; returns history.

    The labels are planted: candidate `j` is relevant to users whose
    feature `j` is positive, so the loss must fall.
    """
    rng = np.random.default_rng(0)
    features = rng.normal(size=(64, num_candidates)).astype("float32")
    labels = (features > 0.5).astype("float32")
    width = output_width or num_candidates
    model = keras.Sequential(
        [keras.Input((num_candidates,)), keras.layers.Dense(width)]
    )
    model.compile(
        optimizer=keras.optimizers.Adam(0.05),
        loss=loss,
        jit_compile=BACKEND != "torch",
    )
    history = model.fit(
        features, labels, batch_size=16, epochs=epochs, verbose=0
    )
    return history.history["loss"]


def to_float(value):
    return float(ops.convert_to_numpy(value))
