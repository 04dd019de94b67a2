import numpy as np
import pytest

from kmr.utils.plotting.training import (
    plot_component_weights_over_epochs,
    plot_training_history,
    plot_training_history_comprehensive,
)

HISTORY = {
    "loss": [1.0, 0.6, 0.4],
    "val_loss": [1.1, 0.8, 0.7],
    "acc@5": [0.1, 0.3, 0.5],
    "val_acc@5": [0.1, 0.2, 0.3],
    "cf_weight_mean": [0.5, 0.6, 0.7],
    "cb_weight_mean": [0.5, 0.4, 0.3],
}


def test_training_history_one_panel_per_metric_with_validation():
    fig = plot_training_history(HISTORY, metrics=["loss", "acc@5"])

    assert [t.name for t in fig.data] == [
        "loss",
        "val_loss",
        "acc@5",
        "val_acc@5",
    ]
    np.testing.assert_allclose(fig.data[0].y, HISTORY["loss"])
    np.testing.assert_array_equal(fig.data[0].x, [1, 2, 3])
    assert fig.data[1].line.dash == "dash"
    assert fig.data[2].xaxis == "x2"
    assert fig.layout.xaxis.title.text == "Epoch"
    assert fig.layout.yaxis2.title.text == "acc@5"


def test_training_history_defaults_and_errors():
    fig = plot_training_history(HISTORY)
    assert [t.name for t in fig.data] == ["loss", "val_loss"]
    with pytest.raises(ValueError, match="accuracy"):
        plot_training_history(HISTORY, metrics=["accuracy"])
    with pytest.raises(ValueError, match="history"):
        plot_training_history([1, 2])


def test_comprehensive_history_keeps_validation_with_its_metric():
    fig = plot_training_history_comprehensive(HISTORY)

    names = [t.name for t in fig.data]
    assert names == ["loss", "val_loss", "acc@5", "val_acc@5"]
    assert fig.data[3].line.dash == "dash"
    assert fig.data[3].line.color == fig.data[2].line.color
    assert fig.data[2].xaxis == "x2"
    assert [a.text for a in fig.layout.annotations] == ["Loss", "Metrics"]
    assert fig.layout.width == 1200


class _Logger:
    weight_history = [
        {
            "epoch": 2,
            "cf_weight_mean": 0.6,
            "cb_weight_mean": 0.4,
            "cf_weight_std": 0.1,
        },
        {
            "epoch": 4,
            "cf_weight_mean": 0.7,
            "cb_weight_mean": 0.3,
            "cf_weight_std": 0.2,
        },
    ]


def test_component_weights_over_epochs_from_history_and_from_logger():
    fig = plot_component_weights_over_epochs(HISTORY)
    cf, cb = fig.data
    np.testing.assert_array_equal(cf.x, [1, 2, 3])
    np.testing.assert_allclose(cf.y, [0.5, 0.6, 0.7])
    np.testing.assert_allclose(cb.y, [0.5, 0.4, 0.3])
    assert fig.layout.xaxis.title.text == "Epoch"
    assert fig.layout.yaxis.title.text == "Mean weight across users"

    band, cf, cb = plot_component_weights_over_epochs(_Logger()).data
    np.testing.assert_array_equal(cf.x, [2, 4])
    np.testing.assert_allclose(band.y, [0.7, 0.9, 0.5, 0.5])
    assert band.fill == "toself"

    with pytest.raises(ValueError, match="ComponentWeightsLogger"):
        plot_component_weights_over_epochs({"loss": [1.0]})
