import os
import subprocess
import sys
import textwrap

import kmr


def _run(code, **env):
    completed = subprocess.run(
        [sys.executable, "-c", textwrap.dedent(code)],
        capture_output=True,
        text=True,
        env={**os.environ, **env},
        timeout=300,
    )
    assert completed.returncode == 0, completed.stderr
    return completed.stdout


def test_version_is_set():
    assert isinstance(kmr.__version__, str)
    assert kmr.__version__.count(".") == 2


def test_subpackages_are_imported_by_import_kmr():
    for name in (
        "layers",
        "models",
        "losses",
        "metrics",
        "callbacks",
        "datasets",
        "evaluation",
        "utils",
    ):
        assert hasattr(kmr, name), name


def test_base_classes_are_exported():
    from kmr.layers import BaseLayer
    from kmr.layers.base_layer import BaseLayer as ModuleBaseLayer
    from kmr.models import BaseModel
    from kmr.models.base_model import BaseModel as ModuleBaseModel

    assert BaseLayer is ModuleBaseLayer
    assert BaseModel is ModuleBaseModel


def test_logging_is_off_by_default_and_can_be_enabled():
    output = _run(
        """
        import sys
        from loguru import logger
        from kmr.callbacks import RecommendationMetricsLogger
        logger.remove()
        logger.add(sys.stdout, format="{message}", level="DEBUG")
        callback = RecommendationMetricsLogger()
        callback.on_epoch_end(0, {"loss": 0.5})
        logger.enable("kmr")
        callback.on_epoch_end(1, {"loss": 0.25})
        """
    )
    assert "Epoch 1:" not in output
    assert "Epoch 2: loss=0.2500" in output


def test_import_kmr_under_jax_does_not_need_tensorflow():
    # Setting sys.modules["tensorflow"] to None makes any import of it fail,
    # as if TensorFlow were not installed.
    output = _run(
        """
        import sys
        sys.modules["tensorflow"] = None
        import kmr
        import kmr.layers, kmr.models, kmr.losses, kmr.metrics
        import kmr.utils, kmr.callbacks, kmr.evaluation, kmr.datasets
        print("ok", kmr.__version__)
        """,
        KERAS_BACKEND="jax",
    )
    assert output.startswith("ok")
