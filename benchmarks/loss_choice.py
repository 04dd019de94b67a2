"""Which ranking loss trains the best recommender? NDCG@10 on MovieLens.

Trains the same embedding dot-product scorer once per kmr loss on
MovieLens latest-small and prints full-catalog NDCG@10 and Recall@10 on a
held-out 20% of each user's ratings, with training items excluded.

Each training row is one user with a list of candidates: up to
`--positives` of the user's training items and `--negatives` items drawn
uniformly from the catalog (labelled 1 if the user rated them in
training). Every loss sees the same rows.

Usage (from the repository root):

    python benchmarks/loss_choice.py [path/to/ml-latest-small] [--epochs 8]
"""

from __future__ import annotations

import argparse
import csv
import time
from pathlib import Path

import keras
import numpy as np
from keras import ops

from kmr.losses import (
    AverageMarginLoss,
    BPRLoss,
    ImprovedMarginRankingLoss,
    MaxMinMarginLoss,
    SoftmaxCrossEntropyRankingLoss,
)
from kmr.metrics import NDCGAtK, RecallAtK

DEFAULT_DATA = Path(__file__).resolve().parents[1] / "../shared/data"


def load_interactions(path: Path):
    with open(path / "ratings.csv") as handle:
        rows = list(csv.DictReader(handle))
    users = np.array([int(r["userId"]) for r in rows])
    items = np.array([int(r["movieId"]) for r in rows])
    _, users = np.unique(users, return_inverse=True)
    _, items = np.unique(items, return_inverse=True)
    return users, items, int(users.max()) + 1, int(items.max()) + 1


def split(users, items, num_users, rng, test_share=0.2):
    train = [[] for _ in range(num_users)]
    test = [[] for _ in range(num_users)]
    order = rng.permutation(len(users))
    for index in order:
        user = users[index]
        target = test if rng.random() < test_share else train
        target[user].append(items[index])
    return train, test


def training_rows(train, num_items, rng, positives, negatives):
    user_ids, candidates, labels = [], [], []
    for user, items in enumerate(train):
        if not items:
            continue
        seen = set(items)
        for _ in range(max(1, len(items) // positives)):
            chosen = rng.choice(items, size=min(positives, len(items)))
            drawn = rng.integers(0, num_items, size=negatives)
            row = np.concatenate([chosen, drawn])
            row = np.pad(row, (0, positives + negatives - len(row)), "edge")
            user_ids.append(user)
            candidates.append(row)
            labels.append([1.0 if i in seen else 0.0 for i in row])
    return (
        np.array(user_ids, "int32"),
        np.array(candidates, "int32"),
        np.array(labels, "float32"),
    )


def build_model(num_users, num_items, dim):
    user_ids = keras.Input((), dtype="int32")
    candidate_ids = keras.Input((None,), dtype="int32")
    user_embedding = keras.layers.Embedding(num_users, dim, name="users")
    item_embedding = keras.layers.Embedding(num_items, dim, name="items")
    users = user_embedding(user_ids)
    items = item_embedding(candidate_ids)
    scores = keras.layers.Lambda(
        lambda pair: ops.einsum("bd,bcd->bc", pair[0], pair[1])
    )([users, items])
    return keras.Model([user_ids, candidate_ids], scores)


def evaluate(model, train, test, num_items):
    users = model.get_layer("users").get_weights()[0]
    items = model.get_layer("items").get_weights()[0]
    scores = users @ items.T
    labels = np.zeros(scores.shape, "float32")
    for user in range(len(train)):
        labels[user, test[user]] = 1.0
        labels[user, train[user]] = -1.0
    ndcg, recall = NDCGAtK(k=10), RecallAtK(k=10)
    for start in range(0, len(labels), 128):
        chunk = slice(start, start + 128)
        ndcg.update_state(labels[chunk], scores[chunk])
        recall.update_state(labels[chunk], scores[chunk])
    return float(ndcg.result()), float(recall.result())


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "data", nargs="?", default=str(DEFAULT_DATA / "ml-latest-small")
    )
    parser.add_argument("--epochs", type=int, default=8)
    parser.add_argument("--dim", type=int, default=32)
    parser.add_argument("--positives", type=int, default=8)
    parser.add_argument("--negatives", type=int, default=56)
    args = parser.parse_args()

    rng = np.random.default_rng(0)
    users, items, num_users, num_items = load_interactions(Path(args.data))
    train, test = split(users, items, num_users, rng)
    losses = {
        "MaxMinMarginLoss": MaxMinMarginLoss(),
        "AverageMarginLoss": AverageMarginLoss(),
        "ImprovedMarginRankingLoss": ImprovedMarginRankingLoss(),
        "BPRLoss": BPRLoss(),
        "SoftmaxCrossEntropyRankingLoss": SoftmaxCrossEntropyRankingLoss(),
    }

    print(f"{num_users} users, {num_items} items, {len(users)} ratings")
    print(f"{'loss':32s} {'NDCG@10':>8s} {'Recall@10':>9s} {'seconds':>8s}")
    for name, loss in losses.items():
        keras.utils.set_random_seed(0)
        model = build_model(num_users, num_items, args.dim)
        model.compile(optimizer=keras.optimizers.Adam(0.01), loss=loss)
        started = time.perf_counter()
        for epoch in range(args.epochs):
            user_ids, candidates, labels = training_rows(
                train,
                num_items,
                np.random.default_rng(epoch),
                args.positives,
                args.negatives,
            )
            model.fit([user_ids, candidates], labels, batch_size=256, verbose=0)
        seconds = time.perf_counter() - started
        ndcg, recall = evaluate(model, train, test, num_items)
        print(f"{name:32s} {ndcg:8.4f} {recall:9.4f} {seconds:8.1f}")


if __name__ == "__main__":
    main()
