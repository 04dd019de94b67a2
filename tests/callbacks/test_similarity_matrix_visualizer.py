import numpy as np
import pytest
from keras import ops

from kmr.callbacks import SimilarityMatrixVisualizer


def test_records_statistics_of_the_tracked_matrix(training, log_lines):
    model, inputs, labels = training
    callback = SimilarityMatrixVisualizer(
        eval_data=(inputs, labels),
        compute_similarity_fn=lambda outputs: outputs[3],  # cf similarities
        frequency=2,
        top_k=2,
    )

    model.fit(inputs, labels, epochs=4, verbose=0, callbacks=[callback])

    assert [r["epoch"] for r in callback.similarity_history] == [2, 4]
    cf = ops.convert_to_numpy(model(inputs, training=False)[3])
    last = callback.similarity_history[-1]
    assert last["mean"] == pytest.approx(cf.mean(), rel=1e-5)
    assert last["max"] == pytest.approx(cf.max(), rel=1e-5)
    best = np.sort(cf, axis=1)[:, ::-1][:, :2]
    assert last["top_k_mean"] == pytest.approx(best.mean(), rel=1e-5)
    assert last["top_k_threshold"] == pytest.approx(best[:, 1].mean(), rel=1e-5)
    top = np.argsort(-cf, axis=1)[:, :2]
    precision = np.take_along_axis(labels, top, axis=1).sum(axis=1) / 2
    assert last["precision_at_k"] == pytest.approx(precision.mean())
    assert (
        sum(line.startswith("Epoch 4 similarities") for line in log_lines) == 1
    )


def test_default_tracks_scores_and_ignores_negative_labels():
    callback = SimilarityMatrixVisualizer(
        eval_data=([np.zeros(2)], np.array([[-1, 1, 0], [0, 0, 1]])), top_k=1
    )
    stats = callback.statistics(np.array([[0.9, 0.5, 0.1], [0.3, 0.2, 0.1]]))
    # Row 0 skips the ignored item 0 and hits item 1; row 1 misses.
    assert stats["precision_at_k"] == pytest.approx(0.5)
    assert stats["top_k_mean"] == pytest.approx((0.5 + 0.3) / 2)


def test_errors_propagate_and_arguments_are_checked(training):
    model, inputs, labels = training

    def broken(outputs):
        raise RuntimeError("no similarity")

    callback = SimilarityMatrixVisualizer((inputs, labels), broken, frequency=1)
    with pytest.raises(RuntimeError, match="no similarity"):
        model.fit(inputs, labels, epochs=1, verbose=0, callbacks=[callback])

    flat = SimilarityMatrixVisualizer((inputs, None), lambda o: o[0][0])
    flat.set_model(model)
    with pytest.raises(ValueError, match="batch_size, num_candidates"):
        flat.similarities()
    with pytest.raises(ValueError, match="compute_similarity_fn"):
        SimilarityMatrixVisualizer((inputs, None), compute_similarity_fn=3)
    with pytest.raises(ValueError, match="top_k"):
        SimilarityMatrixVisualizer((inputs, None), top_k=0)
    assert SimilarityMatrixVisualizer((inputs, None)).get_config() == {
        "frequency": 10,
        "top_k": 5,
        "verbose": 1,
        "name": "SimilarityMatrixVisualizer",
    }
