import numpy as np
import pytest

from kmr.losses import SoftmaxCrossEntropyRankingLoss
from tests.losses.contract import assert_loss_contract, fit_with_loss, to_float


def test_hand_value_with_graded_labels_and_ignored_candidate():
    labels = np.array([[3.0, 1.0, 0.0, -1.0]], "float32")
    scores = np.array([[1.0, 0.0, 0.0, 50.0]], "float32")
    log_z = np.log(np.e + 2.0)
    expected = -(0.75 * (1.0 - log_z) + 0.25 * (0.0 - log_z))
    value = to_float(SoftmaxCrossEntropyRankingLoss()(labels, scores))
    assert value == pytest.approx(expected, rel=1e-6)


def test_unnormalized_relevance_hand_value():
    labels = np.array([[3.0, 1.0, 0.0, -1.0]], "float32")
    scores = np.array([[1.0, 0.0, 0.0, 50.0]], "float32")
    log_z = np.log(np.e + 2.0)
    expected = -(3.0 * (1.0 - log_z) + 1.0 * (0.0 - log_z))
    loss = SoftmaxCrossEntropyRankingLoss(normalize_relevance=False)
    assert to_float(loss(labels, scores)) == pytest.approx(expected, rel=1e-6)


def test_unnormalized_relevance_weighs_rows_by_their_positives():
    # Binary labels: the unnormalised row loss is the normalised one times
    # the number of positives, i.e. the normalised loss weighted per row.
    labels = np.array(
        [[1.0, 1.0, 1.0, 0.0, 0.0], [0.0, 1.0, 0.0, 0.0, -1.0]], "float32"
    )
    scores = np.array(
        [[0.3, -0.2, 0.9, 0.1, 0.0], [0.5, 0.4, -1.0, 2.0, 7.0]], "float32"
    )
    per_item = SoftmaxCrossEntropyRankingLoss(
        temperature=0.5, normalize_relevance=False
    )
    per_row = SoftmaxCrossEntropyRankingLoss(temperature=0.5)
    positives = np.array([3.0, 1.0], "float32")
    assert to_float(per_item(labels, scores)) == pytest.approx(
        to_float(per_row(labels, scores, sample_weight=positives)), rel=1e-6
    )


def test_temperature_sharpens():
    labels = np.array([[1.0, 0.0]], "float32")
    scores = np.array([[1.0, 0.0]], "float32")
    warm = to_float(SoftmaxCrossEntropyRankingLoss(2.0)(labels, scores))
    cold = to_float(SoftmaxCrossEntropyRankingLoss(0.5)(labels, scores))
    assert warm == pytest.approx(np.log1p(np.exp(-0.5)), rel=1e-6)
    assert cold == pytest.approx(np.log1p(np.exp(-2.0)), rel=1e-6)


def test_large_scores_stay_finite():
    labels = np.array([[1.0, 0.0, -1.0]], "float32")
    scores = np.array([[1e4, -1e4, 3e4]], "float32")
    assert to_float(SoftmaxCrossEntropyRankingLoss()(labels, scores)) == 0.0


def test_config_and_registration():
    loss = SoftmaxCrossEntropyRankingLoss()
    assert loss.temperature == 1.0
    assert loss.name == "softmax_cross_entropy_ranking_loss"
    assert loss.normalize_relevance is True
    assert_loss_contract(SoftmaxCrossEntropyRankingLoss(temperature=0.1))
    per_item = SoftmaxCrossEntropyRankingLoss(normalize_relevance=False)
    assert per_item.get_config()["normalize_relevance"] is False
    assert_loss_contract(per_item)


@pytest.mark.parametrize("temperature", [0.0, -1.0, "hot"])
def test_rejects_bad_temperature(temperature):
    with pytest.raises(ValueError, match="temperature"):
        SoftmaxCrossEntropyRankingLoss(temperature=temperature)


@pytest.mark.parametrize("value", ["yes", None, 2])
def test_rejects_bad_normalize_relevance(value):
    with pytest.raises(ValueError, match="normalize_relevance"):
        SoftmaxCrossEntropyRankingLoss(normalize_relevance=value)


@pytest.mark.parametrize("normalize_relevance", [True, False])
def test_trains_under_jit_compile(normalize_relevance):
    loss = SoftmaxCrossEntropyRankingLoss(
        normalize_relevance=normalize_relevance
    )
    losses = fit_with_loss(loss, epochs=3)
    assert losses[-1] < losses[0]
