import numpy as np
import pytest
from keras import ops

from kmr.losses import GeospatialMarginLoss, ImprovedMarginRankingLoss
from tests.losses.contract import (
    assert_loss_contract,
    fit_with_loss,
    loss_gradient,
    to_float,
)

LABELS = np.array([[2.0, 0.0, 1.0, -1.0], [1.0, 0.0, 0.0, 0.0]], "float32")
SIMILARITIES = np.array(
    [[0.5, 0.1, 0.9, 3.0], [0.0, 0.2, -0.5, 0.1]], "float32"
)


def test_per_candidate_distances():
    distances = np.array([[1.0, 7.0, 4.0, 9.0], [2.0, 0, 0, 0]], "float32")
    y_pred = np.concatenate([SIMILARITIES, distances], axis=1)
    margin = to_float(ImprovedMarginRankingLoss()(LABELS, SIMILARITIES))
    # Penalties: (2 * 1 + 1 * 4) / 3 = 2 and 2.
    expected = margin + 0.5 * 2.0
    loss = GeospatialMarginLoss(distance_weight=0.5)
    assert to_float(loss(LABELS, y_pred)) == pytest.approx(expected, 1e-6)


def test_one_distance_per_row():
    distances = np.array([[3.0], [1.0]], "float32")
    y_pred = np.concatenate([SIMILARITIES, distances], axis=1)
    margin = to_float(ImprovedMarginRankingLoss()(LABELS, SIMILARITIES))
    expected = margin + 0.1 * (3.0 + 1.0) / 2
    value = to_float(GeospatialMarginLoss()(LABELS, (y_pred, None)))
    assert value == pytest.approx(expected, 1e-6)


def test_distance_penalty_per_row():
    loss = GeospatialMarginLoss()
    distances = np.array([[1.0, 7.0, 4.0, 9.0], [2.0, 5, 5, 5]], "float32")
    penalty = loss._compute_distance_penalty(
        ops.convert_to_tensor(LABELS), ops.convert_to_tensor(distances)
    )
    np.testing.assert_allclose(ops.convert_to_numpy(penalty), [2.0, 2.0])


def test_single_candidate_takes_the_two_column_form_as_per_candidate():
    loss = GeospatialMarginLoss(distance_weight=1.0)
    labels = np.array([[1.0]], "float32")
    # No negative: the row is left out whatever the split.
    assert to_float(loss(labels, np.array([[0.0, 5.0]], "float32"))) == 0.0
    sims, distances = loss.split_prediction(
        ops.convert_to_tensor(labels), ops.convert_to_tensor([[0.0, 5.0]])
    )
    assert ops.convert_to_numpy(distances).tolist() == [[5.0]]


def test_rejects_other_widths():
    with pytest.raises(ValueError, match="Expected shape ending in 5 or 8"):
        GeospatialMarginLoss()(LABELS, np.zeros((2, 6), "float32"))


def test_finite_gradient_on_rows_without_positives():
    labels = np.array([[0.0, 0.0], [1.0, 0.0]], "float32")
    y_pred = np.array([[1.0, 2.0, 3.0, 4.0], [0.0, 1.0, 2.0, 2.0]])
    gradient = loss_gradient(GeospatialMarginLoss(), labels, y_pred)
    assert np.all(np.isfinite(gradient))
    np.testing.assert_array_equal(gradient[0], 0.0)


def test_defaults_config_and_registration():
    loss = GeospatialMarginLoss()
    assert loss.distance_weight == 0.1 and loss.margin == 1.0
    assert loss.name == "geospatial_margin_loss"
    assert set(loss.get_config()) == {
        "name",
        "reduction",
        "margin",
        "distance_weight",
        "max_min_weight",
        "avg_weight",
    }
    assert_loss_contract(GeospatialMarginLoss(distance_weight=0.3))


def test_rejects_negative_distance_weight():
    with pytest.raises(ValueError, match="distance_weight"):
        GeospatialMarginLoss(distance_weight=-0.1)


def test_trains_under_jit_compile():
    losses = fit_with_loss(GeospatialMarginLoss(), output_width=7, epochs=2)
    assert np.all(np.isfinite(losses))
