"""Synthetic recommendation data with a planted, learnable structure."""

from __future__ import annotations

from collections.abc import Sequence

import numpy as np

from kmr._validation import check_float, check_int
from kmr.utils import _preference_sampler as sampler

#: Earth radius in kilometres, for the geospatial interactions.
_EARTH_RADIUS_KM = 6371.0


class KMRDataGenerator:
    """Synthetic users, items and interactions for the kmr models.

    Interactions come from a planted preference model, so that held-out
    interactions can be predicted:

    - every user and item has hidden **collaborative factors**, seen only
      through the interactions (what id-embedding models learn), and hidden
      **content factors**, of which the returned features are noisy linear
      projections (what feature models learn);
    - a user's preference for an item is
      `sqrt(1 - w) * collaborative_affinity + sqrt(w) * content_affinity +
      item_popularity`, where each affinity has unit variance and `w` is
      `feature_signal_weight`;
    - each interaction picks a user (some users are more active than
      others) and then an item from the softmax of that user's preferences;
    - ratings grow with the preference, so ratings >= 4 mark the items a
      user prefers.

    `feature_signal_weight` sets which signal explains the interactions:

    - `feature_signal_weight=0.0` gives **CF-only** data: the features are
      returned with the same shapes but are independent of every
      interaction, so only collaborative models can learn;
    - `feature_signal_weight=1.0` gives **features-only** data: preferences
      are a function of the features' hidden factors (plus popularity), so
      feature models generalise, including to unseen users and items;
    - values in between blend the two.

    In features-only data the preferences are still a low-rank function of
    the ids, so id models can fit the users and items they saw; only
    feature models generalise to new users and items. In CF-only data,
    feature models can learn popularity at best.

    Every method draws from its own `numpy.random.default_rng(random_state)`
    and leaves NumPy's global random state alone; the same arguments always
    give the same arrays.

    Example:
        >>> from kmr.utils import KMRDataGenerator
        >>> users, items, ratings, user_x, item_x = (
        ...     KMRDataGenerator.generate_collaborative_filtering_data(
        ...         n_users=100, n_items=50, n_interactions=1000
        ...     )
        ... )
        >>> users.shape, user_x.shape, item_x.shape
        ((250,), (100, 10), (50, 8))
    """

    @staticmethod
    def generate_collaborative_filtering_data(
        n_users: int = 1000,
        n_items: int = 500,
        n_interactions: int = 10000,
        random_state: int | None = 42,
        rating_scale: Sequence[float] = (1, 5),
        sparsity: float = 0.95,
        *,
        feature_signal_weight: float = 0.5,
    ) -> tuple[np.ndarray, ...]:
        """Returns explicit-feedback interactions with user and item features.

        The number of interactions is `min(n_interactions, int(n_users *
        n_items * (1 - sparsity)))`, and every (user, item) pair appears at
        most once. Ratings are whole numbers within `rating_scale`.

        Args:
            n_users: Number of users. Defaults to 1000.
            n_items: Number of items. Defaults to 500.
            n_interactions: Requested number of interactions. Defaults to
                10000.
            random_state: Seed of the local generator. Defaults to 42.
            rating_scale: `(lowest, highest)` rating. Defaults to `(1, 5)`.
            sparsity: Smallest fraction of the user-item matrix left empty,
                in `[0, 1)`. Defaults to 0.95.
            feature_signal_weight: Share of the preference explained by the
                features, in `[0, 1]`; 0 is CF-only, 1 features-only.
                Defaults to 0.5.

        Returns:
            `(user_ids, item_ids, ratings, user_features, item_features)`:
            int32 `(n,)`, int32 `(n,)`, float32 `(n,)`, float32
            `(n_users, 10)` and float32 `(n_items, 8)`.
        """
        n_users = check_int("n_users", n_users, minimum=1)
        n_items = check_int("n_items", n_items, minimum=1)
        n_interactions = check_int("n_interactions", n_interactions, minimum=1)
        sparsity = check_float(
            "sparsity", sparsity, minimum=0.0, maximum=1.0, max_inclusive=False
        )
        low, high = _check_rating_scale(rating_scale)
        weight = _check_weight(feature_signal_weight)
        rng = np.random.default_rng(random_state)

        n = min(n_interactions, int(n_users * n_items * (1.0 - sparsity)))
        if n < 1:
            raise ValueError(
                f"`sparsity`={sparsity} leaves no interaction for "
                f"{n_users} users and {n_items} items."
            )
        latent, user_features, item_features = _population(
            rng, n_users, n_items, 10, 8, weight
        )
        user_ids, item_ids = _sample_pairs(rng, latent, n_users, n)

        preference = _standardized(latent.pair_preferences(user_ids, item_ids))
        middle, half_range = (low + high) / 2.0, (high - low) / 2.0
        raw = middle + half_range * (
            0.25 + 0.45 * preference + 0.15 * rng.standard_normal(n)
        )
        ratings = np.clip(np.rint(raw), low, high).astype(np.float32)
        return (
            user_ids.astype(np.int32),
            item_ids.astype(np.int32),
            ratings,
            user_features,
            item_features,
        )

    @staticmethod
    def generate_content_based_recommendation_data(
        n_users: int = 1000,
        n_items: int = 500,
        user_feature_dim: int = 20,
        item_feature_dim: int = 15,
        n_interactions: int = 10000,
        random_state: int | None = 42,
        *,
        feature_signal_weight: float = 0.8,
    ) -> tuple[np.ndarray, ...]:
        """Returns features and interactions driven mostly by the features.

        Every (user, item) pair appears at most once. Ratings are continuous
        in `[1, 5]` (not rounded), higher for preferred items.

        Args:
            n_users: Number of users. Defaults to 1000.
            n_items: Number of items. Defaults to 500.
            user_feature_dim: Width of the user features. Defaults to 20.
            item_feature_dim: Width of the item features. Defaults to 15.
            n_interactions: Number of interactions, at most `n_users *
                n_items`. Defaults to 10000.
            random_state: Seed of the local generator. Defaults to 42.
            feature_signal_weight: Share of the preference explained by the
                features, in `[0, 1]`. Defaults to 0.8.

        Returns:
            `(user_features, item_features, user_ids, item_ids, ratings)`:
            float32 `(n_users, user_feature_dim)`, float32 `(n_items,
            item_feature_dim)`, int64 `(n_interactions,)` twice and float32
            `(n_interactions,)`. Note the order differs from
            `generate_collaborative_filtering_data`.
        """
        n_users = check_int("n_users", n_users, minimum=1)
        n_items = check_int("n_items", n_items, minimum=1)
        user_feature_dim = check_int(
            "user_feature_dim", user_feature_dim, minimum=1
        )
        item_feature_dim = check_int(
            "item_feature_dim", item_feature_dim, minimum=1
        )
        n_interactions = check_int(
            "n_interactions",
            n_interactions,
            minimum=1,
            maximum=n_users * n_items,
        )
        weight = _check_weight(feature_signal_weight)
        rng = np.random.default_rng(random_state)

        latent, user_features, item_features = _population(
            rng, n_users, n_items, user_feature_dim, item_feature_dim, weight
        )
        user_ids, item_ids = _sample_pairs(rng, latent, n_users, n_interactions)

        preference = _standardized(latent.pair_preferences(user_ids, item_ids))
        raw = 3.5 + 0.9 * preference + 0.3 * rng.standard_normal(n_interactions)
        ratings = np.clip(raw, 1.0, 5.0).astype(np.float32)
        return user_features, item_features, user_ids, item_ids, ratings

    @staticmethod
    def generate_geospatial_recommendation_data(
        n_users: int = 500,
        n_items: int = 200,
        n_interactions: int = 5000,
        random_state: int | None = 42,
        location_range: Sequence[float] = (-90, 90, -180, 180),
        *,
        distance_scale_km: float = 500.0,
    ) -> tuple[np.ndarray, ...]:
        """Returns user and item locations and distance-driven interactions.

        Users are placed uniformly within `location_range`; items around 5
        cluster centres (standard deviation 5 degrees). Each interaction
        picks a user uniformly, then an item with probability proportional
        to `exp(-distance_km / distance_scale_km)`, so users mostly interact
        with nearby items. Pairs may repeat. Coordinates are in degrees;
        convert with `numpy.radians` before `HaversineGeospatialDistance`.

        Args:
            n_users: Number of users. Defaults to 500.
            n_items: Number of items. Defaults to 200.
            n_interactions: Number of interactions. Defaults to 5000.
            random_state: Seed of the local generator. Defaults to 42.
            location_range: `(lat_min, lat_max, lon_min, lon_max)` in
                degrees. Defaults to the whole globe.
            distance_scale_km: Distance at which the odds of an item fall
                by a factor of e. Defaults to 500.

        Returns:
            `(user_lat, user_lon, item_lats, item_lons, user_ids,
            item_ids)`: float32 `(n_users,)` twice, float32 `(n_items,)`
            twice, int64 `(n_interactions,)` twice.
        """
        n_users = check_int("n_users", n_users, minimum=1)
        n_items = check_int("n_items", n_items, minimum=1)
        n_interactions = check_int("n_interactions", n_interactions, minimum=1)
        lat_min, lat_max, lon_min, lon_max = _check_location_range(
            location_range
        )
        scale = check_float(
            "distance_scale_km",
            distance_scale_km,
            minimum=0.0,
            min_inclusive=False,
        )
        rng = np.random.default_rng(random_state)

        user_lat = rng.uniform(lat_min, lat_max, n_users)
        user_lon = rng.uniform(lon_min, lon_max, n_users)
        centre_lat = rng.uniform(lat_min, lat_max, 5)
        centre_lon = rng.uniform(lon_min, lon_max, 5)
        cluster = rng.integers(0, 5, n_items)
        item_lat = np.clip(
            centre_lat[cluster] + rng.normal(0.0, 5.0, n_items),
            lat_min,
            lat_max,
        )
        item_lon = np.clip(
            centre_lon[cluster] + rng.normal(0.0, 5.0, n_items),
            lon_min,
            lon_max,
        )

        def item_logits(rows):
            distance = _haversine_km(
                user_lat[rows, None],
                user_lon[rows, None],
                item_lat[None, :],
                item_lon[None, :],
            )
            return -distance / scale

        user_ids = rng.integers(0, n_users, n_interactions)
        item_ids = sampler.sample_items(rng, user_ids, n_items, item_logits)
        return (
            user_lat.astype(np.float32),
            user_lon.astype(np.float32),
            item_lat.astype(np.float32),
            item_lon.astype(np.float32),
            user_ids.astype(np.int64),
            item_ids.astype(np.int64),
        )


def _population(rng, n_users, n_items, user_dim, item_dim, weight):
    """Draws the hidden factors and the observed features."""
    content_dim = min(sampler.LATENT_DIM, user_dim, item_dim)
    latent = sampler.draw_latent_preferences(
        rng, n_users, n_items, content_dim, weight
    )
    user_features = sampler.observed_features(
        rng, latent.user_content, user_dim
    )
    item_features = sampler.observed_features(
        rng, latent.item_content, item_dim
    )
    return latent, user_features, item_features


def _sample_pairs(rng, latent, n_users, n):
    """Draws `n` distinct pairs; user activity is log-normal."""
    user_weights = rng.lognormal(0.0, 0.5, n_users)

    def item_logits(rows):
        return sampler.CONCENTRATION * latent.preferences(rows)

    return sampler.sample_unique_pairs(
        rng, n, latent.num_items, user_weights, item_logits
    )


def _standardized(values: np.ndarray) -> np.ndarray:
    """Returns `values` shifted and scaled to mean 0 and variance 1."""
    spread = values.std()
    return (values - values.mean()) / (spread if spread > 0 else 1.0)


def _haversine_km(lat1, lon1, lat2, lon2):
    lat1, lon1, lat2, lon2 = map(np.radians, (lat1, lon1, lat2, lon2))
    half_chord = (
        np.sin((lat2 - lat1) / 2.0) ** 2
        + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2.0) ** 2
    )
    return (
        2.0 * _EARTH_RADIUS_KM * np.arcsin(np.sqrt(np.minimum(half_chord, 1)))
    )


def _check_weight(value) -> float:
    return check_float("feature_signal_weight", value, minimum=0.0, maximum=1.0)


def _check_rating_scale(rating_scale) -> tuple[float, float]:
    try:
        low, high = (float(v) for v in rating_scale)
    except (TypeError, ValueError):
        raise ValueError(
            "`rating_scale` must be a pair (lowest, highest), received "
            f"{rating_scale!r}."
        ) from None
    if not low < high:
        raise ValueError(
            "`rating_scale` must have lowest < highest, received "
            f"{rating_scale!r}."
        )
    return low, high


def _check_location_range(location_range) -> tuple[float, ...]:
    try:
        bounds = tuple(float(v) for v in location_range)
    except (TypeError, ValueError):
        bounds = ()
    valid = (
        len(bounds) == 4
        and -90.0 <= bounds[0] < bounds[1] <= 90.0
        and -180.0 <= bounds[2] < bounds[3] <= 180.0
    )
    if not valid:
        raise ValueError(
            "`location_range` must be (lat_min, lat_max, lon_min, lon_max) "
            "with -90 <= lat_min < lat_max <= 90 and -180 <= lon_min < "
            f"lon_max <= 180, received {location_range!r}."
        )
    return bounds
