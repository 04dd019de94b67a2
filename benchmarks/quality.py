"""Held-out ranking quality on MovieLens latest-small.

Protocol: ratings >= 4 are positives; users with at least 5 positives;
each user's positives split 80/20 at random (seed 42); every model ranks
the whole catalog for each test user with the user's training positives
excluded; NDCG, Recall, Precision, MAP and hit rate at 10 are averaged over
test users. The files are read in place, never copied.

Run: python benchmarks/quality.py [path/to/ml-latest-small]
[--split-seeds 0,1,2] (default path: ../shared/data/ml-latest-small next
to the repository root). `--split-seeds` adds a table of NDCG@10 on
further random splits, scored with the settings tuned on the first.

Each row is a function in `MODEL_ROWS` that takes the training split and
returns a fitted object with the kmr `recommend` signature; add rows
there. The kmr rows (`kmr_model_rows`) cover the six recommendation models.

Tuning never sees the test split: ALS and the kmr rows choose their
settings on a validation split carved from the training positives
(`validation_split`) and are refitted on all training positives. The
`seconds` column includes that tuning.

Features: items are the genre one-hots of latest-small; the data set has
no user attributes, so a user's features are the normalised sum of the
genre vectors of their training positives (`genre_profiles`), computed
from the training part of whichever split is being fitted.
"""

from __future__ import annotations

import argparse
import functools
import itertools
import os
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")
os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

import numpy as np  # noqa: E402

from kmr._ranking import top_k_rows  # noqa: E402
from kmr.datasets import load_movielens  # noqa: E402
from kmr.evaluation import (  # noqa: E402
    PopularityRecommender,
    evaluate_model,
    label_matrix,
    random_holdout_split,
)

REPO_ROOT = Path(__file__).resolve().parents[1]
DEFAULT_PATH = REPO_ROOT.parent / "shared" / "data" / "ml-latest-small"
K = 10
COLUMNS = ("ndcg", "recall", "precision", "map", "hit_rate")


@dataclass
class Split:
    """Training and test positives, as contiguous ids.

    `item_features` are the genre one-hots of latest-small;
    `user_features` are derived from the training positives alone (see
    `genre_profiles`), since the data set has no user attributes.
    """

    num_users: int
    num_items: int
    train: tuple[np.ndarray, np.ndarray]
    test: tuple[np.ndarray, np.ndarray]
    user_features: np.ndarray
    item_features: np.ndarray


def make_split(path: Path, seed: int = 42) -> Split:
    data = load_movielens("latest-small", path=path)
    positive = data.ratings >= 4.0
    users, items = data.user_ids[positive], data.item_ids[positive]
    active = np.bincount(users, minlength=data.num_users) >= 5
    keep = active[users]
    users, items = users[keep], items[keep]
    train, test = random_holdout_split(users, test_fraction=0.2, seed=seed)
    split = Split(
        num_users=data.num_users,
        num_items=data.num_items,
        train=(users[train], items[train]),
        test=(users[test], items[test]),
        user_features=None,
        item_features=data.item_features,
    )
    split.user_features = genre_profiles(split)
    return split


class FactorScorer:
    """Ranks the catalog by user-item dot products (for ALS)."""

    def __init__(self, user_factors, item_factors):
        self.user_factors = np.asarray(user_factors)
        self.item_factors = np.asarray(item_factors)
        self.num_items = len(self.item_factors)

    def recommend(
        self, user_ids=None, user_features=None, k=10, seen_item_mask=None
    ):
        scores = self.user_factors[user_ids] @ self.item_factors.T
        scores = scores.astype(np.float64)
        if seen_item_mask is not None:
            scores[seen_item_mask] = -np.inf
        return top_k_rows(scores, k)


def popularity_row(split: Split):
    model = PopularityRecommender(num_items=split.num_items)
    return model.fit(*split.train), "item counts"


def validation_split(split: Split) -> Split:
    """Splits the training positives again, for tuning without the test."""
    inner_train, inner_valid = random_holdout_split(
        split.train[0], test_fraction=0.2, seed=7
    )
    inner = Split(
        split.num_users,
        split.num_items,
        (split.train[0][inner_train], split.train[1][inner_train]),
        (split.train[0][inner_valid], split.train[1][inner_valid]),
        None,
        split.item_features,
    )
    inner.user_features = genre_profiles(inner)
    return inner


def als_row(split: Split):
    from implicit.cpu.als import AlternatingLeastSquares

    inner = validation_split(split)
    grid = itertools.product(
        (32, 64, 128, 256, 512), (5.0, 50.0, 200.0), (5.0, 20.0, 50.0)
    )
    best = None
    for factors, regularization, alpha in grid:
        settings = {
            "factors": factors,
            "regularization": regularization,
            "alpha": alpha,
        }
        model = _fit_als(AlternatingLeastSquares, inner, settings)
        ndcg = evaluate_model(
            model, inner.train, inner.test, [K], num_items=split.num_items
        )[f"ndcg@{K}"]
        if best is None or ndcg > best[0]:
            best = (ndcg, settings)
    settings = best[1]
    TUNED["implicit ALS"] = settings
    detail = ", ".join(f"{key}={value}" for key, value in settings.items())
    return _fit_als(AlternatingLeastSquares, split, settings), detail


def _fit_als(model_class, split: Split, settings):
    from scipy.sparse import csr_matrix

    users, items = split.train
    matrix = csr_matrix(
        (np.ones(len(users), np.float32), (users, items)),
        shape=(split.num_users, split.num_items),
    )
    model = model_class(
        iterations=15, random_state=42, num_threads=1, **settings
    )
    model.fit(matrix, show_progress=False)
    return FactorScorer(model.user_factors, model.item_factors)


def genre_profiles(split: Split) -> np.ndarray:
    """User features from the training positives alone.

    latest-small describes movies by genre (one-hot) and users not at all,
    so a user is described by the genres of the movies they liked in
    training: the sum of those genre vectors, scaled to unit length. Test
    and validation interactions never enter it.
    """
    users, items = split.train
    profiles = np.zeros(
        (split.num_users, split.item_features.shape[1]), np.float32
    )
    np.add.at(profiles, users, split.item_features[items])
    norms = np.linalg.norm(profiles, axis=1, keepdims=True)
    return profiles / np.maximum(norms, 1e-12)


def _id_model(model_class):
    def build(split: Split, settings: dict):
        return model_class(
            num_users=split.num_users,
            num_items=split.num_items,
            embedding_dim=settings["embedding_dim"],
            l2_reg=settings["l2_reg"],
        )

    return build


def _unified_model(model_class):
    def build(split: Split, settings: dict):
        return model_class(
            num_users=split.num_users,
            num_items=split.num_items,
            user_feature_dim=split.user_features.shape[1],
            item_feature_dim=split.item_features.shape[1],
            embedding_dim=settings["embedding_dim"],
            tower_dim=settings["tower_dim"],
            l2_reg=settings["l2_reg"],
        )

    return build


def _two_tower_model(split: Split, settings: dict):
    import kmr

    return kmr.models.TwoTowerModel(
        user_feature_dim=split.user_features.shape[1],
        item_feature_dim=split.item_features.shape[1],
        num_items=split.num_items,
        hidden_units=[settings["tower_dim"]],
        output_dim=settings["tower_dim"],
        dropout_rate=0.0,
        l2_reg=settings["l2_reg"],
    )


def _deep_ranking_model(split: Split, settings: dict):
    import kmr

    # Limitation: one hidden block and 5 untuned epochs; deeper blocks run
    # on every user-item pair of the 9,742-movie catalog, too slow here.
    return kmr.models.DeepRankingModel(
        user_feature_dim=split.user_features.shape[1],
        item_feature_dim=split.item_features.shape[1],
        num_items=split.num_items,
        hidden_units=[settings["tower_dim"]],
        dropout_rate=0.0,
        l2_reg=settings["l2_reg"],
    )


#: Settings each kmr row tuned on the validation split, by row name, for
#: rows that reuse them.
TUNED: dict[str, dict] = {}


@dataclass
class KmrRow:
    """A kmr model trained on full-catalog label rows.

    Every model is trained the same way: one row per training user with all
    9,742 movies as candidates (the shared catalog), labels 1 for the
    user's training positives, `SoftmaxCrossEntropyRankingLoss` (its
    `normalize_relevance` says whether every user weighs the same or every
    positive does), Adam with a cosine-decayed learning rate. The values in
    `grid` are tried on the validation split carved from the training
    positives and the best by NDCG@10 is refitted on the whole training
    split; a row with `reuse`
    takes the settings another row tuned instead (same scorer, so the
    benchmark spends its time budget once).
    """

    build: object
    settings: dict
    grid: dict = field(default_factory=dict)
    reuse: str | None = None

    def __call__(self, split: Split, name: str):
        settings = dict(self.settings)
        if self.reuse is not None:
            settings.update(TUNED[self.reuse])
            origin = f"tuned for {self.reuse}"
        elif self.grid:
            settings.update(self._tune(split, settings))
            origin = f"{', '.join(self.grid)} tuned on validation"
        else:
            origin = "fixed, not tuned"
        TUNED[name] = settings
        detail = ", ".join(f"{k}={v}" for k, v in settings.items())
        return self._fit(split, settings), f"{detail} ({origin})"

    def _tune(self, split: Split, settings: dict) -> dict:
        inner = validation_split(split)
        best = None
        for values in itertools.product(*self.grid.values()):
            candidate = dict(zip(self.grid, values))
            model = self._fit(inner, {**settings, **candidate})
            ndcg = evaluate_model(
                model,
                inner.train,
                inner.test,
                [K],
                user_features=inner.user_features,
            )[f"ndcg@{K}"]
            if best is None or ndcg > best[0]:
                best = (ndcg, candidate)
        return best[1]

    def _fit(self, split: Split, settings: dict):
        import keras

        import kmr

        keras.utils.set_random_seed(42)
        model = self.build(split, settings)
        if model.catalog_feature_dim is not None:
            model.set_item_catalog(split.item_features)
        users = np.unique(split.train[0])
        columns = {
            "user_ids": users,
            "user_features": split.user_features[users],
        }
        inputs = [columns[name] for name in model.user_input_names]
        labels = label_matrix(*split.train, split.num_items, rows=users)
        steps = settings["epochs"] * -(-len(users) // BATCH_SIZE)
        schedule = keras.optimizers.schedules.CosineDecay(
            settings["learning_rate"], steps
        )
        model.compile(
            optimizer=keras.optimizers.Adam(schedule),
            loss=kmr.losses.SoftmaxCrossEntropyRankingLoss(
                temperature=settings["temperature"],
                normalize_relevance=settings["normalize_relevance"],
            ),
        )
        model.fit(
            inputs,
            labels,
            epochs=settings["epochs"],
            batch_size=BATCH_SIZE,
            verbose=0,
        )
        return model


BATCH_SIZE = 64
ID_SETTINGS = {
    "embedding_dim": 256,
    "l2_reg": 1e-5,
    "epochs": 40,
    "learning_rate": 0.01,
}
FEATURE_SETTINGS = {
    "tower_dim": 32,
    "l2_reg": 1e-5,
    "epochs": 20,
    "learning_rate": 0.01,
    "normalize_relevance": True,
}
#: Whether the softmax targets are scaled per row (every user weighs the
#: same) or not (every positive weighs the same), crossed with the
#: temperatures each row tries.
RELEVANCE_CHOICES = (True, False)


def kmr_model_rows():
    """Rows for the six kmr recommendation models."""
    import kmr

    models = kmr.models
    rows = {
        "kmr MF": KmrRow(
            _id_model(models.MatrixFactorizationModel),
            ID_SETTINGS,
            {
                "normalize_relevance": RELEVANCE_CHOICES,
                "temperature": (0.15, 0.2),
            },
        ),
        "kmr Explainable": KmrRow(
            _id_model(models.ExplainableRecommendationModel),
            ID_SETTINGS,
            reuse="kmr MF",
        ),
        "kmr TwoTower": KmrRow(
            _two_tower_model,
            FEATURE_SETTINGS,
            {
                "normalize_relevance": RELEVANCE_CHOICES,
                "temperature": (0.05, 0.1),
            },
        ),
        "kmr DeepRanking": KmrRow(
            _deep_ranking_model,
            {**FEATURE_SETTINGS, "epochs": 5, "temperature": 1.0},
        ),
        "kmr Unified": KmrRow(
            _unified_model(models.UnifiedRecommendationModel),
            {**ID_SETTINGS, "tower_dim": 32},
            {
                "normalize_relevance": RELEVANCE_CHOICES,
                "temperature": (0.15, 0.2),
            },
        ),
        "kmr ExplUnified": KmrRow(
            _unified_model(models.ExplainableUnifiedRecommendationModel),
            {**ID_SETTINGS, "tower_dim": 32},
            reuse="kmr Unified",
        ),
    }
    return [
        (name, functools.partial(row, name=name)) for name, row in rows.items()
    ]


#: Hook for model rows: `(name, function(split) -> (recommender, detail))`.
#: Every recommender must offer `recommend(user_ids=, user_features=, k=,
#: seen_item_mask=)` returning `(top_k_item_ids, top_k_scores)`; the kmr
#: models do.
MODEL_ROWS = [
    ("popularity", popularity_row),
    ("implicit ALS", als_row),
]


def held_out_metrics(model, split: Split) -> dict:
    """Full-catalog metrics at K on the split's test positives."""
    return evaluate_model(
        model,
        split.train,
        split.test,
        [K],
        num_items=split.num_items,
        user_features=split.user_features,
    )


def split_seed_table(path: Path, seeds: list[int]) -> None:
    """NDCG@10 on other random splits, with the settings tuned above.

    Nothing is retuned: ALS keeps the settings its grid chose, and the
    collaborative and unified kmr models keep theirs, each trained with
    both values of `normalize_relevance`. The spread across seeds shows
    how much of a gap in the main table a different split can undo.
    """
    from implicit.cpu.als import AlternatingLeastSquares

    import kmr

    rows = {
        "kmr MF": _id_model(kmr.models.MatrixFactorizationModel),
        "kmr Unified": _unified_model(kmr.models.UnifiedRecommendationModel),
    }
    names = ["implicit ALS"] + [
        f"{name} ({'per user' if normalize else 'per positive'})"
        for name in rows
        for normalize in RELEVANCE_CHOICES
    ]
    print(f"\nNDCG@{K} on other splits (settings from the table above)")
    print(f"{'split seed':<12}" + "".join(f"{name:>28}" for name in names))
    for seed in seeds:
        split = make_split(path, seed=seed)
        als = _fit_als(AlternatingLeastSquares, split, TUNED["implicit ALS"])
        models = [als]
        for name, build in rows.items():
            for normalize in RELEVANCE_CHOICES:
                settings = {**TUNED[name], "normalize_relevance": normalize}
                models.append(KmrRow(build, settings)._fit(split, settings))
        cells = [
            held_out_metrics(model, split)[f"ndcg@{K}"] for model in models
        ]
        print(f"{seed:<12}" + "".join(f"{cell:>28.4f}" for cell in cells))


def main(argv: list[str]) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("path", nargs="?", type=Path, default=DEFAULT_PATH)
    parser.add_argument(
        "--split-seeds",
        default="",
        help="comma-separated seeds of further splits to score with the "
        "tuned settings (for example 0,1,2); none by default",
    )
    args = parser.parse_args(argv[1:])
    path = args.path
    split = make_split(path)
    print(
        f"MovieLens latest-small at {path}: "
        f"{len(np.unique(split.test[0]))} test users, "
        f"{len(split.train[0])} train / {len(split.test[0])} test positives, "
        f"{split.num_items} items"
    )
    header = f"{'model':<16}" + "".join(f"{c + '@10':>13}" for c in COLUMNS)
    print(header + f"{'seconds':>9}  settings")
    for name, make_row in MODEL_ROWS + kmr_model_rows():
        start = time.perf_counter()
        model, detail = make_row(split)
        result = held_out_metrics(model, split)
        seconds = time.perf_counter() - start
        cells = "".join(f"{result[f'{c}@{K}']:>13.4f}" for c in COLUMNS)
        print(f"{name:<16}{cells}{seconds:>9.1f}  {detail}")

    if args.split_seeds:
        seeds = [int(seed) for seed in args.split_seeds.split(",")]
        split_seed_table(path, seeds)


if __name__ == "__main__":
    main(sys.argv)
