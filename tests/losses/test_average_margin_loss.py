import numpy as np
import pytest

from kmr.losses import AverageMarginLoss
from tests.losses.contract import assert_loss_contract, fit_with_loss, to_float


def test_hinges_gap_between_means():
    labels = np.array([[1.0, 2.0, 0.0, 0.0, -1.0]], "float32")
    scores = np.array([[0.6, 0.2, 0.0, 0.2, 5.0]], "float32")
    # Means 0.4 and 0.1; the ignored candidate takes no part.
    value = to_float(AverageMarginLoss()(labels, scores))
    assert value == pytest.approx(0.2)


def test_zero_when_means_are_margin_apart():
    labels = np.array([[1.0, 0.0, 0.0]], "float32")
    scores = np.array([[1.0, 0.5, 0.5]], "float32")
    assert to_float(AverageMarginLoss(margin=0.5)(labels, scores)) == 0.0


def test_row_without_positives_is_left_out():
    labels = np.array([[0.0, 0.0, 0.0], [1.0, 0.0, 0.0]], "float32")
    scores = np.array([[0.9, 0.1, 0.0], [0.3, 0.0, 0.0]], "float32")
    assert to_float(AverageMarginLoss()(labels, scores)) == pytest.approx(0.2)


def test_defaults_config_and_registration():
    loss = AverageMarginLoss()
    assert (loss.margin, loss.name) == (0.5, "average_margin_loss")
    assert set(loss.get_config()) == {"name", "reduction", "margin"}
    assert_loss_contract(AverageMarginLoss(margin=2.0))


def test_rejects_non_numeric_margin():
    with pytest.raises(ValueError, match="margin"):
        AverageMarginLoss(margin=None)


def test_trains_under_jit_compile():
    losses = fit_with_loss(AverageMarginLoss(), epochs=3)
    assert losses[-1] < losses[0]
