"""Writes the six model notebooks from their cell sources, and runs them.

The notebooks are generated so that they can be reviewed as code: every
cell is a string below. Usage, from the repository root:

    python notebooks/build_notebooks.py            # write, no outputs
    python notebooks/build_notebooks.py --execute  # write, run, save outputs
    python notebooks/build_notebooks.py --execute two_tower_model_demo
    python notebooks/build_notebooks.py --markdown-only  # text edits only

Executing runs each notebook top to bottom in a fresh `python3` kernel
with the TensorFlow backend, the working directory `notebooks/` and the
repository root on `PYTHONPATH`, and saves it with its outputs. The full
diagnostic reports go to `notebooks/output/` (git-ignored).
"""

from __future__ import annotations

import os
import re
import sys
import textwrap
import time
from pathlib import Path

import nbformat

NOTEBOOK_DIR = Path(__file__).resolve().parent
REPO_ROOT = NOTEBOOK_DIR.parent


def md(text: str):
    """Returns a markdown cell from indented text."""
    return nbformat.v4.new_markdown_cell(textwrap.dedent(text).strip())


def code(text: str):
    """Returns a code cell from indented source."""
    return nbformat.v4.new_code_cell(textwrap.dedent(text).strip())


# ---------------------------------------------------------------------------
# Cells shared by several notebooks.


def imports(model_names: str):
    """Returns the import cell, importing the given model classes."""
    return code(
        f"""
        import os

        # The saved outputs come from the TensorFlow backend; the code runs
        # on JAX and PyTorch too.
        os.environ.setdefault("KERAS_BACKEND", "tensorflow")

        import time
        from pathlib import Path

        import keras
        import numpy as np
        import plotly.io as pio
        from keras.optimizers import Adam

        from kmr.evaluation import (
            PopularityRecommender,
            evaluate_model,
            label_matrix,
            random_holdout_split,
            seen_item_mask,
        )
        from kmr.losses import ImprovedMarginRankingLoss
        from kmr.metrics import AccuracyAtK, PrecisionAtK, RecallAtK
        from kmr.models import {model_names}
        from kmr.utils import KMRDataGenerator, KMRPlotter

        # Figures are stored as Plotly JSON only (no embedded plotly.js), to
        # keep this file small; JupyterLab and VS Code draw them.
        pio.renderers.default = "plotly_mimetype"
        keras.utils.set_random_seed(42)
        OUTPUT_DIR = Path("output")
        OUTPUT_DIR.mkdir(exist_ok=True)
        print(f"Keras {{keras.__version__}}, "
              f"backend {{keras.backend.backend()}}")
        """
    )


SHOW_RESULTS = code(
    '''
    def show_results(results, metrics=("recall", "ndcg", "precision",
                                       "hit_rate"), k_values=(5, 10)):
        """Prints held-out metrics side by side, one column per recommender."""
        names = list(results)
        print(f"{'held-out metric':<18}" + "".join(f"{n:>14}" for n in names))
        for metric in metrics:
            for k in k_values:
                key = f"{metric}@{k}"
                row = "".join(f"{results[n][key]:>14.4f}" for n in names)
                print(f"{key:<18}{row}")
        key = f"coverage@{max(k_values)}"
        row = "".join(f"{results[n][key]:>14.4f}" for n in names)
        print(f"{key:<18}{row}")
        print(f"{'test users':<18}"
              + "".join(f"{results[n]['num_users']:>14d}" for n in names))
    '''
)


def six_metrics_compile(num_outputs: int):
    """Returns the original's list-form compile for a model."""
    nones = ", ".join(["None"] * (num_outputs - 1))
    return code(
        f"""
        model.compile(
            optimizer=Adam(learning_rate=0.001),
            loss=[
                ImprovedMarginRankingLoss(
                    margin=1.0, max_min_weight=0.6, avg_weight=0.4
                ),
                {nones},
            ],
            metrics=[
                [
                    AccuracyAtK(k=5, name="acc@5"),
                    AccuracyAtK(k=10, name="acc@10"),
                    PrecisionAtK(k=5, name="prec@5"),
                    PrecisionAtK(k=10, name="prec@10"),
                    RecallAtK(k=5, name="recall@5"),
                    RecallAtK(k=10, name="recall@10"),
                ],
                {nones},
            ],
        )
        """
    )


TRAINING_METRICS = code(
    """
    print(f"trained for {len(history.history['loss'])} epochs "
          f"in {fit_seconds:.0f} s")
    print("TRAINING metrics, on the training labels (they measure how well the"
          "\\nmodel fits the interactions it was trained on, not how well it"
          "\\npredicts new ones):")
    for name, values in history.history.items():
        print(f"  training {name:<10} first epoch {values[0]:.3f}"
              f"   last epoch {values[-1]:.3f}")
    """
)

CF_DATA_MD = md(
    """
    ## 1. Data

    The original's call: 1000 users, 500 items, 10,000 ratings on a 1-5
    scale. The generator plants a preference model: ratings grow with a
    user's hidden preference for an item, so **a rating of 4 or 5 marks an
    item the user likes**, and part of that preference is visible in the
    user and item features (`feature_signal_weight=0.5`, the default).
    """
)

CF_DATA = code(
    """
    (user_ids, item_ids, ratings, user_features, item_features) = (
        KMRDataGenerator.generate_collaborative_filtering_data(
            n_users=1000,
            n_items=500,
            n_interactions=10000,
            random_state=42,
            rating_scale=(1, 5),
            sparsity=0.95,
        )
    )
    # The id spaces, including users or items without any interaction.
    n_users, n_items = len(user_features), len(item_features)
    print(f"{len(ratings)} ratings, {n_users} users, {n_items} items")
    print("ratings 1..5:", np.bincount(ratings.astype(int), minlength=6)[1:])
    print(f"user_features {user_features.shape}, "
          f"item_features {item_features.shape}")
    """
)

CF_SPLIT_MD = md(
    """
    ## 2. Positives, and a held-out split

    The original labelled every rated item as a positive, 1-star ratings
    included, and then scored the model on the users it had trained on.
    Here:

    - **positives are ratings >= 4**: a 1-3 rating says the user did not
      like the item, so recommending it is not a success. Items rated 1-3
      stay 0 (not relevant) in the training labels;
    - **each user's positives are split at random, 80% train / 20% test**
      (`random_holdout_split`, seed 42). A user with a single positive
      keeps it in training;
    - at evaluation, every item the user has already rated, except the
      held-out positives, is **excluded from their recommendations**
      (`seen_item_mask`), as a deployed recommender would do.
    """
)

CF_SPLIT = code(
    """
    is_positive = ratings >= 4
    positive_users = user_ids[is_positive]
    positive_items = item_ids[is_positive]
    train_index, test_index = random_holdout_split(
        positive_users, test_fraction=0.2, seed=42
    )
    train_pairs = (positive_users[train_index], positive_items[train_index])
    test_pairs = (positive_users[test_index], positive_items[test_index])

    # Seen items: every rating except the held-out positives.
    held_out = np.zeros(len(ratings), dtype=bool)
    held_out[np.flatnonzero(is_positive)[test_index]] = True
    seen_pairs = (user_ids[~held_out], item_ids[~held_out])

    # One label row per user id: 1 for a training positive, 0 otherwise.
    train_rows = np.arange(n_users)
    train_labels = label_matrix(*train_pairs, n_items, rows=train_rows)
    test_users = np.unique(test_pairs[0])
    print(f"positives: {is_positive.sum()} of {len(ratings)} ratings")
    print(f"train positives {len(train_index)}, held-out positives "
          f"{len(test_index)} from {len(test_users)} test users")
    print(f"train labels {train_labels.shape}, "
          f"{train_labels.sum(axis=1).mean():.1f} positives per row")
    """
)

FIT_NOTE = """
    **Training differs from the original in size, on purpose.** The original
    trained on the first 48-50 users with a copy of the whole catalog per
    user (`batch_size=8`). Here every training user's positives are used,
    and the model is given **only the user inputs**: it then scores its
    whole catalog ({catalog}), computed once per batch instead of copied
    per user. `batch_size=32` keeps the run short on a CPU.
    """

EVALUATION_MD = md(
    """
    ## Held-out evaluation

    For each test user, the model ranks the **whole catalog minus the items
    the user already rated**, and the top 10 are compared with the user's
    held-out positives (`evaluate_model`). The same code ranks the
    **popularity baseline** (most training positives first), which a
    personalised model has to beat to be worth its cost. Every number in
    this table comes from held-out interactions.
    """
)


def evaluation(user_features_arg: str, seen: str = "seen_pairs"):
    """Returns the held-out evaluation cell, model against popularity."""
    return code(
        f"""
        popularity = PopularityRecommender(num_items=n_items).fit(*train_pairs)
        results = {{
            name: evaluate_model(
                recommender,
                {seen},
                test_pairs,
                k_values=[5, 10],
                num_items=n_items,
                user_features={user_features_arg},
            )
            for name, recommender in [
                ("model", model), ("popularity", popularity)
            ]
        }}
        show_results(results)
        gain = (results["model"]["recall@10"]
                / results["popularity"]["recall@10"])
        print(f"\\nheld-out recall@10: model / popularity = {{gain:.2f}}")
        """
    )


def recommend_cell(call_args: str, seen: str = "seen_pairs"):
    """Returns the cell recommending for 10 test users."""
    return code(
        f"""
        sample_users = test_users[:10]
        sample_seen = seen_item_mask(*{seen}, n_items, rows=sample_users)
        rec_ids, rec_scores = model.recommend(
            {call_args}
            k=10,
            seen_item_mask=sample_seen,
        )
        sample_test = label_matrix(*test_pairs, n_items, rows=sample_users)
        hits = np.take_along_axis(sample_test, rec_ids, axis=1)
        for user, ids, user_hits, held in zip(
            sample_users, rec_ids, hits, sample_test.sum(axis=1)
        ):
            print(f"user {{user:>4}}: {{ids}}  held-out hits "
                  f"{{int(user_hits.sum())}}/{{int(held)}}")
        """
    )


DIVERSITY_MD = md(
    """
    ## Diversity

    The original reported "0 items shared by all 10 users" as proof that
    the model works. Sharing nothing says only that the lists differ; the
    useful questions are how many distinct items the model recommends
    across all test users (catalog coverage) compared with the baseline,
    and whether the lists still hit held-out items (the table above).
    """
)


def diversity(call_args: str, seen: str = "seen_pairs"):
    """Returns the diversity cell over every test user."""
    return code(
        f"""
        all_seen = seen_item_mask(*{seen}, n_items, rows=test_users)
        all_ids, _ = model.recommend(
            {call_args}
            k=10, seen_item_mask=all_seen,
        )
        popular_ids, _ = popularity.recommend(
            user_ids=test_users, k=10, seen_item_mask=all_seen
        )
        shared = set(rec_ids[0]).intersection(*map(set, rec_ids[1:]))
        print(f"items shared by all {{len(rec_ids)}} sample users' lists: "
              f"{{len(shared)}}")
        print(f"distinct items in the top-10 lists of {{len(test_users)}} test "
              f"users: model {{len(np.unique(all_ids))}}, popularity "
              f"{{len(np.unique(popular_ids))}} (of {{n_items}})")
        KMRPlotter.plot_recommendation_diversity(
            rec_ids, user_ids=sample_users,
            title="Top-10 lists of 10 test users",
        ).show()
        """
    )


REPORT_MD = md(
    """
    ## Diagnostics report

    `KMRPlotter.create_recommendation_diagnostic_report` scores the sample
    users once and gathers its figures (training history, score
    distributions, top-k scores, confidence, diversity, user clusters and,
    where the model has them, embeddings and component weights). Its
    positive/negative score separation is computed against the **held-out
    positives** of those users (their seen items are ignored), not against
    the training labels as in the original, and id models get the users'
    true ids, not row numbers. The full report is written to an HTML file under
    `output/`; only its text summary is kept here.
    """
)


def report(name: str, features: str, ids_arg: str, seen: str = "seen_pairs"):
    """Returns the diagnostic report cell, saving the HTML file."""
    return code(
        f"""
        held_out_labels = label_matrix(
            *test_pairs,
            n_items,
            rows=sample_users,
            ignored_user_ids={seen}[0],
            ignored_item_ids={seen}[1],
        )
        report = KMRPlotter.create_recommendation_diagnostic_report(
            model=model,
            history=history,
            {features}
            train_y=held_out_labels,
            n_sample_users=10,
            {ids_arg}
        )
        path = report.save_html(OUTPUT_DIR / "{name}_report.html")
        print("figures:", [k for k, v in report["figures"].items() if v])
        print("written to", path)
        KMRPlotter.print_diagnostic_summary(report)
        """
    )


SUMMARY_MD = md(
    """
    ## What this notebook shows

    - The training metrics printed after `fit` describe the training
      labels only; compare them with the held-out table to see how much of
      the fit is memorisation.
    - The held-out table is the measure of quality: the model against the
      popularity baseline on the same test users, with the items each
      user already rated (if any) excluded. The ratio printed under it
      says which is ahead on this data and seed; the conclusion is not
      written in advance.
    """
)


# ---------------------------------------------------------------------------
# The notebooks.


def unified_cells(explainable: bool):
    """Returns the cells of the two unified-model notebooks."""
    cls = (
        "ExplainableUnifiedRecommendationModel"
        if explainable
        else "UnifiedRecommendationModel"
    )
    num_outputs = 7 if explainable else 3
    name = (
        "explainable_unified_recommendation_model"
        if explainable
        else "unified_recommendation_model"
    )
    title = (
        "Explainable unified recommendation model"
        if explainable
        else "Unified recommendation model"
    )
    intro = md(
        f"""
        # {title}

        `{cls}` blends two cosine similarities for every user and item:
        **collaborative** (learned user and item id embeddings) and
        **content-based** (a user tower on the user features and an item
        tower on the item features), with weights `(w_cf, w_cb)` that are
        **learned**: a global softmax plus a per-user offset.
        """
        + (
            """
        The explainable variant returns the parts of that computation with
        the scores, so each recommendation can be traced to its
        collaborative and content contributions:
        `score = w_cf * cf + w_cb * cb`, exactly.

        This notebook follows the original KMR demo (data generator, the
        original model arguments, the list-form compile, training,
        recommendations, diversity, diagnostics) and adds what the original
        lacked: positives from ratings, a held-out split, evaluation
        against a popularity baseline with seen items excluded, and the
        learned weights and per-recommendation explanations. (The original
        notebook for this model could not run: it had no import cell and
        trained a different model.)
        """
            if explainable
            else """
        This notebook follows the original KMR demo and adds what it lacked:
        positives from ratings, a held-out split and evaluation against a
        popularity baseline with seen items excluded. The original said the
        weights were learnable while they were constants; here the cell
        after training prints them before and after `fit`.
        """
        )
    )
    cells = [
        intro,
        imports(cls),
        CF_DATA_MD,
        CF_DATA,
        CF_SPLIT_MD,
        CF_SPLIT,
        md(
            """
            ## 3. Model

            The original's arguments: 64-dimensional id embeddings and
            towers, top 10, `l2_reg=0.01`.
            """
        ),
        code(
            f"""
            model = {cls}(
                num_users=n_users,
                num_items=n_items,
                user_feature_dim=user_features.shape[1],
                item_feature_dim=item_features.shape[1],
                embedding_dim=64,
                tower_dim=64,
                top_k=10,
                l2_reg=0.01,
            )
            # The shared catalog: item features stored once, for every user.
            model.set_item_catalog(item_features)
            initial_weights = model.component_weights()
            print("(w_cf, w_cb) before training:", initial_weights.round(3))
            """
        ),
        md(
            f"""
            The original's compile: the ranking loss on the scores, and
            `None` for the other {num_outputs - 1} outputs
            """
            + (
                "(`rec_indices`, `rec_scores`, `cf_similarities`, "
                "`cb_similarities`, `weights`, `raw_cf_scores`)."
                if explainable
                else "(`rec_indices`, `rec_scores`)."
            )
        ),
        six_metrics_compile(num_outputs),
        md(
            "## 4. Training\n\n"
            + textwrap.dedent(
                FIT_NOTE.format(
                    catalog="item ids `0..n_items-1` with the stored item "
                    "features"
                )
            ).strip()
            + " 30 epochs, as in the original."
        ),
        code(
            """
            start = time.perf_counter()
            history = model.fit(
                [train_rows, user_features],
                train_labels,
                epochs=30,
                batch_size=32,
                verbose=0,
            )
            fit_seconds = time.perf_counter() - start
            """
        ),
        TRAINING_METRICS,
        md(
            """
            The original's replicated form, with the candidates given per
            user (`[user_ids, user_features, item_ids (batch, n_items),
            item_features (batch, n_items, F)]`), still works and gives the
            same scores; it only costs a copy of the catalog per user:
            """
        ),
        code(
            """
            few = train_rows[:2]
            catalog_scores = model.predict(
                [few, user_features[few]], verbose=0
            )[0]
            replicated_scores = model.predict(
                [
                    few,
                    user_features[few],
                    np.tile(np.arange(n_items), (2, 1)),
                    np.tile(item_features, (2, 1, 1)),
                ],
                verbose=0,
            )[0]
            difference = np.abs(catalog_scores - replicated_scores).max()
            print("largest score difference between the two forms: "
                  f"{difference:.1e}")
            """
        ),
        md(
            """
            The learned blend, for the population (global logits) and per
            user (global logits plus the user's offset):
            """
        ),
        code(
            """
            user_weights = model.component_weights(test_users)
            print("(w_cf, w_cb) before training:", initial_weights.round(3))
            print("(w_cf, w_cb) after training: ",
                  model.component_weights().round(3))
            print(f"per-user w_cf over {len(test_users)} test users: "
                  f"mean {user_weights[:, 0].mean():.3f}, "
                  f"std {user_weights[:, 0].std():.3f}, "
                  f"min {user_weights[:, 0].min():.3f}, "
                  f"max {user_weights[:, 0].max():.3f}")
            """
        ),
        EVALUATION_MD,
        SHOW_RESULTS,
        evaluation("user_features"),
        md(
            """
            ## Recommendations

            `recommend` ranks the whole catalog for the first 10 test users,
            with their rated items excluded; each line shows how many of
            the user's held-out positives made the top 10.
            """
        ),
        recommend_cell(
            "user_ids=sample_users,\n"
            "            user_features=user_features[sample_users],"
        ),
        DIVERSITY_MD,
        diversity(
            "user_ids=test_users,\n"
            "            user_features=user_features[test_users],"
        ),
    ]
    if explainable:
        cells += [
            md(
                """
                ## Learned weights per user

                Each user's `(w_cf, w_cb)`: the histogram shows their
                distribution over the test users, the strip the first 40
                users one by one. The per-user offsets carry the same
                `l2_reg=0.01` penalty as the embeddings, and each user has
                only a few training positives, so how far users move from
                the population weights is an empirical question: the
                spread is printed above and drawn here.
                """
            ),
            code(
                """
                KMRPlotter.plot_component_weights(
                    user_weights[:40], user_ids=test_users[:40],
                    title="Learned (w_cf, w_cb) of 40 test users",
                ).show()
                """
            ),
            md(
                """
                ## Why was an item recommended?

                `recommend(..., explain=True)` also returns, at each
                recommended item, the collaborative and content
                similarities and the user's weights. The score is rebuilt
                from them to check that the explanation is the computation
                itself, then the first user's list is split into its two
                contributions.
                """
            ),
            code(
                """
                rec_ids, rec_scores, why = model.recommend(
                    user_ids=sample_users,
                    user_features=user_features[sample_users],
                    k=10,
                    seen_item_mask=sample_seen,
                    explain=True,
                )
                w = why["weights"]
                cf_part = w[:, :1] * why["cf_similarities"]
                cb_part = w[:, 1:] * why["cb_similarities"]
                error = np.abs(cf_part + cb_part - rec_scores).max()
                print(f"largest |w_cf*cf + w_cb*cb - score|: {error:.1e}")
                user = sample_users[0]
                print(f"\\nuser {user}: w_cf={w[0, 0]:.3f}, w_cb={w[0, 1]:.3f}")
                print(f"{'item':>6}{'score':>9}{'CF part':>9}{'CB part':>9}"
                      "  held-out positive")
                hits = np.take_along_axis(sample_test, rec_ids, axis=1)
                for item, score, cf, cb, hit in zip(
                    rec_ids[0], rec_scores[0], cf_part[0], cb_part[0], hits[0]
                ):
                    print(f"{item:>6}{score:>9.3f}{cf:>9.3f}{cb:>9.3f}"
                          f"  {'yes' if hit else ''}")
                KMRPlotter.plot_recommendation_explanation(
                    rec_ids, why, user_index=0, user_ids=sample_users
                ).show()
                """
            ),
        ]
    cells += [
        REPORT_MD,
        report(
            name,
            "user_features=user_features[sample_users],\n"
            "            item_features=item_features,",
            "user_ids=sample_users,",
        ),
        SUMMARY_MD,
    ]
    return cells


def id_model_cells(explainable: bool):
    """Returns the cells of the two id-only model notebooks."""
    cls = (
        "ExplainableRecommendationModel"
        if explainable
        else "MatrixFactorizationModel"
    )
    name = (
        "explainable_recommendation_model"
        if explainable
        else "matrix_factorization_model"
    )
    num_outputs = 5 if explainable else 3
    epochs = 30 if explainable else 15
    if explainable:
        intro = md(
            """
            # Explainable recommendation model

            `ExplainableRecommendationModel` learns user and item id
            vectors, like matrix factorization, and returns with its scores
            the **cosine similarity** of the user and item vectors (its
            explanation: how closely an item matches the user's learned
            taste) and a **feedback-adjusted relevance**, which explicit
            per-item feedback (1 = more like this, 0 = not interested)
            scales by `feedback_weight`.

            This notebook follows the original demo (data, the original
            arguments, list-form compile, training, recommendations,
            diversity) and adds positives from ratings, a held-out split,
            evaluation against popularity with seen items excluded, and the
            explanation of a recommendation. This model has no learned
            blend weights: those belong to the explainable *unified* model,
            which has its own notebook.
            """
        )
        model_cell = code(
            """
            model = ExplainableRecommendationModel(
                num_users=n_users,
                num_items=n_items,
                embedding_dim=32,
                top_k=10,
                l2_reg=1e-2,
                feedback_weight=0.5,
            )
            """
        )
        model_md = md(
            """
            ## 3. Model

            The original's arguments, 32-dimensional embeddings, top 10 and
            `feedback_weight=0.5`, with one change: `l2_reg=1e-2`, as in the
            matrix factorization demo, instead of the original's 1e-4. The
            section after the held-out evaluation trains the original's
            setting too and shows what it costs. The compile lists have 5
            entries: `scores`, `rec_indices`, `rec_scores`,
            `similarity_matrix`, `feedback_adjusted`.
            """
        )
    else:
        intro = md(
            """
            # Matrix factorization model

            `MatrixFactorizationModel` learns a vector per user id and per
            item id and scores an item by the cosine of the two vectors.

            This notebook follows the original demo (data, the original
            arguments, list-form compile, training, recommendations,
            diversity, plots) and adds what it lacked: positives from
            ratings, a held-out split, and evaluation against a popularity
            baseline with seen items excluded. The original reported a
            training acc@5 of 1.0 as its result; that number measures
            memorisation, and the held-out table below is the real one.
            """
        )
        model_cell = code(
            """
            model = MatrixFactorizationModel(
                num_users=n_users,
                num_items=n_items,
                embedding_dim=64,
                top_k=10,
                l2_reg=0.01,
            )
            """
        )
        model_md = md(
            """
            ## 3. Model

            The original's arguments: 64-dimensional embeddings, top 10,
            `l2_reg=0.01`. This model reads only ids; the generated
            features are not used.
            """
        )
    cells = [
        intro,
        imports(cls),
        CF_DATA_MD,
        CF_DATA,
        CF_SPLIT_MD,
        CF_SPLIT,
        model_md,
        model_cell,
        six_metrics_compile(num_outputs),
        md(
            "## 4. Training\n\n"
            + textwrap.dedent(
                FIT_NOTE.format(catalog="item ids `0..n_items-1`")
            ).strip()
            + f" {epochs} epochs, as in the original."
        ),
        code(
            f"""
            start = time.perf_counter()
            history = model.fit(
                train_rows, train_labels, epochs={epochs}, batch_size=32,
                verbose=0,
            )
            fit_seconds = time.perf_counter() - start
            """
        ),
        TRAINING_METRICS,
        md(
            """
            The original's replicated form, `[user_ids, item_ids (batch,
            n_items)]`, gives the same scores as the catalog form:
            """
        ),
        code(
            """
            few = train_rows[:2]
            catalog_scores = model.predict(few, verbose=0)[0]
            replicated_scores = model.predict(
                [few, np.tile(np.arange(n_items), (2, 1))], verbose=0
            )[0]
            difference = np.abs(catalog_scores - replicated_scores).max()
            print("largest score difference between the two forms: "
                  f"{difference:.1e}")
            """
        ),
        EVALUATION_MD,
        SHOW_RESULTS,
        evaluation("None"),
        md(
            """
            ## Recommendations

            `recommend` ranks the whole catalog for the first 10 test users,
            with their rated items excluded; each line shows how many of
            the user's held-out positives made the top 10.
            """
        ),
        recommend_cell("user_ids=sample_users,"),
        DIVERSITY_MD,
        diversity("user_ids=test_users,"),
        md(
            """
            The full score vector of the first sample user over all 500
            items, with its top 10 marked (the original passed only the
            top-10 scores here, so its x-axis showed ranks, not items). Seen
            items keep their raw score in this plot.
            """
        ),
        code(
            """
            first_scores = model.predict(sample_users[:1], verbose=0)[0][0]
            KMRPlotter.plot_recommendation_scores(
                first_scores, top_k=model.top_k,
                title=f"Scores of user {sample_users[0]} over the catalog",
            ).show()
            """
        ),
    ]
    if explainable:
        cells += [
            md(
                """
                ## The original's regularization

                The same model, compile and training with the original's
                `l2_reg=1e-4`, evaluated on the same held-out positives.
                With 100 times less L2 penalty the id vectors are free to
                fit the training positives, and the held-out recall shows
                whether that generalises.
                """
            ),
            code(
                f"""
                original = ExplainableRecommendationModel(
                    num_users=n_users, num_items=n_items, embedding_dim=32,
                    top_k=10, l2_reg=1e-4, feedback_weight=0.5,
                )
                original.compile(
                    optimizer=Adam(learning_rate=0.001),
                    loss=[ImprovedMarginRankingLoss(
                        margin=1.0, max_min_weight=0.6, avg_weight=0.4
                    ), None, None, None, None],
                )
                original.fit(
                    train_rows, train_labels, epochs={epochs},
                    batch_size=32, verbose=0,
                )
                original_recall = evaluate_model(
                    original, seen_pairs, test_pairs, k_values=[10],
                    num_items=n_items,
                )["recall@10"]
                print("held-out recall@10 with l2_reg=1e-2: "
                      f"{{results['model']['recall@10']:.4f}}")
                print("held-out recall@10 with l2_reg=1e-4: "
                      f"{{original_recall:.4f}}")
                print("popularity:                          "
                      f"{{results['popularity']['recall@10']:.4f}}")
                """
            ),
            md(
                """
                ## Why was an item recommended?

                `recommend(..., explain=True)` returns the model's extra
                outputs at the recommended items: the cosine similarity of
                user and item vectors and the feedback-adjusted relevance
                `(1 + similarity) / 2` (no feedback given here). Then
                feedback is given: the user dismisses their top item
                (feedback 0), which scales its relevance by
                `1 - feedback_weight`.
                """
            ),
            code(
                """
                rec_ids, rec_scores, why = model.recommend(
                    user_ids=sample_users,
                    k=10,
                    seen_item_mask=sample_seen,
                    explain=True,
                )
                print("explanation outputs:", sorted(why))
                print(f"user {sample_users[0]}:")
                print(f"{'item':>6}{'score':>9}{'cosine':>9}{'relevance':>11}")
                for item, score, cosine, relevance in zip(
                    rec_ids[0], rec_scores[0], why["similarity_matrix"][0],
                    why["feedback_adjusted"][0],
                ):
                    print(f"{item:>6}{score:>9.3f}{cosine:>9.3f}"
                          f"{relevance:>11.3f}")

                feedback = np.ones((1, n_items), dtype="float32")
                feedback[0, rec_ids[0, 0]] = 0.0
                scores_after = model.predict(
                    [sample_users[:1], np.arange(n_items)[None, :], feedback],
                    verbose=0,
                )[0][0]
                scores_after[sample_seen[0]] = -np.inf
                dismissed = scores_after[rec_ids[0, 0]]
                new_rank = int((scores_after > dismissed).sum()) + 1
                print(f"\\nafter feedback 0 on item {rec_ids[0, 0]}: its score "
                      f"{rec_scores[0, 0]:.3f} -> "
                      f"{scores_after[rec_ids[0, 0]]:.3f}, "
                      f"rank 1 -> {new_rank}")
                """
            ),
        ]
    cells += [
        REPORT_MD,
        report(
            name,
            "user_features=None,\n            item_features=None,",
            "user_ids=sample_users,",
        ),
        SUMMARY_MD,
    ]
    return cells


def feature_model_cells(deep: bool):
    """Returns the cells of the two feature-only model notebooks."""
    cls = "DeepRankingModel" if deep else "TwoTowerModel"
    name = "deep_ranking_model" if deep else "two_tower_model"
    epochs = 10 if deep else 30
    if deep:
        intro = md(
            """
            # Deep ranking model

            `DeepRankingModel` scores each (user, item) pair with an MLP
            over the concatenated user and item features. It reads no ids,
            so it can rank items for a user it never saw.

            This notebook follows the original demo (content-based data,
            the original arguments, list-form compile, training,
            recommendations, diversity, plots) and adds positives from
            ratings, a **cold-start** held-out split, and evaluation
            against a popularity baseline. The original's generator drew
            interactions independently of the features, so this model sat
            at chance level; the generator now plants a feature signal.
            """
        )
        model_cell = code(
            """
            model = DeepRankingModel(
                user_feature_dim=user_features.shape[1],
                item_feature_dim=item_features.shape[1],
                num_items=n_items,
                hidden_units=[128, 64, 32],
                activation="relu",
                dropout_rate=0.3,
                batch_norm=True,
                l2_reg=1e-4,
                top_k=10,
            )
            model.set_item_catalog(item_features)
            """
        )
        model_md = md(
            """
            ## 3. Model

            The original's arguments: hidden layers `[128, 64, 32]`, ReLU,
            dropout 0.3, batch normalisation, `l2_reg=1e-4`, top 10.
            """
        )
        epochs_note = (
            " **10 epochs instead of the original 30**: the MLP runs on"
            " every (user, item) pair, 500 per user, and 30 epochs took"
            " over a minute on the 2-core machine that ran this notebook."
        )
    else:
        intro = md(
            """
            # Two-tower model

            `TwoTowerModel` maps user features and item features through
            two towers and scores an item by the cosine of the two outputs.
            It reads no ids, so it can rank items for a user it never saw.

            This notebook follows the original demo (content-based data,
            the original arguments, list-form compile, training,
            recommendations, diversity, clusters, diagnostics) and adds
            positives from ratings, a **cold-start** held-out split, and
            evaluation against a popularity baseline.
            """
        )
        model_cell = code(
            """
            model = TwoTowerModel(
                user_feature_dim=user_features.shape[1],
                item_feature_dim=item_features.shape[1],
                num_items=n_items,
                hidden_units=[128, 64],
                output_dim=64,
                top_k=10,
                l2_reg=0.01,
            )
            model.set_item_catalog(item_features)
            """
        )
        model_md = md(
            """
            ## 3. Model

            The original's arguments: `hidden_units=[128, 64]`,
            `output_dim=64`, top 10, `l2_reg=0.01`. (In the original the
            towers were 2 x 64 wide whatever `hidden_units` said; here the
            layers are 128 and 64 wide, as written.)
            """
        )
        epochs_note = " 30 epochs, as in the original."
    cells = [
        intro,
        imports(cls),
        md(
            """
            ## 1. Data

            The original's call: 1000 users with 20 features, 500 items
            with 15 features, 10,000 interactions. The generator draws
            interactions mostly from a preference hidden in the features
            (`feature_signal_weight=0.8`, the default), and the ratings, on
            a continuous 1-5 scale, grow with that preference.
            """
        ),
        code(
            """
            (user_features, item_features, user_ids, item_ids, ratings) = (
                KMRDataGenerator.generate_content_based_recommendation_data(
                    n_users=1000,
                    n_items=500,
                    user_feature_dim=20,
                    item_feature_dim=15,
                    n_interactions=10000,
                    random_state=42,
                )
            )
            n_users, n_items = len(user_features), len(item_features)
            print(f"{len(ratings)} interactions, {n_users} users, "
                  f"{n_items} items")
            print(f"ratings: min {ratings.min():.2f}, median "
                  f"{np.median(ratings):.2f}, max {ratings.max():.2f}")
            """
        ),
        md(
            """
            ## 2. Positives, and a cold-start split

            - **Positives are ratings >= 4**, the items a user clearly
              liked; lower ratings are not counted as successes.
            - **20% of the users are held out entirely** (seed 42): the
              model is trained on the other users and asked to rank the
              catalog for users it has never seen, from their features
              alone. That is the case these feature models exist for, and
              one an id model cannot serve. The held-out users' positives
              are the test set; they have no history, so nothing is
              excluded from their lists.
            - The popularity baseline is counted on the training users.
            """
        ),
        code(
            """
            is_positive = ratings >= 4
            positive_users = user_ids[is_positive]
            positive_items = item_ids[is_positive]
            users_with_positives = np.unique(positive_users)
            rng = np.random.default_rng(42)
            test_users = np.sort(rng.choice(
                users_with_positives, size=len(users_with_positives) // 5,
                replace=False,
            ))
            train_users = np.setdiff1d(users_with_positives, test_users)
            in_test = np.isin(positive_users, test_users)
            train_pairs = (positive_users[~in_test], positive_items[~in_test])
            test_pairs = (positive_users[in_test], positive_items[in_test])

            train_labels = label_matrix(*train_pairs, n_items, rows=train_users)
            print(f"positives: {is_positive.sum()} of {len(ratings)} "
                  "interactions")
            print(f"{len(train_users)} training users "
                  f"({len(train_pairs[0])} positives), {len(test_users)} "
                  f"held-out users ({len(test_pairs[0])} positives)")
            """
        ),
        model_md,
        model_cell,
        six_metrics_compile(3),
        md(
            "## 4. Training\n\n"
            + textwrap.dedent(
                FIT_NOTE.format(
                    catalog="the item features stored with `set_item_catalog`"
                )
            ).strip()
            + epochs_note
        ),
        code(
            f"""
            start = time.perf_counter()
            history = model.fit(
                user_features[train_users],
                train_labels,
                epochs={epochs},
                batch_size=32,
                verbose=0,
            )
            fit_seconds = time.perf_counter() - start
            """
        ),
        TRAINING_METRICS,
        md(
            """
            The original's replicated form, `[user_features, item_features
            (batch, n_items, F)]`, gives the same scores as the catalog
            form:
            """
        ),
        code(
            """
            few = user_features[train_users[:2]]
            catalog_scores = model.predict(few, verbose=0)[0]
            replicated_scores = model.predict(
                [few, np.tile(item_features, (2, 1, 1))], verbose=0
            )[0]
            difference = np.abs(catalog_scores - replicated_scores).max()
            print("largest score difference between the two forms: "
                  f"{difference:.1e}")
            """
        ),
        md(
            """
            ## Held-out evaluation (cold-start users)

            For each held-out user, the model ranks the whole catalog from
            the user's features, and the top 10 are compared with the
            user's positives (`evaluate_model`). The popularity baseline
            (most positives among training users first) goes through the
            same code. Every number in this table comes from users the
            model never trained on.
            """
        ),
        SHOW_RESULTS,
        evaluation("user_features", seen="train_pairs"),
        md(
            """
            ## Recommendations

            `recommend` ranks the catalog for the first 10 held-out users,
            from their features; each line shows how many of the user's
            positives made the top 10.
            """
        ),
        recommend_cell(
            "user_features=user_features[sample_users],", seen="train_pairs"
        ),
        DIVERSITY_MD,
        diversity(
            "user_features=user_features[test_users],", seen="train_pairs"
        ),
    ]
    if not deep:
        cells += [
            md(
                """
                The original clustered users by their score vectors
                (`plot_user_clusters`); the report below includes that
                figure. Here only the cluster sizes are printed:
                """
            ),
            code(
                """
                sample_scores = model.predict(
                    user_features[sample_users], verbose=0
                )[0]
                _, cluster_labels = KMRPlotter.plot_user_clusters(
                    sample_scores, user_ids=sample_users, n_clusters=3
                )
                print("cluster sizes of the 10 held-out users:",
                      np.bincount(cluster_labels))
                """
            ),
        ]
    cells += [
        REPORT_MD,
        report(
            name,
            "user_features=user_features[sample_users],\n"
            "            item_features=item_features,",
            "",
            seen="train_pairs",
        ),
        SUMMARY_MD,
    ]
    return cells


NOTEBOOKS = {
    "explainable_unified_recommendation_model_demo": lambda: unified_cells(
        explainable=True
    ),
    "unified_recommendation_model_demo": lambda: unified_cells(
        explainable=False
    ),
    "matrix_factorization_model_demo": lambda: id_model_cells(
        explainable=False
    ),
    "two_tower_model_demo": lambda: feature_model_cells(deep=False),
    "deep_ranking_model_demo": lambda: feature_model_cells(deep=True),
    "explainable_recommendation_model_demo": lambda: id_model_cells(
        explainable=True
    ),
}


def build(name: str):
    """Returns the notebook `name`, without outputs."""
    notebook = nbformat.v4.new_notebook()
    notebook.cells = NOTEBOOKS[name]()
    notebook.metadata["kernelspec"] = {
        "name": "python3",
        "display_name": "Python 3",
        "language": "python",
    }
    notebook.metadata["language_info"] = {"name": "python"}
    return notebook


def execute(notebook, cwd: Path, timeout: int = 600):
    """Runs a notebook in a fresh kernel that imports this checkout's kmr."""
    from nbclient import NotebookClient

    os.environ["PYTHONPATH"] = os.pathsep.join(
        [str(REPO_ROOT), os.environ.get("PYTHONPATH", "")]
    ).rstrip(os.pathsep)
    os.environ["KERAS_BACKEND"] = "tensorflow"
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "3")
    client = NotebookClient(
        notebook,
        timeout=timeout,
        kernel_name="python3",
        resources={"metadata": {"path": str(cwd)}},
    )
    client.execute()
    return notebook


#: Start-up lines that TensorFlow's C++ runtime writes to stderr before its
#: log level applies; they say nothing about the notebook and are dropped.
_RUNTIME_NOISE = re.compile(
    r"^(WARNING: All log messages before absl::InitializeLog\(\) is called"
    r"|I0000 .*(port\.cc|cudart_stub\.cc|cpu_feature_guard\.cc).*)"
)


def _drop_runtime_noise(notebook):
    for cell in notebook.cells:
        outputs = []
        for output in cell.get("outputs", []):
            if output.get("name") == "stderr":
                lines = output["text"].splitlines(keepends=True)
                kept = [
                    line for line in lines if not _RUNTIME_NOISE.match(line)
                ]
                if not "".join(kept).strip():
                    continue
                output["text"] = "".join(kept)
            outputs.append(output)
        if "outputs" in cell:
            cell["outputs"] = outputs


def _strip_ids(notebook):
    # Stable cell ids keep regenerated files diffable.
    for index, cell in enumerate(notebook.cells):
        cell["id"] = f"cell-{index:02d}"


def refresh_markdown(name: str):
    """Updates the markdown of a saved notebook, keeping its outputs.

    Only for text edits: refuses when any code cell differs from the
    generator, since the outputs would then not come from the code.
    """
    path = NOTEBOOK_DIR / f"{name}.ipynb"
    saved = nbformat.read(path, as_version=4)
    built = build(name)
    if [
        (c.cell_type, c.source) for c in saved.cells if c.cell_type == "code"
    ] != [
        (c.cell_type, c.source) for c in built.cells if c.cell_type == "code"
    ] or len(saved.cells) != len(built.cells):
        raise ValueError(f"{name}: code changed; run with --execute instead.")
    for saved_cell, built_cell in zip(saved.cells, built.cells):
        if saved_cell.cell_type == "markdown":
            saved_cell.source = built_cell.source
    nbformat.write(saved, path)


def main(argv):
    """Writes, and with `--execute` runs, the named or all notebooks."""
    run = "--execute" in argv
    names = [a for a in argv if not a.startswith("--")] or list(NOTEBOOKS)
    for name in names:
        if "--markdown-only" in argv:
            refresh_markdown(name)
            continue
        notebook = build(name)
        _strip_ids(notebook)
        if run:
            start = time.perf_counter()
            execute(notebook, NOTEBOOK_DIR)
            _drop_runtime_noise(notebook)
            print(f"{name}: {time.perf_counter() - start:.1f} s")  # noqa: T201
        path = NOTEBOOK_DIR / f"{name}.ipynb"
        nbformat.write(notebook, path)


if __name__ == "__main__":
    main(sys.argv[1:])
