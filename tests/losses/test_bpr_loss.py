import numpy as np
import pytest

from kmr.losses import BPRLoss
from tests.losses.contract import assert_loss_contract, fit_with_loss, to_float


def test_hand_value():
    labels = np.array([[1.0, 0.0, 0.0, -1.0]], "float32")
    scores = np.array([[1.0, 1.0, 0.0, 9.0]], "float32")
    expected = (np.log(2.0) + np.log1p(np.exp(-1.0))) / 2
    assert to_float(BPRLoss()(labels, scores)) == pytest.approx(expected)


def test_config_and_registration():
    assert BPRLoss().name == "bpr_loss"
    assert_loss_contract(BPRLoss(name="pairs"))


def test_trains_under_jit_compile():
    losses = fit_with_loss(BPRLoss(), epochs=3)
    assert losses[-1] < losses[0]
