import keras
import numpy as np
import pytest

from kmr.layers import BaseLayer
from tests.harness import assert_config_round_trip, assert_registered, to_numpy


class Scale(BaseLayer):
    def __init__(self, factor=2.0, **kwargs):
        super().__init__(**kwargs)
        self.factor = float(factor)

    def _config_arguments(self):
        return {"factor": self.factor}

    def call(self, inputs):
        return inputs * self.factor


def test_get_config_adds_constructor_arguments_to_keras_config():
    config = Scale(factor=3.0, name="scale").get_config()

    assert config["factor"] == 3.0
    assert config["name"] == "scale"
    assert "trainable" in config and "dtype" in config


def test_docstring_example_runs():
    result = Scale(factor=3.0)(keras.ops.ones((2, 2)))

    np.testing.assert_array_equal(to_numpy(result), np.full((2, 2), 3.0))


def test_unknown_keyword_is_rejected():
    with pytest.raises((TypeError, ValueError), match="facter"):
        Scale(facter=3.0)


def test_base_layer_is_registered():
    layer = BaseLayer(name="base")

    assert_config_round_trip(layer)
    assert_registered(layer, "kmr.layers")
