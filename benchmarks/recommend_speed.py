"""`recommend()` for every user of a MovieLens-1M-sized catalog.

Times `UnifiedRecommendationModel.recommend` for 6,040 users over 3,706
items (top 10, each user's seen items excluded) against a lower bound
measured in the same run: the NumPy matrix product of the model's final
user and item vectors, the seen items set to -inf, and `argpartition` plus
a sort of the 10 best. The unified score `w_cf * cos(e_u, e_i) + w_cb *
cos(t_u, t_i)` is one dot product of the concatenated vectors `[w_cf *
e_u / |e_u|, w_cb * t_u / |t_u|]` and `[e_i / |e_i|, t_i / |t_i|]`, so the
bound does the least work any exact top-k over the whole catalog must do:
one `(6040, 64) x (64, 3706)` product and one selection per row. Computing
those vectors is left out of the bound's time.

Run: python benchmarks/recommend_speed.py [--backend jax] [--repeats 5]
"""

import argparse
import os
import sys
import time
from pathlib import Path

# Import the kmr of this checkout, not an installed one.
sys.path.insert(0, str(Path(__file__).resolve().parents[1]))

TARGET_RATIO = 2.0


def parse_args():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", default=None)
    parser.add_argument("--repeats", type=int, default=5)
    parser.add_argument("--users", type=int, default=6040)
    parser.add_argument("--items", type=int, default=3706)
    parser.add_argument("--seen-per-user", type=int, default=165)
    parser.add_argument("--batch-size", type=int, default=1024)
    return parser.parse_args()


def final_vectors(model, user_ids, user_features):
    """Returns user and item vectors whose dot products are the scores."""
    import numpy as np
    from keras import ops

    def unit(x):
        x = ops.convert_to_numpy(x).astype("float32")
        norms = np.linalg.norm(x, axis=-1, keepdims=True)
        return x / np.maximum(norms, 1e-12)

    catalog = model.catalog_item_inputs()
    item_state = model.encode_items(catalog, training=False)
    user_embeddings = model.embedding_layer.user_embedding(user_ids)
    user_representations = model.user_tower(user_features, training=False)
    weights = ops.convert_to_numpy(model.weight_combiner(user_ids))
    users = np.concatenate(
        [
            weights[:, :1] * unit(user_embeddings),
            weights[:, 1:] * unit(user_representations),
        ],
        axis=1,
    )
    items = np.concatenate(
        [
            unit(item_state["item_vectors"]),
            unit(item_state["item_representations"]),
        ],
        axis=1,
    )
    return users, items


def lower_bound(users, items, seen_mask, k):
    import numpy as np

    scores = users @ items.T
    scores[seen_mask] = -np.inf
    top = np.argpartition(-scores, k - 1, axis=1)[:, :k]
    top_scores = np.take_along_axis(scores, top, axis=1)
    order = np.argsort(-top_scores, axis=1, kind="stable")
    return np.take_along_axis(top, order, axis=1)


def best_of(repeats, function):
    seconds, result = float("inf"), None
    for _ in range(repeats):
        start = time.perf_counter()
        result = function()
        seconds = min(seconds, time.perf_counter() - start)
    return seconds, result


def main():
    args = parse_args()
    if args.backend:
        os.environ["KERAS_BACKEND"] = args.backend
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")

    import keras
    import numpy as np

    from kmr.models import UnifiedRecommendationModel

    keras.utils.set_random_seed(0)
    rng = np.random.default_rng(0)
    num_users, num_items, k = args.users, args.items, 10
    model = UnifiedRecommendationModel(
        num_users=num_users,
        num_items=num_items,
        user_feature_dim=20,
        item_feature_dim=15,
        top_k=k,
    )
    model.set_item_catalog(rng.random((num_items, 15), dtype="float32"))
    user_ids = np.arange(num_users)
    user_features = rng.random((num_users, 20), dtype="float32")
    seen_item_ids = [
        rng.choice(num_items, args.seen_per_user, replace=False)
        for _ in range(num_users)
    ]
    seen_mask = np.zeros((num_users, num_items), dtype=bool)
    for row, ids in enumerate(seen_item_ids):
        seen_mask[row, ids] = True

    def run_recommend():
        return model.recommend(
            user_ids,
            user_features,
            k=k,
            seen_item_mask=seen_mask,
            batch_size=args.batch_size,
        )

    run_recommend()  # compiles or warms up the scoring path
    recommend_seconds, (top_ids, _) = best_of(args.repeats, run_recommend)

    users, items = final_vectors(model, user_ids, user_features)
    bound_seconds, bound_ids = best_of(
        args.repeats, lambda: lower_bound(users, items, seen_mask, k)
    )

    # Same items, compared as sets: float32 rounding may swap near-ties.
    agreement = np.mean(
        [
            len(set(a) & set(b)) / k
            for a, b in zip(top_ids.tolist(), bound_ids.tolist())
        ]
    )
    ratio = recommend_seconds / bound_seconds
    print(
        f"backend {keras.backend.backend()}, {num_users:,} users x "
        f"{num_items:,} items, top {k}, {args.seen_per_user} seen items "
        f"per user excluded, best of {args.repeats}"
    )
    print(f"{'method':<34} {'seconds':>8} {'users/s':>10}")
    print(
        f"{'recommend() (batch ' + str(args.batch_size) + ')':<34} "
        f"{recommend_seconds:>8.3f} {num_users / recommend_seconds:>10,.0f}"
    )
    print(
        f"{'NumPy product + argpartition':<34} {bound_seconds:>8.3f} "
        f"{num_users / bound_seconds:>10,.0f}"
    )
    print(f"ratio recommend / bound: {ratio:.2f}x (target <= {TARGET_RATIO}x)")
    print(f"top-{k} agreement with the bound: {agreement:.4f}")
    if ratio > TARGET_RATIO:
        print(f"TARGET MISSED by {ratio / TARGET_RATIO:.2f}x")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())
