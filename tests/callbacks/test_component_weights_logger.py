import numpy as np
import pytest
from keras import ops

from kmr.callbacks import ComponentWeightsLogger
from kmr.utils.k_m_r_plotter import KMRPlotter
from tests.utils.plotting.stand_in_models import TableModel


def test_records_mean_weights_into_history(training, log_lines):
    model, inputs, labels = training
    callback = ComponentWeightsLogger(eval_data=(inputs, labels))

    history = model.fit(
        inputs,
        labels,
        epochs=3,
        batch_size=3,
        verbose=0,
        callbacks=[callback],
    )

    weights = ops.convert_to_numpy(model(inputs, training=False)[5])
    last = callback.weight_history[-1]
    assert [r["epoch"] for r in callback.weight_history] == [1, 2, 3]
    assert last["cf_weight_mean"] == pytest.approx(
        weights[:, 0].mean(), rel=1e-5
    )
    assert last["cf_weight_std"] == pytest.approx(weights[:, 0].std(), rel=1e-4)
    assert history.history["cb_weight_mean"][-1] == pytest.approx(
        last["cb_weight_mean"]
    )
    # The per-user weights are learned, so they move away from 1/2.
    assert callback.weight_history[0]["cf_weight_std"] > 0
    assert sum("mean CF weight" in line for line in log_lines) == 3

    fig = KMRPlotter.plot_component_weights_over_epochs(history)
    np.testing.assert_allclose(fig.data[1].y, history.history["cf_weight_mean"])
    fig = KMRPlotter.plot_component_weights_over_epochs(callback)
    np.testing.assert_array_equal(fig.data[1].x, [1, 2, 3])


def test_frequency_and_a_model_without_weights(rng):
    callback = ComponentWeightsLogger(eval_data=[np.arange(3)], frequency=2)
    assert callback.get_config() == {
        "frequency": 2,
        "verbose": 1,
        "name": "ComponentWeightsLogger",
    }
    callback.set_model(TableModel(rng.random((3, 4))))
    callback.on_epoch_end(0, {})
    assert callback.weight_history == []
    with pytest.raises(ValueError, match="no `weights` output"):
        callback.on_epoch_end(1, {})
    with pytest.raises(ValueError, match="frequency"):
        ComponentWeightsLogger(eval_data=[np.arange(3)], frequency=0)
