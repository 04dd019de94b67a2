import numpy as np
import pytest

from kmr.losses import (
    AverageMarginLoss,
    ImprovedMarginRankingLoss,
    MaxMinMarginLoss,
)
from tests.losses.contract import assert_loss_contract, fit_with_loss, to_float


def test_is_weighted_sum_of_both_terms():
    rng = np.random.default_rng(3)
    labels = rng.choice([-1.0, 0.0, 1.0], size=(5, 7)).astype("float32")
    scores = rng.normal(size=(5, 7)).astype("float32")
    weights = rng.uniform(size=5).astype("float32")
    loss = ImprovedMarginRankingLoss(margin=0.8, max_min_weight=2.0)
    expected = 2.0 * to_float(
        MaxMinMarginLoss(0.8)(labels, scores, weights)
    ) + 0.3 * to_float(AverageMarginLoss(0.8)(labels, scores, weights))
    assert to_float(loss(labels, scores, weights)) == pytest.approx(
        expected, rel=1e-5
    )


def test_zero_when_every_positive_beats_every_negative_by_margin():
    labels = np.array([[1.0, 0.0, 1.0]], "float32")
    scores = np.array([[2.0, 0.0, 1.0]], "float32")
    assert to_float(ImprovedMarginRankingLoss()(labels, scores)) == 0.0


def test_tuple_input_equals_scores():
    labels = np.array([[1.0, 0.0, 0.0]], "float32")
    scores = np.array([[0.2, 0.5, 0.1]], "float32")
    indices = np.array([[1, 0]], "int32")
    loss = ImprovedMarginRankingLoss()
    assert to_float(loss(labels, (scores, indices, scores[:, :2]))) == (
        to_float(loss(labels, scores))
    )


def test_defaults_config_and_registration():
    loss = ImprovedMarginRankingLoss()
    assert (loss.margin, loss.max_min_weight, loss.avg_weight) == (
        1.0,
        0.7,
        0.3,
    )
    assert loss.name == "improved_margin_ranking_loss"
    assert set(loss.get_config()) == {
        "name",
        "reduction",
        "margin",
        "max_min_weight",
        "avg_weight",
    }
    assert_loss_contract(ImprovedMarginRankingLoss(0.5, 0.1, 0.9))


@pytest.mark.parametrize("argument", ["max_min_weight", "avg_weight"])
def test_rejects_negative_weights(argument):
    with pytest.raises(ValueError, match=f"{argument}.*-1.0"):
        ImprovedMarginRankingLoss(**{argument: -1.0})


def test_trains_under_jit_compile():
    losses = fit_with_loss(ImprovedMarginRankingLoss(), epochs=3)
    assert losses[-1] < losses[0]
