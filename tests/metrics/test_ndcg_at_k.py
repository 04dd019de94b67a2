import numpy as np
import pytest

from kmr.metrics import NDCGAtK
from tests.metrics.contract import assert_metric_contract, fit_and_evaluate


def test_hand_value():
    metric = NDCGAtK(k=2)
    metric.update_state(
        np.array([[0, 3, 1]], "float32"), np.array([[0.9, 0.5, 0.1]], "float32")
    )
    assert float(metric.result()) == pytest.approx(
        (3 / np.log2(3)) / (3 + 1 / np.log2(3)), rel=1e-6
    )


def test_defaults_and_config():
    metric = NDCGAtK()
    assert (metric.k, metric.name) == (10, "ndcg_at_k")
    assert set(metric.get_config()) == {"name", "dtype", "k"}
    assert_metric_contract(NDCGAtK(k=3, name="custom"))


def test_in_compile_under_jit_matches_oracle():
    fit_and_evaluate(NDCGAtK(k=4), "ndcg", k=4)


def test_perfect_ranking_scores_one():
    # The original's reversed sort gave 0.501 here.
    metric = NDCGAtK(k=5)
    metric.update_state([[0, 0, 1, 0, 1, 0, 0]], [[7, 6, 9, 5, 8, 4, 3]])
    assert float(metric.result()) == pytest.approx(1.0)


def test_k_above_candidate_count_is_clamped():
    metric = NDCGAtK(k=50)
    metric.update_state([[0.0, 1.0]], [[1.0, 0.0]])
    assert float(metric.result()) == pytest.approx(1 / np.log2(3))
