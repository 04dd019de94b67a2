"""Figure of the users' learned embeddings."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from kmr.utils.plotting._common import to_numpy, user_labels


def plot_embedding_space(
    user_features,
    model,
    user_ids=None,
    title: str = "User Embedding Space",
    height: int = 500,
    width: int = 900,
) -> go.Figure:
    """Projects the user-tower embeddings onto their first two principal axes.

    Args:
        user_features: `(num_users, user_feature_dim)` features.
        model: A model with a `user_tower` layer mapping user features to
            embeddings.
        user_ids: Optional `(num_users,)` true user ids, for the labels.
        title: Figure title.
        height: Figure height in pixels. Defaults to 500.
        width: Figure width in pixels. Defaults to 900.

    Returns:
        A figure with one scatter trace, one point per user; the axis
        titles give the share of variance each axis explains.

    Raises:
        ValueError: If the model has no `user_tower`.
    """
    tower = getattr(model, "user_tower", None)
    if tower is None:
        raise ValueError(
            f"{type(model).__name__} has no `user_tower` to embed users with."
        )
    features = to_numpy(user_features, "float32")
    embeddings = to_numpy(tower(features, training=False), "float64")
    embeddings = embeddings.reshape(len(features), -1)

    centred = embeddings - embeddings.mean(axis=0)
    u, singular, _ = np.linalg.svd(centred, full_matrices=False)
    coordinates = np.zeros((len(embeddings), 2))
    used = min(2, len(singular))
    coordinates[:, :used] = u[:, :used] * singular[:used]
    total = float(np.sum(singular**2))
    explained = [
        (singular[i] ** 2 / total if total > 0 and i < used else 0.0)
        for i in range(2)
    ]

    fig = go.Figure(
        go.Scatter(
            x=coordinates[:, 0],
            y=coordinates[:, 1],
            mode="markers+text",
            text=user_labels(user_ids, len(features)),
            textposition="top center",
            name="Users",
        )
    )
    fig.update_layout(
        title=title,
        height=height,
        width=width,
        xaxis_title=f"Embedding PC1 ({explained[0]:.1%} of variance)",
        yaxis_title=f"Embedding PC2 ({explained[1]:.1%} of variance)",
        template="plotly_white",
    )
    return fig
