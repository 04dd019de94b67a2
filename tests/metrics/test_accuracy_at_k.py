import numpy as np
import pytest

from kmr.metrics import AccuracyAtK
from tests.metrics.contract import assert_metric_contract, fit_and_evaluate


def test_hand_value():
    metric = AccuracyAtK(k=1)
    metric.update_state(
        np.array([[0, 3, 0], [1, 0, 0]], "float32"),
        np.array([[0.1, 0.9, 0.5], [0.1, 0.9, 0.5]], "float32"),
    )
    assert float(metric.result()) == pytest.approx(0.5, rel=1e-6)


def test_defaults_and_config():
    metric = AccuracyAtK()
    assert (metric.k, metric.name) == (10, "accuracy_at_k")
    assert set(metric.get_config()) == {"name", "dtype", "k"}
    assert_metric_contract(AccuracyAtK(k=3, name="custom"))


def test_in_compile_under_jit_matches_oracle():
    fit_and_evaluate(AccuracyAtK(k=4), "accuracy", k=4)


def test_graded_labels_never_exceed_one():
    # Breaking choice: the original returned the largest label (5.0).
    metric = AccuracyAtK(k=2)
    metric.update_state([[5.0, 0.0, 2.0]], [[0.9, 0.1, 0.5]])
    assert float(metric.result()) == 1.0
