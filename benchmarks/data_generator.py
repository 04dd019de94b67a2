"""Time and peak memory of the synthetic generator at MovieLens-1M scale.

Run: python benchmarks/data_generator.py
"""

import time
import tracemalloc

from kmr.utils.data_generator import KMRDataGenerator

CASES = [
    ("collaborative, ML-100K scale", 943, 1682, 100_000),
    ("collaborative, ML-1M scale", 6040, 3706, 1_000_000),
]


def run_case(n_users, n_items, n_interactions):
    def generate():
        return KMRDataGenerator.generate_collaborative_filtering_data(
            n_users=n_users,
            n_items=n_items,
            n_interactions=n_interactions,
            sparsity=0.0,
        )

    start = time.perf_counter()
    arrays = generate()
    seconds = time.perf_counter() - start

    # A second run under tracemalloc, which slows NumPy down.
    tracemalloc.start()
    generate()
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    return seconds, peak / 2**20, len(arrays[0])


def main():
    print(f"{'case':<32} {'interactions':>12} {'seconds':>8} {'peak MiB':>9}")
    for name, n_users, n_items, n_interactions in CASES:
        seconds, peak, count = run_case(n_users, n_items, n_interactions)
        print(f"{name:<32} {count:>12,} {seconds:>8.2f} {peak:>9.1f}")


if __name__ == "__main__":
    main()
