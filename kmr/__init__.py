"""kmr: recommender systems for Keras 3.

``import kmr`` gives the subpackages ``layers``, ``models``, ``losses``,
``metrics``, ``callbacks``, ``datasets``, ``evaluation`` and ``utils``. The
library logs through loguru under the name ``kmr``; logging is off until
you turn it on with ``loguru.logger.enable("kmr")``.
"""

from loguru import logger

__version__ = "0.2.0"

logger.disable("kmr")

from kmr import (  # noqa: E402
    callbacks,
    datasets,
    evaluation,
    layers,
    losses,
    metrics,
    models,
    utils,
)

__all__ = [
    "__version__",
    "callbacks",
    "datasets",
    "evaluation",
    "layers",
    "losses",
    "metrics",
    "models",
    "utils",
]
