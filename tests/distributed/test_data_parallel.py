"""Data-parallel training on two virtual CPU devices matches one device.

Each case runs `data_parallel_run.py` in a fresh process, since the number
of host devices is fixed before the backend starts.
"""

import importlib.util
import json
import os
import subprocess
import sys
from pathlib import Path

import numpy as np
import pytest

RUN = Path(__file__).with_name("data_parallel_run.py")
ROOT = Path(__file__).resolve().parents[2]


def run(engine, loss="ranking"):
    environment = {
        **os.environ,
        "PYTHONPATH": str(ROOT),
        "TF_CPP_MIN_LOG_LEVEL": "3",
    }
    completed = subprocess.run(
        [sys.executable, str(RUN), engine, loss],
        capture_output=True,
        text=True,
        env=environment,
        timeout=120,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr[-3000:]
    return json.loads(completed.stdout.strip().splitlines()[-1])


@pytest.mark.skipif(importlib.util.find_spec("jax") is None, reason="needs jax")
def test_jax_data_parallel_matches_one_device():
    result = run("jax")
    assert result["devices"] == 2
    assert result["weight_devices"] == 2  # replicated on both devices
    # Entry 0 is the loss before training: the same initial weights.
    np.testing.assert_allclose(result["parallel"], result["single"], rtol=1e-4)
    assert result["single"][-1] < 0.8 * result["single"][0]


@pytest.mark.tf_only
def test_mirrored_strategy_matches_one_device_with_a_keras_loss():
    result = run("tensorflow", "crossentropy")
    assert result["devices"] == 2
    assert result["weight_devices"] == 2
    assert result["parallel"][0] == pytest.approx(result["single"][0])
    # Limitation: under MirroredStrategy the curve trails one device's by
    # about 1% after 4 epochs (measured at SGD 0.05 and 0.5, without L2
    # too); the JAX run above agrees to 1e-4.
    np.testing.assert_allclose(result["parallel"], result["single"], rtol=0.03)
    assert result["parallel"][-1] < 0.95 * result["parallel"][0]


@pytest.mark.tf_only
def test_mirrored_strategy_matches_one_device_with_a_kmr_loss():
    result = run("tensorflow", "ranking")

    # The first epoch matches exactly: the loss is scaled per replica.
    np.testing.assert_allclose(
        result["parallel"][0], result["single"][0], rtol=1e-5
    )

    # Limitation: the towers' BatchNormalization uses per-replica batch
    # statistics under MirroredStrategy (Keras' synchronized batch norm is
    # TensorFlow-only and would not reload on other backends), so later
    # epochs drift from one device by up to about 5%; with synchronized
    # statistics the curves agreed within 3%.
    np.testing.assert_allclose(result["parallel"], result["single"], rtol=0.07)
