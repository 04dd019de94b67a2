"""The documented ways to extend kmr layers, trained, saved and reloaded."""

import keras
import numpy as np
from keras import ops

from kmr.layers import BaseLayer, DeepFeatureTower
from tests.harness import assert_model_keras_round_trip, to_numpy


@keras.saving.register_keras_serializable(package="kmr_examples")
class ResidualFeatureTower(DeepFeatureTower):
    """A `DeepFeatureTower` whose output adds a linear skip connection."""

    def __init__(self, units=32, **kwargs):
        super().__init__(units=units, **kwargs)
        self.skip = keras.layers.Dense(self.units, name="skip")

    def build(self, input_shape):
        super().build(input_shape)
        self.skip.build((None, input_shape[-1]))

    def call(self, inputs, training=None):
        return super().call(inputs, training=training) + self.skip(inputs)


@keras.saving.register_keras_serializable(package="kmr_examples")
class TemperatureScaling(BaseLayer):
    """Divides scores by a learned positive temperature."""

    def __init__(self, initial_temperature=1.0, name=None, **kwargs):
        super().__init__(name=name, **kwargs)
        self.initial_temperature = float(initial_temperature)

    def _config_arguments(self):
        return {"initial_temperature": self.initial_temperature}

    def build(self, input_shape):
        self.log_temperature = self.add_weight(
            name="log_temperature",
            shape=(),
            initializer=keras.initializers.Constant(
                np.log(self.initial_temperature)
            ),
        )

    def call(self, scores):
        return scores / ops.exp(self.log_temperature)


def planted_data(rng):
    features = rng.normal(size=(64, 6)).astype("float32")
    targets = (features[:, :1] > 0).astype("float32")
    return features, targets


def test_subclassed_tower_trains_saves_and_reloads(rng, tmp_path):
    features, targets = planted_data(rng)
    tower = ResidualFeatureTower(units=8, hidden_layers=1, dropout_rate=0.0)
    inputs = keras.Input((6,))
    outputs = keras.layers.Dense(1, activation="sigmoid")(tower(inputs))
    model = keras.Model(inputs, outputs)
    model.compile(optimizer=keras.optimizers.Adam(0.05), loss="bce")

    history = model.fit(features, targets, epochs=10, verbose=0)

    assert history.history["loss"][-1] < 0.5 * history.history["loss"][0]
    assert tower.skip.built and tower.get_config()["units"] == 8
    reloaded = assert_model_keras_round_trip(model, features, tmp_path)
    assert isinstance(reloaded.layers[1], ResidualFeatureTower)


def test_base_layer_subclass_trains_saves_and_reloads(rng, tmp_path):
    features, targets = planted_data(rng)
    scaling = TemperatureScaling(initial_temperature=4.0)
    inputs = keras.Input((6,))
    logits = scaling(keras.layers.Dense(1)(inputs))
    model = keras.Model(inputs, keras.layers.Activation("sigmoid")(logits))
    model.compile(optimizer=keras.optimizers.Adam(0.05), loss="bce")

    model.fit(features, targets, epochs=10, verbose=0)

    assert float(to_numpy(scaling.log_temperature)) != np.log(4.0)
    assert scaling.get_config()["initial_temperature"] == 4.0
    reloaded = assert_model_keras_round_trip(model, features, tmp_path)
    assert isinstance(reloaded.layers[2], TemperatureScaling)
