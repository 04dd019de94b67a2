"""Logs the training metrics of every epoch through loguru."""

from __future__ import annotations

import keras
from loguru import logger

from kmr._validation import check_int
from kmr.callbacks._common import check_callback_kwargs


class RecommendationMetricsLogger(keras.callbacks.Callback):
    """Keeps every logged metric per epoch and logs them with loguru.

    After each epoch every entry of `logs` is appended to
    `epoch_metrics[name]`. Every `log_frequency` epochs (counted from 1),
    with `verbose >= 1`, one INFO line lists the loss and the training
    metrics ("Epoch 3: loss=0.4100 | acc@5=0.5000, ...") and a second line
    the validation ones ("Validation: val_loss=..."). At the end of training
    it logs each metric's initial, final and best value, where best is the
    minimum for losses (names containing "loss") and the maximum otherwise.
    Log lines go to the "kmr" logger, which is silent until
    `loguru.logger.enable("kmr")`.

    Args:
        verbose: 0 to record only, 1 or more to log. Defaults to 1.
        log_frequency: Log every this many epochs. Defaults to 1.
        name: Name of the callback. Defaults to
            "RecommendationMetricsLogger".

    Example:
        ```python
        import keras
        import numpy as np
        from kmr.callbacks import RecommendationMetricsLogger

        model = keras.Sequential([keras.Input((3,)), keras.layers.Dense(1)])
        model.compile(loss="mse")
        metrics_logger = RecommendationMetricsLogger(log_frequency=2)
        model.fit(np.ones((4, 3)), np.ones((4, 1)), epochs=2, verbose=0,
                  callbacks=[metrics_logger])
        losses = metrics_logger.epoch_metrics["loss"]
        ```
    """

    def __init__(
        self,
        verbose: int = 1,
        log_frequency: int = 1,
        name: str = "RecommendationMetricsLogger",
        **kwargs,
    ):
        check_callback_kwargs(type(self).__name__, kwargs)
        super().__init__()
        self.verbose = check_int("verbose", verbose, minimum=0)
        self.log_frequency = check_int(
            "log_frequency", log_frequency, minimum=1
        )
        self.name = name
        self.epoch_metrics: dict[str, list[float]] = {}

    def on_train_begin(self, logs=None):
        self.epoch_metrics = {}

    def on_epoch_end(self, epoch, logs=None):
        logs = logs or {}
        for key, value in logs.items():
            self.epoch_metrics.setdefault(key, []).append(float(value))
        if self.verbose < 1 or (epoch + 1) % self.log_frequency:
            return

        training = sorted(
            k for k in logs if k != "loss" and not k.startswith("val_")
        )
        validation = sorted(k for k in logs if k.startswith("val_"))
        line = f"Epoch {epoch + 1}:"
        if "loss" in logs:
            line += f" loss={float(logs['loss']):.4f}"
        if training:
            line += " | " + _pairs(logs, training)
        logger.info(line)
        if validation:
            logger.info("Validation: " + _pairs(logs, validation))

    def on_train_end(self, logs=None):
        if self.verbose < 1:
            return
        logger.info("Training completed")
        for name, values in self.epoch_metrics.items():
            if not values:
                continue
            best = min(values) if "loss" in name else max(values)
            logger.info(
                f"{name}: initial={values[0]:.4f}, final={values[-1]:.4f}, "
                f"best={best:.4f}"
            )

    def get_config(self) -> dict:
        return {
            "verbose": self.verbose,
            "log_frequency": self.log_frequency,
            "name": self.name,
        }


def _pairs(logs, keys) -> str:
    return ", ".join(f"{key}={float(logs[key]):.4f}" for key in keys)
