"""Builds explanation figures at regular epochs during training."""

from __future__ import annotations

import inspect
import os
import warnings

import keras
from loguru import logger

from kmr._validation import check_int
from kmr.callbacks._common import (
    check_callback_kwargs,
    check_frequency,
    is_due,
    split_eval_data,
)

_ARGUMENTS = ("model", "inputs", "labels", "epoch", "save_dir")
_NAMED_KINDS = (
    inspect.Parameter.POSITIONAL_OR_KEYWORD,
    inspect.Parameter.KEYWORD_ONLY,
)


class ExplainabilityVisualizer(keras.callbacks.Callback):
    """Calls a visualisation function on an evaluation set every few epochs.

    Every `frequency` epochs it calls
    `visualization_fn(model=, inputs=, labels=, epoch=, save_dir=)` with
    the inputs and labels of `eval_data` and the 1-based epoch, records the
    epoch in `epoch_visualizations` and the returned value in
    `visualizations[epoch]`. The function's signature is checked when the
    callback is built, so a function missing one of these parameters fails
    at once instead of at the first visualised epoch.

    Without `visualization_fn`, `default_visualization` is used: it scores
    the evaluation set once and returns a Plotly figure of the learned
    component weights per user for a model with a `weights` output, else
    the score distribution of relevant and irrelevant items when labels are
    given, else the margin of the best score. With `save_dir` the figure is
    written to `explanations_epoch_{epoch:03d}.html` there.

    Errors raised by the visualisation function do not stop training: each
    is reported with `warnings.warn` (a `RuntimeWarning`) and a loguru
    WARNING, and kept in `errors` as `(epoch, exception)`.

    Args:
        eval_data: `(inputs, labels)` pair, or the inputs alone.
        visualization_fn: Optional callable, see above. Defaults to `None`.
        frequency: Visualise every this many epochs. Defaults to 5.
        save_dir: Optional directory, created if missing, passed to the
            function. Defaults to `None`.
        verbose: 1 or more to log each visualisation. Defaults to 1.
        name: Name of the callback. Defaults to "ExplainabilityVisualizer".

    Example:
        ```python
        from keras import ops
        from kmr.callbacks import ExplainabilityVisualizer

        def top_score(model, inputs, labels, epoch, save_dir):
            return float(ops.max(model(inputs, training=False)[0]))

        visualizer = ExplainabilityVisualizer(
            eval_data=([[0, 1]], None), visualization_fn=top_score,
            frequency=1,
        )
        ```
    """

    def __init__(
        self,
        eval_data,
        visualization_fn=None,
        frequency: int = 5,
        save_dir: str | None = None,
        verbose: int = 1,
        name: str = "ExplainabilityVisualizer",
        **kwargs,
    ):
        check_callback_kwargs(type(self).__name__, kwargs)
        super().__init__()
        self.eval_data = eval_data
        self.eval_inputs, self.eval_labels = split_eval_data(eval_data)
        self.visualization_fn = _check_visualization_fn(visualization_fn)
        self.frequency = check_frequency(frequency)
        self.save_dir = None if save_dir is None else os.fspath(save_dir)
        self.verbose = check_int("verbose", verbose, minimum=0)
        self.name = name
        if self.save_dir is not None:
            os.makedirs(self.save_dir, exist_ok=True)
        self.epoch_visualizations: list[int] = []
        self.visualizations: dict = {}
        self.errors: list[tuple[int, Exception]] = []

    def on_epoch_end(self, epoch, logs=None):
        if not is_due(epoch, self.frequency):
            return
        epoch_number = epoch + 1
        function = self.visualization_fn or default_visualization
        try:
            result = function(
                model=self.model,
                inputs=self.eval_inputs,
                labels=self.eval_labels,
                epoch=epoch_number,
                save_dir=self.save_dir,
            )
        except Exception as error:
            self.errors.append((epoch_number, error))
            message = (
                f"{self.name}: the visualisation of epoch {epoch_number} "
                f"failed with {type(error).__name__}: {error}"
            )
            logger.warning(message)
            warnings.warn(message, RuntimeWarning, stacklevel=2)
            return
        self.epoch_visualizations.append(epoch_number)
        self.visualizations[epoch_number] = result
        if self.verbose >= 1:
            logger.info(f"{self.name}: visualised epoch {epoch_number}")

    def on_train_end(self, logs=None):
        if self.verbose >= 1:
            logger.info(
                f"{self.name}: visualised epochs {self.epoch_visualizations}"
                f", {len(self.errors)} failed"
            )

    def get_config(self) -> dict:
        return {
            "frequency": self.frequency,
            "save_dir": self.save_dir,
            "verbose": self.verbose,
            "name": self.name,
        }


def default_visualization(model, inputs, labels, epoch, save_dir):
    """Returns (and optionally saves) the default explanation figure."""
    from kmr.utils.plotting.explanations import plot_component_weights
    from kmr.utils.plotting.model_outputs import output_names
    from kmr.utils.plotting.scores import plot_prediction_confidence
    from kmr.utils.plotting.similarity import plot_similarity_distribution

    outputs = model(inputs, training=False)
    if not isinstance(outputs, (list, tuple)):
        outputs = (outputs,)
    names = output_names(model, len(outputs))
    values = {n: keras.ops.convert_to_numpy(v) for n, v in zip(names, outputs)}
    if "weights" in values:
        fig = plot_component_weights(
            values["weights"],
            title=f"Learned Component Weights per User after Epoch {epoch}",
        )
    elif labels is not None:
        fig, _ = plot_similarity_distribution(
            values["scores"],
            keras.ops.convert_to_numpy(labels),
            n_users=len(values["scores"]),
            title=f"Score Distribution after Epoch {epoch}",
        )
    else:
        fig, _ = plot_prediction_confidence(
            values["scores"], title=f"Confidence after Epoch {epoch}"
        )
    if save_dir is not None:
        fig.write_html(
            os.path.join(save_dir, f"explanations_epoch_{epoch:03d}.html"),
            include_plotlyjs="directory",
        )
    return fig


def _check_visualization_fn(function):
    if function is None:
        return None
    if not callable(function):
        raise ValueError(
            f"`visualization_fn` must be callable or None, received "
            f"{function!r}."
        )
    parameters = inspect.signature(function).parameters.values()
    if any(p.kind is inspect.Parameter.VAR_KEYWORD for p in parameters):
        return function
    accepted = {p.name for p in parameters if p.kind in _NAMED_KINDS}
    missing = [name for name in _ARGUMENTS if name not in accepted]
    if missing:
        raise ValueError(
            "`visualization_fn` must accept the keyword arguments "
            f"{list(_ARGUMENTS)}, but {function!r} lacks {missing}."
        )
    return function
