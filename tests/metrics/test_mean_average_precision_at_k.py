import numpy as np
import pytest

from kmr.metrics import MeanAveragePrecisionAtK
from tests.metrics.contract import assert_metric_contract, fit_and_evaluate


def test_hand_value():
    metric = MeanAveragePrecisionAtK(k=3)
    metric.update_state(
        np.array([[1, 0, 1, 1]], "float32"),
        np.array([[0.9, 0.8, 0.7, 0.1]], "float32"),
    )
    assert float(metric.result()) == pytest.approx((1 + 2 / 3) / 3, rel=1e-6)


def test_defaults_and_config():
    metric = MeanAveragePrecisionAtK()
    assert (metric.k, metric.name) == (10, "mean_average_precision_at_k")
    assert set(metric.get_config()) == {"name", "dtype", "k"}
    assert_metric_contract(MeanAveragePrecisionAtK(k=3, name="custom"))


def test_in_compile_under_jit_matches_oracle():
    fit_and_evaluate(MeanAveragePrecisionAtK(k=4), "map", k=4)
