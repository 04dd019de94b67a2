import numpy as np
import pytest

from kmr.metrics import RecallAtK
from tests.metrics.contract import assert_metric_contract, fit_and_evaluate


def test_hand_value():
    metric = RecallAtK(k=2)
    metric.update_state(
        np.array([[0, 1, 1, 0], [0, 0, 0, 0]], "float32"),
        np.array([[0.1, 0.9, 0.5, 0.7], [0.9, 0.1, 0.5, 0.7]], "float32"),
    )
    assert float(metric.result()) == pytest.approx(0.5, rel=1e-6)


def test_defaults_and_config():
    metric = RecallAtK()
    assert (metric.k, metric.name) == (10, "recall_at_k")
    assert set(metric.get_config()) == {"name", "dtype", "k"}
    assert_metric_contract(RecallAtK(k=3, name="custom"))


def test_in_compile_under_jit_matches_oracle():
    fit_and_evaluate(RecallAtK(k=4), "recall", k=4)
