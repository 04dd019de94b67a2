"""Map-like figure of users, items and recommended items."""

from __future__ import annotations

import numpy as np
import plotly.graph_objects as go

from kmr.utils.plotting._common import (
    HIGHLIGHT_COLOR,
    MUTED_COLOR,
    to_numpy,
)


def plot_geospatial_recommendations(
    user_lat,
    user_lon,
    item_lats,
    item_lons,
    recommended_indices=None,
    title: str = "Geospatial Recommendations",
    height: int = 600,
) -> go.Figure:
    """Plots items by longitude and latitude, with one user's picks marked.

    Coordinates are in degrees. For arrays of users, or a
    `(num_users, top_k)` matrix of recommendations, the first user and the
    first row are drawn.

    Args:
        user_lat: The user's latitude (scalar or array; first entry used).
        user_lon: The user's longitude (scalar or array; first entry used).
        item_lats: `(num_items,)` item latitudes.
        item_lons: `(num_items,)` item longitudes.
        recommended_indices: Optional `(top_k,)` or `(num_users, top_k)`
            indices of recommended items.
        title: Figure title.
        height: Figure height in pixels. Defaults to 600.

    Returns:
        A figure with an "Items", an optional "Recommended" and a "User"
        scatter trace (x is longitude, y latitude).

    Raises:
        ValueError: If the item coordinates disagree in length or an index
            is outside the items.
    """
    item_lats = to_numpy(item_lats, "float64").reshape(-1)
    item_lons = to_numpy(item_lons, "float64").reshape(-1)
    if item_lats.shape != item_lons.shape:
        raise ValueError(
            "`item_lats` and `item_lons` must have the same length, "
            f"received {item_lats.shape} and {item_lons.shape}."
        )
    user_lat = float(to_numpy(user_lat, "float64").reshape(-1)[0])
    user_lon = float(to_numpy(user_lon, "float64").reshape(-1)[0])

    fig = go.Figure()
    fig.add_trace(
        go.Scatter(
            x=item_lons,
            y=item_lats,
            mode="markers",
            name="Items",
            marker={"color": MUTED_COLOR, "size": 6},
        )
    )
    if recommended_indices is not None:
        chosen = to_numpy(recommended_indices).astype("int64")
        chosen = chosen.reshape(-1) if chosen.ndim < 2 else chosen[0]
        chosen = chosen[chosen >= 0]
        if chosen.size and chosen.max() >= len(item_lats):
            raise ValueError(
                f"`recommended_indices` must lie in [0, {len(item_lats) - 1}]"
                f", received {chosen.max()}."
            )
        fig.add_trace(
            go.Scatter(
                x=item_lons[chosen],
                y=item_lats[chosen],
                mode="markers",
                name="Recommended",
                text=[f"Item {i}, rank {r + 1}" for r, i in enumerate(chosen)],
                marker={"color": HIGHLIGHT_COLOR, "size": 11},
            )
        )
    fig.add_trace(
        go.Scatter(
            x=np.array([user_lon]),
            y=np.array([user_lat]),
            mode="markers",
            name="User",
            marker={"color": "#2ca02c", "size": 18, "symbol": "star"},
        )
    )
    fig.update_layout(
        title=title,
        height=height,
        xaxis_title="Longitude",
        yaxis_title="Latitude",
        template="plotly_white",
    )
    return fig
