import os

import plotly.graph_objects as go
import pytest

from kmr.callbacks import ExplainabilityVisualizer


def test_calls_the_function_with_every_argument(training, tmp_path):
    model, inputs, labels = training
    calls = []

    def record(model, inputs, labels, epoch, save_dir):
        calls.append((model, inputs, labels, epoch, save_dir))
        return epoch * 10

    callback = ExplainabilityVisualizer(
        (inputs, labels), record, frequency=2, save_dir=tmp_path / "viz"
    )
    model.fit(inputs, labels, epochs=4, verbose=0, callbacks=[callback])

    assert os.path.isdir(tmp_path / "viz")
    assert [c[3] for c in calls] == [2, 4]
    assert calls[0][0] is model and calls[0][1] is inputs
    assert calls[0][2] is labels and calls[0][4] == str(tmp_path / "viz")
    assert callback.epoch_visualizations == [2, 4]
    assert callback.visualizations == {2: 20, 4: 40}


def test_default_visualization_saves_the_weights_figure(training, tmp_path):
    model, inputs, labels = training
    callback = ExplainabilityVisualizer(
        (inputs, labels), frequency=1, save_dir=tmp_path
    )

    model.fit(inputs, labels, epochs=1, verbose=0, callbacks=[callback])

    fig = callback.visualizations[1]
    assert isinstance(fig, go.Figure)
    assert fig.layout.title.text.endswith("after Epoch 1")
    assert os.path.exists(tmp_path / "explanations_epoch_001.html")


def test_failures_warn_and_are_recorded(training, log_lines):
    model, inputs, labels = training

    def broken(**kwargs):
        raise RuntimeError("cannot draw")

    callback = ExplainabilityVisualizer((inputs, labels), broken, frequency=1)
    with pytest.warns(RuntimeWarning, match="cannot draw"):
        model.fit(inputs, labels, epochs=2, verbose=0, callbacks=[callback])

    assert [epoch for epoch, _ in callback.errors] == [1, 2]
    assert callback.epoch_visualizations == []
    assert any("failed with RuntimeError" in line for line in log_lines)


def test_signature_is_checked_when_built(training):
    inputs = training[1]

    def missing_save_dir(model, inputs, labels, epoch):
        return None

    with pytest.raises(ValueError, match="save_dir"):
        ExplainabilityVisualizer((inputs, None), missing_save_dir)
    with pytest.raises(ValueError, match="frequency"):
        ExplainabilityVisualizer((inputs, None), frequency=0)
    assert ExplainabilityVisualizer((inputs, None)).get_config() == {
        "frequency": 5,
        "save_dir": None,
        "verbose": 1,
        "name": "ExplainabilityVisualizer",
    }
