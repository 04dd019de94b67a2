"""The end-to-end demo behind ``python -m kmr demo``.

Synthetic interactions with planted structure go through the whole seed
workflow: a per-user held-out split, training of the explainable unified
model on the shared catalog, full-catalog ranking of the held-out users
with their training items excluded, a comparison with popularity, the
learned component weights, and the diagnostics report as one HTML file.
"""

from __future__ import annotations

import time
from pathlib import Path

import keras
import numpy as np

from kmr.callbacks import ComponentWeightsLogger
from kmr.evaluation import (
    PopularityRecommender,
    evaluate_model,
    label_matrix,
    random_holdout_split,
)
from kmr.losses import ImprovedMarginRankingLoss
from kmr.metrics import NDCGAtK, PrecisionAtK, RecallAtK
from kmr.models import ExplainableUnifiedRecommendationModel
from kmr.utils import KMRDataGenerator, KMRPlotter

#: Synthetic data of the demo: the seed workflow's sizes.
NUM_USERS, NUM_ITEMS = 1000, 500
REPORT_METRICS = ("recall@10", "ndcg@10", "precision@10", "hit_rate@10")


def run_demo(
    output_dir: str = "kmr_report", epochs: int | None = None, seed: int = 42
) -> dict:
    """Runs the demo, prints its results and writes the report.

    Args:
        output_dir: Folder for the diagnostics report. Defaults to
            `"kmr_report"`.
        epochs: Training epochs. Defaults to 30, the seed workflow's.
        seed: Seed of the synthetic data, the split and the weights.
            Defaults to 42.

    Returns:
        A dict with the held-out metrics of the model and of popularity,
        the mean learned component weights and the report path.
    """
    epochs = 30 if epochs is None else epochs
    keras.utils.set_random_seed(seed)
    started = time.perf_counter()

    generate = KMRDataGenerator.generate_collaborative_filtering_data
    users, items, ratings, user_features, item_features = generate(
        n_users=NUM_USERS,
        n_items=NUM_ITEMS,
        n_interactions=20000,
        random_state=seed,
    )
    liked = ratings >= 4
    users, items = users[liked], items[liked]
    print(
        f"Data: {NUM_USERS} users, {NUM_ITEMS} items, {len(users)} positive "
        "interactions (rating >= 4); features of width "
        f"{user_features.shape[1]} (users) and {item_features.shape[1]} "
        "(items)."
    )

    train, test = random_holdout_split(users, test_fraction=0.2, seed=seed)
    train_pairs = (users[train], items[train])
    test_pairs = (users[test], items[test])
    all_users = np.arange(NUM_USERS)
    train_labels = label_matrix(*train_pairs, NUM_ITEMS, all_users)
    print(
        f"Split: {len(train)} training and {len(test)} held-out "
        "interactions (20% of each user's, seed "
        f"{seed})."
    )

    model = ExplainableUnifiedRecommendationModel(
        num_users=NUM_USERS,
        num_items=NUM_ITEMS,
        user_feature_dim=user_features.shape[1],
        item_feature_dim=item_features.shape[1],
        embedding_dim=64,
        tower_dim=64,
        top_k=10,
        l2_reg=0.01,
    )
    model.set_item_catalog(item_features)
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate=1e-3),
        loss=ImprovedMarginRankingLoss(
            margin=1.0, max_min_weight=0.6, avg_weight=0.4
        ),
        metrics=[
            RecallAtK(k=10, name="recall@10"),
            PrecisionAtK(k=10, name="prec@10"),
            NDCGAtK(k=10, name="ndcg@10"),
        ],
    )
    weights_logger = ComponentWeightsLogger(
        [all_users, user_features], verbose=0
    )
    history = model.fit(
        [all_users, user_features],
        train_labels,
        epochs=epochs,
        batch_size=32,
        callbacks=[weights_logger],
        verbose=0,
    )
    final = {name: values[-1] for name, values in history.history.items()}
    print(
        f"Trained {epochs} epochs on the shared catalog. Training metrics "
        f"(on training labels, not held out): loss {final['loss']:.3f}, "
        f"recall@10 {final['recall@10']:.3f}."
    )

    model_metrics = evaluate_model(
        model, train_pairs, test_pairs, user_features=user_features
    )
    popularity = PopularityRecommender(num_items=NUM_ITEMS).fit(*train_pairs)
    popularity_metrics = evaluate_model(popularity, train_pairs, test_pairs)
    print("\nHeld-out ranking of the whole catalog, training items excluded:")
    print(_metrics_table(model_metrics, popularity_metrics))

    component_weights = _component_weights(model, all_users, user_features)
    print(
        "\nLearned component weights over users (collaborative / "
        f"content): mean {component_weights.mean(axis=0)[0]:.3f} / "
        f"{component_weights.mean(axis=0)[1]:.3f}, collaborative weight "
        f"from {component_weights[:, 0].min():.3f} to "
        f"{component_weights[:, 0].max():.3f}."
    )

    test_users = np.unique(test_pairs[0])[:10]
    report = KMRPlotter.create_recommendation_diagnostic_report(
        model=model,
        history=history,
        user_features=user_features[test_users],
        item_features=item_features,
        train_y=label_matrix(*test_pairs, NUM_ITEMS, test_users),
        n_sample_users=len(test_users),
        user_ids=test_users,
    )
    report_path = Path(output_dir) / "diagnostic_report.html"
    report_path.parent.mkdir(parents=True, exist_ok=True)
    report.save_html(report_path)
    print(f"\nDiagnostics report (held-out labels): {report_path.resolve()}")
    print(f"Done in {time.perf_counter() - started:.0f} s.")

    return {
        "model": model_metrics,
        "popularity": popularity_metrics,
        "component_weights": component_weights.mean(axis=0),
        "report_path": str(report_path),
    }


def _component_weights(model, user_ids, user_features) -> np.ndarray:
    outputs = model.predict([user_ids, user_features], verbose=0)
    names = model.output_names_in_order
    return np.asarray(outputs[names.index("weights")])


def _metrics_table(model_metrics: dict, popularity_metrics: dict) -> str:
    header = f"{'':<28}" + "".join(f"{m:>14}" for m in REPORT_METRICS)
    rows = [header]
    for label, metrics in (
        ("explainable unified model", model_metrics),
        ("popularity", popularity_metrics),
    ):
        values = "".join(f"{metrics[m]:>14.4f}" for m in REPORT_METRICS)
        rows.append(f"{label:<28}{values}")
    return "\n".join(rows)
