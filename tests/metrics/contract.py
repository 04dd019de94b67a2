"""Checks every kmr metric test shares: serialization and use in fit."""

from __future__ import annotations

import keras
import numpy as np

from tests.harness import (
    BACKEND,
    assert_config_round_trip,
    assert_registered,
)
from tests.metrics.oracle import metric_value


def assert_metric_contract(metric):
    """Config round trip and registration under `kmr.metrics`."""
    assert_config_round_trip(metric)
    assert_registered(metric, "kmr.metrics")


def fit_and_evaluate(metric, oracle_name=None, k=None):
    """Fits a tiny scorer with `metric` under `jit_compile`.

    Asserts the history key is the metric name and, when `oracle_name` is
    given, that `evaluate` on the whole set equals the NumPy oracle on the
    model's own scores.
    """
    rng = np.random.default_rng(1)
    features = rng.normal(size=(48, 12)).astype("float32")
    labels = (features > 0.6).astype("float32")
    labels[features < -1.2] = -1.0
    model = keras.Sequential([keras.Input((12,)), keras.layers.Dense(12)])
    model.compile(
        optimizer="adam",
        loss="mse",
        metrics=[metric],
        jit_compile=BACKEND != "torch",
    )
    history = model.fit(features, labels, batch_size=16, epochs=1, verbose=0)
    assert metric.name in history.history
    if oracle_name is None:
        return history

    result = model.evaluate(
        features, labels, batch_size=48, verbose=0, return_dict=True
    )
    scores = model.predict(features, batch_size=48, verbose=0)
    expected = metric_value(oracle_name, [(labels, scores, None)], k)
    np.testing.assert_allclose(result[metric.name], expected, rtol=1e-5)
    return history
