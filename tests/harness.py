"""Checks that every kmr layer, model, loss and metric test shares.

Each helper asserts one property of a public object under the backend that
`KERAS_BACKEND` selects:

- `assert_config_round_trip`: `from_config(get_config())` gives an equal
  config, and the config holds only plain Python values (never weights);
- `assert_registered`: the class serializes under its `kmr.*` name and
  deserializes back to the same class;
- `assert_layer_keras_round_trip` / `assert_model_keras_round_trip`: a
  `.keras` file saved and reloaded gives identical outputs;
- `assert_compiled_matches_eager`: the object gives the same outputs inside
  a compiled function (`jit_compile=True`, i.e. XLA on TF, `jax.jit` on
  JAX) as eagerly.
"""

from __future__ import annotations

import json

import keras
import numpy as np
from keras import ops

BACKEND = keras.backend.backend()


def to_numpy(structure):
    """Converts a (nested) structure of tensors into NumPy arrays."""
    return keras.tree.map_structure(
        lambda x: np.asarray(ops.convert_to_numpy(x)), structure
    )


def assert_structures_equal(actual, expected, rtol=0.0, atol=0.0):
    """Asserts two nested structures hold arrays equal within tolerance."""
    actual_flat = keras.tree.flatten(to_numpy(actual))
    expected_flat = keras.tree.flatten(to_numpy(expected))
    assert len(actual_flat) == len(expected_flat)
    for got, want in zip(actual_flat, expected_flat):
        assert got.shape == want.shape, (got.shape, want.shape)
        if rtol == 0.0 and atol == 0.0:
            np.testing.assert_array_equal(got, want)
        else:
            np.testing.assert_allclose(got, want, rtol=rtol, atol=atol)


def assert_config_round_trip(obj):
    """Asserts `from_config(get_config())` rebuilds an equal config."""
    config = obj.get_config()

    # Configs must be plain JSON: no weight arrays, no tensors.
    json.dumps(config, default=_reject_non_json)

    clone = type(obj).from_config(config)
    assert clone.get_config() == config
    return clone


def assert_registered(obj, package: str):
    """Asserts the class is registered for serialization under `package`."""
    cls = type(obj)
    registered = keras.saving.get_registered_name(cls)
    assert registered == f"{package}>{cls.__name__}", registered
    assert keras.saving.get_registered_object(registered) is cls

    serialized = keras.saving.serialize_keras_object(obj)
    restored = keras.saving.deserialize_keras_object(serialized)
    assert type(restored) is cls
    assert restored.get_config() == obj.get_config()


def wrap_layer(layer, input_specs, **call_kwargs):
    """Returns a functional model around `layer`.

    Args:
        layer: The layer under test.
        input_specs: One `(shape, dtype)` pair, or a list of them, shapes
            without the batch axis. A list is passed to the layer as a list.
        **call_kwargs: Extra keyword arguments for the layer call.
    """
    if isinstance(input_specs, list):
        inputs = [
            keras.Input(shape, dtype=dtype) for shape, dtype in input_specs
        ]
        outputs = layer(inputs, **call_kwargs)
    else:
        shape, dtype = input_specs
        inputs = keras.Input(shape, dtype=dtype)
        outputs = layer(inputs, **call_kwargs)
    return keras.Model(inputs, outputs)


def assert_layer_keras_round_trip(layer, input_specs, data, tmp_path):
    """Asserts a model around `layer` reloads from `.keras` identically."""
    model = wrap_layer(layer, input_specs)
    return assert_model_keras_round_trip(model, data, tmp_path)


def assert_model_keras_round_trip(model, data, tmp_path, batch_size=None):
    """Asserts `model` saved as `.keras` reloads with identical outputs."""
    path = tmp_path / f"{model.name}.keras"
    expected = model.predict(data, verbose=0, batch_size=batch_size)
    model.save(path)
    reloaded = keras.models.load_model(path)
    actual = reloaded.predict(data, verbose=0, batch_size=batch_size)
    assert_structures_equal(actual, expected)
    return reloaded


def assert_compiled_matches_eager(
    layer, input_specs, data, rtol=1e-6, atol=1e-6
):
    """Asserts a layer gives the same outputs compiled and eagerly.

    The compiled run uses `jit_compile=True` (XLA on TensorFlow, `jax.jit`
    on JAX). PyTorch runs its default compiled path (`jit_compile=False`),
    since `torch.compile` is far too slow for a unit test on a CPU.
    """
    model = wrap_layer(layer, input_specs)
    eager = model(data, training=False)
    model.compile(jit_compile=BACKEND != "torch")
    compiled = model.predict(data, verbose=0)
    assert_structures_equal(compiled, eager, rtol=rtol, atol=atol)


def _reject_non_json(value):
    raise TypeError(f"config value {value!r} is not plain JSON")
