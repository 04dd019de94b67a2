import keras
import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from keras import ops

from kmr.losses import (
    AverageMarginLoss,
    BPRLoss,
    ImprovedMarginRankingLoss,
    MaxMinMarginLoss,
    RankingLoss,
    SoftmaxCrossEntropyRankingLoss,
)
from tests.losses.contract import loss_gradient, to_float
from tests.losses.reference import loss_value

CASES = [
    (MaxMinMarginLoss, "max_min", {"margin": 0.7}),
    (AverageMarginLoss, "average", {"margin": 0.4}),
    (
        ImprovedMarginRankingLoss,
        "improved",
        {"margin": 1.2, "max_min_weight": 0.6, "avg_weight": 0.5},
    ),
    (SoftmaxCrossEntropyRankingLoss, "softmax", {"temperature": 0.5}),
    (
        SoftmaxCrossEntropyRankingLoss,
        "softmax",
        {"temperature": 0.5, "normalize_relevance": False},
    ),
    (BPRLoss, "bpr", {}),
]


def random_case(seed):
    rng = np.random.default_rng(seed)
    # Few distinct shapes keep JAX from recompiling every op.
    batch, width = rng.choice([2, 5]), rng.choice([1, 3, 8])
    labels = rng.choice([-1.0, 0.0, 0.0, 1.0, 2.0], size=(batch, width)).astype(
        "float32"
    )
    scores = rng.normal(size=(batch, width)).astype("float32")
    weights = rng.choice([0.0, 0.5, 1.0, 3.0], size=batch).astype("float32")
    return labels, scores, weights


@pytest.mark.parametrize("cls, name, args", CASES)
@settings(max_examples=30, deadline=None)
@given(seed=st.integers(0, 2**32 - 1))
def test_matches_reference(cls, name, args, seed):
    labels, scores, weights = random_case(seed)
    loss = cls(**args)
    expected = loss_value(name, labels, scores, **args)
    np.testing.assert_allclose(
        to_float(loss(labels, scores)), expected, rtol=1e-5, atol=1e-6
    )
    weighted = loss_value(name, labels, scores, weights, **args)
    np.testing.assert_allclose(
        to_float(loss(labels, scores, sample_weight=weights)),
        weighted,
        rtol=1e-5,
        atol=1e-6,
    )


@pytest.mark.parametrize("cls, name, args", CASES)
def test_rows_without_both_have_finite_zero_gradient(cls, name, args):
    labels = np.array(
        [[0.0, 0.0, 0.0], [1.0, 1.0, -1.0], [-1.0, -1.0, -1.0], [1, 0, -1]],
        "float32",
    )
    scores = np.array(
        [[3.0, -2.0, 1.0], [0.5, 0.1, 9.0], [1.0, 2.0, 3.0], [0.1, 0.2, 5]],
        "float32",
    )
    gradient = loss_gradient(cls(**args), labels, scores)
    assert np.all(np.isfinite(gradient))
    np.testing.assert_array_equal(gradient[:3], 0.0)
    # The ignored candidate of the last row gets no gradient either.
    assert gradient[3, 2] == 0.0
    assert np.any(gradient[3, :2] != 0.0)


@pytest.mark.parametrize("cls, name, args", CASES)
def test_batch_without_any_counted_row_is_zero(cls, name, args):
    labels = np.array([[0.0, 0.0], [1.0, -1.0]], "float32")
    scores = np.array([[1.0, 2.0], [3.0, 4.0]], "float32")
    assert to_float(cls(**args)(labels, scores)) == 0.0


@pytest.mark.parametrize("cls, name, args", CASES)
def test_accepts_model_outputs(cls, name, args):
    labels, scores, _ = random_case(7)
    loss = cls(**args)
    expected = to_float(loss(labels, scores))
    indices = np.zeros((len(scores), 2), "int32")
    as_tuple = (scores, indices, scores[:, :2])
    assert to_float(loss(labels, as_tuple)) == expected
    assert to_float(loss(labels, list(as_tuple))) == expected
    assert to_float(
        loss(labels, {"rec_indices": indices, "scores": scores})
    ) == (expected)
    assert to_float(loss(labels, {"other": scores})) == expected


def test_call_returns_per_row_losses_zero_on_empty_rows():
    labels = np.array([[1.0, 0.0], [0.0, 0.0]], "float32")
    scores = np.array([[0.2, 0.0], [1.0, 0.0]], "float32")
    rows = ops.convert_to_numpy(MaxMinMarginLoss().call(labels, scores))
    np.testing.assert_allclose(rows, [0.8, 0.0], rtol=1e-6)


def test_reductions():
    labels = np.array([[1.0, 0.0], [1.0, 0.0], [0.0, 0.0]], "float32")
    scores = np.array([[0.5, 0.0], [0.0, 0.0], [1.0, 0.0]], "float32")
    weights = np.array([2.0, 1.0, 5.0], "float32")

    def value(reduction):
        loss = MaxMinMarginLoss(reduction=reduction)
        return ops.convert_to_numpy(loss(labels, scores, weights))

    # Row losses 0.5 and 1.0; the last row has no positive.
    np.testing.assert_allclose(value("sum"), 2.0)
    np.testing.assert_allclose(value("sum_over_batch_size"), 1.0)
    np.testing.assert_allclose(value("mean_with_sample_weight"), 2.0 / 3.0)
    np.testing.assert_allclose(value(None), [1.0, 1.0, 0.0])
    column = weights[:, None]
    np.testing.assert_allclose(
        ops.convert_to_numpy(MaxMinMarginLoss()(labels, scores, column)), 1.0
    )


def test_respects_loss_dtype():
    loss = MaxMinMarginLoss(dtype="float16")
    value = loss(np.array([[1.0, 0.0]]), np.array([[0.25, 0.0]]))
    assert keras.backend.standardize_dtype(value.dtype) == "float16"
    assert to_float(value) == 0.75


def test_base_requires_formula():
    with pytest.raises(NotImplementedError, match="compute_row_losses"):
        RankingLoss()([[1.0, 0.0]], [[0.0, 1.0]])


def test_nested_python_lists_are_a_score_matrix():
    value = MaxMinMarginLoss()([[1.0, 0.0]], [[0.25, 0.0]])
    assert to_float(value) == 0.75
