"""Clusters users by their score vectors and plots the clusters."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go
from plotly.colors import DEFAULT_PLOTLY_COLORS
from plotly.subplots import make_subplots

from kmr._validation import check_choice, check_int
from kmr.utils.plotting._common import as_score_matrix, user_labels


def cosine_similarity_matrix(vectors: np.ndarray) -> np.ndarray:
    """Returns the `(n, n)` cosine similarities between the rows."""
    norms = np.linalg.norm(vectors, axis=1, keepdims=True)
    unit = vectors / np.where(norms > 0, norms, 1.0)
    return np.clip(unit @ unit.T, -1.0, 1.0)


def average_linkage_clusters(
    distance_matrix: np.ndarray, n_clusters: int
) -> np.ndarray:
    """Agglomerative clustering with average linkage.

    Merges the two closest clusters until `n_clusters` remain, updating the
    cluster distances with the Lance-Williams formula for average linkage.
    Each merge is a vectorised O(n^2) step, so the whole run is n NumPy
    steps rather than O(n^3) Python iterations.

    Args:
        distance_matrix: `(n, n)` symmetric distances.
        n_clusters: Number of clusters to keep, in `[1, n]`.

    Returns:
        `(n,)` integer labels, numbered by first appearance.
    """
    distances = np.array(distance_matrix, dtype="float64")
    n = len(distances)
    n_clusters = check_int("n_clusters", n_clusters, minimum=1, maximum=n)
    np.fill_diagonal(distances, np.inf)
    sizes = np.ones(n)
    owner = np.arange(n)

    for _ in range(n - n_clusters):
        flat = np.argmin(distances)
        first, second = sorted(divmod(flat, n))
        merged = (
            sizes[first] * distances[first] + sizes[second] * distances[second]
        ) / (sizes[first] + sizes[second])
        distances[first, :] = merged
        distances[:, first] = merged
        distances[first, first] = np.inf
        distances[second, :] = np.inf
        distances[:, second] = np.inf
        sizes[first] += sizes[second]
        owner[owner == second] = first

    return _first_appearance_labels(owner)


def kmeans_clusters(
    vectors: np.ndarray,
    n_clusters: int,
    max_iter: int = 100,
    random_state: int = 0,
) -> np.ndarray:
    """K-means with k-means++ seeding from a local random generator.

    Args:
        vectors: `(n, d)` points.
        n_clusters: Number of clusters, in `[1, n]`.
        max_iter: Maximum number of Lloyd iterations. Defaults to 100.
        random_state: Seed of the local generator (the global NumPy state
            is left untouched). Defaults to 0.

    Returns:
        `(n,)` integer labels, numbered by first appearance.
    """
    vectors = np.asarray(vectors, dtype="float64")
    n = len(vectors)
    n_clusters = check_int("n_clusters", n_clusters, minimum=1, maximum=n)
    rng = np.random.default_rng(random_state)

    centers = [vectors[rng.integers(n)]]
    for _ in range(1, n_clusters):
        gaps = _squared_distances(vectors, np.array(centers)).min(axis=1)
        total = gaps.sum()
        pick = rng.choice(n, p=gaps / total) if total > 0 else rng.integers(n)
        centers.append(vectors[pick])
    centers = np.array(centers)

    labels = np.zeros(n, dtype=int)
    for _ in range(max_iter):
        labels = _squared_distances(vectors, centers).argmin(axis=1)
        counts = np.bincount(labels, minlength=n_clusters)
        sums = np.zeros_like(centers)
        np.add.at(sums, labels, vectors)
        updated = np.where(
            counts[:, None] > 0, sums / np.maximum(counts, 1)[:, None], centers
        )
        if np.allclose(updated, centers):
            break
        centers = updated
    return _first_appearance_labels(labels)


def plot_user_clusters(
    similarity_matrices,
    user_ids=None,
    n_clusters: int | None = None,
    method: str = "hierarchical",
    title: str = "User Clusters Based on Similarity Patterns",
    height: int = 600,
) -> tuple[go.Figure, np.ndarray]:
    """Clusters users by the cosine similarity of their score vectors.

    The distance is `1 - cosine similarity`. "hierarchical" uses average
    linkage on those distances; any other method runs k-means on the
    unit-normalised score vectors.

    Args:
        similarity_matrices: `(num_users, num_items)` scores, at least two
            users.
        user_ids: Optional `(num_users,)` true user ids, for the labels.
        n_clusters: Defaults to `max(2, int(sqrt(num_users)))`, capped at
            `num_users`.
        method: "hierarchical" or "kmeans". Defaults to "hierarchical".
        title: Figure title.
        height: Figure height in pixels. Defaults to 600.

    Returns:
        `(fig, labels)`: a figure with three panels (PCA projection coloured
        by cluster, the user-by-user similarity heatmap ordered by cluster,
        the cluster sizes) and the `(num_users,)` cluster labels.
    """
    scores = as_score_matrix(similarity_matrices, "similarity_matrices")
    num_users = len(scores)
    if num_users < 2:
        raise ValueError(
            "`similarity_matrices` needs at least 2 users to cluster, "
            f"received shape {scores.shape}."
        )
    method = check_choice("method", method, ("hierarchical", "kmeans"))
    if n_clusters is None:
        n_clusters = max(2, int(np.sqrt(num_users)))
    n_clusters = check_int("n_clusters", n_clusters, minimum=1)
    n_clusters = min(n_clusters, num_users)

    similarity = cosine_similarity_matrix(scores)
    if method == "hierarchical":
        labels = average_linkage_clusters(1.0 - similarity, n_clusters)
    else:
        norms = np.linalg.norm(scores, axis=1, keepdims=True)
        unit = scores / np.where(norms > 0, norms, 1.0)
        labels = kmeans_clusters(unit, n_clusters)
    names = user_labels(user_ids, num_users)
    short = [name.replace("User ", "U").replace("Row ", "R") for name in names]

    fig = make_subplots(
        rows=1,
        cols=3,
        subplot_titles=(
            "PCA projection of score vectors",
            "User similarity (ordered by cluster)",
            "Cluster sizes",
        ),
    )
    projection, explained = _pca_2d(scores)
    for cluster in range(labels.max() + 1):
        members = labels == cluster
        fig.add_trace(
            go.Scatter(
                x=projection[members, 0],
                y=projection[members, 1],
                mode="markers+text",
                text=[s for s, m in zip(short, members) if m],
                textposition="top center",
                name=f"Cluster {cluster}",
                marker={"color": DEFAULT_PLOTLY_COLORS[cluster % 10]},
            ),
            row=1,
            col=1,
        )
    order = np.argsort(labels, kind="stable")
    fig.add_trace(
        go.Heatmap(
            z=similarity[np.ix_(order, order)],
            x=[names[i] for i in order],
            y=[names[i] for i in order],
            colorscale="Viridis",
            zmin=-1,
            zmax=1,
            colorbar={"title": "Cosine", "x": 0.64},
            name="Similarity",
        ),
        row=1,
        col=2,
    )
    sizes = np.bincount(labels)
    fig.add_trace(
        go.Bar(
            x=[f"Cluster {c}" for c in range(len(sizes))],
            y=sizes,
            marker={"color": DEFAULT_PLOTLY_COLORS[: len(sizes)]},
            name="Users per cluster",
            showlegend=False,
        ),
        row=1,
        col=3,
    )
    fig.update_xaxes(title_text=f"PC1 ({explained[0]:.1%})", row=1, col=1)
    fig.update_yaxes(title_text=f"PC2 ({explained[1]:.1%})", row=1, col=1)
    fig.update_xaxes(title_text="User", row=1, col=2)
    fig.update_yaxes(title_text="User", row=1, col=2)
    fig.update_xaxes(title_text="Cluster", row=1, col=3)
    fig.update_yaxes(title_text="Users", row=1, col=3)
    fig.update_layout(
        title=title, height=height, width=1400, template="plotly_white"
    )
    return fig, labels


def _pca_2d(vectors: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Returns the 2-D PCA projection and the explained variance ratios."""
    centred = vectors - vectors.mean(axis=0)
    u, singular, _ = np.linalg.svd(centred, full_matrices=False)
    projection = np.zeros((len(vectors), 2))
    explained = np.zeros(2)
    used = min(2, len(singular))
    projection[:, :used] = u[:, :used] * singular[:used]
    total = np.sum(singular**2)
    if total > 0:
        explained[:used] = singular[:used] ** 2 / total
    return projection, explained


def _squared_distances(points: np.ndarray, centers: np.ndarray) -> np.ndarray:
    squared = (
        np.sum(points**2, axis=1)[:, None]
        - 2.0 * points @ centers.T
        + np.sum(centers**2, axis=1)[None, :]
    )
    return np.maximum(squared, 0.0)


def _first_appearance_labels(raw: np.ndarray) -> np.ndarray:
    _, first_index, inverse = np.unique(
        raw, return_index=True, return_inverse=True
    )
    rank = np.argsort(np.argsort(first_index))
    return rank[inverse].astype(int)
