import numpy as np
import pytest

from kmr._ranking import top_k_rows
from kmr.evaluation import evaluate_ranking, random_holdout_split
from kmr.utils import KMRDataGenerator

generate_cf = KMRDataGenerator.generate_collaborative_filtering_data
generate_cb = KMRDataGenerator.generate_content_based_recommendation_data
generate_geo = KMRDataGenerator.generate_geospatial_recommendation_data


def test_module_does_not_import_tensorflow():
    import kmr.utils.data_generator as module

    assert "tensorflow" not in vars(module)
    with open(module.__file__) as handle:
        source = handle.read()
    assert "import tensorflow" not in source
    assert "np.random.seed" not in source


def test_collaborative_shapes_dtypes_and_order():
    users, items, ratings, user_x, item_x = generate_cf()

    assert users.shape == items.shape == ratings.shape == (10000,)
    assert users.dtype == items.dtype == np.int32
    assert ratings.dtype == np.float32
    assert user_x.shape == (1000, 10) and user_x.dtype == np.float32
    assert item_x.shape == (500, 8) and item_x.dtype == np.float32
    assert users.min() >= 0 and users.max() < 1000
    assert items.min() >= 0 and items.max() < 500


def test_collaborative_count_is_capped_by_sparsity():
    users, _, _, _, _ = generate_cf(
        n_users=100, n_items=50, n_interactions=1000
    )

    assert len(users) == 250


def test_collaborative_pairs_are_unique_and_ratings_whole():
    users, items, ratings, _, _ = generate_cf(
        n_users=40, n_items=30, n_interactions=900, sparsity=0.0
    )

    assert len(np.unique(users.astype(np.int64) * 30 + items)) == 900
    np.testing.assert_array_equal(ratings, np.rint(ratings))
    assert ratings.min() >= 1 and ratings.max() <= 5


def test_collaborative_rating_scale_is_respected():
    _, _, ratings, _, _ = generate_cf(rating_scale=(0, 10))

    assert ratings.min() >= 0 and ratings.max() <= 10
    assert len(np.unique(ratings)) > 5


def test_same_seed_gives_identical_arrays_and_global_state_is_untouched():
    np.random.seed(0)
    before = np.random.get_state()[1].copy()

    first = generate_cf(n_users=200, n_items=100, n_interactions=2000)
    second = generate_cf(n_users=200, n_items=100, n_interactions=2000)
    other = generate_cf(
        n_users=200, n_items=100, n_interactions=2000, random_state=7
    )

    for a, b in zip(first, second):
        np.testing.assert_array_equal(a, b)
    assert not np.array_equal(first[0], other[0])
    np.testing.assert_array_equal(np.random.get_state()[1], before)


@pytest.mark.parametrize(
    "make",
    [
        lambda: generate_cb(n_users=100, n_items=60, n_interactions=800),
        lambda: generate_geo(n_users=100, n_items=60, n_interactions=800),
    ],
)
def test_other_generators_are_deterministic(make):
    for a, b in zip(make(), make()):
        np.testing.assert_array_equal(a, b)


def test_content_based_shapes_dtypes_and_order():
    user_x, item_x, users, items, ratings = generate_cb()

    assert user_x.shape == (1000, 20) and user_x.dtype == np.float32
    assert item_x.shape == (500, 15) and item_x.dtype == np.float32
    assert users.shape == items.shape == ratings.shape == (10000,)
    assert users.dtype == items.dtype == np.int64
    assert ratings.dtype == np.float32
    assert ratings.min() >= 1.0 and ratings.max() <= 5.0
    assert len(np.unique(users * 500 + items)) == 10000


def test_ratings_are_higher_for_preferred_items():
    # Users rate the items they pick repeatedly from the same preferences:
    # an item's mean rating predicts how many users chose it.
    users, items, ratings, _, _ = generate_cf(
        n_users=2000, n_items=200, n_interactions=40000
    )
    counts = np.bincount(items, minlength=200)
    means = np.bincount(items, weights=ratings, minlength=200) / counts

    assert np.corrcoef(counts, means)[0, 1] > 0.3
    assert 0.3 < np.mean(ratings >= 4) < 0.7


def test_geospatial_shapes_dtypes_and_order():
    arrays = generate_geo()
    user_lat, user_lon, item_lat, item_lon, users, items = arrays

    for coordinate, size in (
        (user_lat, 500),
        (user_lon, 500),
        (item_lat, 200),
        (item_lon, 200),
    ):
        assert coordinate.shape == (size,) and coordinate.dtype == np.float32
    assert users.shape == items.shape == (5000,)
    assert users.dtype == items.dtype == np.int64
    assert np.all(np.abs(user_lat) <= 90) and np.all(np.abs(item_lon) <= 180)


def test_geospatial_interactions_prefer_nearby_items():
    user_lat, user_lon, item_lat, item_lon, users, items = generate_geo()

    def km(lat1, lon1, lat2, lon2):
        lat1, lon1, lat2, lon2 = map(np.radians, (lat1, lon1, lat2, lon2))
        h = (
            np.sin((lat2 - lat1) / 2) ** 2
            + np.cos(lat1) * np.cos(lat2) * np.sin((lon2 - lon1) / 2) ** 2
        )
        return 2 * 6371 * np.arcsin(np.sqrt(h))

    chosen = km(
        user_lat[users], user_lon[users], item_lat[items], item_lon[items]
    )
    every_pair = km(
        user_lat[:, None], user_lon[:, None], item_lat[None], item_lon[None]
    )
    nearest = every_pair.min(axis=1)[users]

    assert chosen.mean() < 0.5 * every_pair.mean()
    assert np.median(chosen - nearest) < 2 * 500


def test_smaller_distance_scale_gives_closer_items():
    def mean_excess(scale):
        lat, lon, item_lat, item_lon, users, items = generate_geo(
            distance_scale_km=scale
        )
        gap = np.hypot(
            lat[users] - item_lat[items], lon[users] - item_lon[items]
        )
        return gap.mean()

    assert mean_excess(100.0) < mean_excess(3000.0)


def test_location_range_is_respected():
    user_lat, user_lon, item_lat, item_lon, _, _ = generate_geo(
        location_range=(40, 50, -5, 10)
    )

    assert user_lat.min() >= 40 and user_lat.max() <= 50
    assert item_lon.min() >= -5 and item_lon.max() <= 10


@pytest.mark.parametrize(
    "call, name",
    [
        (lambda: generate_cf(n_users=0), "n_users"),
        (lambda: generate_cf(sparsity=1.0), "sparsity"),
        (lambda: generate_cf(rating_scale=(5, 1)), "rating_scale"),
        (lambda: generate_cf(rating_scale=3), "rating_scale"),
        (lambda: generate_cf(feature_signal_weight=1.5), "feature_signal_"),
        (lambda: generate_cf(n_users=2, n_items=2, sparsity=0.9), "sparsity"),
        (
            lambda: generate_cb(n_users=2, n_items=2, n_interactions=5),
            "n_interactions",
        ),
        (lambda: generate_cb(user_feature_dim=0), "user_feature_dim"),
        (lambda: generate_geo(location_range=(0, 0, 0, 10)), "location_range"),
        (lambda: generate_geo(distance_scale_km=0), "distance_scale_km"),
    ],
)
def test_invalid_arguments_raise_naming_the_argument(call, name):
    with pytest.raises(ValueError, match=name):
        call()


# The planted signal: a simple model of the right kind beats popularity on
# held-out interactions.


def _held_out_ndcg(weight, scorer):
    users, items, _, user_x, item_x = generate_cf(
        n_users=600,
        n_items=300,
        n_interactions=12000,
        feature_signal_weight=weight,
    )
    train, test = random_holdout_split(users, test_fraction=0.2, seed=0)
    labels = np.zeros((600, 300))
    labels[users[train], items[train]] = 1.0
    scores = scorer(labels, user_x, item_x)
    scores[labels > 0] = -np.inf
    top, _ = top_k_rows(scores, 10)
    return evaluate_ranking(
        top, (users[test], items[test]), [10], user_ids=np.arange(600)
    )["ndcg@10"]


def _popularity(labels, user_x, item_x):
    return np.tile(labels.sum(axis=0), (len(labels), 1))


def _truncated_svd(labels, user_x, item_x):
    left, singular, right = np.linalg.svd(labels, full_matrices=False)
    return (left[:, :8] * singular[:8]) @ right[:8]


def _feature_affinity(labels, user_x, item_x):
    # Least-squares bilinear fit labels ~ user_x W item_x^T, plus popularity.
    weights = np.linalg.pinv(user_x) @ labels @ np.linalg.pinv(item_x).T
    affinity = user_x @ weights @ item_x.T
    popularity = _popularity(labels, user_x, item_x)
    return affinity / affinity.std() + popularity / popularity.std()


def test_cf_only_data_is_learnable_by_ids_not_by_features():
    popularity = _held_out_ndcg(0.0, _popularity)

    assert _held_out_ndcg(0.0, _truncated_svd) > 1.5 * popularity
    assert _held_out_ndcg(0.0, _feature_affinity) < 1.1 * popularity


def test_features_only_data_is_learnable_from_features():
    popularity = _held_out_ndcg(1.0, _popularity)

    assert _held_out_ndcg(1.0, _feature_affinity) > 1.5 * popularity
    assert _held_out_ndcg(1.0, _truncated_svd) > 1.5 * popularity


def test_feature_signal_grows_with_the_weight():
    scores = [_held_out_ndcg(w, _feature_affinity) for w in (0.0, 0.5, 1.0)]

    assert scores[0] < scores[1] < scores[2]


def test_content_based_data_generalises_to_unseen_users():
    user_x, item_x, users, items, _ = generate_cb(
        n_users=800, n_items=300, n_interactions=16000
    )
    seen_users = users < 600
    labels = np.zeros((800, 300))
    labels[users, items] = 1.0

    # Fit on users 0..599 only, then rank for the 200 users never seen.
    weights = (
        np.linalg.pinv(user_x[:600]) @ labels[:600] @ np.linalg.pinv(item_x).T
    )
    affinity = user_x[600:] @ weights @ item_x.T
    popularity = np.tile(labels[:600].sum(axis=0), (200, 1))
    test = (users[~seen_users], items[~seen_users])

    def ndcg(scores):
        top, _ = top_k_rows(scores, 10)
        return evaluate_ranking(top, test, [10], user_ids=np.arange(600, 800))[
            "ndcg@10"
        ]

    assert ndcg(affinity) > 1.5 * ndcg(popularity)
