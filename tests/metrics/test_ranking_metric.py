import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from keras import ops

from kmr.metrics import (
    AccuracyAtK,
    MeanAveragePrecisionAtK,
    MeanReciprocalRank,
    NDCGAtK,
    PrecisionAtK,
    RankingMetric,
    RecallAtK,
)
from tests.metrics.oracle import metric_value

METRICS = {
    "accuracy": AccuracyAtK,
    "precision": PrecisionAtK,
    "recall": RecallAtK,
    "ndcg": NDCGAtK,
    "map": MeanAveragePrecisionAtK,
}


def build(name, k):
    if name == "mrr":
        return MeanReciprocalRank(k=k)
    return METRICS[name](k=k)


def random_batch(rng, width):
    # Few distinct shapes keep JAX from recompiling every op.
    batch = int(rng.choice([2, 5]))
    labels = rng.choice(
        [-1.0, 0.0, 0.0, 0.0, 1.0, 2.0, 3.0], size=(batch, width)
    ).astype("float32")
    if rng.random() < 0.5:
        # Few distinct values: many ties.
        scores = rng.integers(0, 3, size=(batch, width)).astype("float32")
    else:
        scores = rng.normal(size=(batch, width)).astype("float32")
    weights = None
    if rng.random() < 0.5:
        weights = rng.choice([0.0, 0.5, 1.0, 2.0], size=batch)
        weights = weights.astype("float32")
    return labels, scores, weights


@pytest.mark.parametrize(
    "name", ["accuracy", "precision", "recall", "ndcg", "map", "mrr"]
)
@settings(max_examples=40, deadline=None)
@given(seed=st.integers(0, 2**32 - 1), k=st.sampled_from([1, 3, 20]))
def test_matches_numpy_oracle(name, seed, k):
    rng = np.random.default_rng(seed)
    width = int(rng.choice([1, 4, 9]))
    batches = [random_batch(rng, width) for _ in range(rng.integers(1, 3))]
    metric = build(name, k)
    for labels, scores, weights in batches:
        metric.update_state(labels, scores, sample_weight=weights)
    expected = metric_value(name, batches, k)
    np.testing.assert_allclose(
        float(metric.result()), expected, rtol=1e-5, atol=1e-7
    )


@pytest.mark.parametrize("name", ["accuracy", "ndcg", "mrr"])
def test_ties_go_to_the_lower_candidate_index(name):
    labels = np.array([[0.0, 1.0, 0.0, 1.0, 0.0]], "float32")
    scores = np.ones((1, 5), "float32")
    metric = build(name, 1)
    metric.update_state(labels, scores)
    assert float(metric.result()) == 0.0
    metric = build(name, 2)
    metric.update_state(labels, scores)
    assert float(metric.result()) > 0.0


def test_ignored_candidates_never_rank_in_the_top_k():
    labels = np.array([[-1.0, -1.0, 1.0, 0.0]], "float32")
    scores = np.array([[9.0, 8.0, 0.5, 0.1]], "float32")
    metric = PrecisionAtK(k=2)
    metric.update_state(labels, scores)
    assert float(metric.result()) == 0.5
    metric = PrecisionAtK(k=3)
    metric.update_state(labels, scores)
    # Only two candidates are not ignored: the denominator is 2.
    assert float(metric.result()) == 0.5


def test_rows_without_positives_are_left_out():
    labels = np.array([[0.0, 0.0, 0.0], [1.0, 0.0, 0.0]], "float32")
    scores = np.array([[0.3, 0.2, 0.1], [0.9, 0.1, 0.0]], "float32")
    metric = RecallAtK(k=1)
    metric.update_state(labels, scores)
    assert float(metric.result()) == 1.0
    empty = RecallAtK(k=1)
    empty.update_state(labels[:1], scores[:1])
    assert float(empty.result()) == 0.0


def test_accepts_model_outputs():
    labels = np.array([[0.0, 1.0, 0.0]], "float32")
    scores = np.array([[0.5, 0.4, 0.1]], "float32")
    indices = np.array([[1, 2]], "int32")
    outputs = [
        scores,
        (scores, indices, scores[:, :2]),
        [scores, indices, scores[:, :2]],
        {"rec_indices": indices, "scores": scores},
        {"scores": scores * 0, "combined_scores": scores},
        [[0.5, 0.4, 0.1]],
    ]
    for y_pred in outputs:
        metric = MeanReciprocalRank()
        metric.update_state(labels, y_pred)
        assert float(metric.result()) == 0.5


def test_rejects_dict_without_scores():
    with pytest.raises(ValueError, match="rec_indices"):
        NDCGAtK().update_state([[1.0]], {"rec_indices": [[0]]})


def test_rejects_per_candidate_sample_weight():
    with pytest.raises(ValueError, match="one weight per row"):
        NDCGAtK().update_state(
            [[1.0, 0.0]], [[0.1, 0.2]], sample_weight=[[1.0, 1.0]]
        )


def test_accepts_integer_scores_and_column_weights():
    metric = AccuracyAtK(k=1)
    metric.update_state(
        np.array([[1, 0], [0, 1]]),
        np.array([[2, 1], [2, 1]]),
        sample_weight=np.array([[3.0], [1.0]]),
    )
    assert float(metric.result()) == 0.75


def test_reset_state():
    metric = NDCGAtK(k=2)
    metric.update_state([[1.0, 0.0]], [[0.0, 1.0]])
    metric.reset_state()
    metric.update_state([[1.0, 0.0]], [[1.0, 0.0]])
    assert float(metric.result()) == 1.0


@pytest.mark.parametrize("k", [0, -3, 2.5, "10", True])
def test_rejects_bad_k(k):
    with pytest.raises(ValueError, match="`k`"):
        NDCGAtK(k=k)


def test_base_requires_formula():
    with pytest.raises(NotImplementedError, match="compute_row_values"):
        RankingMetric().update_state([[1.0]], [[1.0]])


def test_result_dtype_follows_metric_dtype():
    metric = PrecisionAtK(k=1, dtype="float16")
    metric.update_state([[1.0, 0.0]], [[0.7, 0.2]])
    assert ops.convert_to_numpy(metric.result()).dtype == np.float16
