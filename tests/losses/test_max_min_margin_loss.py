import numpy as np
import pytest

from kmr.losses import MaxMinMarginLoss
from tests.losses.contract import assert_loss_contract, fit_with_loss, to_float


def test_hinges_weakest_positive_against_strongest_negative():
    labels = np.array([[1.0, 1.0, 0.0, 0.0]], "float32")
    scores = np.array([[3.0, 0.5, 0.2, -4.0]], "float32")
    # The original (best positive vs worst negative) would give 0 here.
    assert to_float(MaxMinMarginLoss()(labels, scores)) == pytest.approx(0.7)


def test_zero_when_every_positive_beats_every_negative_by_margin():
    labels = np.array([[1.0, 0.0, 2.0, -1.0], [0, 1, 0, 0]], "float32")
    scores = np.array([[2.0, 0.5, 1.5, 9.0], [0.0, 1.0, -1.0, -3.0]])
    assert to_float(MaxMinMarginLoss(margin=1.0)(labels, scores)) == 0.0
    assert to_float(MaxMinMarginLoss(margin=1.01)(labels, scores)) > 0.0


def test_row_without_positives_gives_zero_not_a_sentinel():
    # Breaking choice: the original returned about 1e9 here.
    assert to_float(MaxMinMarginLoss()([[0.0, 0.0]], [[0.9, 0.1]])) == 0.0


def test_defaults_config_and_registration():
    loss = MaxMinMarginLoss()
    assert (loss.margin, loss.name) == (1.0, "max_min_margin_loss")
    assert set(loss.get_config()) == {"name", "reduction", "margin"}
    assert_loss_contract(MaxMinMarginLoss(margin=np.float32(0.5)))


def test_rejects_non_numeric_margin():
    with pytest.raises(ValueError, match="margin.*'big'"):
        MaxMinMarginLoss(margin="big")


def test_trains_under_jit_compile():
    losses = fit_with_loss(MaxMinMarginLoss(), epochs=3)
    assert losses[-1] < losses[0]
