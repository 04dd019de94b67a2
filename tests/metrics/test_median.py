import numpy as np
import pytest

from kmr.metrics import Median
from tests.metrics.contract import assert_metric_contract, fit_and_evaluate


def test_median_of_everything_seen(rng):
    metric = Median()
    seen = []
    for size in (3, 8, 1, 6):
        values = rng.normal(size=(size, 2)).astype("float32")
        metric.update_state(values)
        seen.append(values.ravel())
        np.testing.assert_allclose(
            float(metric.result()), np.median(np.concatenate(seen)), rtol=1e-6
        )


def test_two_argument_form_uses_predictions():
    metric = Median()
    metric.update_state(np.zeros((1, 3)), (np.array([[4.0, 1.0, 2.0]]), None))
    assert float(metric.result()) == 2.0


def test_empty_is_zero_and_reset():
    metric = Median()
    assert float(metric.result()) == 0.0
    metric.update_state([7.0])
    metric.reset_state()
    metric.update_state([1.0, 3.0])
    assert float(metric.result()) == 2.0


def test_values_past_capacity_are_dropped():
    metric = Median(max_values=3)
    metric.update_state([5.0, 1.0])
    metric.update_state([3.0, -8.0, -9.0])
    assert float(metric.result()) == 3.0


def test_config_and_errors():
    assert Median().name == "median"
    assert_metric_contract(Median(max_values=10))
    with pytest.raises(ValueError, match="max_values"):
        Median(max_values=0)
    with pytest.raises(ValueError, match="sample_weight"):
        Median().update_state([1.0], [1.0], sample_weight=[2.0])


def test_in_compile_under_jit():
    history = fit_and_evaluate(Median())
    assert np.isfinite(history.history["median"][0])
