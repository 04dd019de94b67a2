"""Training throughput and peak memory: replicated candidates vs shared.

Trains `UnifiedRecommendationModel` (20 user features, 15 item features,
`SoftmaxCrossEntropyRankingLoss`, Adam) on three workloads, each in two
input forms:

- replicated: `[user_ids (B,), user_features (B, 20), item_ids (B, N),
  item_features (B, N, 15)]`, the catalog copied for every user as the
  original KMR notebooks did; the item tower runs on `B * N` rows;
- shared: `[user_ids, user_features]` with the catalog stored by
  `set_item_catalog`; the item tower runs once per step on `N` rows.

A last workload, 100,000 items, compares the shared catalog (B x 100,000
scores per step) with `SampledCandidateDataset` (B x 1,024 scores per
step: the batch's positives and uniform negatives); the replicated form
is not run there, since its item features alone would take `users *
100,000 * 15 * 4` bytes.

Method. Every case runs in its own subprocess, so one case's memory
cannot leak into the next. Users per second: users trained per second of
wall time from the end of the first epoch (which traces and compiles)
to the end of training, within one `fit` call, so `fit`'s own start-up is
left out. Peak memory: `ru_maxrss` of the subprocess (the high-water mark
of its resident memory, which counts NumPy, the backend's allocator and
the compiled code alike). "Peak" is that mark at the end; "added" is the
mark at the end minus the mark after imports and model construction,
i.e. what the input data and training added. The targets compare the
added memory, since the runtime alone (several hundred MiB of TensorFlow
or JAX) would otherwise dominate both forms.

Run: python benchmarks/training_throughput.py [--backend jax]
"""

import argparse
import json
import os
import resource
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parents[1]
USER_DIM, ITEM_DIM, POSITIVES_PER_USER = 20, 15, 20
WORKLOADS = [
    # (users, items, batch size, forms)
    (50, 500, 8, ("replicated", "shared")),
    (512, 1682, 64, ("replicated", "shared")),
    (512, 3706, 64, ("replicated", "shared")),
    (512, 100_000, 64, ("shared", "sampled")),
]
SAMPLED_CANDIDATES = 1024
SPEED_TARGET, MEMORY_TARGET = 20.0, 5.0


def max_rss_mib():
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


def epoch_clock_class():
    import keras

    class EpochClock(keras.callbacks.Callback):
        """Times from the end of the first epoch to the end of training."""

        def on_epoch_end(self, epoch, logs=None):
            if epoch == 0:
                self.start = time.perf_counter()

        def on_train_end(self, logs=None):
            self.stop = time.perf_counter()

    return EpochClock


def run_case(num_users, num_items, batch_size, form, epochs):
    """Trains one case in this process and returns its measurements."""
    import keras
    import numpy as np

    from kmr.losses import SoftmaxCrossEntropyRankingLoss
    from kmr.models import SampledCandidateDataset, UnifiedRecommendationModel

    EpochClock = epoch_clock_class()
    keras.utils.set_random_seed(0)
    model = UnifiedRecommendationModel(
        num_users=num_users,
        num_items=num_items,
        user_feature_dim=USER_DIM,
        item_feature_dim=ITEM_DIM,
    )
    model.compile(
        optimizer="adam",
        loss=SoftmaxCrossEntropyRankingLoss(temperature=0.1),
        jit_compile=(
            True if os.environ.get("KMR_BENCH_JIT_COMPILE") else "auto"
        ),
    )
    baseline = max_rss_mib()

    rng = np.random.default_rng(0)
    user_ids = np.arange(num_users, dtype="int32")
    user_features = rng.random((num_users, USER_DIM), dtype="float32")
    item_features = rng.random((num_items, ITEM_DIM), dtype="float32")
    positives = [
        rng.choice(num_items, POSITIVES_PER_USER, replace=False)
        for _ in range(num_users)
    ]
    model.set_item_catalog(item_features)

    if form == "sampled":
        data = SampledCandidateDataset(
            user_ids,
            user_features,
            positives,
            item_features,
            num_candidates=SAMPLED_CANDIDATES,
            batch_size=batch_size,
            seed=0,
        )
        arguments = {"x": data}
    else:
        labels = np.zeros((num_users, num_items), dtype="float32")
        for row, items in enumerate(positives):
            labels[row, items] = 1.0
        x = [user_ids, user_features]
        if form == "replicated":
            x += [
                np.tile(np.arange(num_items, dtype="int32"), (num_users, 1)),
                np.broadcast_to(
                    item_features, (num_users, num_items, ITEM_DIM)
                ).copy(),
            ]
        arguments = {"x": x, "y": labels, "batch_size": batch_size}

    clock = EpochClock()
    history = model.fit(
        **arguments, epochs=1 + epochs, verbose=0, callbacks=[clock]
    )
    seconds = clock.stop - clock.start
    peak = max_rss_mib()
    return {
        "users_per_second": num_users * epochs / seconds,
        "peak_mib": peak,
        "added_mib": peak - baseline,
        "final_loss": float(history.history["loss"][-1]),
    }


def measure(backend, num_users, num_items, batch_size, form, epochs):
    """Runs one case in a fresh subprocess and returns its measurements."""
    environment = {
        **os.environ,
        "KERAS_BACKEND": backend,
        "TF_CPP_MIN_LOG_LEVEL": "3",
        "PYTHONPATH": str(ROOT),
    }
    case = json.dumps([num_users, num_items, batch_size, form, epochs])
    completed = subprocess.run(
        [sys.executable, __file__, "--case", case],
        capture_output=True,
        text=True,
        env=environment,
        check=False,
    )
    if completed.returncode != 0:
        raise RuntimeError(completed.stderr[-3000:])
    return json.loads(completed.stdout.strip().splitlines()[-1])


def main():
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--backend", default="tensorflow")
    parser.add_argument("--epochs", type=int, default=4)
    parser.add_argument(
        "--jit-compile",
        choices=("auto", "true"),
        default="auto",
        help="Keras' jit_compile; 'auto' leaves XLA off for TF on a CPU",
    )
    parser.add_argument("--case", help=argparse.SUPPRESS)
    args = parser.parse_args()
    if args.jit_compile == "true":
        os.environ["KMR_BENCH_JIT_COMPILE"] = "1"
    if args.case:
        print(json.dumps(run_case(*json.loads(args.case))))
        return 0

    print(
        f"backend {args.backend}, UnifiedRecommendationModel, "
        f"{args.epochs} timed epochs after 1 untimed, peak = ru_maxrss, "
        f"{os.cpu_count()} CPUs"
    )
    header = (
        f"{'users x items':>16} {'batch':>5} {'form':>10} {'users/s':>9} "
        f"{'peak MiB':>9} {'added MiB':>9} {'scores/step':>12}"
    )
    print(header)
    missed = []
    for num_users, num_items, batch_size, forms in WORKLOADS:
        results = {}
        for form in forms:
            result = measure(
                args.backend,
                num_users,
                num_items,
                batch_size,
                form,
                args.epochs,
            )
            results[form] = result
            width = SAMPLED_CANDIDATES if form == "sampled" else num_items
            print(
                f"{num_users:>6,} x {num_items:>7,} {batch_size:>5} "
                f"{form:>10} {result['users_per_second']:>9,.0f} "
                f"{result['peak_mib']:>9,.0f} {result['added_mib']:>9,.0f} "
                f"{batch_size * width:>12,}",
                flush=True,
            )
        if "replicated" in results:
            speedup = (
                results["shared"]["users_per_second"]
                / results["replicated"]["users_per_second"]
            )
            memory = results["replicated"]["added_mib"] / max(
                results["shared"]["added_mib"], 1.0
            )
            print(
                f"{'':>16} shared / replicated: {speedup:.1f}x users/s, "
                f"{memory:.1f}x less added memory"
            )
            if num_items == 3706:
                if speedup < SPEED_TARGET:
                    missed.append(
                        f"speed {speedup:.1f}x < {SPEED_TARGET}x (short "
                        f"by {SPEED_TARGET / speedup:.2f}x)"
                    )
                if memory < MEMORY_TARGET:
                    missed.append(
                        f"memory {memory:.1f}x < {MEMORY_TARGET}x (short "
                        f"by {MEMORY_TARGET / memory:.2f}x)"
                    )
    print(
        f"targets at 3,706 items: shared >= {SPEED_TARGET:.0f}x users/s "
        f"and <= 1/{MEMORY_TARGET:.0f} of the added memory"
    )
    for line in missed:
        print("TARGET MISSED:", line)
    print("all targets met" if not missed else "")
    return 1 if missed else 0


if __name__ == "__main__":
    sys.exit(main())
