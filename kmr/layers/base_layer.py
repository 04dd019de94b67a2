"""The base class of every kmr layer."""

from __future__ import annotations

import keras


@keras.saving.register_keras_serializable(package="kmr.layers")
class BaseLayer(keras.layers.Layer):
    """Base class of the kmr layers: a `keras.layers.Layer` with a contract.

    A subclass keeps every constructor argument as a public attribute of the
    same name, checks its arguments in `__init__` (raising `ValueError` that
    names the argument and the value received), passes the remaining keyword
    arguments to Keras, and returns its constructor arguments from
    `get_config`. Unknown keyword arguments are not swallowed: Keras rejects
    them, so a misspelt argument fails loudly.

    Subclasses state their constructor arguments once, in
    `_config_arguments()`, and inherit `get_config` from here.

    Args:
        **kwargs: Passed to `keras.layers.Layer` (`name`, `dtype`,
            `trainable`, ...).

    Example:
    ```python
    import keras
    from kmr.layers import BaseLayer

    class Scale(BaseLayer):
        def __init__(self, factor=2.0, **kwargs):
            super().__init__(**kwargs)
            self.factor = float(factor)

        def _config_arguments(self):
            return {"factor": self.factor}

        def call(self, inputs):
            return inputs * self.factor

    Scale(factor=3.0)(keras.ops.ones((2, 2)))
    ```
    """

    def __init__(self, **kwargs):
        super().__init__(**kwargs)

    def _config_arguments(self) -> dict:
        """Returns the constructor arguments that `get_config` must record."""
        return {}

    def get_config(self) -> dict:
        """Returns the Keras base config plus the constructor arguments."""
        config = super().get_config()
        config.update(self._config_arguments())
        return config
