"""Records the learned CF/CB weights of a hybrid model after each epoch."""

from __future__ import annotations

import keras
import numpy as np
from keras import ops
from loguru import logger

from kmr._validation import check_int
from kmr.callbacks._common import (
    check_callback_kwargs,
    check_frequency,
    is_due,
    split_eval_data,
)
from kmr.utils.plotting._common import (
    CB_WEIGHT_KEY,
    CF_WEIGHT_KEY,
    CF_WEIGHT_STD_KEY,
)
from kmr.utils.plotting.model_outputs import output_names


class ComponentWeightsLogger(keras.callbacks.Callback):
    """Measures the per-user component weights of an explainable model.

    Every `frequency` epochs the model scores `eval_data` once and the
    `weights` output (`(batch_size, 2)`: CF weight, CB weight per user) is
    averaged over the users. The means and the spread of the CF weight are
    appended to `weight_history` (dicts with "epoch", "cf_weight_mean",
    "cb_weight_mean", "cf_weight_std") and written into the epoch's logs,
    so they also appear in `history.history`;
    `KMRPlotter.plot_component_weights_over_epochs` draws either.

    Errors are not caught: a model without a `weights` output raises a
    `ValueError` at the first measured epoch.

    Args:
        eval_data: The model inputs, or an `(inputs, labels)` pair (labels
            unused).
        frequency: Measure every this many epochs. Defaults to 1.
        verbose: 1 or more to log each measurement with loguru. Defaults
            to 1.
        name: Name of the callback. Defaults to "ComponentWeightsLogger".

    Example:
        ```python
        import numpy as np
        from kmr.callbacks import ComponentWeightsLogger

        user_ids = np.arange(4)
        user_features = np.zeros((4, 3), dtype="float32")
        weights_logger = ComponentWeightsLogger([user_ids, user_features])
        # model.fit(x, y, callbacks=[weights_logger]) with an explainable
        # unified model, then
        # KMRPlotter.plot_component_weights_over_epochs(weights_logger)
        ```
    """

    def __init__(
        self,
        eval_data,
        frequency: int = 1,
        verbose: int = 1,
        name: str = "ComponentWeightsLogger",
        **kwargs,
    ):
        check_callback_kwargs(type(self).__name__, kwargs)
        super().__init__()
        self.eval_data = eval_data
        self.eval_inputs, _ = split_eval_data(eval_data)
        self.frequency = check_frequency(frequency)
        self.verbose = check_int("verbose", verbose, minimum=0)
        self.name = name
        self.weight_history: list[dict] = []

    def on_epoch_end(self, epoch, logs=None):
        if not is_due(epoch, self.frequency):
            return
        weights = self.measure()
        record = {
            "epoch": epoch + 1,
            CF_WEIGHT_KEY: float(weights[:, 0].mean()),
            CB_WEIGHT_KEY: float(weights[:, 1].mean()),
            CF_WEIGHT_STD_KEY: float(weights[:, 0].std()),
        }
        self.weight_history.append(record)
        if logs is not None:
            logs.update({k: v for k, v in record.items() if k != "epoch"})
        if self.verbose >= 1:
            logger.info(
                f"Epoch {epoch + 1}: mean CF weight "
                f"{record[CF_WEIGHT_KEY]:.4f} (std "
                f"{record[CF_WEIGHT_STD_KEY]:.4f}), mean CB weight "
                f"{record[CB_WEIGHT_KEY]:.4f}"
            )

    def measure(self) -> np.ndarray:
        """Returns the model's `(num_users, 2)` weights on `eval_data`.

        Raises:
            ValueError: If the model has no `weights` output of that shape.
        """
        outputs = self.model(self.eval_inputs, training=False)
        if not isinstance(outputs, (list, tuple)):
            outputs = (outputs,)
        names = output_names(self.model, len(outputs))
        if "weights" not in names:
            raise ValueError(
                f"{type(self.model).__name__} has no `weights` output; "
                f"its outputs are {list(names)}."
            )
        weights = ops.convert_to_numpy(outputs[names.index("weights")])
        if weights.ndim != 2 or weights.shape[1] != 2:
            raise ValueError(
                "The `weights` output must have shape (batch_size, 2), "
                f"received {weights.shape}."
            )
        return weights.astype("float64")

    def get_config(self) -> dict:
        return {
            "frequency": self.frequency,
            "verbose": self.verbose,
            "name": self.name,
        }
