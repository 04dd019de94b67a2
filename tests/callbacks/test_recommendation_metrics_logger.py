import pytest

from kmr.callbacks import RecommendationMetricsLogger


def test_records_every_epoch_and_logs_at_the_frequency(training, log_lines):
    model, inputs, labels = training
    callback = RecommendationMetricsLogger(log_frequency=2)

    history = model.fit(
        inputs,
        labels,
        validation_data=(inputs, labels),
        epochs=4,
        batch_size=3,
        verbose=0,
        callbacks=[callback],
    )

    assert callback.epoch_metrics["loss"] == pytest.approx(
        history.history["loss"]
    )
    assert len(callback.epoch_metrics["val_loss"]) == 4
    epoch_lines = [line for line in log_lines if line.startswith("Epoch")]
    assert [line.split(":")[0] for line in epoch_lines] == [
        "Epoch 2",
        "Epoch 4",
    ]
    assert "val_loss" not in epoch_lines[0]
    assert (
        sum(line.startswith("Validation: val_loss=") for line in log_lines) == 2
    )
    assert "Training completed" in log_lines
    losses = history.history["loss"]
    assert (
        f"loss: initial={losses[0]:.4f}, final={losses[-1]:.4f}, "
        f"best={min(losses):.4f}"
    ) in log_lines


def test_verbose_zero_records_without_logging(training, log_lines):
    model, inputs, labels = training
    callback = RecommendationMetricsLogger(verbose=0)
    model.fit(inputs, labels, epochs=2, verbose=0, callbacks=[callback])
    assert len(callback.epoch_metrics["loss"]) == 2
    assert log_lines == []


def test_config_and_argument_checks():
    callback = RecommendationMetricsLogger(verbose=2, log_frequency=3, name="m")
    assert callback.get_config() == {
        "verbose": 2,
        "log_frequency": 3,
        "name": "m",
    }
    with pytest.raises(ValueError, match="log_frequency"):
        RecommendationMetricsLogger(log_frequency=0)
    with pytest.raises(ValueError, match="verbose"):
        RecommendationMetricsLogger(verbose=-1)
    with pytest.raises(ValueError, match="unexpected keyword"):
        RecommendationMetricsLogger(log_frequncy=2)
