import numpy as np
import pytest

from kmr.metrics import MeanReciprocalRank
from tests.metrics.contract import assert_metric_contract, fit_and_evaluate

LABELS = np.array([[0, 0, 0, 1], [0, 1, 0, 0]], "float32")
SCORES = np.array([[0.9, 0.8, 0.7, 0.1], [0.1, 0.9, 0.5, 0.7]], "float32")


def test_whole_list_by_default():
    metric = MeanReciprocalRank()
    metric.update_state(LABELS, SCORES)
    assert float(metric.result()) == pytest.approx((1 / 4 + 1) / 2)


def test_cut_off_k():
    metric = MeanReciprocalRank(k=3)
    metric.update_state(LABELS, SCORES)
    assert float(metric.result()) == pytest.approx(0.5)


def test_first_relevant_not_largest_label():
    metric = MeanReciprocalRank()
    metric.update_state([[1.0, 5.0]], [[0.9, 0.1]])
    assert float(metric.result()) == 1.0


def test_original_constructor_and_config():
    metric = MeanReciprocalRank("mrr")
    assert (metric.name, metric.k) == ("mrr", None)
    assert MeanReciprocalRank().name == "mean_reciprocal_rank"
    assert set(metric.get_config()) == {"name", "dtype", "k"}
    assert_metric_contract(metric)
    assert_metric_contract(MeanReciprocalRank(k=5))


def test_in_compile_under_jit_matches_oracle():
    fit_and_evaluate(MeanReciprocalRank(), "mrr", k=None)
