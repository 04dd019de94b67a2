"""Held-out ranking quality on MovieLens latest-small.

Protocol: ratings >= 4 are positives; users with at least 5 positives;
each user's positives split 80/20 at random (seed 42); every model ranks
the whole catalog for each test user with the user's training positives
excluded; NDCG, Recall, Precision, MAP and hit rate at 10 are averaged over
test users. The files are read in place, never copied.

Run: python benchmarks/quality.py [path/to/ml-latest-small]
(default: ../shared/data/ml-latest-small next to the repository root).

Each row is a function in `MODEL_ROWS` that takes the training split and
returns a fitted object with the kmr `recommend` signature; add rows
there.
"""

from __future__ import annotations

import itertools
import os
import sys
import time
from dataclasses import dataclass
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
    """Training and test positives, as contiguous ids."""

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
    return Split(
        num_users=data.num_users,
        num_items=data.num_items,
        train=(users[train], items[train]),
        test=(users[test], items[test]),
        user_features=data.user_features,
        item_features=data.item_features,
    )


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
    return Split(
        split.num_users,
        split.num_items,
        (split.train[0][inner_train], split.train[1][inner_train]),
        (split.train[0][inner_valid], split.train[1][inner_valid]),
        split.user_features,
        split.item_features,
    )


def als_row(split: Split):
    from implicit.cpu.als import AlternatingLeastSquares

    inner = validation_split(split)
    grid = itertools.product(
        (32, 64, 128, 256), (5.0, 50.0, 200.0), (5.0, 20.0, 50.0)
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


def matrix_factorization_row(split: Split):
    import kmr

    losses = getattr(kmr, "losses", None)
    if not hasattr(losses, "SoftmaxCrossEntropyRankingLoss"):
        return _fit_matrix_factorization(split, None), "BCE loss"

    # Tune the softmax temperature on the validation split only.
    inner = validation_split(split)
    best = None
    for temperature in (0.1, 0.2, 0.5):
        model = _fit_matrix_factorization(inner, temperature)
        ndcg = evaluate_model(model, inner.train, inner.test, [K])[f"ndcg@{K}"]
        if best is None or ndcg > best[0]:
            best = (ndcg, temperature)
    model = _fit_matrix_factorization(split, best[1])
    return model, f"embedding_dim=64, 40 epochs, softmax CE T={best[1]}"


def _fit_matrix_factorization(split: Split, temperature):
    import keras

    import kmr

    keras.utils.set_random_seed(42)
    model = kmr.models.MatrixFactorizationModel(
        num_users=split.num_users,
        num_items=split.num_items,
        embedding_dim=64,
        l2_reg=1e-5,
    )
    if temperature is None:
        loss = keras.losses.BinaryCrossentropy(from_logits=True)
    else:
        loss = kmr.losses.SoftmaxCrossEntropyRankingLoss(
            temperature=temperature
        )
    model.compile(optimizer=keras.optimizers.Adam(0.01), loss=loss)
    users = np.unique(split.train[0])
    labels = label_matrix(*split.train, split.num_items, rows=users)
    model.fit(users, labels, epochs=40, batch_size=64, verbose=0)
    return model


def kmr_model_rows():
    """Rows for the kmr models that this checkout provides."""
    import kmr

    rows = []
    if hasattr(kmr.models, "MatrixFactorizationModel"):
        rows.append(("kmr MF", matrix_factorization_row))
    return rows


#: Hook for model rows: `(name, function(split) -> (recommender, detail))`.
#: Every recommender must offer `recommend(user_ids=, user_features=, k=,
#: seen_item_mask=)` returning `(top_k_item_ids, top_k_scores)`; the kmr
#: models do.
MODEL_ROWS = [
    ("popularity", popularity_row),
    ("implicit ALS", als_row),
]


def main(argv: list[str]) -> None:
    path = Path(argv[1]) if len(argv) > 1 else DEFAULT_PATH
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
        result = evaluate_model(
            model,
            split.train,
            split.test,
            [K],
            num_items=split.num_items,
            user_features=split.user_features,
        )
        seconds = time.perf_counter() - start
        cells = "".join(f"{result[f'{c}@{K}']:>13.4f}" for c in COLUMNS)
        print(f"{name:<16}{cells}{seconds:>9.1f}  {detail}")


if __name__ == "__main__":
    main(sys.argv)
