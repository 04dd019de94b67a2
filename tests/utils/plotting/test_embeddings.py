import numpy as np
import pytest
from keras import ops

from kmr.utils.plotting.embeddings import plot_embedding_space
from tests.utils.plotting.stand_in_models import (
    TableModel,
    TrainableExplainableModel,
)


def test_embedding_space_projects_the_user_tower_output(rng):
    model = TrainableExplainableModel(6, 8, 3, 2)
    model.build()
    features = rng.normal(size=(6, 3)).astype("float32")

    fig = plot_embedding_space(features, model, user_ids=np.arange(10, 16))

    (points,) = fig.data
    embeddings = ops.convert_to_numpy(model.user_tower(features)).astype(
        "float64"
    )
    centred = embeddings - embeddings.mean(axis=0)
    # Pairwise distances survive the projection onto the top two axes.
    u, s, _ = np.linalg.svd(centred, full_matrices=False)
    expected = u[:, :2] * s[:2]
    got = np.stack([points.x, points.y], axis=1)
    np.testing.assert_allclose(
        np.abs(got), np.abs(expected), rtol=1e-5, atol=1e-6
    )
    assert list(points.text) == [f"User {i}" for i in range(10, 16)]
    assert fig.layout.xaxis.title.text.startswith("Embedding PC1 (")
    assert fig.layout.title.text == "User Embedding Space"


def test_embedding_space_needs_a_user_tower(rng):
    with pytest.raises(ValueError, match="user_tower"):
        plot_embedding_space(np.ones((2, 3)), TableModel(np.ones((2, 4))))
