"""Trains a unified model on one device and data-parallel on two.

Run as a script in a fresh process (the device count is fixed before the
backend starts): `python data_parallel_run.py jax|tensorflow [ranking|
crossentropy]`, the loss being kmr's `SoftmaxCrossEntropyRankingLoss`
(default) or Keras' `CategoricalCrossentropy` on the scores. Prints one
JSON line: the per-epoch losses of both runs and what the two-device run
was spread over.
"""

import json
import os
import sys

ENGINE = sys.argv[1]
LOSS = sys.argv[2] if len(sys.argv) > 2 else "ranking"
os.environ["KERAS_BACKEND"] = ENGINE
os.environ["TF_CPP_MIN_LOG_LEVEL"] = "3"
if ENGINE == "jax":
    os.environ["XLA_FLAGS"] = "--xla_force_host_platform_device_count=2"
    os.environ["JAX_PLATFORMS"] = "cpu"

import keras  # noqa: E402
import numpy as np  # noqa: E402

from kmr.losses import SoftmaxCrossEntropyRankingLoss  # noqa: E402
from kmr.models import UnifiedRecommendationModel  # noqa: E402

NUM_USERS, NUM_ITEMS, USER_DIM, ITEM_DIM = 32, 40, 4, 3
GLOBAL_BATCH, EPOCHS = 8, 4


def planted_data():
    rng = np.random.default_rng(0)
    user_features = rng.random((NUM_USERS, USER_DIM), dtype="float32")
    item_features = rng.random((NUM_ITEMS, ITEM_DIM), dtype="float32")
    affinity = user_features[:, :ITEM_DIM] @ item_features.T
    labels = affinity >= np.quantile(affinity, 0.8, axis=1, keepdims=True)
    return user_features, item_features, labels.astype("float32")


def make_loss():
    if LOSS == "crossentropy":
        return keras.losses.CategoricalCrossentropy(from_logits=True)
    return SoftmaxCrossEntropyRankingLoss(temperature=0.2)


def train():
    user_features, item_features, labels = planted_data()
    keras.utils.set_random_seed(42)
    model = UnifiedRecommendationModel(
        num_users=NUM_USERS,
        num_items=NUM_ITEMS,
        user_feature_dim=USER_DIM,
        item_feature_dim=ITEM_DIM,
        embedding_dim=8,
        tower_dim=8,
    )
    model.set_item_catalog(item_features)
    model.compile(
        optimizer=keras.optimizers.SGD(0.1),
        loss=make_loss(),
    )
    initial = model.evaluate(
        [np.arange(NUM_USERS), user_features],
        labels,
        batch_size=GLOBAL_BATCH,
        verbose=0,
    )
    history = model.fit(
        [np.arange(NUM_USERS), user_features],
        labels,
        batch_size=GLOBAL_BATCH,
        epochs=EPOCHS,
        shuffle=False,
        verbose=0,
    )
    return model, [initial] + history.history["loss"]


def run_jax():
    import jax

    _, single = train()
    devices = keras.distribution.list_devices("cpu")
    keras.distribution.set_distribution(
        keras.distribution.DataParallel(devices=devices)
    )
    model, parallel = train()
    weight = model.embedding_layer.trainable_weights[0].value
    return {
        "single": single,
        "parallel": parallel,
        "devices": len(jax.devices()),
        "weight_devices": len(weight.sharding.device_set),
    }


def run_tensorflow():
    import tensorflow as tf

    cpu = tf.config.list_physical_devices("CPU")[0]
    tf.config.set_logical_device_configuration(
        cpu,
        [tf.config.LogicalDeviceConfiguration()] * 2,
    )
    _, single = train()
    strategy = tf.distribute.MirroredStrategy(["/cpu:0", "/cpu:1"])
    with strategy.scope():
        model, parallel = train()
    weight = model.embedding_layer.trainable_weights[0].value
    return {
        "single": single,
        "parallel": parallel,
        "devices": strategy.num_replicas_in_sync,
        "weight_devices": len(weight.values),
    }


if __name__ == "__main__":
    result = run_jax() if ENGINE == "jax" else run_tensorflow()
    print(json.dumps(result))
