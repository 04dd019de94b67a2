import keras
import numpy as np
import pytest
from loguru import logger

from tests.utils.plotting.stand_in_models import (
    TrainableExplainableModel,
    planted_data,
)


@pytest.fixture
def log_lines():
    """Collects the messages the kmr logger emits during the test."""
    lines = []
    logger.enable("kmr")
    sink = logger.add(lambda message: lines.append(message.record["message"]))
    yield lines
    logger.remove(sink)
    logger.disable("kmr")


@pytest.fixture
def training(rng):
    """A tiny explainable model, its inputs (shared catalog) and labels."""
    user_features, item_features, labels = planted_data(rng)
    model = TrainableExplainableModel(6, 8, 3, 2, top_k=2)
    model.set_item_catalog(item_features)
    model.compile(
        optimizer=keras.optimizers.Adam(0.05),
        loss=keras.losses.BinaryCrossentropy(from_logits=True),
        # Eager steps: tracing costs more than these few tiny batches.
        run_eagerly=True,
    )
    inputs = [np.arange(6), user_features]
    return model, inputs, labels
