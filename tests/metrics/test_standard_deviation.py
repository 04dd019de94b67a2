import numpy as np
import pytest

from kmr.metrics import StandardDeviation
from tests.metrics.contract import assert_metric_contract, fit_and_evaluate


def test_accumulates_across_updates(rng):
    metric = StandardDeviation()
    seen = []
    for size in (3, 8, 1, 6):
        values = (rng.normal(size=(size, 2)) * 3 + 10).astype("float32")
        metric.update_state(values)
        seen.append(values.ravel())
        np.testing.assert_allclose(
            float(metric.result()), np.std(np.concatenate(seen)), rtol=1e-5
        )


def test_sample_weight_counts_values():
    metric = StandardDeviation()
    metric.update_state(None, [[1.0], [4.0]], sample_weight=[2.0, 1.0])
    assert float(metric.result()) == pytest.approx(np.std([1.0, 1.0, 4.0]))


def test_empty_is_zero_and_reset():
    metric = StandardDeviation()
    assert float(metric.result()) == 0.0
    metric.update_state([7.0, 9.0])
    metric.reset_state()
    metric.update_state([1.0, 1.0])
    assert float(metric.result()) == 0.0


def test_config():
    assert StandardDeviation().name == "standard_deviation"
    assert_metric_contract(StandardDeviation(name="spread"))


def test_in_compile_under_jit():
    history = fit_and_evaluate(StandardDeviation())
    assert history.history["standard_deviation"][0] > 0
